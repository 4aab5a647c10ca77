"""Waiting list with the AVIP share (crèche "à vocation d'insertion professionnelle").

An AVIP crèche keeps at least 20 % of its places (a setting) for children of job-seeking parents
followed by France Travail. Here: AVIP children may take any free place; other children stop
once only the reserved places are left. Ratio and walking checks stay in ratio.can_admit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import ROUND_CEILING, Decimal

from services.bookings.domain.ratio import checked_count
from shared.vocabulary import BOOKING_CONFIRMED as CONFIRMED
from shared.vocabulary import BOOKING_WAITLISTED as WAITLISTED

DEFAULT_AVIP_SHARE = Decimal("0.20")  # "at least 20 %", label under revision


def reserved_places(places: int, share: Decimal = DEFAULT_AVIP_SHARE) -> int:
    """ceil(places x share): "at least" 20 %, so 12 places x 0.20 = 2.4 -> 3."""
    n = checked_count("places", places)
    if not isinstance(share, Decimal):
        raise TypeError("share must be a Decimal, e.g. Decimal('0.20')")
    if not Decimal(0) <= share <= Decimal(1):
        raise ValueError(f"share must be between 0 and 1, got {share}")
    return int((n * share).to_integral_value(rounding=ROUND_CEILING))


@dataclass(frozen=True)
class Candidate:
    booking_id: str
    avip: bool
    requested_at: datetime  # timezone-aware, so requests from any source compare correctly
    walks: bool

    def __post_init__(self) -> None:
        if self.requested_at.tzinfo is None or self.requested_at.utcoffset() is None:
            raise ValueError("requested_at must be timezone-aware")


def decide(
    places: int,
    confirmed_avip: int,
    confirmed_other: int,
    avip: bool,
    share: Decimal = DEFAULT_AVIP_SHARE,
) -> str:
    """'confirmed' or 'waitlisted' for one more child, on the AVIP share alone."""
    total = checked_count("places", places)
    taken = checked_count("confirmed_avip", confirmed_avip) + checked_count("confirmed_other", confirmed_other)
    if taken >= total:
        return WAITLISTED
    if avip:
        return CONFIRMED
    return CONFIRMED if confirmed_other < total - reserved_places(total, share) else WAITLISTED


def _queue_key(c: Candidate) -> tuple:
    # booking_id breaks ties so the order never depends on list order
    return (c.requested_at.astimezone(timezone.utc), c.booking_id)


def next_to_promote(
    waiting: list[Candidate],
    places: int,
    confirmed_avip: int,
    confirmed_other: int,
    share: Decimal = DEFAULT_AVIP_SHARE,
    eligible: Callable[[Candidate], bool] = lambda c: True,
) -> Candidate | None:
    """Who gets a freed place: AVIP first while their reserved share is not filled, then first
    come first served among candidates `decide` allows. `eligible` lets the caller drop children
    the ratio cannot admit. None when nobody can take the place."""
    queue = sorted((c for c in waiting if eligible(c)), key=_queue_key)
    if confirmed_avip < reserved_places(places, share):
        for c in queue:
            if c.avip and decide(places, confirmed_avip, confirmed_other, True, share) == CONFIRMED:
                return c
    for c in queue:
        if decide(places, confirmed_avip, confirmed_other, c.avip, share) == CONFIRMED:
            return c
    return None
