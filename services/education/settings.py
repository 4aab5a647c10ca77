"""The education service's settings, read and checked once when the service starts
(documented in docs/education-rules.md, "Settings").

- COCOON_EDUCATION_ATTENDANCE_THRESHOLD (default 0.80): the share of a session's hours a
  participant attends for the « assidu·e » mention on the attestation and the certificat de
  réalisation (every participant with hours done gets both) [practice].
- COCOON_EDUCATION_MINIMUM_WARNING_DAYS (default 7): a confirmed session still under its minimum
  this many days before its start is flagged to staff (`under_minimum`).
- COCOON_EDUCATION_ROOM_TIMEOUT_SECONDS (default 120): a planned session whose room bookings has
  not answered after this long is marked `waiting` (staff may retry).
- COCOON_EDUCATION_LUNCH_BREAK (default "12:30-13:30"): the venue's lunch break, in its local
  time; it splits a part into a morning and an afternoon and is counted in neither.
"""

from dataclasses import dataclass
from decimal import Decimal

from services.education.domain.attendance import DEFAULT_THRESHOLD
from services.education.domain.enrolment import DEFAULT_MINIMUM_WARNING_DAYS
from services.education.domain.half_days import DEFAULT_LUNCH_BREAK, LunchBreak, parse_lunch_break
from services.education.domain.room_saga import DEFAULT_TIMEOUT_SECONDS
from shared import config
from shared.settings import ServiceSettings, share, whole

RULES = "see docs/education-rules.md"


@dataclass(frozen=True)
class EducationSettings:
    attendance_threshold: Decimal = DEFAULT_THRESHOLD
    minimum_warning_days: int = DEFAULT_MINIMUM_WARNING_DAYS
    room_timeout_seconds: int = DEFAULT_TIMEOUT_SECONDS
    lunch_break: LunchBreak = parse_lunch_break(DEFAULT_LUNCH_BREAK)


def load():
    """Raises ValueError naming the variable when a value is not understood."""
    try:
        return EducationSettings(
            attendance_threshold=share("COCOON_EDUCATION_ATTENDANCE_THRESHOLD", DEFAULT_THRESHOLD, above_zero=True),
            minimum_warning_days=whole("COCOON_EDUCATION_MINIMUM_WARNING_DAYS", DEFAULT_MINIMUM_WARNING_DAYS, 0, 90),
            room_timeout_seconds=whole("COCOON_EDUCATION_ROOM_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS, 5, 86400),
            lunch_break=_lunch_break(),
        )
    except ValueError as exc:
        raise ValueError(f"{exc} ({RULES})") from None


def _lunch_break():
    raw = config.env("COCOON_EDUCATION_LUNCH_BREAK", DEFAULT_LUNCH_BREAK)
    try:
        return parse_lunch_break(raw)
    except ValueError as exc:
        raise ValueError(f"COCOON_EDUCATION_LUNCH_BREAK={exc}") from None


class Settings(ServiceSettings):
    """Read once at start: a wrong value stops the start with a clear message instead of
    failing every call later."""

    load = staticmethod(load)
