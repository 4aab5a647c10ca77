"""What regular care contracts answer and tell: quotes, contracts with their absences, a contract
child's attendance, the CNAF report, and the payloads of the contract events."""

import base64
import json
from types import SimpleNamespace

from services.bookings.domain import care_pattern, emergency
from services.bookings.domain import cnaf_report as cnaf_ratio
from services.bookings.domain.certificates import EXTENSIONS
from services.bookings.presenting import Shown, iso
from services.bookings.schemas.contracts import (
    AbsenceCertificateOut,
    AbsenceOut,
    AbsenceRowOut,
    AttendanceOut,
    CnafReportOut,
    ContractOut,
    ContractQuoteOut,
)
from services.bookings.schemas.values import exact_text

CONTRACT_LABELS = {"requested": "en attente", "active": "en cours", "ended": "terminé"}


def contract_quote(quote, monthly):
    """`quote`: fees.FeeQuote; `monthly`: care_pattern.Mensualisation."""
    return ContractQuoteOut().dump(
        Shown(
            monthly,
            hourly_rate=quote.hourly_rate,
            aeeh_children=quote.aeeh_children,
            emergency=quote.emergency,
            emergency_label=emergency.LABEL if quote.emergency else None,
        )
    )


def contract(contract, pattern, absences):
    return contract_list([contract], [pattern], {contract.id: absences})[0]


def contract_list(rows, patterns, absences=None):
    absences = absences or {}
    return ContractOut(many=True).dump(
        [
            Shown(
                c,
                pattern=json.loads(c.pattern),
                hours_per_week=care_pattern.hours_per_week(p),
                child_first_name=c.child.first_name,
                absences=absences.get(c.id, []),
            )
            for c, p in zip(rows, patterns, strict=True)
        ]
    )


def absence(absence):
    return AbsenceOut().dump(absence)


def absence_rows(rows):
    """Absences with their contract and child loaded (staff's queue)."""
    return AbsenceRowOut(many=True).dump(rows)


def certificate(kept, content=None):
    """A kept certificate; with its file (base64) when `content` is given."""
    shown = Shown(
        kept,
        absence_id=kept.absence_id,
        filename=f"justificatif-{kept.absence_id}.{EXTENSIONS.get(kept.media_type, 'bin')}",
    )
    if content is not None:
        shown = Shown(shown, content_base64=base64.b64encode(content).decode("ascii"))
    return AbsenceCertificateOut().dump(shown)


def attendance(noted):
    return AttendanceOut().dump(noted)


def cnaf_report(year, months):
    """`months`: [(YYYY-MM, occasional billing.MonthlyStatement, contracts' contract_statement.FamilyMonth)],
    each with its billing ratio (domain/cnaf_report.py)."""
    rows = [
        _with_ratio(
            SimpleNamespace(
                month=month,
                occasional=occasional,
                contracts=in_contracts,
                hours_billed=occasional.hours_billed + in_contracts.hours_billed,
                hours_attended=occasional.hours_attended + in_contracts.hours_attended,
                amount=occasional.amount + in_contracts.amount,
            )
        )
        for month, occasional, in_contracts in months
    ]
    return CnafReportOut().dump(
        _with_ratio(
            SimpleNamespace(
                year=year,
                months=rows,
                hours_billed=sum(r.hours_billed for r in rows),
                hours_attended=sum(r.hours_attended for r in rows),
                amount=sum(r.amount for r in rows),
            )
        )
    )


def _with_ratio(row):
    ratio = cnaf_ratio.billing_ratio(row.hours_billed, row.hours_attended)
    percent = cnaf_ratio.ratio_percent(ratio)
    row.billing_ratio = None if percent is None else f"{percent:.1f}"
    row.ratio_above_limit = cnaf_ratio.above_limit(ratio)
    return row


def _contract_fact(contract):
    return {"contract_id": contract.id, "family_id": contract.family_id, "child_id": contract.child_id}


def contract_signed(contract, pattern):
    return dict(
        _contract_fact(contract),
        starts_on=contract.starts_on.isoformat(),
        ends_on=contract.ends_on.isoformat(),
        weeks_per_year=contract.weeks_per_year,
        pattern=json.loads(contract.pattern),
        hours_per_week=exact_text(care_pattern.hours_per_week(pattern)),
        hourly_rate=exact_text(contract.hourly_rate),
        monthly_amount=f"{contract.monthly_amount:.2f}",
        avip=contract.avip,
    )


def contract_amended(old, new, pattern):
    return dict(contract_signed(new, pattern), amends=old.id, from_on=new.starts_on.isoformat())


def contract_ended(contract, reason):
    return dict(_contract_fact(contract), ended_on=contract.last_day.isoformat(), reason=reason)


def absence_recorded(absence, contract):
    return dict(
        _contract_fact(contract),
        absence_id=absence.id,
        starts_on=absence.starts_on.isoformat(),
        ends_on=absence.ends_on.isoformat(),
        reason=absence.reason,
        deducted_hours=exact_text(absence.deducted_hours),
    )


def _absence_fact(absence, contract):
    return dict(
        _contract_fact(contract),
        absence_id=absence.id,
        starts_on=absence.starts_on.isoformat(),
        ends_on=absence.ends_on.isoformat(),
        reason=absence.reason,
    )


def absence_requested(absence, contract):
    return dict(_absence_fact(absence, contract), has_certificate=absence.has_certificate)


def absence_approved(absence, contract):
    return dict(
        _absence_fact(absence, contract),
        deducted_hours=exact_text(absence.deducted_hours),
        proof_seen=absence.proof_seen,
        decided_by=absence.decided_by,
    )


def absence_rejected(absence, contract):
    return dict(_absence_fact(absence, contract), reject_reason=absence.reject_reason, decided_by=absence.decided_by)


def absence_withdrawn(absence, contract, withdrawn_hours):
    return dict(
        _absence_fact(absence, contract), withdrawn_hours=exact_text(withdrawn_hours), decided_by=absence.decided_by
    )


def contract_child_checked_in(contract, noted):
    return {"booking_id": None, "contract_id": contract.id, "child_id": contract.child_id, "at": iso(noted.arrived_at)}


def contract_child_checked_out(contract, noted):
    return {"booking_id": None, "contract_id": contract.id, "child_id": contract.child_id, "at": iso(noted.left_at)}
