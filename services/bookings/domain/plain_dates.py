"""Calendar days as the contract rules take them: plain dates (never a datetime), and the
days of a half-open period [first, end). Plain arithmetic on the Gregorian calendar, no source.
"""

from datetime import date, datetime, timedelta


def plain_date(name: str, d) -> date:
    """`d` when it is a date and not a datetime (a datetime is a moment, not a day)."""
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(f"{name} must be a date")
    return d


def each_day(first: date, end: date):
    """Every day from `first` up to, not including, `end`."""
    d = first
    while d < end:
        yield d
        d += timedelta(days=1)
