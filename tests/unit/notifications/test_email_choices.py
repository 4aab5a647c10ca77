"""Which emails a person may turn off (domain/choices.py): reminders only."""

import pytest

from services.notifications.domain import choices


@pytest.mark.parametrize("kind", ["booking_reminder", "signup_reminder", "enrolment_reminder"])
def test_a_reminder_is_not_emailed_to_a_person_who_turned_reminders_off(kind):
    assert not choices.emailed(kind, reminders_wanted=False)
    assert choices.emailed(kind, reminders_wanted=True)


@pytest.mark.parametrize(
    "kind", ["booking_confirmed", "booking_cancelled", "enrolment_confirmed", "activity_rescheduled"]
)
def test_confirmations_cancellations_and_moves_always_go(kind):
    assert choices.emailed(kind, reminders_wanted=False)
