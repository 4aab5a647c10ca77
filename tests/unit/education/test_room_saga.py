"""The session's room saga, in any order of answers (domain/room_saga.py)."""

from services.education.domain.room_saga import can_cancel, can_retry, on_answer, timed_out


def test_a_reserved_room_confirms_and_a_clash_refuses():
    assert on_answer("planned", 1, 1, reserved=True) == "confirmed"
    assert on_answer("planned", 1, 1, reserved=False) == "room_refused"


def test_an_answer_to_an_older_request_changes_nothing():
    assert on_answer("planned", 2, 1, reserved=False) == "planned"
    assert on_answer("confirmed", 2, 1, reserved=False) == "confirmed"


def test_a_late_answer_after_a_timeout_still_decides():
    assert on_answer("waiting", 1, 1, reserved=True) == "confirmed"


def test_a_cancelled_session_stays_cancelled_whatever_arrives():
    assert on_answer("cancelled", 1, 1, reserved=True) == "cancelled"


def test_a_duplicate_answer_gives_the_same_status():
    once = on_answer("planned", 1, 1, reserved=True)
    assert on_answer(once, 1, 1, reserved=True) == once


def test_no_answer_in_time_makes_it_waiting_and_it_can_be_retried():
    assert timed_out("planned", 120) is True and timed_out("planned", 119.9) is False
    assert timed_out("confirmed", 999) is False
    assert can_retry("waiting") and can_retry("room_refused") and not can_retry("confirmed")
    assert can_cancel("confirmed") and not can_cancel("cancelled")
