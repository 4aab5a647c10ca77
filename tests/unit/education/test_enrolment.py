"""Enrolment in a session: capacity, waiting list, closing, the minimum (domain/enrolment.py)."""

from datetime import datetime, timedelta, timezone

import pytest

from services.education.domain.enrolment import (
    Waiting,
    decide,
    is_open,
    next_to_promote,
    positions,
    under_minimum,
)

START = datetime(2026, 4, 14, 7, 0, tzinfo=timezone.utc)


def test_the_last_place_is_confirmed_and_the_next_waits():
    assert decide(capacity=12, confirmed=11) == "confirmed"
    assert decide(capacity=12, confirmed=12) == "waitlisted"
    assert decide(capacity=0, confirmed=0) == "waitlisted"


def test_a_negative_count_is_a_programming_error():
    with pytest.raises(ValueError):
        decide(capacity=-1, confirmed=0)


def test_enrolment_closes_when_the_first_part_starts():
    assert is_open(START, START - timedelta(seconds=1)) is True
    assert is_open(START, START) is False


def test_free_places_go_to_the_first_waiting_in_order_of_request():
    waiting = [
        Waiting("c", START - timedelta(days=1)),
        Waiting("a", START - timedelta(days=3)),
        Waiting("b", START - timedelta(days=2)),
    ]
    assert next_to_promote(waiting, capacity=10, confirmed=9) == ["a"]
    assert next_to_promote(waiting, capacity=10, confirmed=8) == ["a", "b"]
    assert next_to_promote(waiting, capacity=10, confirmed=10) == []
    assert positions(waiting) == {"a": 1, "b": 2, "c": 3}


def test_a_session_under_its_minimum_is_flagged_from_seven_days_before():
    assert under_minimum(3, 4, START, START - timedelta(days=7)) is True
    assert under_minimum(3, 4, START, START - timedelta(days=7, seconds=1)) is False
    assert under_minimum(4, 4, START, START - timedelta(days=1)) is False
    assert under_minimum(3, 4, START, START) is False  # started: nothing left to decide
