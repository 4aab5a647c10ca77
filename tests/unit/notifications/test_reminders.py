"""When a reminder is due and whether it is still owed (domain/reminders.py), 48 hours before."""

from datetime import datetime, timedelta

from services.notifications.domain import reminders

STARTS = datetime(2030, 12, 5, 9, 0)
H48 = timedelta(hours=48)


def test_confirmed_well_ahead_a_reminder_is_scheduled_48_hours_before():
    assert reminders.on_schedule(STARTS, STARTS - timedelta(days=10), 48) == (reminders.SCHEDULED, STARTS - H48)


def test_confirmed_exactly_48_hours_before_the_reminder_is_owed_at_once():
    assert reminders.on_schedule(STARTS, STARTS - H48, 48) == (reminders.SCHEDULED, STARTS - H48)


def test_confirmed_47_hours_59_before_no_reminder_is_owed_the_confirmation_is_enough():
    now = STARTS - H48 + timedelta(minutes=1)
    assert reminders.on_schedule(STARTS, now, 48) == (reminders.NOT_OWED, None)


def test_at_47_hours_59_before_the_reminder_is_due():
    assert reminders.is_due(reminders.SCHEDULED, STARTS - H48, STARTS - H48 + timedelta(minutes=1))


def test_at_48_hours_01_before_the_reminder_is_not_due_yet():
    assert not reminders.is_due(reminders.SCHEDULED, STARTS - H48, STARTS - H48 - timedelta(minutes=1))


def test_a_cancelled_or_sent_reminder_is_never_due():
    late = STARTS - timedelta(hours=1)
    assert not reminders.is_due(reminders.CANCELLED, STARTS - H48, late)
    assert not reminders.is_due(reminders.SENT, STARTS - H48, late)


def test_a_reminder_is_still_owed_until_its_thing_starts_and_not_after():
    assert reminders.still_owed(reminders.SCHEDULED, STARTS, STARTS - timedelta(seconds=1))
    assert not reminders.still_owed(reminders.SCHEDULED, STARTS, STARTS)
    assert not reminders.still_owed(reminders.CANCELLED, STARTS, STARTS - H48)


def test_the_hours_are_a_setting():
    assert reminders.on_schedule(STARTS, STARTS - timedelta(hours=30), 24) == (
        reminders.SCHEDULED,
        STARTS - timedelta(hours=24),
    )
