"""The hourly rate of each day of a regular contract, and the periods of one rate.

Source: CNAF PSU guide (the rate is recomputed from the date the family's resources change, and
from the date the CNAF scale changes: 1 January, and its ceiling on 1 September).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

from .fees import amount as fee_amount
from .plain_dates import each_day, plain_date


def rate_periods(first_day: date, end_day: date, bases: Sequence[tuple[date, object]], rate_on) -> list:
    """[(from_date, hourly_rate)] over the days [first_day, end_day), as contract_month takes them.

    `bases`: [(from_on, basis)] sorted by date, what the rate is computed from from that day on
    (the family's resources at signing, then at each change); `rate_on(basis, day)` gives the
    rate of one day (fees.quote on that day: the CNAF scale changes on 1 January and the ceiling
    on 1 September). Days before the first basis use the first one; consecutive days with the
    same rate are one period."""
    if not bases:
        raise ValueError("bases must not be empty")
    periods: list[tuple[date, Decimal]] = []
    for day in each_day(plain_date("first_day", first_day), plain_date("end_day", end_day)):
        in_force = [basis for since, basis in bases if since <= day] or [bases[0][1]]
        rate = rate_on(in_force[-1], day)
        if not periods or periods[-1][1] != rate:
            periods.append((day, rate))
    return periods


def rate_lookup(rate_periods: Sequence[tuple[date, Decimal]]) -> Callable[[date], Decimal]:
    """rate_of(day) for checked `rate_periods` ((from date, hourly rate), sorted, one per date,
    each rate a Decimal >= 0): the rate of the last period starting on or before the day."""
    periods = [(plain_date("rate period start", d), r) for d, r in rate_periods]
    if not periods:
        raise ValueError("rate_periods must not be empty")
    for (a, _), (b, _) in zip(periods, periods[1:], strict=False):
        if b <= a:
            raise ValueError("rate_periods must be sorted by date, one period per date")
    for _, r in periods:
        fee_amount(r, Decimal(0))  # a Decimal >= 0

    def rate_of(d: date) -> Decimal:
        """The rate of the last period starting on or before `d`."""
        found = None
        for start, r in periods:
            if start <= d:
                found = r
            else:
                break
        if found is None:
            raise ValueError(f"no hourly rate in rate_periods for {d.isoformat()}")
        return found

    return rate_of


def rate_segments(first: date, end: date, rate_of) -> list[tuple[date, date, Decimal]]:
    """[first, end) cut where the rate changes: (first day, last day, rate)."""
    out: list[list] = []
    for d in each_day(first, end):
        r = rate_of(d)
        if out and out[-1][2] == r:
            out[-1][1] = d
        else:
            out.append([d, d, r])
    return [tuple(s) for s in out]
