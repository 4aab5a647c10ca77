"""A placement's life: planned -> active -> completed, or interrupted (with a reason) from
planned or active; a trainee has at most one active placement (the tutor's limit by dates is
domain/tutoring.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

PLANNED, ACTIVE, COMPLETED, INTERRUPTED = "planned", "active", "completed", "interrupted"
STATUSES = (PLANNED, ACTIVE, COMPLETED, INTERRUPTED)
LIVE = (PLANNED, ACTIVE)  # not ended: may still change, counted by the tutor's limit
MOVES = {PLANNED: (ACTIVE, INTERRUPTED), ACTIVE: (COMPLETED, INTERRUPTED), COMPLETED: (), INTERRUPTED: ()}


def can_move(status: str, to: str) -> bool:
    return to in MOVES[status]


def starts_today(status: str, starts_on: date, today: date) -> bool:
    """A planned placement becomes active on its first day."""
    return status == PLANNED and today >= starts_on


def can_complete(validated_hours: Decimal, required_hours: Decimal, ends_on: date, today: date) -> bool:
    """Completed once the required hours are validated and the end date is reached."""
    return Decimal(validated_hours) >= Decimal(required_hours) and today >= ends_on


def overlaps(starts_on: date, ends_on: date, other_starts_on: date, other_ends_on: date) -> bool:
    """Two placements' dates share a day (a trainee cannot be in two at once)."""
    return starts_on <= other_ends_on and other_starts_on <= ends_on
