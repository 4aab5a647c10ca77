"""A placement's life: planned -> active -> completed, or interrupted (with a reason) from
planned or active; a trainee has at most one active placement; a tutor follows at most
`max_per_tutor` trainees at a time ([unconfirmed] R124-13, 3; the venue's setting)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

PLANNED, ACTIVE, COMPLETED, INTERRUPTED = "planned", "active", "completed", "interrupted"
STATUSES = (PLANNED, ACTIVE, COMPLETED, INTERRUPTED)
LIVE = (PLANNED, ACTIVE)  # counted for the tutor's limit
MOVES = {PLANNED: (ACTIVE, INTERRUPTED), ACTIVE: (COMPLETED, INTERRUPTED), COMPLETED: (), INTERRUPTED: ()}
DEFAULT_MAX_PER_TUTOR = 3


def can_move(status: str, to: str) -> bool:
    return to in MOVES[status]


def starts_today(status: str, starts_on: date, today: date) -> bool:
    """A planned placement becomes active on its first day."""
    return status == PLANNED and today >= starts_on


def can_complete(validated_hours: Decimal, required_hours: Decimal, ends_on: date, today: date) -> bool:
    """Completed once the required hours are validated and the end date is reached."""
    return Decimal(validated_hours) >= Decimal(required_hours) and today >= ends_on


def tutor_has_room(live_placements_of_tutor: int, max_per_tutor: int = DEFAULT_MAX_PER_TUTOR) -> bool:
    return live_placements_of_tutor < max_per_tutor


def overlaps(starts_on: date, ends_on: date, other_starts_on: date, other_ends_on: date) -> bool:
    """Two placements' dates share a day (a trainee cannot be in two at once)."""
    return starts_on <= other_ends_on and other_starts_on <= ends_on
