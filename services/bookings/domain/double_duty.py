"""A staff member is on duty in one place at a time: named on a childcare slot, they may not be
named on another slot whose times overlap; leading or named on an activity, not on another
activity then. Back to back is fine: one may end at 10:00 and the next start at 10:00 (half-open
times). A slot's professional may lead an activity meanwhile [practice]: the crèche's children
go to the activity with the professionals of their slot.

Source [practice]: the ratio counts each professional once (CSP R2324-43: « un professionnel
pour … enfants »); a person counted in two rooms at the same time is counted twice, and neither
group has the adults the ratio asks. Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.bookings.domain.calendar import overlaps


@dataclass(frozen=True)
class Duty:
    """Where a staff member is named: a slot or an activity, its times and how to call it."""

    staff_id: str
    starts_at: datetime
    ends_at: datetime
    label: str


def first_double_duty(staff_ids, starts_at, ends_at, duties) -> Duty | None:
    """The earliest of `duties` of one of `staff_ids` that overlaps [starts_at, ends_at), or None;
    at the same time, the person named first in `staff_ids`."""
    order = {str(i): n for n, i in reversed(list(enumerate(staff_ids)))}
    clashes = [d for d in duties if d.staff_id in order and overlaps(starts_at, ends_at, d.starts_at, d.ends_at)]
    return min(clashes, key=lambda d: (d.starts_at, order[d.staff_id])) if clashes else None
