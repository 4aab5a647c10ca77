"""Hours beyond a regular contract (dépassements): the presence outside the day's contracted
stretches, billed on top of the mensualisation.

Source: CNAF PSU guide (hours beyond the contract are billed on top, by the half-hour)
[practice: the increment, COCOON_BILLING_INCREMENT_MINUTES].
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from .billing import DEFAULT_INCREMENT_MINUTES, aware_utc, checked_increment, round_up_hours
from .exact_numbers import ZERO


def _contract_spans(day_contract) -> list[tuple[datetime, datetime]]:
    """The day's contracted stretches as sorted (start, end) in UTC: `day_contract` is one
    (start, end) pair, a sequence of them, or None."""
    if day_contract is None:
        stretches = []
    elif len(day_contract) == 2 and all(isinstance(x, datetime) for x in day_contract):
        stretches = [tuple(day_contract)]
    else:
        stretches = [tuple(s) for s in day_contract]
    spans = []
    for start, end in stretches:
        s, e = aware_utc("contract start", start), aware_utc("contract end", end)
        if e <= s:
            raise ValueError("a contract stretch must end after it starts")
        spans.append((s, e))
    spans.sort()
    return spans


def extra_hours(
    day_contract,
    arrived: datetime | None,
    left: datetime | None,
    increment_minutes: int = DEFAULT_INCREMENT_MINUTES,
) -> Decimal:
    """Hours of presence beyond the day's contract, each started increment due.

    `day_contract`: the day's contracted stretch (start, end) as aware datetimes, a sequence of
    such stretches, or None when no care is planned that day. Each piece of presence outside
    the contract (before, in a gap, after) is rounded up on its own, as billing.billed_hours does
    for occasional care; with no contract the whole presence is rounded up. Presence inside the
    contract adds nothing; 0 while the arrival or the departure is missing. Source: CNAF PSU
    (hours beyond the contract billed on top, by the half-hour) [practice: the increment].
    """
    inc = checked_increment(increment_minutes)
    spans = _contract_spans(day_contract)
    if arrived is None or left is None:
        return ZERO
    a, lft = aware_utc("arrived", arrived), aware_utc("left", left)
    if lft <= a:
        raise ValueError("left must be after arrived")
    total, cursor = ZERO, a
    for s, e in spans:
        if s > cursor:
            total += round_up_hours(min(s, lft) - cursor, inc)
        cursor = max(cursor, e)
        if cursor >= lft:
            return total
    return total + round_up_hours(lft - cursor, inc)
