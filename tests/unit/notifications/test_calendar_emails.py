"""Reminders 48 hours before and the calendar file of each confirmation, through the service's
handlers and timers (worker_factory, real SQLite, the clock moved by the test): one reminder per
thing, sent once even when two sweeps run, none for a thing cancelled or moved meanwhile; the
.ics read back with icalendar (METHOD, UID, SEQUENCE). The people's services answer `contact` as
`OWNERS` says (their RPC proxies are worker_factory's mocks): the address and the child's first
name reach the email when it leaves."""

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import icalendar
import pytest
from nameko.testing.services import worker_factory

from services.notifications import mailer, models
from services.notifications import service as service_module
from services.notifications import settings as notifications_settings
from services.notifications.domain import reminders
from services.notifications.service import NotificationsService
from shared import migrate
from shared.db import write_transaction

STARTS = datetime(2030, 12, 10, 8, 0, tzinfo=timezone.utc)
BOOKED = STARTS - timedelta(days=7)


def booking(**changes):
    return {
        "booking_id": "b1",
        "slot_id": "s1",
        "child_id": "c1",
        "family_id": "f1",
        "starts_at": STARTS.isoformat(),
        "ends_at": (STARTS + timedelta(hours=4)).isoformat(),
        "avip": False,
        "room_name": "Les Lucioles",
        **changes,
    }


class Clock:
    def __init__(self, at):
        self.at = at

    def __call__(self):
        return self.at.astimezone(timezone.utc).replace(tzinfo=None)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(BOOKED)
    monkeypatch.setattr(service_module, "db_now", clock)
    return clock


FAMILY = {"email": "camille@example.fr", "first_name": "Camille", "children": {"c1": "Léa"}}
OWNERS = {("family", "f1"): FAMILY, ("volunteer", "v1"): {"email": "ines@example.fr", "first_name": "Inès"}}


def new_worker():
    worker = worker_factory(NotificationsService)
    worker.settings = notifications_settings.load()
    for owner in (worker.bookings, worker.volunteers, worker.placements):
        owner.contact.side_effect = lambda kind, subject_id: OWNERS.get((kind, subject_id))
    worker.uow.atomic = lambda exclusive=False: (
        write_transaction(models.database) if exclusive else models.database.atomic()
    )
    return worker


@pytest.fixture
def service(tmp_path, monkeypatch, clock):
    monkeypatch.setenv("COCOON_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("COCOON_SMTP_HOST", raising=False)
    migrate.migrate("notifications", f"sqlite:///{tmp_path / 'notifications.db'}")
    models.database.connect(reuse_if_open=True)
    yield new_worker()
    models.database.close()


def tell(service, event_name, payload, event_id):
    with models.database.atomic():
        service._notify(event_name, {"event_id": event_id, "payload": payload})


def calendar_of(service, kind):
    """The calendar file of the `kind` email, once the sweep sent it (its attendee is the address
    looked up then)."""
    service.send_due_emails()
    [email] = [d for d in models.Delivery.select() if d.notification.kind == kind]
    return icalendar.Calendar.from_ical(email.calendar), email


def reminders_sent(service):
    service.send_due_emails()
    return [d for d in models.Delivery.select() if d.notification.kind.endswith("_reminder")]


def test_a_confirmed_booking_is_reminded_once_48_hours_before(service, clock):
    tell(service, "bookings.booking_confirmed", booking(), "e1")
    [thing] = models.Reminder.select()
    assert thing.status == reminders.SCHEDULED and thing.due_at == clock.__class__(STARTS - timedelta(hours=48))()
    clock.at = STARTS - timedelta(hours=48, minutes=1)
    service.send_due_reminders()
    assert reminders_sent(service) == []
    clock.at = STARTS - timedelta(hours=47, minutes=59)
    service.send_due_reminders()
    service.send_due_reminders()
    [email] = reminders_sent(service)
    assert email.to == "camille@example.fr" and email.subject == "Rappel : Accueil de votre enfant à la crèche"
    assert "salle Les Lucioles" in email.body


def test_two_instances_sweeping_together_send_the_reminder_once(service, clock):
    tell(service, "bookings.booking_confirmed", booking(), "e1")
    clock.at = STARTS - timedelta(hours=40)
    other = new_worker()
    now = clock()
    # both saw it due, then each tries to claim it: only one gets it
    from services.notifications import store

    with models.database.atomic():
        [due] = store.due_reminder_ids(now, 10)
    service.send_due_reminders()
    with write_transaction(models.database):
        assert store.claim_reminder(due, now) is None
    other.send_due_reminders()
    assert len(reminders_sent(service)) == 1


def test_a_booking_cancelled_before_its_reminder_gets_none_and_its_calendar_event_is_cancelled(service, clock):
    tell(service, "bookings.booking_confirmed", booking(), "e1")
    tell(service, "bookings.booking_cancelled", booking(cancelled_in_time=True, was_status="confirmed"), "e2")
    clock.at = STARTS - timedelta(hours=24)
    service.send_due_reminders()
    assert reminders_sent(service) == []
    confirmed, _ = calendar_of(service, "booking_confirmed")
    cancelled, email = calendar_of(service, "booking_cancelled")
    assert str(confirmed["METHOD"]) == "REQUEST" and str(cancelled["METHOD"]) == "CANCEL"
    [first], [last] = confirmed.walk("VEVENT"), cancelled.walk("VEVENT")
    assert str(first["UID"]) == str(last["UID"]) == "booking-b1@cocoonage"
    assert (int(first["SEQUENCE"]), int(last["SEQUENCE"])) == (0, 1)
    assert str(last["STATUS"]) == "CANCELLED" and email.calendar_method == "CANCEL"


def test_a_cancellation_that_arrives_before_the_confirmation_leaves_nothing_scheduled(service, clock):
    tell(service, "bookings.booking_cancelled", booking(cancelled_in_time=True, was_status="confirmed"), "e2")
    tell(service, "bookings.booking_confirmed", booking(), "e1")
    [thing] = models.Reminder.select()
    assert thing.status == reminders.CANCELLED


def test_the_confirmation_email_carries_the_booking_as_a_calendar_request(service, clock):
    tell(service, "bookings.booking_confirmed", booking(), "e1")
    calendar, email = calendar_of(service, "booking_confirmed")
    [event] = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "REQUEST"
    assert event.decoded("DTSTART") == STARTS and event.decoded("DTEND") == STARTS + timedelta(hours=4)
    assert str(event["SUMMARY"]) == "Accueil de Léa à la crèche" and str(event["LOCATION"]) == "Les Lucioles"
    msg = mailer.message(service.settings, email.to, email.subject, email.body, email.id, email.calendar, "REQUEST")
    [part] = [p for p in msg.iter_attachments()]
    assert part.get_content_type() == "text/calendar" and part.get_param("method") == "REQUEST"
    assert part.get_filename() == "invitation.ics"


def test_booked_less_than_48_hours_ahead_there_is_no_reminder_the_confirmation_is_enough(service, clock):
    clock.at = STARTS - timedelta(hours=47, minutes=59)
    tell(service, "bookings.booking_confirmed", booking(), "e1")
    [thing] = models.Reminder.select()
    assert thing.status == reminders.NOT_OWED
    service.send_due_reminders()
    assert reminders_sent(service) == []


def test_a_sweep_after_the_start_drops_the_reminder_instead_of_sending_it_late(service, clock):
    tell(service, "bookings.booking_confirmed", booking(), "e1")
    clock.at = STARTS + timedelta(minutes=1)
    service.send_due_reminders()
    assert reminders_sent(service) == [] and models.Reminder.get().status == reminders.NOT_OWED


def signup(**changes):
    return {
        "signup_id": "su1",
        "activity_id": "a1",
        "volunteer_id": "v1",
        "title": "Éveil musical",
        "starts_at": STARTS.isoformat(),
        "ends_at": (STARTS + timedelta(hours=1)).isoformat(),
        "room_name": None,
        **changes,
    }


def test_a_moved_activity_moves_the_sign_ups_reminder_and_calendar_event(service, clock):
    tell(service, "volunteers.signup_confirmed", signup(), "e1")
    later = STARTS + timedelta(days=2)
    moved = {
        "activity_id": "a1",
        "room_id": "r1",
        "room_name": "Les Lucioles",
        "starts_at": later.isoformat(),
        "ends_at": (later + timedelta(hours=1)).isoformat(),
        "previous_starts_at": STARTS.isoformat(),
        "previous_ends_at": (STARTS + timedelta(hours=1)).isoformat(),
        "title": "Éveil musical",
        "volunteer_ids": ["v1"],
    }
    tell(service, "bookings.activity_rescheduled", moved, "e2")
    clock.at = STARTS - timedelta(hours=47)  # the old time's reminder is no longer owed
    service.send_due_reminders()
    assert reminders_sent(service) == []
    request, _ = calendar_of(service, "activity_rescheduled")
    [event] = request.walk("VEVENT")
    assert str(event["UID"]) == "signup-su1@cocoonage" and int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == later
    clock.at = later - timedelta(hours=47)
    service.send_due_reminders()
    [email] = reminders_sent(service)
    assert email.to == "ines@example.fr" and "Éveil musical" in email.subject


def test_a_withdrawn_sign_up_is_not_reminded(service, clock):
    tell(service, "volunteers.signup_confirmed", signup(), "e1")
    calendar, _ = calendar_of(service, "signup_confirmed")
    assert str(calendar["METHOD"]) == "REQUEST"
    tell(service, "volunteers.signup_withdrawn", {"signup_id": "su1", "activity_id": "a1", "volunteer_id": "v1"}, "e2")
    clock.at = STARTS - timedelta(hours=47)
    service.send_due_reminders()
    assert reminders_sent(service) == []


def test_an_enrolment_confirmed_is_reminded_and_its_cancellation_cancels_the_calendar_event(service, clock):
    enrolment = {
        "enrolment_id": "en1",
        "session_id": "se1",
        "title": "Premiers secours",
        "participant_kind": "volunteer",
        "participant_id": "v1",
        "starts_at": STARTS.isoformat(),
    }
    tell(service, "education.enrolment_confirmed", enrolment, "e1")
    clock.at = STARTS - timedelta(hours=47)
    service.send_due_reminders()
    [email] = reminders_sent(service)
    assert email.subject == "Rappel : Formation : Premiers secours"
    tell(service, "education.enrolment_cancelled", {**enrolment, "reason": "Séance reportée"}, "e2")
    cancelled, _ = calendar_of(service, "enrolment_cancelled")
    [event] = cancelled.walk("VEVENT")
    assert str(cancelled["METHOD"]) == "CANCEL" and str(event["UID"]) == "enrolment-en1@cocoonage"
    assert int(event["SEQUENCE"]) == 1


def test_the_hours_before_are_a_setting(service, clock):
    service.settings = replace(service.settings, reminder_hours=24)
    tell(service, "bookings.booking_confirmed", booking(), "e1")
    assert models.Reminder.get().due_at == Clock(STARTS - timedelta(hours=24))()


def test_a_person_who_turned_reminders_off_gets_the_notification_without_the_email(service, clock):
    service.choose_emails("family", "f1", {"reminders": False})
    assert service.email_choices("family", "f1") == {
        "optional": [{"category": "reminders", "wanted": False}, {"category": "confirmations", "wanted": True}],
        "always": ["invoices", "account", "contract", "changes"],
    }
    tell(service, "bookings.booking_confirmed", booking(), "e1")
    clock.at = STARTS - timedelta(hours=47)
    service.send_due_reminders()
    assert reminders_sent(service) == []
    assert [n.kind for n in models.Notification.select()] == ["booking_confirmed", "booking_reminder"]
    assert len(calendar_of(service, "booking_confirmed")) == 2  # the confirmation went all the same


def test_a_person_who_turned_confirmations_off_gets_the_notification_without_the_email(service, clock):
    service.choose_emails("family", "f1", {"confirmations": False})
    tell(service, "bookings.booking_confirmed", booking(), "e1")
    tell(service, "bookings.booking_cancelled", booking(cancelled_in_time=True), "e2")
    assert [n.kind for n in models.Notification.select().order_by(models.Notification.rank.desc())] == [
        "booking_confirmed",
        "booking_cancelled",
    ]
    assert [d.notification.kind for d in models.Delivery.select()] == ["booking_cancelled"]  # a change always goes


def test_the_first_form_of_the_choice_a_bare_yes_or_no_still_means_the_reminders(service):
    service.choose_emails("family", "f1", False)
    assert service.email_choices("family", "f1")["optional"][0] == {"category": "reminders", "wanted": False}
