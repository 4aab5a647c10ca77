"""Waiting list with the AVIP share (crèche "à vocation d'insertion professionnelle").

An AVIP crèche keeps at least 20 % of its places (a setting) for children of job-seeking parents
followed by France Travail. The share applies to the crèche's places (its authorised capacity),
not to each slot (docs/childcare-rules.md, "AVIP"): ceil(12 places x 20 %) = 3 places for the venue. A slot
keeps its part of those places, in proportion to the places it opens, rounded down; and a place
still kept when the release notice begins goes to the waiting list [practice: the notice is the
venue's setting].
AVIP children may take any free place; other children stop once only the kept places are left.
Ratio and walking checks stay in ratio.can_admit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import ROUND_CEILING, Decimal

from services.bookings.domain.ratio import checked_count
from shared.vocabulary import BOOKING_CONFIRMED as CONFIRMED
from shared.vocabulary import BOOKING_WAITLISTED as WAITLISTED

DEFAULT_AVIP_SHARE = Decimal("0.20")  # "at least 20 %", label under revision


def reserved_places(places: int, share: Decimal = DEFAULT_AVIP_SHARE) -> int:
    """The venue's reserved places, ceil(places x share) over its authorised places: "at least"
    20 %, so 12 places x 0.20 = 2.4 -> 3."""
    n = checked_count("places", places)
    if not isinstance(share, Decimal):
        raise TypeError("share must be a Decimal, e.g. Decimal('0.20')")
    if not Decimal(0) <= share <= Decimal(1):
        raise ValueError(f"share must be between 0 and 1, got {share}")
    return int((n * share).to_integral_value(rounding=ROUND_CEILING))


def kept_in_slot(venue_reserved: int, venue_places: int, places: int) -> int:
    """How many of a slot's places wait for AVIP children: the venue's reserved places in
    proportion to the places the slot opens, rounded down, so a slot never keeps more than its
    share of the venue's reservation (12 venue places, 3 reserved: a 12-place slot keeps 3, a
    10-place slot 2, a 3-place slot 0) [derived from docs/childcare-rules.md "AVIP": the share applies to
    the crèche's places, not to each slot]. AVIP children confirmed in the slot fill these first."""
    reserved = checked_count("venue_reserved", venue_reserved)
    total = checked_count("venue_places", venue_places)
    if total == 0:
        return 0
    return min(checked_count("places", places), reserved, reserved * places // total)


def reservation_released(slot_starts_at: datetime, now: datetime, notice_hours: int) -> bool:
    """True from `notice_hours` before the slot starts: the places still kept for AVIP children
    go to the waiting list and to any family [practice, docs/childcare-rules.md "AVIP": an unused reserved
    place for occasional care is offered to others at a notice the venue chooses]. Aware datetimes."""
    if isinstance(notice_hours, bool) or not isinstance(notice_hours, int) or notice_hours < 0:
        raise ValueError(f"notice_hours must be an int >= 0, got {notice_hours!r}")
    return now >= slot_starts_at - timedelta(hours=notice_hours)


@dataclass(frozen=True)
class Candidate:
    booking_id: str
    avip: bool
    requested_at: datetime  # timezone-aware, so requests from any source compare correctly
    walks: bool

    def __post_init__(self) -> None:
        if self.requested_at.tzinfo is None or self.requested_at.utcoffset() is None:
            raise ValueError("requested_at must be timezone-aware")


def decide(places: int, confirmed_avip: int, confirmed_other: int, avip: bool, kept: int = 0) -> str:
    """'confirmed' or 'waitlisted' for one more child, on the AVIP reservation alone. `kept`: the
    slot's places that wait for AVIP children (kept_in_slot, 0 once released); AVIP children
    already in the slot fill them first."""
    total = checked_count("places", places)
    taken = checked_count("confirmed_avip", confirmed_avip) + checked_count("confirmed_other", confirmed_other)
    if taken >= total:
        return WAITLISTED
    if avip:
        return CONFIRMED
    return CONFIRMED if confirmed_other < total - min(checked_count("kept", kept), total) else WAITLISTED


def _queue_key(c: Candidate) -> tuple:
    # booking_id breaks ties so the order never depends on list order
    return (c.requested_at.astimezone(timezone.utc), c.booking_id)


def positions(waiting: list[Candidate]) -> dict[str, int]:
    """Each waiting booking's place in its slot's queue, from 1: first come, first served.
    [practice] What the family is shown; while places kept for AVIP children are unfilled, an AVIP
    child may be given a freed place before those ahead of it (next_to_promote)."""
    return {c.booking_id: n for n, c in enumerate(sorted(waiting, key=_queue_key), start=1)}


def next_to_promote(
    waiting: list[Candidate],
    places: int,
    confirmed_avip: int,
    confirmed_other: int,
    kept: int = 0,
    eligible: Callable[[Candidate], bool] = lambda c: True,
) -> Candidate | None:
    """Who gets a freed place: AVIP first while the places kept for them are not filled, then
    first come first served among candidates `decide` allows. `eligible` lets the caller drop
    children the ratio cannot admit. None when nobody can take the place."""
    queue = sorted((c for c in waiting if eligible(c)), key=_queue_key)
    if confirmed_avip < kept:
        for c in queue:
            if c.avip and decide(places, confirmed_avip, confirmed_other, True, kept) == CONFIRMED:
                return c
    for c in queue:
        if decide(places, confirmed_avip, confirmed_other, c.avip, kept) == CONFIRMED:
            return c
    return None
