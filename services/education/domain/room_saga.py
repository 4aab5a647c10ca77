"""A session's room, asked of bookings by events (a saga): planned -> confirmed when bookings
reserved every part, room_refused with the clash it reported, waiting when no answer came in
time (retry possible), cancelled (the room released). Answers may come in any order and more
than once: an answer for an older request, or for a session already cancelled, changes nothing
[practice] (docs/education-rules.md)."""

from __future__ import annotations

PLANNED, CONFIRMED, ROOM_REFUSED, WAITING, CANCELLED = "planned", "confirmed", "room_refused", "waiting", "cancelled"
STATUSES = (PLANNED, CONFIRMED, ROOM_REFUSED, WAITING, CANCELLED)
ASKING = (PLANNED, WAITING)  # an answer is expected
DEFAULT_TIMEOUT_SECONDS = 120


def on_answer(status: str, request: int, answered_request: int, reserved: bool) -> str:
    """The status after bookings' answer to request number `answered_request` (the session's
    current request is `request`; a retry or a room change makes a new one)."""
    if status == CANCELLED or answered_request != request:
        return status
    if status in ASKING or status in (CONFIRMED, ROOM_REFUSED):
        return CONFIRMED if reserved else ROOM_REFUSED
    return status


def timed_out(status: str, seconds_waited: float, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> bool:
    return status == PLANNED and seconds_waited >= timeout


def can_retry(status: str) -> bool:
    """Staff ask again (the same or another room) after a refusal or a timeout."""
    return status in (WAITING, ROOM_REFUSED)


def can_cancel(status: str) -> bool:
    return status != CANCELLED
