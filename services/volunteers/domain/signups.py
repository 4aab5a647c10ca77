"""Whether a volunteer may sign up for an activity, and what a move of the activity does to a
sign-up [practice] (docs/volunteers-rules.md). One refusal at a time, the first that applies,
in the order a volunteer can act on: the charte de bénévolat, cleared, then the activity, then
their own calendar. Each is a 409 naming its reason (the issue's "409 naming the reason": a
person not cleared may not sign up for anything with the children)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

CANCELLED = "cancelled"
COMPLETED = "completed"


@dataclass(frozen=True)
class Refusal:
    code: str  # "charter_not_accepted", "not_cleared", "cancelled", "started", "full", "overlap"
    status: int  # 409
    message: str


@dataclass(frozen=True)
class Occasion:
    """An activity as the volunteers service knows it (from bookings' events)."""

    starts_at: datetime
    ends_at: datetime
    status: str
    volunteer_slots: int
    confirmed: int  # volunteers signed up and not withdrawn


def overlaps(a_start, a_end, b_start, b_end) -> bool:
    return a_start < b_end and b_start < a_end


def refusal(
    occasion: Occasion,
    now: datetime,
    missing_clearance: list[str],
    own_signups: list[tuple[datetime, datetime]],
    charter: str | None = None,
) -> Refusal | None:
    """None when the sign-up is allowed; `own_signups`: the volunteer's other live sign-ups' times;
    `charter`: domain.clearance.charter_refusal's sentence (None: the current charte is accepted)."""
    if charter:
        return Refusal("charter_not_accepted", 409, charter)
    if missing_clearance:
        return Refusal("not_cleared", 409, " ".join(missing_clearance))
    if occasion.status in (CANCELLED, COMPLETED):
        return Refusal(
            "cancelled",
            409,
            "Cette activité est annulée." if occasion.status == CANCELLED else "Cette activité est terminée.",
        )
    if occasion.starts_at <= now:
        return Refusal("started", 409, "Cette activité a déjà commencé : l'inscription est close.")
    if occasion.confirmed >= occasion.volunteer_slots:
        return Refusal("full", 409, "Toutes les places de bénévoles sont prises pour cette activité.")
    for start, end in own_signups:
        if overlaps(occasion.starts_at, occasion.ends_at, start, end):
            return Refusal(
                "overlap", 409, f"Vous êtes déjà inscrit·e à une activité de {start:%H:%M} à {end:%H:%M} ce jour-là."
            )
    return None


def kept_after_move(new_start: datetime, new_end: datetime, own_other_signups: list[tuple[datetime, datetime]]) -> bool:
    """A moved activity keeps the volunteer's sign-up when the new time overlaps none of their
    other sign-ups [practice]; otherwise the sign-up is cancelled (and the volunteer told)."""
    return not any(overlaps(new_start, new_end, s, e) for s, e in own_other_signups)


def can_withdraw(starts_at: datetime, now: datetime) -> bool:
    """A volunteer withdraws until the activity starts; the place is then free again."""
    return now < starts_at
