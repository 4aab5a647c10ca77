"""The crèche's places, shared moment by moment by regular contracts and occasional bookings.

The venue's weekly opening pattern says when the crèche is open and how many children it takes
each day (its places: the authorised capacity, or fewer on a day with less staff planned); a
contract's child holds a place for the hours of its pattern on every day of the contract, an
occasional booking for its slot (docs/childcare-rules.md "Regular care": contracts and occasional care are
the same places). A contract is accepted only when, at every moment of every one of its days,
one more child still finds a place, the AVIP share included (`waitlist.decide`: the venue's
reserved places in proportion to the day's places, `waitlist.kept_in_slot`): so neither a
contract nor a booking can take a place the other holds.

Times: aware datetimes, or any that compare (naive UTC as stored), never mixed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from services.bookings.domain import waitlist


@dataclass(frozen=True)
class OpeningDay:
    opens: time
    closes: time
    places: int


@dataclass(frozen=True)
class Presence:
    """A child holding a place during [starts_at, ends_at)."""

    starts_at: datetime
    ends_at: datetime
    avip: bool


def parse_opening(text: str) -> dict[int, OpeningDay]:
    """The venue's weekly opening pattern from its setting, weekday (0 = Monday) -> OpeningDay:
    entries separated by ';', each "DAYS HH:MM-HH:MM PLACES" where DAYS is a weekday or a range
    ("0-4" Monday to Friday). A later entry replaces an earlier one for its days:
    "0-4 07:30-18:30 12; 2 07:30-12:30 8" (Wednesday mornings only, 8 places) [the venue's rules].
    Raises ValueError with what is wrong."""
    opening: dict[int, OpeningDay] = {}
    for entry in filter(None, (part.strip() for part in text.split(";"))):
        try:
            days, hours, places = entry.split()
            first, _, last = days.partition("-")
            opens, closes = (time.fromisoformat(h) for h in hours.split("-"))
            weekdays = range(int(first), int(last or first) + 1)
            count = int(places)
        except ValueError:
            raise ValueError(
                f"opening entry {entry!r}: expected DAYS HH:MM-HH:MM PLACES, e.g. 0-4 07:30-18:30 12"
            ) from None
        if not weekdays or not all(0 <= d <= 6 for d in weekdays):
            raise ValueError(f"opening entry {entry!r}: days are 0 (Monday) to 6 (Sunday)")
        if closes <= opens:
            raise ValueError(f"opening entry {entry!r}: closes before it opens")
        if count < 0:
            raise ValueError(f"opening entry {entry!r}: places must be 0 or more")
        for d in weekdays:
            opening[d] = OpeningDay(opens, closes, count)
    if not opening:
        raise ValueError("the opening pattern names no day")
    return opening


def opening_hours(opening: Mapping[int, OpeningDay]) -> dict[int, tuple[time, time]]:
    """{weekday: (opens, closes)}, as contracts.check_pattern takes it."""
    return {d: (o.opens, o.closes) for d, o in opening.items()}


def one_more_fits(
    presences: Iterable[Presence], starts_at: datetime, ends_at: datetime, places: int, kept: int, avip: bool
) -> bool:
    """True when one more child (`avip` or not) finds a place at every moment of [starts_at,
    ends_at) beside `presences`. The count only grows when someone arrives, so the moments to
    check are the start and every arrival inside the span."""
    during = [p for p in presences if p.starts_at < ends_at and starts_at < p.ends_at]
    moments = {starts_at} | {p.starts_at for p in during if p.starts_at > starts_at}
    for moment in moments:
        here = [p for p in during if p.starts_at <= moment < p.ends_at]
        with_avip = sum(1 for p in here if p.avip)
        if waitlist.decide(places, with_avip, len(here) - with_avip, avip, kept) != waitlist.CONFIRMED:
            return False
    return True


def days_that_do_not_fit(
    wanted: Mapping[date, list[tuple[datetime, datetime]]],
    presences: Mapping[date, list[Presence]],
    opening: Mapping[int, OpeningDay],
    venue_reserved: int,
    venue_places: int,
    avip: bool,
) -> list[date]:
    """The days of `wanted` (day -> the spans the child would be there) on which one more child
    does not fit beside that day's `presences`, the places of the day from `opening` and the AVIP
    places kept in proportion to them (waitlist.kept_in_slot). A day the venue is closed never fits."""
    refused = []
    for day in sorted(wanted):
        open_day = opening.get(day.weekday())
        if open_day is None:
            refused.append(day)
            continue
        kept = waitlist.kept_in_slot(venue_reserved, venue_places, open_day.places)
        others = presences.get(day, [])
        if not all(one_more_fits(others, s, e, open_day.places, kept, avip) for s, e in wanted[day]):
            refused.append(day)
    return refused


def place_hours(first_day: date, end_day: date, opening: Mapping[int, OpeningDay]) -> Decimal:
    """The hours the crèche offered in [first_day, end_day): each opening day's hours × its
    places (the weekly pattern of COCOON_OPENING; closures declared are not taken off). The
    denominator of the occupancy rate: hours billed ÷ (hours open × places) (docs/passerelles.md)."""
    total = Decimal(0)
    day = first_day
    while day < end_day:
        opened = opening.get(day.weekday())
        if opened is not None:
            minutes = (opened.closes.hour * 60 + opened.closes.minute) - (opened.opens.hour * 60 + opened.opens.minute)
            total += Decimal(minutes) / 60 * opened.places
        day += timedelta(days=1)
    return total
