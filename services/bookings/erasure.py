"""The erasure of a family's data in bookings (shared/erasure.py, docs/privacy.md).

What stays, under the pseudonym: bookings, contracts, attendances, invoices and payments with their
amounts, hours and dates (accounting keeps invoices 10 years, Code de commerce L123-22; the CAF
checks the hours billed, PSU circular 2014-009), and each child's birth date (the age band of the
rates). What goes: emails, names, phones, the postal address of the file, the health file, the
absence certificates, the mandate's IBAN, the free text written about the family.
A staff member's name, as bookings was told it, goes the same way."""

import json

from services.bookings import models
from services.bookings.domain import erasure as rules
from shared import erasure
from shared.broker_loss import rpc
from shared.handlers import on_event
from shared.retention import RetentionPurge
from shared.vocabulary import CONTRACT_ACTIVE, INVOICE_ISSUED

M = models


def family_person(family):
    guardians = erasure_guardians(family)
    children = list(M.Child.select().where(M.Child.family == family.id))
    adults = list(M.PickupAdult.select().where(M.PickupAdult.child.in_([c.id for c in children])))
    names = [f"{g.get('first_name', '')} {g.get('last_name', '')}".strip() for g in guardians]
    names += [c.first_name for c in children] + [f"{a.first_name} {a.last_name}" for a in adults]
    phones = [g.get("phone") for g in guardians] + [a.phone for a in adults]
    ids = [family.id, *(c.id for c in children)]
    return erasure.person(family.id, ids=ids, emails=[family.email], names=names, phones=phones), children, adults


def erasure_guardians(family):
    try:
        return json.loads(family.guardians or "[]")
    except ValueError:
        return []


def _scrub_json_column(model, field, rows_query, who):
    for row in rows_query:
        value = getattr(row, field.name)
        if value is not None and erasure.mentions(str(value), who.scrubbed):
            model.update({field: erasure.scrub_json(value, who.scrubbed, who.pseudonym)}).where(
                model.id == row.id
            ).execute()


def _scrub_text_column(model, field, rows_query, who):
    for row in rows_query:
        value = getattr(row, field.name)
        if value and erasure.mentions(value, who.scrubbed):
            model.update({field: erasure.scrub_text(value, who.scrubbed, who.pseudonym)}).where(
                model.id == row.id
            ).execute()


def _erase_family_file(family, who, children, adults):
    guardians = erasure_guardians(family)
    pseudonymous = [{"first_name": who.pseudonym, "last_name": "", "phone": ""} for _ in guardians]
    M.Family.update(
        email=erasure.pseudonym_email(family.id),
        guardians=json.dumps(pseudonymous),
        search_text=who.pseudonym,
        postal_address="",
    ).where(M.Family.id == family.id).execute()
    for child in children:
        M.Child.update(first_name=erasure.pseudonym(child.id)).where(M.Child.id == child.id).execute()
    for adult in adults:
        M.PickupAdult.update(first_name=erasure.pseudonym(adult.id), last_name="", phone="", relation="").where(
            M.PickupAdult.id == adult.id
        ).execute()
    child_ids = [c.id for c in children]
    if child_ids:
        M.ChildHealth.delete().where(M.ChildHealth.child.in_(child_ids)).execute()


def _erase_family_records(family, who):
    contracts = M.Contract.select(M.Contract.id).where(M.Contract.family == family.id)
    absences = M.ContractAbsence.select().where(M.ContractAbsence.contract.in_(contracts))
    M.AbsenceCertificate.delete().where(M.AbsenceCertificate.absence.in_(absences)).execute()
    M.ContractAbsence.update(has_certificate=False).where(M.ContractAbsence.contract.in_(contracts)).execute()
    _scrub_text_column(M.ContractAbsence, M.ContractAbsence.reject_reason, absences, who)
    bookings = M.Booking.select().where(M.Booking.family == family.id)
    _scrub_json_column(M.Booking, M.Booking.collected_by, bookings, who)
    attendances = M.ContractAttendance.select().where(M.ContractAttendance.contract.in_(contracts))
    _scrub_json_column(M.ContractAttendance, M.ContractAttendance.collected_by, attendances, who)
    invoices = M.Invoice.select().where(M.Invoice.family == family.id)
    _scrub_json_column(M.Invoice, M.Invoice.statement, invoices, who)
    for invoice in invoices:
        customer = dict(invoice.customer or {})
        customer.update(name=who.pseudonym, email=erasure.pseudonym_email(family.id))
        M.Invoice.update(customer=customer).where(M.Invoice.id == invoice.id).execute()
    M.SepaMandate.update(holder=who.pseudonym, iban="", bic=None).where(M.SepaMandate.family == family.id).execute()
    changes = M.FamilyChange.select().where(M.FamilyChange.family == family.id)
    _scrub_text_column(M.FamilyChange, M.FamilyChange.before, changes, who)
    _scrub_text_column(M.FamilyChange, M.FamilyChange.after, changes, who)
    corrections = M.AttendanceCorrection.select().where(
        (M.AttendanceCorrection.booking.in_(bookings.select(M.Booking.id)))
        | (M.AttendanceCorrection.contract.in_(contracts))
    )
    _scrub_text_column(M.AttendanceCorrection, M.AttendanceCorrection.reason, corrections, who)


class ErasureHandlers(RetentionPurge):
    """Mixed into BookingsService: the refusals an erasure checks first, and the erasure itself."""

    dead_letters = erasure.DeadLetters()

    @rpc
    def erasure_blockers(self, ids):
        """The sentences refusing the erasure of this person now ([] when it may go ahead); `ids`
        as in team.account_erasure_requested."""
        family_id = (ids or {}).get("family_id")
        if not family_id:
            return []
        unpaid = [
            i.number
            for i in M.Invoice.select(M.Invoice.number).where(
                M.Invoice.family == family_id, M.Invoice.status == INVOICE_ISSUED
            )
        ]
        running = (
            M.Contract.select().where(M.Contract.family == family_id, M.Contract.status == CONTRACT_ACTIVE).exists()
        )
        return rules.blockers(unpaid, running)

    @on_event("team.account_erasure_requested", exclusive=True)
    def erase_family(self, event):
        payload = event["payload"]
        family = M.Family.get_or_none(M.Family.id == (payload.get("family_id") or ""))
        if family is not None and not erasure.is_pseudonym(family.email):
            who, children, adults = family_person(family)
            self.dead_letters(who.texts)
            _erase_family_records(family, who)
            _erase_family_file(family, who, children, adults)
            erasure.purge_spine(M, who)
        staff = M.StaffMember.get_or_none(M.StaffMember.id == (payload.get("staff_id") or ""))
        if staff is not None:
            who = erasure.person(staff.id, ids=[staff.id], names=[f"{staff.first_name} {staff.last_name}"])
            M.StaffMember.update(first_name=who.pseudonym, last_name="", job_title="").where(
                M.StaffMember.id == staff.id
            ).execute()
            erasure.purge_spine(M, who)
        self.uow.emit("bookings.personal_data_erased", erasure.answer("bookings", payload["erasure_id"]))
