"""Absences of a child under a regular contract: which are deducted from the month, from which
day, and the contracted hours they take off.

Source: CNAF "conditions particulières PSU" (2011): the only absences deducted are a
hospitalisation, an eviction by the crèche's doctor and a closure of the crèche (from the first
day), and an illness with a medical certificate after a waiting period (carence) of three
calendar days; any other absence stays billed. Planned closures are not absences
(care_pattern: they are out of the weeks of attendance and have no care planned).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from .exact_numbers import ZERO
from .plain_dates import each_day, plain_date

# Absence reasons (CNAF "conditions particulières PSU", 2011).
ILLNESS_CERTIFICATE = "illness_certificate"  # illness with a medical certificate: from the 4th day
HOSPITALISATION = "hospitalisation"  # hospital certificate: from the first day
EVICTION = "eviction"  # evicted by the crèche's doctor: from the first day
CLOSURE = "closure"  # unplanned closure of the crèche: from the first day
OTHER = "other"  # any other absence: never deducted
ABSENCE_REASONS = (ILLNESS_CERTIFICATE, HOSPITALISATION, EVICTION, CLOSURE, OTHER)
FROM_FIRST_DAY = (HOSPITALISATION, EVICTION, CLOSURE)
# The waiting period (carence) of an illness: the first day of absence and the two calendar
# days after it, which stay billed.
WAITING_DAYS = 3
REASON_LABELS = {
    ILLNESS_CERTIFICATE: "maladie (certificat)",
    HOSPITALISATION: "hospitalisation",
    EVICTION: "éviction par le médecin de la crèche",
    CLOSURE: "fermeture de la crèche",
    OTHER: "autre motif",
}


class AbsenceDay(NamedTuple):
    day: date
    deducted: bool
    why: str  # "déduit", "carence" (waiting period, billed) or "non déductible" (billed)


def checked_absence(reason: str, starts_on: date, ends_on: date) -> tuple[date, date]:
    """(starts_on, ends_on) of an absence whose reason is known and whose end is not before its start."""
    if reason not in ABSENCE_REASONS:
        raise ValueError(f"reason must be one of {ABSENCE_REASONS}, got {reason!r}")
    starts_on, ends_on = plain_date("starts_on", starts_on), plain_date("ends_on", ends_on)
    if ends_on < starts_on:
        raise ValueError("an absence's ends_on must be on or after its starts_on")
    return starts_on, ends_on


def absence_days(reason: str, starts_on: date, ends_on: date) -> list[AbsenceDay]:
    """Each calendar day of an absence [starts_on, ends_on], deducted or still billed, and why.

    CNAF "conditions particulières PSU" (2011): hospitalisation, eviction by the crèche's
    doctor and closure of the crèche are deducted from the first day; an illness with a
    medical certificate from the fourth: the first day of absence and the two calendar days
    after it (a weekend counts) are the waiting period and stay billed; any other absence stays
    billed.
    """
    first, last = checked_absence(reason, starts_on, ends_on)
    out = []
    for i, d in enumerate(each_day(first, last + timedelta(days=1))):
        if reason in FROM_FIRST_DAY:
            out.append(AbsenceDay(d, True, "déduit"))
        elif reason == ILLNESS_CERTIFICATE:
            out.append(AbsenceDay(d, i >= WAITING_DAYS, "déduit" if i >= WAITING_DAYS else "carence"))
        else:
            out.append(AbsenceDay(d, False, "non déductible"))
    return out


def deducted_days(reason: str, starts_on: date, ends_on: date) -> list[date]:
    """The calendar days of an absence that are deducted (rules of absence_days, CNAF 2011)."""
    return [a.day for a in absence_days(reason, starts_on, ends_on) if a.deducted]


@dataclass(frozen=True)
class Deduction:
    """What an absence takes off: the deducted days that had care planned, with their hours."""

    reason: str
    starts_on: date
    ends_on: date
    days: tuple[tuple[date, Decimal], ...]  # (day, contracted hours deducted), planned days only
    waiting_days: tuple[date, ...]  # the waiting period (illness), billed
    hours: Decimal


def deducted_hours(reason: str, starts_on: date, ends_on: date, scheduled: Mapping[date, Decimal]) -> Deduction:
    """Contracted hours deducted for an absence: the hours of `scheduled` (date -> contracted
    hours that day) on its deducted days (absence_days, CNAF "conditions particulières PSU"
    2011). A day with no care planned deducts nothing; the waiting period counts calendar days.
    """
    detail = absence_days(reason, starts_on, ends_on)
    days = tuple((a.day, Decimal(scheduled[a.day])) for a in detail if a.deducted and scheduled.get(a.day))
    return Deduction(
        reason=reason,
        starts_on=starts_on,
        ends_on=ends_on,
        days=days,
        waiting_days=tuple(a.day for a in detail if a.why == "carence"),
        hours=sum((h for _, h in days), ZERO),
    )


# --- requests and decisions ----------------------------------------------------------------------
# A family asks, staff decide on the proof they have seen (review of the rules, 2026-12-07:
# «deductions need proof the venue has seen; a closure or an eviction is a fact only the venue
# declares»). Only an approved absence deducts.
REQUESTED, APPROVED, REJECTED, WITHDRAWN = "requested", "approved", "rejected", "withdrawn"
ABSENCE_STATUSES = (REQUESTED, APPROVED, REJECTED, WITHDRAWN)
STANDING = (REQUESTED, APPROVED)  # the statuses that hold their days: another absence may not overlap them
FAMILY_REASONS = (ILLNESS_CERTIFICATE, HOSPITALISATION, OTHER)  # closure and eviction: staff's facts
CERTIFICATE_REASONS = (ILLNESS_CERTIFICATE, HOSPITALISATION)  # deducted on a certificate staff have seen
REJECT_REASON_MAX = 500


def deducts(status: str) -> bool:
    """Whether an absence in this status takes hours off the month: only once staff approved it."""
    return status == APPROVED


def approval_errors(status: str, reason: str, proof_seen: bool) -> dict[str, list[str]]:
    """French errors of approving an absence, by field; {} when it may be approved: it is still
    requested, and for an illness or a hospitalisation staff say they have seen the certificate."""
    if status != REQUESTED:
        return {"status": [f"Cette absence n'est plus en attente (elle est {STATUS_LABELS[status]})."]}
    if reason in CERTIFICATE_REASONS and not proof_seen:
        return {
            "proof_seen": [
                "Cochez « J'ai vu le justificatif » : une absence pour maladie ou hospitalisation "
                "n'est déduite que sur un certificat vu par l'équipe."
            ]
        }
    return {}


def rejection_errors(status: str, why: str) -> dict[str, list[str]]:
    """French errors of refusing an absence, by field: it is still requested, with a reason the
    family will read (at most REJECT_REASON_MAX characters)."""
    if status != REQUESTED:
        return {"status": [f"Cette absence n'est plus en attente (elle est {STATUS_LABELS[status]})."]}
    if not (why or "").strip():
        return {"reason": ["Indiquez le motif du refus : la famille le lira."]}
    if len(why.strip()) > REJECT_REASON_MAX:
        return {"reason": [f"Le motif fait au plus {REJECT_REASON_MAX} caractères."]}
    return {}


def withdrawal_errors(status: str, month_open: bool) -> dict[str, list[str]]:
    """French errors of withdrawing an absence: only an approved one, while its month is open
    (a closed month is corrected on the next one, never rewritten)."""
    if status != APPROVED:
        return {"status": [f"Seule une absence acceptée peut être retirée (celle-ci est {STATUS_LABELS[status]})."]}
    if not month_open:
        return {"status": ["Le mois de cette absence est clos : corrigez-le sur le mois suivant."]}
    return {}


STATUS_LABELS = {
    REQUESTED: "en attente de validation",
    APPROVED: "acceptée",
    REJECTED: "refusée",
    WITHDRAWN: "retirée",
}
