"""The venue calendar: what may be scheduled in a room, when two bookings of a room clash, what
may still change in an activity, and where its trainees may be.

Times: any datetimes that compare (all aware, or all naive UTC as stored); the rules below only
compare them.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.vocabulary import ACTIVITY_SCHEDULED

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
        return {
            "children_capacity": [
                f"La salle accueille au plus {room_capacity} personnes ; capacité demandée : {children_capacity}."
            ]
        }
    return {}


def is_changeable(status):
    """Only a scheduled activity is moved, cancelled, completed or given trainees: a cancelled or
    completed one is history (its events were sent) [practice]."""
    return status == ACTIVITY_SCHEDULED


def may_complete(starts_at, now):
    """An activity is completed once it has started, not before: its real times are what
    trainees' hours and volunteers' records count [practice]."""
    return now >= starts_at


def real_times_ordered(started_at, ended_at):
    """The real times noted at completion: the end comes after the start."""
    return ended_at > started_at


def trainee_slot_left(assigned, trainee_slots):
    """A trainee joins while the activity has fewer trainees than its `trainee_slots`, which
    staff set for the supervision they can give [practice]."""
    return assigned < trainee_slots


def trainee_clash(starts_at, ends_at, trainee_occupations):
    """A trainee is never on two activities at once: the earliest of the trainee's other
    activities that overlaps [starts_at, ends_at), or None. Back to back is allowed."""
    return first_clash(starts_at, ends_at, trainee_occupations)
