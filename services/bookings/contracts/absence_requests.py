"""Absences of a contract child: a family asks (with its certificate for an illness or a
hospitalisation), staff approve on the proof they have seen or refuse with a reason, and may
withdraw an approved absence while its month is open; staff's own absences are approved at once.
Only an approved absence deducts (domain/absences.py). The certificates are kept encrypted
(contracts/certificates.py), shown only to the family and staff, deleted after their keeping
(domain/certificates.py) by a periodic sweep.
"""

import base64
import binascii
import logging
from datetime import timedelta

from nameko.timer import timer

from services.bookings.children_in_care import closed_days_between, contract_pattern, month_is_open
from services.bookings.contracts import certificates as sealed_files
from services.bookings.contracts import presenters, store
from services.bookings.domain import absences, care_pattern, certificates, closures
from services.bookings.domain.exact_numbers import ZERO
from services.bookings.models import AbsenceCertificate, ContractAbsence
from services.bookings.schemas.contracts import AbsenceApproveIn, AbsenceIn, AbsenceQuery, AbsenceRejectIn
from shared import timeutil
from shared.broker_loss import rpc
from shared.commands import command
from shared.errors import Conflict, Invalid, NotFound, load
from shared.vocabulary import CONTRACT_ACTIVE, CONTRACT_ENDED

log = logging.getLogger(__name__)
CERTIFICATE_SWEEP_SECONDS = 3600  # the retention is counted in days: an hourly look is enough


class AbsencesRpc:
    @command
    def record_absence(self, contract_id, data, family_id=None, staff_id=None, certificate=None):
        """A family's absence is a request (nothing deducted until staff approve it), with its
        certificate when given (base64); staff's is approved at once and deducted as the CNAF
        rules say (domain/absences.py). A closure and an eviction are staff's to record
        (domain/closures.py); the days of a planned closure have no care planned."""
        fields = load(AbsenceIn(), data)
        reason, starts_on, ends_on = fields["reason"], fields["starts_on"], fields["ends_on"]
        if family_id and reason not in absences.FAMILY_REASONS:
            refusal = closures.STAFF_ONLY_REASONS[reason]
            raise Invalid(refusal, {"reason": [refusal]})
        if ends_on < starts_on:
            raise Invalid("La fin de l'absence est avant son début.", {"ends_on": ["Avant le début."]})
        content = _certificate_bytes(certificate, reason)
        with self.uow.atomic(exclusive=True):
            contract = store.locked_contract(contract_id, family_id)
            _check_recordable(contract, starts_on, ends_on)
            deduction = _deduction(contract, reason, starts_on, ends_on)
            absence = ContractAbsence.create(
                contract=contract,
                starts_on=starts_on,
                ends_on=ends_on,
                reason=reason,
                deducted_hours=ZERO if family_id else deduction.hours,
                recorded_by="family" if family_id else "staff",
                status=absences.REQUESTED if family_id else absences.APPROVED,
                decided_by=None if family_id else staff_id,
                decided_at=None if family_id else timeutil.db_now(),
            )
            if content is not None:
                self._keep_certificate(absence, content, "family" if family_id else "staff")
            if family_id:
                self.uow.emit("bookings.absence_requested", presenters.absence_requested(absence, contract))
            else:
                self.uow.emit("bookings.absence_recorded", presenters.absence_recorded(absence, contract))
        return presenters.absence(absence)

    @command
    def approve_absence(self, absence_id, data, staff_id=None):
        """Staff accept a request: its hours are computed now (the closures and attendances of
        today) and deducted; an illness or a hospitalisation needs `proof_seen`."""
        proof_seen = load(AbsenceApproveIn(), data or {})["proof_seen"]
        with self.uow.atomic(exclusive=True):
            absence = store.locked_absence(absence_id)
            errors = absences.approval_errors(absence.status, absence.reason, proof_seen)
            _refuse(errors)
            contract = absence.contract
            deduction = _deduction(contract, absence.reason, absence.starts_on, absence.ends_on)
            absence.status, absence.proof_seen = absences.APPROVED, proof_seen
            absence.deducted_hours = deduction.hours
            absence.decided_by, absence.decided_at = staff_id, timeutil.db_now()
            absence.save()
            self.uow.emit("bookings.absence_approved", presenters.absence_approved(absence, contract))
        return presenters.absence(absence)

    @command
    def reject_absence(self, absence_id, data, staff_id=None):
        """Staff refuse a request, with the reason the family reads; nothing is deducted."""
        why = load(AbsenceRejectIn(), data or {})["reason"]
        with self.uow.atomic(exclusive=True):
            absence = store.locked_absence(absence_id)
            _refuse(absences.rejection_errors(absence.status, why))
            absence.status, absence.reject_reason = absences.REJECTED, why.strip()
            absence.decided_by, absence.decided_at = staff_id, timeutil.db_now()
            absence.save()
            self.uow.emit("bookings.absence_rejected", presenters.absence_rejected(absence, absence.contract))
        return presenters.absence(absence)

    @command
    def withdraw_absence(self, absence_id, staff_id=None):
        """Staff take back an approved absence while its month is open: its hours are billed again."""
        with self.uow.atomic(exclusive=True):
            absence = store.locked_absence(absence_id)
            contract = absence.contract
            _refuse(absences.withdrawal_errors(absence.status, month_is_open(contract.family_id, absence.starts_on)))
            withdrawn_hours = absence.deducted_hours
            absence.status, absence.deducted_hours = absences.WITHDRAWN, ZERO
            absence.decided_by, absence.decided_at = staff_id, timeutil.db_now()
            absence.save()
            self.uow.emit(
                "bookings.absence_withdrawn", presenters.absence_withdrawn(absence, contract, withdrawn_hours)
            )
        return presenters.absence(absence)

    @rpc
    def list_absences(self, query=None):
        """A page of absences, first day first; `status=requested` is staff's queue."""
        q = load(AbsenceQuery(), query or {})
        found = store.absences(q, q["status"])
        return found.answer(presenters.absence_rows(found.rows))

    @rpc
    def count_absence_requests(self):
        """{"requested": n}: the requests waiting for staff (their « Aujourd'hui » page)."""
        return {"requested": store.count_absences(absences.REQUESTED)}

    # --- certificates -----------------------------------------------------------------------------
    @command
    def put_certificate(self, absence_id, content_base64, family_id=None):
        """The certificate of a request, sent (or sent again) while staff have not decided; by the
        family whose absence it is, or by staff."""
        reason = store.absence(absence_id, family_id).reason  # another family's absence: not found
        content = _certificate_bytes(content_base64, reason)
        if content is None:
            raise Invalid("Joignez le certificat.", {"certificate": ["Aucun fichier reçu."]})
        with self.uow.atomic(exclusive=True):
            absence = store.locked_absence(absence_id)
            if absence.status != absences.REQUESTED:
                raise Conflict(
                    f"Cette absence n'est plus en attente (elle est {absences.STATUS_LABELS[absence.status]}) : "
                    "son justificatif ne change plus."
                )
            AbsenceCertificate.delete().where(AbsenceCertificate.absence == absence).execute()
            kept = self._keep_certificate(absence, content, "family" if family_id else "staff")
        return presenters.certificate(kept)

    @rpc
    def get_certificate(self, absence_id, family_id=None):
        """The certificate's file (base64), for the family whose absence it is or for staff."""
        absence = store.absence(absence_id, family_id)
        kept = store.certificate(absence)
        if kept is None:
            raise NotFound("Aucun justificatif n'est conservé pour cette absence.")
        content = sealed_files.unseal(self.settings.certificate_keys, kept.sealed)
        return presenters.certificate(kept, content)

    @timer(interval=CERTIFICATE_SWEEP_SECONDS)
    def delete_expired_certificates(self, now=None):
        """Deletes the certificates kept past their retention (settings.certificate_retention_days
        after the decision, domain/certificates.py); `now` given by a test. Answers their ids."""
        now = now or timeutil.now_utc()
        days = self.settings.certificate_retention_days
        deleted = []
        for (certificate_id,) in store.expired_certificates(timeutil.to_db(now - timedelta(days=days))):
            with self.uow.atomic(exclusive=True):
                kept = store.locked_certificate(certificate_id)
                if kept is None:
                    continue  # another instance deleted it first
                AbsenceCertificate.delete().where(AbsenceCertificate.id == certificate_id).execute()
                ContractAbsence.update(has_certificate=False).where(ContractAbsence.id == kept.absence_id).execute()
            deleted.append(certificate_id)
        if deleted:
            log.info("absence certificates deleted after their retention", extra={"count": len(deleted)})
        return deleted

    def _keep_certificate(self, absence, content, uploaded_by):
        kept = AbsenceCertificate.create(
            absence=absence,
            media_type=certificates.media_type(content),
            size=len(content),
            sealed=sealed_files.seal(self.settings.certificate_keys, content),
            uploaded_by=uploaded_by,
        )
        absence.has_certificate = True
        absence.save()
        return kept


def _refuse(errors):
    if errors:
        first = next(iter(errors.values()))[0]
        raise (Conflict if "status" in errors else Invalid)(first, errors)


def _certificate_bytes(content_base64, reason):
    """The file's bytes from the base64 the gateway sends (None when none), checked
    (domain/certificates.py: type by content, size; only for a reason that needs a certificate,
    health data is not kept for nothing); a 422 in French under `certificate`."""
    if content_base64 in (None, ""):
        return None
    if reason not in absences.CERTIFICATE_REASONS:
        refusal = "Un justificatif n'est demandé que pour une maladie ou une hospitalisation : n'en joignez pas."
        raise Invalid(refusal, {"certificate": [refusal]})
    try:
        content = base64.b64decode(content_base64, validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise Invalid("Le fichier n'a pas été reçu en entier.", {"certificate": ["Fichier illisible."]}) from None
    errors = certificates.certificate_errors(content)
    if errors:
        raise Invalid(errors["certificate"][0], errors)
    return content


def _check_recordable(contract, starts_on, ends_on):
    if contract.status != CONTRACT_ACTIVE and not (contract.status == CONTRACT_ENDED and contract.hourly_rate):
        raise Conflict("Une absence se déclare sur un contrat accepté.")
    if starts_on < contract.starts_on or ends_on > contract.last_day:
        raise Invalid(
            "L'absence doit être pendant le contrat.",
            {"starts_on": [f"Du {contract.starts_on:%d/%m/%Y} au {contract.last_day:%d/%m/%Y}."]},
        )
    if store.standing_absence_overlapping(contract, starts_on, ends_on):
        raise Conflict("Une absence est déjà déclarée ou demandée sur une partie de ces jours.")


def _deduction(contract, reason, starts_on, ends_on):
    """What the absence would deduct today (absences.deducted_hours): a 409 when the child was
    present on a day it would deduct."""
    present = [a.day for a in store.attendances_of(contract, starts_on, ends_on + timedelta(days=1))]
    if present and absences.deducted_days(reason, starts_on, ends_on):
        raise Conflict(f"L'enfant était présent le {present[0]:%d/%m/%Y} : l'absence ne peut pas le couvrir.")
    scheduled = {
        d.day: d.hours
        for d in care_pattern.scheduled_days(
            contract.starts_on,
            contract.last_day,
            contract_pattern(contract),
            starts_on,
            ends_on + timedelta(days=1),
            closed_days=closed_days_between(starts_on, ends_on),
        )
    }
    return absences.deducted_hours(reason, starts_on, ends_on, scheduled)
