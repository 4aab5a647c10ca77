"""Times are stored as naive UTC in every database and shown in the venue's zone (Europe/Paris)."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from shared import config

VENUE_TZ = ZoneInfo(config.env("COCOON_TIMEZONE", "Europe/Paris"))


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
    return dt.replace(tzinfo=timezone.utc).astimezone(VENUE_TZ)


def now_utc():
    """The one clock the services read (tests move it with monkeypatch)."""
    return datetime.now(timezone.utc)


def db_now():
    """Now, as stored (naive UTC): the default of every stored time column."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def as_utc(stored):
    """A stored naive UTC time as an aware UTC datetime (what the domain rules take)."""
    return stored.replace(tzinfo=timezone.utc)


def fr_datetime(stored):
    """A stored time as French readers expect it: 01/12/2026 à 09:00 (venue's zone)."""
    return from_db(stored).strftime("%d/%m/%Y à %H:%M")
