"""The staff's board: where a contract child counts on the day, the day's worst ratio status, a
week of the calendar. Pure; times are any datetimes that compare (all naive UTC as stored here)."""

from datetime import timedelta

from services.bookings.domain.ratio import RATIO_AT_LIMIT, RATIO_BREACH, RATIO_OK

_SEVERITY = {RATIO_OK: 0, RATIO_AT_LIMIT: 1, RATIO_BREACH: 2}


def slot_of_contract_child(spans, slots, now):
    """The slot a contract child present on the day counts in [practice]: among `slots` (id,
    starts_at, ends_at) already fit for the child's age group, one that overlaps the child's hours
    (`spans`: [(start, end)]); the one in progress at `now` first, else the earliest. None when no
    slot covers the child's hours (the child is then in the building, in no slot)."""
    overlapping = [s for s in slots if any(start < s[2] and s[1] < end for start, end in spans)]
    if not overlapping:
        return None
    running = [s for s in overlapping if s[1] <= now < s[2]]
    return min(running or overlapping, key=lambda s: (s[1], s[0]))[0]


def worst_status(statuses):
    """The day's status: the worst of its slots' (breach, then at the limit, then ok); None without a slot."""
    statuses = list(statuses)
    return max(statuses, key=_SEVERITY.__getitem__) if statuses else None


def week_of(day):
    """The seven days (Monday to Sunday) of the week holding `day`."""
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=n) for n in range(7)]


def under_way(status, starts_at, ends_at, now):
    """An activity puts its people in the building from its start to its end, unless it was
    cancelled [practice]: the evacuation register counts by the schedule (adults do not check in)."""
    return status != "cancelled" and starts_at <= now < ends_at
