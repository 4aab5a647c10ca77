"""Who may be with the children on a day, who counts in the ratio, and what an activity needs.

Sources (docs/bookings-rules.md):
- CASF L133-6 (since 1 October 2025): every adult with the children of a crèche holds a valid
  attestation d'honorabilité, whatever their status (shared/honorability.py says when it is valid).
  Bookings learns it from events: a period `verified_on`..`expires_on` (team.staff_cleared,
  placements.trainee_cleared) and an end `expired_on` (…_clearance_expired); facts kept as they
  come, so any order and any repetition give the same answer.
- CSP R2324-43: the ratio counts professionals only (a staff member whose diploma the venue lists,
  shared/diplomas.py `counts_in_ratio`): never trainees or volunteers.
- CSP R2324-43-2: on an outing, one professional for five children, and R2324-43-1 kept.
- CSP R2324-42: at least 40 % of the staff with the children hold a state diploma (a yearly FTE
  average: a day's share is a signal, never a refusal).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from services.bookings.domain import ratio
from shared import diplomas, honorability

OUTING_CHILDREN_PER_PROFESSIONAL = 5  # R2324-43-2, 2°


@dataclass(frozen=True)
class Clearance:
    """What the events said about one person's attestations: `periods` [(verified_on,
    expires_on)], `ends` [expired_on] (each the last valid day of an attestation)."""

    periods: tuple = ()
    ends: tuple = ()

    def cleared_on(self, day: date) -> bool:
        """Cleared on `day`: an attestation covers it, and its expiry did not come before it."""
        return any(verified <= day <= self.last_day((verified, expires)) for verified, expires in self.periods)

    def last_day(self, period) -> date:
        """A period's last day: its `expires_on`, or earlier when an expiry of that attestation
        said so. An expiry belongs to the period ending that day, else to the newest verified by
        then (a renewal verified before the old one expired keeps its own dates)."""
        verified, expires = period
        ends = [e for e in self.ends if self._owner(e) == period]
        return min([expires, *ends])

    def _owner(self, end):
        same_day = [p for p in self.periods if p[1] == end]
        if same_day:
            return same_day[0]
        before = [p for p in self.periods if p[0] <= end]
        return max(before) if before else None

    def attestation(self, day: date) -> honorability.Attestation | None:
        """The attestation that speaks about `day`: the newest verified by then, else the first to
        come; None when none was recorded."""
        if not self.periods:
            return None
        past = [p for p in self.periods if p[0] <= day]
        verified = max(past)[0] if past else min(self.periods)[0]
        return honorability.Attestation(issued_on=verified, verified_on=verified)


@dataclass(frozen=True)
class Adult:
    """A staff member as bookings knows them from team's events (None: not registered yet)."""

    id: str
    name: str
    known: bool = True  # a profile arrived (a clearance may come first)
    active: bool = True
    counts_in_ratio: bool = False
    diplomas: tuple = ()  # codes, shared/diplomas.py
    clearance: Clearance = field(default_factory=Clearance)


# Why a named person may not be on duty on a day.
UNKNOWN, LEFT = "unknown", "left"


def duty_refusal(adult: Adult, day: date) -> str | None:
    """The French sentence a 409 gives when `adult` may not be named on duty on `day` (not
    registered, left the venue, or not cleared that day); None when they may. A staff member
    without a qualifying diploma may be named: present, not counted [practice]."""
    if not adult.known:
        return f"Le membre du personnel {adult.id} est inconnu : enregistrez-le d'abord dans l'équipe."
    if not adult.active:
        return f"{adult.name} ne fait plus partie de l'équipe."
    if adult.clearance.cleared_on(day):
        return None
    return _clearance_refusal(adult.name, adult.clearance, day)


def trainee_refusal(clearance: Clearance, day: date) -> str | None:
    """The 409 sentence when a trainee may not be with the children on `day` (bookings does not
    know their name: the staff page shows it next to it); None when cleared."""
    if clearance.cleared_on(day):
        return None
    attestation = clearance.attestation(day)
    code = honorability.gap(attestation, day) or honorability.EXPIRED
    if code == honorability.MISSING:
        return (
            "Ce stagiaire n'a pas d'attestation d'honorabilité vérifiée : elle est obligatoire pour être "
            "avec les enfants. Enregistrez-la dans son stage, puis réessayez."
        )
    if code == honorability.NOT_YET_VERIFIED:
        verified = attestation.verified_on
        return f"L'attestation d'honorabilité de ce stagiaire n'est vérifiée qu'à partir du {verified:%d/%m/%Y}."
    return (
        f"L'attestation d'honorabilité de ce stagiaire n'est plus valable le {day:%d/%m/%Y} : "
        "une nouvelle attestation doit être vérifiée."
    )


def lead_refusal(adult: Adult) -> str:
    """Why a cleared staff member may not lead an activity with children: no qualifying diploma."""
    return (
        f"{adult.name} n'a pas de diplôme qui compte dans le taux d'encadrement : une activité avec des "
        "enfants est menée par un professionnel qualifié."
    )


def _clearance_refusal(name, clearance, day):
    attestation = clearance.attestation(day)
    sentence = honorability.refusal(name, attestation, day)
    if sentence is None:  # covered by its dates, but its expiry was announced earlier
        period = max(p for p in clearance.periods if p[0] <= day)
        end = clearance.last_day(period)
        sentence = (
            f"L'attestation d'honorabilité de {name} a expiré le {end:%d/%m/%Y} : "
            "une nouvelle attestation doit être vérifiée."
        )
    return sentence


def counts_on(adult: Adult, day: date) -> bool:
    """Whether a named staff member counts in the ratio on `day`: registered, still at the venue,
    holding a qualifying diploma and cleared that day (R2324-43, L133-6)."""
    return adult.known and adult.active and adult.counts_in_ratio and adult.clearance.cleared_on(day)


def staff_on_duty(named: list[Adult], unnamed: int, day: date) -> int:
    """The professionals a slot counts on `day`: the named ones who count, plus the staff a
    request gave as a number alone (unnamed, taken as professionals, as before names existed)."""
    return sum(1 for adult in named if counts_on(adult, day)) + ratio.checked_count("unnamed", unnamed)


def outing_adults_required(children: int, option, micro_creche: bool = False) -> int:
    """Professionals an outing with these children needs (R2324-43-2): one for five children,
    and never fewer than the ratio and minimum of R2324-43-1 (every child counted as not walking,
    the stricter case)."""
    n = ratio.checked_count("children", children)
    if n == 0:
        return 0
    return max(math.ceil(n / OUTING_CHILDREN_PER_PROFESSIONAL), ratio.adults_required(n, 0, option, micro_creche))


def activity_adults_required(children: int, age_group, outing: bool, option, micro_creche: bool = False) -> int:
    """Professionals an activity for `children` needs: the outing rule for an outing, else the
    ratio, walking children only for a 'walking' activity, else counted as not walking (who
    comes is not known: the stricter case, as places_offered does)."""
    if outing:
        return outing_adults_required(children, option, micro_creche)
    if age_group == "walking":
        return ratio.adults_required(0, children, option, micro_creche)
    return ratio.adults_required(children, 0, option, micro_creche)


def short_of_professionals(professionals: int, required: int) -> str | None:
    """The 409 sentence when an activity with children has fewer professionals than it needs."""
    if professionals >= required:
        return None
    return (
        f"Il faut {required} professionnels qui comptent dans le taux d'encadrement pour ces enfants "
        f"({professionals} nommé{'s' if professionals > 1 else ''}) : ajoutez du personnel qualifié et "
        "en règle (les stagiaires et les bénévoles ne comptent pas), ou réduisez le nombre d'enfants."
    )


def diploma_share(present: list[Adult]) -> int | None:
    """The day's share (percent) of state diplomas among the staff who count (shared/diplomas.py)."""
    return diplomas.state_diploma_share(adult.diplomas for adult in present)


def diploma_share_low(share: int | None) -> bool:
    """Below the 40 % of R2324-42: a signal for the day (the rule is a yearly average)."""
    return share is not None and share < diplomas.STATE_DIPLOMA_SHARE_MIN
