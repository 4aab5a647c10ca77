"""An event's email is addressed when it leaves, not when the event arrives: the sweep asks the
person's service (`contact`, worker_factory's mock of its RPC proxy) for the address and the
names; while that service does not answer the email stays pending and is tried again with the
emails' back-off; a service that knows nobody by that id drops the email, not the notification."""

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from nameko.exceptions import UnknownService
from nameko.testing.services import worker_factory

from services.notifications import models
from services.notifications import service as service_module
from services.notifications import settings as notifications_settings
from services.notifications.domain import delivery
from services.notifications.service import NotificationsService
from shared import migrate
from shared.db import write_transaction
from shared.errors import Unavailable

NOW = datetime(2030, 12, 1, 9, 0, tzinfo=timezone.utc)
BOOKING = {
    "booking_id": "b1",
    "slot_id": "s1",
    "child_id": "c1",
    "family_id": "f1",
    "starts_at": "2030-12-03T07:30:00+00:00",
    "ends_at": "2030-12-03T11:30:00+00:00",
    "avip": False,
    "room_name": "Les Lucioles",
}
FAMILY = {"email": "camille.durand@example.fr", "first_name": "Camille", "children": {"c1": "Léa", "c2": "Noé"}}


class Clock:
    def __init__(self, at):
        self.at = at

    def __call__(self):
        return self.at.astimezone(timezone.utc).replace(tzinfo=None)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(NOW)
    monkeypatch.setattr(service_module, "db_now", clock)
    return clock


@pytest.fixture
def service(tmp_path, monkeypatch, clock):
    monkeypatch.setenv("COCOON_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("COCOON_SMTP_HOST", raising=False)
    migrate.migrate("notifications", f"sqlite:///{tmp_path / 'notifications.db'}")
    models.database.connect(reuse_if_open=True)
    worker = worker_factory(NotificationsService)
    worker.settings = replace(notifications_settings.load(), retry_seconds=30, max_attempts=3)
    worker.uow.atomic = lambda exclusive=False: (
        write_transaction(models.database) if exclusive else models.database.atomic()
    )
    worker.bookings.contact.return_value = FAMILY
    yield worker
    models.database.close()


def tell(service, event_name, payload, event_id="e1"):
    with models.database.atomic():
        service._notify(event_name, {"event_id": event_id, "payload": payload})


def the_email():
    [email] = models.Delivery.select()
    return email


def test_the_event_records_an_email_without_address_and_asks_nobody_yet(service):
    tell(service, "bookings.booking_confirmed", BOOKING)
    email = the_email()
    assert (email.to, email.body, email.status) == ("", "", delivery.PENDING)
    assert "camille" not in str(email.facts) and email.facts["child_id"] == "c1"
    service.bookings.contact.assert_not_called()


def test_the_sweep_asks_the_family_and_sends_with_the_childs_first_name(service):
    tell(service, "bookings.booking_confirmed", BOOKING)
    service.send_due_emails()
    service.bookings.contact.assert_called_once_with("family", "f1")
    email = the_email()
    assert (email.to, email.status) == ("camille.durand@example.fr", delivery.SENT)
    assert "Réservation confirmée pour Léa : " in email.body
    [notice] = models.Notification.select()
    assert notice.text.startswith("Réservation confirmée pour Léa : ")  # the page says it too


def test_the_calendar_file_is_written_when_it_leaves_with_the_childs_name_and_the_address(service):
    tell(service, "bookings.booking_confirmed", BOOKING)
    assert the_email().calendar is None
    service.send_due_emails()
    calendar = the_email().calendar
    assert "SUMMARY:Accueil de Léa à la crèche" in calendar
    assert "mailto:camille.durand@example.fr" in calendar


def test_bookings_down_keeps_the_email_pending_and_the_next_sweep_after_its_wait_sends_it(service, clock):
    tell(service, "bookings.booking_confirmed", BOOKING)
    service.bookings.contact.side_effect = Unavailable("Le service bookings n'a pas répondu à temps.")
    service.send_due_emails()
    email = the_email()
    assert (email.status, email.attempts, email.to) == (delivery.PENDING, 1, "")
    assert "bookings did not say where to send it (Unavailable)" in email.last_error
    assert email.next_attempt_at == clock() + timedelta(seconds=30)

    service.bookings.contact.side_effect = None  # back
    clock.at = NOW + timedelta(seconds=29)
    service.send_due_emails()
    assert the_email().status == delivery.PENDING  # its wait is not over
    clock.at = NOW + timedelta(seconds=30)
    service.send_due_emails()
    email = the_email()
    assert (email.status, email.attempts, email.to) == (delivery.SENT, 2, "camille.durand@example.fr")


def test_an_owner_that_did_not_answer_is_not_asked_again_in_the_same_sweep(service):
    tell(service, "bookings.booking_confirmed", BOOKING, "e1")
    tell(service, "bookings.booking_confirmed", dict(BOOKING, booking_id="b2", child_id="c2"), "e2")
    service.bookings.contact.side_effect = Unavailable("Le service bookings n'a pas répondu à temps.")
    service.send_due_emails()
    assert service.bookings.contact.call_count == 1
    assert [(d.status, d.attempts) for d in models.Delivery.select()] == [(delivery.PENDING, 1)] * 2


def test_an_owner_never_answering_gives_the_email_up_for_staff_to_send_again(service, clock):
    tell(service, "bookings.booking_confirmed", BOOKING)
    service.bookings.contact.side_effect = UnknownService("bookings")
    for wait in range(3):
        clock.at = NOW + timedelta(hours=wait)
        service.send_due_emails()
    [failed] = service.failed_emails()["items"]
    assert "bookings did not say where to send it (UnknownService)" in failed["last_error"]
    assert failed["to"] == "adresse non obtenue (family f1)"  # whom it was for, on the staff's page
    service.bookings.contact.side_effect = None
    assert service.retry_emails() == {"queued": 1}
    service.send_due_emails()
    assert the_email().status == delivery.SENT


def test_a_family_bookings_does_not_know_keeps_its_notification_and_loses_the_email(service):
    service.bookings.contact.return_value = None
    tell(service, "bookings.booking_confirmed", BOOKING)
    service.send_due_emails()
    assert list(models.Delivery.select()) == []
    assert [n.kind for n in models.Notification.select()] == ["booking_confirmed"]


def test_a_trainee_is_asked_of_placements_and_a_volunteer_of_volunteers(service):
    service.placements.contact.return_value = {"email": "theo@example.fr", "first_name": "Théo"}
    service.volunteers.contact.return_value = {"email": "ines@example.fr", "first_name": "Inès"}
    hours = {"hour_log_id": "h1", "placement_id": "p1", "trainee_id": "t1", "tutor_id": "s1"}
    hours.update(starts_at="2030-12-01T08:00:00+01:00", ends_at="2030-12-01T12:00:00+01:00", hours="4.00")
    tell(service, "placements.hours_validated", dict(hours, kind="on_site", validated_by="s1"), "e1")
    expiring = {"volunteer_id": "v1", "honorability_id": "h1", "expires_on": "2031-01-09"}
    tell(service, "volunteers.honorability_expiring", expiring, "e2")
    service.send_due_emails()
    service.placements.contact.assert_called_once_with("trainee", "t1")
    service.volunteers.contact.assert_called_once_with("volunteer", "v1")
    assert sorted(d.to for d in models.Delivery.select()) == ["ines@example.fr", "theo@example.fr"]
    service.bookings.contact.assert_not_called()
