"""Staffing ratio for a collective crèche (CSP R2324-43, R2324-43-1, R2324-43-2, R2324-27).

`staff_on_duty` always means professionals who count for the ratio: the caller excludes
volunteers, unpaid trainees and (unless the venue opted in) apprentices.
Counts are exact (fractions, integer maths) so a boundary like 5 non-walking + 8 walking
= exactly 2 adults is never pushed to 3 by float error.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from decimal import ROUND_FLOOR, Decimal
from enum import Enum
from fractions import Fraction

from shared.vocabulary import AGE_GROUPS

# Minimum-2 rule: a micro-crèche may run with 1 adult up to this many children (R2324-43-1).
MICRO_CRECHE_SINGLE_ADULT_MAX = 3
# Over-capacity ("surnombre", R2324-27) may reach 115 %; it is off by default (factor 1).
MAX_OVERCAPACITY = Decimal("1.15")
NO_OVERCAPACITY = Decimal("1")
# [practice] Age from which a child is presumed to walk, unless staff say otherwise.
DEFAULT_WALKING_AGE_MONTHS = 18


class RatioOption(str, Enum):
    """The ratio the venue chose in its rules (R2324-43)."""

    FIVE_EIGHT = "5_8"  # 1 adult per 5 non-walking children, 1 per 8 walking children
    ONE_SIX = "1_6"  # 1 adult per 6 children whatever their age


def checked_count(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}")
    return value


def adults_required(non_walking: int, walking: int, option: RatioOption, micro_creche: bool = False) -> int:
    """Professionals needed with these children.

    5/8: ceil(nw/5 + w/8) [interpretation, unconfirmed: the two groups share adults].
    Never fewer than 2 once a child is present; a micro-crèche may keep 1 adult up to 3 children.
    """
    nw, w = checked_count("non_walking", non_walking), checked_count("walking", walking)
    option = RatioOption(option)
    total = nw + w
    if total == 0:
        return 0
    if option is RatioOption.FIVE_EIGHT:
        base = math.ceil(Fraction(nw, 5) + Fraction(w, 8))
    else:
        base = math.ceil(Fraction(total, 6))
    minimum = 1 if micro_creche and total <= MICRO_CRECHE_SINGLE_ADULT_MAX else 2
    return max(base, minimum)


def max_present(room_capacity: int, overcapacity: Decimal = NO_OVERCAPACITY) -> int:
    """Children allowed at the same time: capacity x factor, rounded down.

    Rounded down because the rounding of 115 % is unconfirmed (12 x 1.15 = 13.8 -> 13 is safe).
    The weekly occupancy <= 100 % condition of R2324-27 is the caller's to check.
    """
    cap = checked_count("room_capacity", room_capacity)
    if not isinstance(overcapacity, Decimal):
        raise TypeError("overcapacity must be a Decimal, e.g. Decimal('1.15')")
    if not NO_OVERCAPACITY <= overcapacity <= MAX_OVERCAPACITY:
        raise ValueError(f"overcapacity must be between 1 and 1.15, got {overcapacity}")
    return int((cap * overcapacity).to_integral_value(rounding=ROUND_FLOOR))


def can_admit(
    staff_on_duty: int,
    non_walking: int,
    walking: int,
    child_walks: bool,
    option: RatioOption,
    room_capacity: int,
    micro_creche: bool = False,
    *,
    overcapacity: Decimal = NO_OVERCAPACITY,
) -> bool:
    """Would one more child keep the ratio with this staff and fit in the room?"""
    staff = checked_count("staff_on_duty", staff_on_duty)
    nw = checked_count("non_walking", non_walking) + (0 if child_walks else 1)
    w = checked_count("walking", walking) + (1 if child_walks else 0)
    if nw + w > max_present(room_capacity, overcapacity):
        return False
    return adults_required(nw, w, option, micro_creche) <= staff


def places_offered(
    staff_on_duty: int,
    age_group: str,
    option: RatioOption,
    room_capacity: int,
    micro_creche: bool = False,
    *,
    overcapacity: Decimal = NO_OVERCAPACITY,
) -> int:
    """How many children of this age group the staff can take in the room.

    "mixed" counts every child as non-walking under 5/8: who will book is not known yet and
    non-walking children need the most staff, so we never offer a place the ratio cannot honour.
    """
    staff = checked_count("staff_on_duty", staff_on_duty)
    if age_group not in AGE_GROUPS:
        raise ValueError(f"age_group must be one of {AGE_GROUPS}, got {age_group!r}")
    option = RatioOption(option)
    cap = max_present(room_capacity, overcapacity)

    def needed(n: int) -> int:
        if age_group == "walking":
            return adults_required(0, n, option, micro_creche)
        return adults_required(n, 0, option, micro_creche)  # non_walking, or mixed (see above)

    # adults_required grows with n, so the first n that needs too many adults ends the search.
    n = 0
    while n < cap and needed(n + 1) <= staff:
        n += 1
    return n


def _last_day_of_month(d: date) -> int:
    first_of_next = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return (first_of_next - timedelta(days=1)).day


def _full_months(birth: date, on: date) -> int:
    months = (on.year - birth.year) * 12 + (on.month - birth.month)
    # A child born on the 31st reaches a month birthday on the last day of shorter months.
    anniversary_day = min(birth.day, _last_day_of_month(on))
    return months - (1 if on.day < anniversary_day else 0)


def is_walking(
    birth_date: date,
    on: date,
    override: bool | None = None,
    walking_age_months: int = DEFAULT_WALKING_AGE_MONTHS,
) -> bool:
    """Walking status for the ratio: staff's observation wins, else age >= threshold [practice]."""
    for name, d in (("birth_date", birth_date), ("on", on)):
        if isinstance(d, datetime) or not isinstance(d, date):
            raise TypeError(f"{name} must be a date")
    if on < birth_date:
        raise ValueError("on is before birth_date")
    checked_count("walking_age_months", walking_age_months)
    if override is not None:
        return bool(override)
    return _full_months(birth_date, on) >= walking_age_months


# What the staff on duty give with the children present now (ratio_status).
RATIO_OK, RATIO_AT_LIMIT, RATIO_BREACH = "ok", "at_limit", "breach"
RATIO_STATUSES = (RATIO_OK, RATIO_AT_LIMIT, RATIO_BREACH)


def ratio_status(
    staff_on_duty: int,
    non_walking: int,
    walking: int,
    option: RatioOption,
    micro_creche: bool = False,
    next_child_walks: bool = False,
) -> str:
    """The staffing of the children present now, as the day's board shows it [practice]:

    - "breach": fewer professionals on duty than adults_required for these children;
    - "at_limit": they exactly suffice: one more child (walking or not, `next_child_walks`; the
      slot's age group says which may come, a mixed slot counts the stricter non-walking one)
      would need one more adult;
    - "ok": one more child could still come.
    """
    staff = checked_count("staff_on_duty", staff_on_duty)
    needed = adults_required(non_walking, walking, option, micro_creche)
    if staff < needed:
        return RATIO_BREACH
    one_more = adults_required(
        non_walking + (0 if next_child_walks else 1), walking + (1 if next_child_walks else 0), option, micro_creche
    )
    return RATIO_AT_LIMIT if one_more > staff else RATIO_OK
