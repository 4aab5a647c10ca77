"""Days and times for tests, in the venue's zone (shared.timeutil.VENUE_TZ), as the API takes them.

DAY is far enough ahead that every booking and activity on it is in the future, and near enough
that the CNAF tables cover it (the scale rate for two children has not changed since 2022).
"""

from datetime import date, datetime, time, timedelta, timezone

from shared import timeutil


def today():
    """Today in the venue's zone, the service's today (a UTC machine is a day behind after midnight in Paris)."""
    return datetime.now(timeutil.VENUE_TZ).date()


def day(offset):
    """The date `offset` days from today."""
    return date.today() + timedelta(days=offset)


DAY = day(10)


def moment(hour, minute=0, day=DAY):
    """hour:minute on `day` in the venue's zone, as an aware datetime."""
    return datetime.combine(day, time(hour, minute), tzinfo=timeutil.VENUE_TZ)


def at(hour, minute=0, day=DAY):
    """hour:minute on `day` in the venue's zone, in ISO 8601 with its offset: "2026-12-06T09:30:00+01:00"."""
    return moment(hour, minute, day).isoformat()


def set_clock(monkeypatch, hour, minute=0, day=DAY):
    """Move the services' clock (timeutil.now_utc, the one they read) to hour:minute on `day`."""
    now = moment(hour, minute, day).astimezone(timezone.utc)
    monkeypatch.setattr(timeutil, "now_utc", lambda: now)
