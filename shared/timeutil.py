"""Times are stored as naive UTC in every database and shown in the venue's zone (COCOON_TIMEZONE,
Europe/Paris by default): the pages, the PDF and CSV files and the emails all read it here."""

import functools
from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared import config

DEFAULT_VENUE_ZONE = "Europe/Paris"


@functools.cache
def venue_zone():
    """The venue's zone, COCOON_TIMEZONE: read on first use, once, and checked (the spine's
    settings ask for it while a service starts, so a wrong name stops the start)."""
    name = config.env("COCOON_TIMEZONE", DEFAULT_VENUE_ZONE)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(
            f"invalid setting COCOON_TIMEZONE={name!r}: expected a time zone name such as {DEFAULT_VENUE_ZONE}"
        ) from None


def __getattr__(name):
    # `from shared.timeutil import VENUE_TZ` still works: the zone, computed on first use, not at import
    if name == "VENUE_TZ":
        return venue_zone()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def in_venue_zone(value):
    """An aware datetime, or an ISO 8601 time with its offset, as the venue's clock shows it (None or
    "" stays None): whatever offset a service wrote, a person reads the venue's time."""
    if not value:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment.astimezone(venue_zone())


def venue_today():
    """The date at the venue (a machine on UTC is still on the day before, or already on the next)."""
    return datetime.now(venue_zone()).date()


def to_db(dt):
    """Aware datetime -> naive UTC for storage."""
    if dt.tzinfo is None:
        raise ValueError("naive datetime: times must carry their offset")
    return dt.astimezone(timezone.utc).replace(tzinfo=None)


def from_db(dt):
    """Stored naive UTC -> aware datetime in the venue's zone."""
    if dt is None:
        return None
    if isinstance(dt, str):  # SQLite may hand back text for computed columns
        dt = datetime.fromisoformat(dt)
    return dt.replace(tzinfo=timezone.utc).astimezone(venue_zone())


def now_utc():
    """The one clock the services read (tests move it with monkeypatch)."""
    return datetime.now(timezone.utc)


def db_now():
    """Now, as stored (naive UTC): the default of every stored time column."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def as_utc(stored):
    """A stored naive UTC time as an aware UTC datetime (what the domain rules take); None stays None
    (a time not noted yet)."""
    return None if stored is None else stored.replace(tzinfo=timezone.utc)


def fr_datetime(stored):
    """A stored time as French readers expect it: 01/12/2026 à 09:00 (venue's zone)."""
    return from_db(stored).strftime("%d/%m/%Y à %H:%M")
