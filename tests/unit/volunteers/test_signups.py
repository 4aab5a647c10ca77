"""Whether a volunteer may sign up, and what a move does (domain/signups.py)."""

from datetime import datetime, timedelta, timezone

from services.volunteers.domain.signups import Occasion, can_withdraw, kept_after_move, refusal

START = datetime(2026, 3, 10, 9, 30, tzinfo=timezone.utc)
END = START + timedelta(hours=1)
BEFORE = START - timedelta(days=1)


def occasion(status="scheduled", slots=2, confirmed=0):
    return Occasion(START, END, status, slots, confirmed)


def code(found):
    return None if found is None else found.code


def test_a_cleared_volunteer_signs_up_for_a_free_place_ahead():
    assert refusal(occasion(), BEFORE, [], []) is None


def test_an_uncleared_volunteer_is_told_what_is_missing_first_with_a_409():
    found = refusal(occasion(confirmed=2), BEFORE, ["Votre attestation manque."], [])
    assert (found.code, found.status, found.message) == ("not_cleared", 409, "Votre attestation manque.")


def test_a_volunteer_who_has_not_accepted_the_charte_is_told_so_before_anything_else():
    found = refusal(occasion(confirmed=2), BEFORE, ["Votre attestation manque."], [], charter="Acceptez la charte.")
    assert (found.code, found.status, found.message) == ("charter_not_accepted", 409, "Acceptez la charte.")
    assert refusal(occasion(), BEFORE, [], [], charter=None) is None


def test_a_cancelled_or_completed_activity_refuses():
    assert code(refusal(occasion("cancelled"), BEFORE, [], [])) == "cancelled"
    assert refusal(occasion("completed"), BEFORE, [], []).message == "Cette activité est terminée."


def test_an_activity_refuses_from_its_start_not_a_minute_before():
    assert code(refusal(occasion(), START, [], [])) == "started"
    assert refusal(occasion(), START - timedelta(minutes=1), [], []) is None


def test_the_last_place_is_taken_then_the_activity_is_full():
    assert refusal(occasion(slots=2, confirmed=1), BEFORE, [], []) is None
    assert code(refusal(occasion(slots=2, confirmed=2), BEFORE, [], [])) == "full"


def test_an_overlapping_signup_refuses_and_one_ending_at_the_start_does_not():
    assert code(refusal(occasion(), BEFORE, [], [(START - timedelta(hours=1), START + timedelta(minutes=1))])) == (
        "overlap"
    )
    assert refusal(occasion(), BEFORE, [], [(START - timedelta(hours=1), START)]) is None


def test_a_moved_activity_keeps_the_signup_unless_it_now_overlaps_another():
    other = [(END + timedelta(hours=1), END + timedelta(hours=2))]
    assert kept_after_move(START, END, other) is True
    assert kept_after_move(START, END + timedelta(hours=1, minutes=1), other) is False


def test_a_volunteer_withdraws_until_the_start():
    assert can_withdraw(START, START - timedelta(seconds=1)) is True
    assert can_withdraw(START, START) is False
