"""The venue calendar: what may be scheduled in a room, and when two bookings of a room clash."""
from dataclasses import dataclass
from datetime import datetime, timedelta

MAX_ACTIVITY_LENGTH = timedelta(hours=12)


@dataclass(frozen=True)
class Occupation:
    """Something that holds a room for a time: an activity, a childcare slot, a reservation."""
    starts_at: datetime
    ends_at: datetime
    label: str


def overlaps(a_start, a_end, b_start, b_end):
    """Half-open intervals: one thing may end at 10:00 and the next start at 10:00."""
    return a_start < b_end and b_start < a_end


def first_clash(starts_at, ends_at, occupations):
    """The earliest occupation that overlaps [starts_at, ends_at), or None."""
    clashes = [o for o in occupations if overlaps(starts_at, ends_at, o.starts_at, o.ends_at)]
    return min(clashes, key=lambda o: o.starts_at) if clashes else None


def check_times(starts_at, ends_at):
    """Field errors for a time range (empty dict when valid)."""
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        return {"starts_at": ["L'heure doit indiquer son fuseau (ex. 2026-12-01T09:00:00+01:00)."]}
    if ends_at <= starts_at:
        return {"ends_at": ["La fin doit être après le début."]}
    if ends_at - starts_at > MAX_ACTIVITY_LENGTH:
        return {"ends_at": ["Une activité dure au plus 12 heures."]}
    return {}


def check_capacity(children_capacity, room_capacity):
    if children_capacity > room_capacity:
        return {"children_capacity": [
            f"La salle accueille au plus {room_capacity} personnes ; capacité demandée : {children_capacity}."]}
    return {}
