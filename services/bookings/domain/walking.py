"""Whether a child counts as walking for the ratio: staff's observation, the family's proposal, the age.

Under the 5/8 ratio (CSP R2324-43) a walking child needs 1 adult for 8, a child who does not walk
yet 1 adult for 5: calling a baby "walking" lowers the staffing, so only staff may do it.

- **Staff's observation** (`staff_observation`, true or false) wins, whatever the age.
- Else **the family's proposal** (`declared`) is only a proposal:
  - "walking" below the walking age is **held until staff confirm it**: meanwhile the child
    counts as not walking (the stricter ratio) and the proposal is shown as pending;
  - "not walking" is taken at once, even after the walking age: it can only ask for more
    adults, never fewer, so it is safe without a check [practice];
  - "walking" at or after the walking age changes nothing: the age already says so.
- Else **the age**: walking from `walking_age_months` full months on the day considered
  (ratio.is_walking) [practice, COCOON_WALKING_AGE_MONTHS].

Standard library only; dates are `datetime.date`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.bookings.domain.ratio import DEFAULT_WALKING_AGE_MONTHS, is_walking


@dataclass(frozen=True)
class WalkingStatus:
    walks: bool  # what the ratio uses on that day
    set_by_staff: bool  # staff's observation decided it
    pending_staff: bool  # the family said "walking" and it waits for staff's confirmation


def walking_status(
    birth_date: date,
    on: date,
    staff_observation: bool | None = None,
    declared: bool | None = None,
    walking_age_months: int = DEFAULT_WALKING_AGE_MONTHS,
) -> WalkingStatus:
    """The child's walking status on `on` (see the module's docstring for the rule)."""
    by_age = is_walking(birth_date, on, None, walking_age_months)  # checks the dates and the age setting
    if staff_observation is not None:
        return WalkingStatus(walks=bool(staff_observation), set_by_staff=True, pending_staff=False)
    if declared is False:
        return WalkingStatus(walks=False, set_by_staff=False, pending_staff=False)  # stricter: taken at once
    pending = declared is True and not by_age  # below the walking age: held for staff
    return WalkingStatus(walks=by_age, set_by_staff=False, pending_staff=pending)
