"""The export's entrypoint (a mixin of BookingsService): a family's file, its children's files,
bookings, contracts with their absences, attendance with its corrections, invoices with their
payments, mandates and the history of staff's changes; for staff, a trainee or a volunteer, the
activities and slots they were named on and, for staff and trainees, the clearances bookings
learned from team's and placements' events."""

from marshmallow import Schema, fields

from services.bookings.child_file import care_checks
from services.bookings.child_file import presenters as child_file_presenters
from services.bookings.child_file import store as child_file_store
from services.bookings.childcare import presenters as childcare_presenters
from services.bookings.childcare import store as childcare_store
from services.bookings.children_in_care import contract_pattern
from services.bookings.contracts import certificates as sealed_files
from services.bookings.contracts import presenters as contracts_presenters
from services.bookings.contracts import store as contracts_store
from services.bookings.corrections import presenters as corrections_presenters
from services.bookings.family_file import presenters as family_file_presenters
from services.bookings.invoicing import presenters as invoicing_presenters
from services.bookings.invoicing import store as invoicing_store
from services.bookings.personal_data import store
from services.bookings.schemas.values import VenueTime
from shared import personal_data
from shared.broker_loss import rpc
from shared.timeutil import from_db

FAMILY_PARTS = (
    "family",
    "children",
    "bookings",
    "contracts",
    "attendance",
    "absence_certificates",
    "invoices",
    "mandates",
    "history",
)


class NamedOnOut(Schema):
    """An activity or a childcare slot the person was named on."""

    id = fields.String()
    title = fields.String(allow_none=True)
    as_ = fields.String(data_key="as")  # lead, staff, trainee, volunteer
    starts_at = VenueTime()
    ends_at = VenueTime()
    status = fields.String(allow_none=True)


class DutyProfileOut(Schema):
    first_name = fields.String()
    last_name = fields.String()
    job_title = fields.String()
    diplomas = fields.List(fields.String())
    counts_in_ratio = fields.Boolean()
    active = fields.Boolean()


class ClearanceOut(Schema):
    person_kind = fields.String()
    verified_on = fields.Date(allow_none=True)
    last_day = fields.Date()


class PersonalDataRpc:
    @rpc
    def export_person(self, person):
        """A family: {"family", "children", "bookings", "contracts", "attendance", "absence_certificates", "invoices",
        "mandates", "history"}; anyone: {"activities", "slots", "duty_profile", "clearances"}."""
        who = personal_data.person(person)
        answer = dict.fromkeys(FAMILY_PARTS)
        family = store.family(personal_data.record_id(who, "family"))
        if family is not None:
            answer.update(self._family_export(family))
        answer.update(_named_on(personal_data.ids_of(who) if who["role"] != "family" else []))
        return answer

    def _family_export(self, family):
        settings = self.settings
        children = childcare_store.children_of(family)
        bookings, contracts = store.bookings(family), store.contracts(family)
        invoices = invoicing_store.family_invoices(family)
        invoice_ids = [row.id for row in invoices]
        return {
            "family": childcare_presenters.family(family, children, settings),
            "children": [_child_file(child, settings.health_keys) for child in children],
            "bookings": childcare_presenters.bookings(bookings, settings),
            "contracts": contracts_presenters.contract_list(
                contracts, [contract_pattern(c) for c in contracts], contracts_store.absences_of_contracts(contracts)
            ),
            "attendance": _attendance(bookings, contracts),
            "absence_certificates": [
                contracts_presenters.certificate(kept, sealed_files.unseal(settings.certificate_keys, kept.sealed))
                for kept in store.absence_certificates(contracts)
            ],
            "invoices": invoicing_presenters.family_invoices(
                family, invoices, invoicing_store.paid_by_invoice(invoice_ids), invoicing_store.payments_of(invoice_ids)
            ),
            "mandates": [family_file_presenters.mandate(m, settings.sepa) for m in store.mandates(family)],
            "history": family_file_presenters.family_history(store.family_changes(family)),
        }


def _child_file(child, keys):
    """The health file (opened), every pickup adult listed, the incident register's lines."""
    return {
        "health": child_file_presenters.health(
            child,
            care_checks.health_file(child, keys),
            child_file_store.health_of(child),
            child_file_store.admission_day(child),
        ),
        "pickup_adults": child_file_presenters.pickup_adults(store.pickup_adults(child)),
        "incidents": child_file_presenters.incidents(
            store.incidents(child), child_file_store.corrections_of(child), keys
        ),
    }


def _attendance(bookings, contracts):
    """Each day a child came (a booking checked in, a contract's day), with staff's corrections."""
    corrections = store.attendance_corrections(bookings, contracts)
    of_booking, of_contract_day = {}, {}
    for row in corrections:
        if row.booking_id:
            of_booking.setdefault(row.booking_id, []).append(row)
        else:
            of_contract_day.setdefault((row.contract_id, row.day), []).append(row)
    lines = [
        corrections_presenters.booking_attendance(b, from_db(b.slot.starts_at).date(), of_booking.get(b.id, []))
        for b in bookings
        if b.checked_in_at or b.id in of_booking
    ]
    by_id = {c.id: c for c in contracts}
    for noted in store.contract_attendances(contracts):
        contract = by_id[noted.contract_id]
        day_corrections = of_contract_day.get((contract.id, noted.day), [])
        lines.append(corrections_presenters.contract_attendance(contract, noted.day, noted, day_corrections))
    return lines


def _named_on(ids):
    if not ids:
        return {"activities": [], "slots": [], "duty_profile": None, "clearances": []}
    activities = [
        {"id": a.id, "title": a.title, "as_": how, "starts_at": a.starts_at, "ends_at": a.ends_at, "status": a.status}
        for a, how in store.activities_named(ids)
    ]
    slots = [
        {"id": s.id, "title": None, "as_": "staff", "starts_at": s.starts_at, "ends_at": s.ends_at, "status": None}
        for s in store.slots_named(ids)
    ]
    member = store.staff_member(ids)
    return {
        "activities": NamedOnOut(many=True).dump(activities),
        "slots": NamedOnOut(many=True).dump(slots),
        "duty_profile": DutyProfileOut().dump(member) if member else None,
        "clearances": ClearanceOut(many=True).dump(store.clearances(ids)),
    }
