"""Enrolment in a training session [practice] (docs/education-rules.md): confirmed while places
remain, else on the waiting list, first come first served; a cancellation promotes the first
waiting; enrolment closes when the session's first part starts; a session still under its
minimum `days_before` its start is flagged to staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

CONFIRMED, WAITLISTED, CANCELLED = "confirmed", "waitlisted", "cancelled"
RETRACTED = "retracted"  # a self-funded learner withdrew within the period (domain/contracts.py)
LIVE = (CONFIRMED, WAITLISTED)  # holding a place or a place on the waiting list
PARTICIPANT_KINDS = ("professional", "trainee", "volunteer", "external")
FUNDING = ("opco", "cpf", "france_travail", "employer", "self_funded")
DEFAULT_MINIMUM_WARNING_DAYS = 7


def decide(capacity: int, confirmed: int) -> str:
    """'confirmed' for one more participant while a place is free, else 'waitlisted'."""
    if capacity < 0 or confirmed < 0:
        raise ValueError("capacity and confirmed must be >= 0")
    return CONFIRMED if confirmed < capacity else WAITLISTED


def is_open(first_part_starts_at: datetime, now: datetime) -> bool:
    """Enrolment (and a cancellation's promotion) is possible until the first part starts."""
    return now < first_part_starts_at


@dataclass(frozen=True)
class Waiting:
    enrolment_id: str
    requested_at: datetime


def next_to_promote(waiting: list[Waiting], capacity: int, confirmed: int) -> list[str]:
    """The waiting enrolments that the free places take, in their order of request."""
    free = max(capacity - confirmed, 0)
    queue = sorted(waiting, key=lambda w: (w.requested_at, w.enrolment_id))
    return [w.enrolment_id for w in queue[:free]]


def positions(waiting: list[Waiting]) -> dict[str, int]:
    queue = sorted(waiting, key=lambda w: (w.requested_at, w.enrolment_id))
    return {w.enrolment_id: n for n, w in enumerate(queue, start=1)}


def under_minimum(
    confirmed: int, minimum: int, starts_at: datetime, now: datetime, days_before: int = DEFAULT_MINIMUM_WARNING_DAYS
) -> bool:
    """Flag for staff: fewer confirmed than the minimum once the session is `days_before` away."""
    return confirmed < minimum and now >= starts_at - timedelta(days=days_before) and now < starts_at
