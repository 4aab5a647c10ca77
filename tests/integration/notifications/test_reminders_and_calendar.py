"""Reminders and calendar files on the real broker (two notifications instances on one database)
and a real local SMTP server (aiosmtpd): an event leads to one reminder, sent once; a
cancellation stops it; the confirmation's .ics is read back from the message the server got."""

import email
import time
from datetime import datetime, timedelta, timezone
from email.policy import default as default_policy

import icalendar
import pytest
from nameko.testing.services import entrypoint_waiter

from services.notifications import models
from services.notifications.service import NotificationsService
from shared.events import new_event
from tests.support import wait_for

REMINDER_SECONDS = 4  # COCOON_REMINDER_HOURS, in seconds, for a test that cannot wait 48 h


@pytest.fixture
def quick_reminders(monkeypatch, mail_env):
    monkeypatch.setenv("COCOON_REMINDER_HOURS", str(REMINDER_SECONDS / 3600))


def booking(starts_at, **changes):
    return {
        "booking_id": "b-1",
        "slot_id": "s-1",
        "child_id": "c-1",
        "family_id": "f-1",
        "starts_at": starts_at.isoformat(),
        "ends_at": (starts_at + timedelta(hours=4)).isoformat(),
        "avip": False,
        "room_name": "Les Lucioles",
        **changes,
    }


def deliver(container, publish_raw, event_name, payload, handler):
    with entrypoint_waiter(container, handler, timeout=10):
        publish_raw(event_name, new_event(event_name, payload))


def reminder_emails():
    with models.database.connection_context():
        return [d for d in models.Delivery.select() if d.notification.kind.endswith("_reminder")]


def test_a_booking_is_reminded_once_with_two_instances_sweeping(
    container_factory, service_config, quick_reminders, smtp, publish_raw, owners
):
    smtp.start()
    owners("bookings")
    first = container_factory(NotificationsService, service_config)
    second = container_factory(NotificationsService, service_config)
    first.start()
    second.start()
    starts_at = datetime.now(timezone.utc) + timedelta(seconds=REMINDER_SECONDS + 3)
    deliver(first, publish_raw, "bookings.booking_confirmed", booking(starts_at), "notify_booking_confirmed")

    wait_for(lambda: len(reminder_emails()) == 1, timeout=20, message="the reminder")
    time.sleep(1.5)  # many more sweeps of both instances
    [reminder] = reminder_emails()
    assert reminder.subject == "Rappel : Accueil de votre enfant à la crèche"
    wait_for(lambda: len(smtp.messages) == 2, timeout=10, message="the confirmation and the reminder sent")
    subjects = sorted(email.message_from_bytes(raw, policy=default_policy)["Subject"] for _to, raw in smtp.messages)
    assert subjects == ["Rappel : Accueil de votre enfant à la crèche", "Réservation confirmée"]


def test_a_booking_cancelled_before_its_reminder_is_not_reminded(
    container_factory, service_config, quick_reminders, smtp, publish_raw, owners
):
    smtp.start()
    owners("bookings")
    notifications = container_factory(NotificationsService, service_config)
    notifications.start()
    starts_at = datetime.now(timezone.utc) + timedelta(seconds=REMINDER_SECONDS + 2)
    deliver(notifications, publish_raw, "bookings.booking_confirmed", booking(starts_at), "notify_booking_confirmed")
    cancelled = booking(starts_at, cancelled_in_time=True, was_status="confirmed")
    deliver(notifications, publish_raw, "bookings.booking_cancelled", cancelled, "notify_booking_cancelled")

    time.sleep(3.5)  # past the reminder's due time
    assert reminder_emails() == []
    with models.database.connection_context():
        assert [r.status for r in models.Reminder.select()] == ["cancelled"]


def test_the_confirmation_carries_an_ics_the_calendar_apps_read_and_the_cancellation_cancels_it(
    notifications, smtp, publish_raw
):
    smtp.start()
    starts_at = datetime(2030, 12, 3, 7, 30, tzinfo=timezone.utc)
    deliver(notifications, publish_raw, "bookings.booking_confirmed", booking(starts_at), "notify_booking_confirmed")
    cancelled = booking(starts_at, cancelled_in_time=True, was_status="confirmed")
    deliver(notifications, publish_raw, "bookings.booking_cancelled", cancelled, "notify_booking_cancelled")
    wait_for(lambda: len(smtp.messages) == 2, message="both emails")

    calendars = {}
    for _to, raw in smtp.messages:
        message = email.message_from_bytes(raw, policy=default_policy)
        [part] = list(message.iter_attachments())
        assert part.get_content_type() == "text/calendar" and part.get_filename() == "invitation.ics"
        calendars[message["Subject"]] = icalendar.Calendar.from_ical(part.get_content())
    request, cancel = calendars["Réservation confirmée"], calendars["Réservation annulée"]
    [booked], [gone] = request.walk("VEVENT"), cancel.walk("VEVENT")
    assert (str(request["METHOD"]), str(cancel["METHOD"])) == ("REQUEST", "CANCEL")
    assert str(booked["UID"]) == str(gone["UID"]) == "booking-b-1@cocoonage"
    assert (int(booked["SEQUENCE"]), int(gone["SEQUENCE"])) == (0, 1)
    assert booked.decoded("DTSTART") == starts_at and str(booked["LOCATION"]) == "Les Lucioles"
