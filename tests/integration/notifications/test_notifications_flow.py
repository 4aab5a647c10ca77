"""The notifications service on the real broker and database: an event gives one notification and
one email (a real local SMTP server, aiosmtpd), a duplicate delivery changes nothing, an SMTP
outage delays the email without losing it, and only its owner may read a notification. The
address and the child's first name are asked of the family's service when the email leaves:
the real bookings service, or a stand-in answering `contact` (conftest.py) for events published
by hand."""

import email
import mailbox
from collections import Counter
from email.policy import default as default_policy

import pytest
from nameko.testing.services import entrypoint_waiter

from services.bookings.service import BookingsService
from services.notifications import models
from services.notifications.service import NotificationsService
from shared.errors import NotFound
from shared.events import new_event
from tests.factories import create_child, create_family, create_slot, schedule_activity
from tests.support import call, wait_for

FAMILY = ("family", "f-1")
CONFIRMED = {
    "booking_id": "b-1",
    "slot_id": "s-1",
    "child_id": "c-1",
    "family_id": "f-1",
    "starts_at": "2030-12-03T07:30:00+00:00",
    "ends_at": "2030-12-03T11:30:00+00:00",
    "avip": False,
    "room_name": "Les Lucioles",
}


def listed(container, role, subject_id):
    return call(container, "list_notifications", role, subject_id, {})["items"]


def deliveries():
    with models.database.connection_context():
        return list(models.Delivery.select().dicts())


def statuses():
    """{status: count} of the emails recorded."""
    return dict(Counter(delivery["status"] for delivery in deliveries()))


def parsed(raw):
    return email.message_from_bytes(raw, policy=default_policy)


def deliver(container, publish_raw, event, handler="notify_booking_confirmed"):
    with entrypoint_waiter(container, handler, timeout=10) as result:
        publish_raw(event["type"], event)
    return result


def test_a_booking_gives_its_family_one_notification_and_one_email(container_factory, service_config, mail_env, smtp):
    smtp.start()
    bookings = container_factory(BookingsService, service_config)
    notifications = container_factory(NotificationsService, service_config)
    bookings.start()
    notifications.start()
    family = create_family(bookings, email="camille.durand@example.fr")
    child = create_child(bookings, family, first_name="Léa")
    slot = create_slot(bookings)
    call(bookings, "book", family["id"], {"slot_id": slot["id"], "child_id": child["id"]})

    wait_for(lambda: statuses() == {"sent": 1}, message="the email sent")
    [notice] = listed(notifications, "family", family["id"])
    assert notice["kind"] == "booking_confirmed"
    assert notice["text"].startswith("Réservation confirmée pour Léa : ")  # the name bookings gave when it left
    assert notice["read"] is False
    assert call(notifications, "unread_count", "family", family["id"]) == {"unread": 1}
    [(to, raw)] = smtp.messages
    assert to == ["camille.durand@example.fr"]
    message = parsed(raw)
    assert message["Subject"] == "Réservation confirmée"
    assert notice["text"] in message.get_body(preferencelist=("plain",)).get_content()  # beside its .ics
    assert listed(notifications, "family", "another-family") == []


def test_the_same_event_delivered_twice_gives_one_notification_and_one_email(notifications, smtp, publish_raw):
    smtp.start()
    event = new_event("bookings.booking_confirmed", CONFIRMED)
    deliver(notifications, publish_raw, event)
    duplicate = deliver(notifications, publish_raw, event)  # a redelivery: the same event_id
    assert duplicate.get() is None  # skipped by the inbox, acked

    assert len(listed(notifications, *FAMILY)) == 1
    wait_for(lambda: statuses() == {"sent": 1}, message="the email sent")
    assert len(smtp.messages) == 1


def test_smtp_down_then_back_sends_the_email_once_and_the_notification_was_there_all_along(
    notifications, smtp, publish_raw
):
    deliver(notifications, publish_raw, new_event("bookings.booking_confirmed", CONFIRMED))
    assert len(listed(notifications, *FAMILY)) == 1  # committed with the event, before any email

    wait_for(lambda: any(d["attempts"] >= 2 for d in deliveries()), message="two refused attempts")
    [pending] = deliveries()
    assert pending["status"] in ("pending", "sending")
    assert "ConnectionRefusedError" in (pending["last_error"] or "")
    assert call(notifications, "unread_count", *FAMILY) == {"unread": 1}

    smtp.start()  # the server is back
    wait_for(lambda: statuses() == {"sent": 1}, message="the email sent once the server is back")
    assert len(smtp.messages) == 1
    assert len(listed(notifications, *FAMILY)) == 1


def test_an_email_given_up_after_its_last_attempt_leaves_the_notification(
    container_factory, service_config, mail_env, monkeypatch, publish_raw, caplog, owners
):
    owners()
    monkeypatch.setenv("COCOON_MAIL_MAX_ATTEMPTS", "2")
    notifications = container_factory(NotificationsService, service_config)
    notifications.start()
    deliver(notifications, publish_raw, new_event("bookings.booking_confirmed", CONFIRMED))

    wait_for(lambda: statuses() == {"failed": 1}, message="the email given up")
    assert deliveries()[0]["attempts"] == 2
    assert "ConnectionRefusedError" in deliveries()[0]["last_error"]  # the SMTP server, not the lookup
    assert [n["kind"] for n in listed(notifications, *FAMILY)] == ["booking_confirmed"]
    assert any("given up after its last attempt" in r.getMessage() for r in caplog.records)


def test_without_an_smtp_host_the_email_is_appended_to_the_mailbox_file(
    container_factory, service_config, mail_env, monkeypatch, publish_raw, tmp_path, owners
):
    owners()
    monkeypatch.delenv("COCOON_SMTP_HOST")
    notifications = container_factory(NotificationsService, service_config)
    notifications.start()
    deliver(notifications, publish_raw, new_event("bookings.booking_confirmed", CONFIRMED))

    wait_for(lambda: statuses() == {"sent": 1}, message="the email written")
    [message] = list(mailbox.mbox(tmp_path / "notifications.mbox"))
    assert message["To"] == "camille.durand@example.fr"


def test_a_family_its_service_does_not_know_gets_the_notification_without_email(notifications, publish_raw):
    unknown = dict(CONFIRMED, family_id="f-unknown")
    deliver(notifications, publish_raw, new_event("bookings.booking_confirmed", unknown))
    assert len(listed(notifications, "family", "f-unknown")) == 1
    wait_for(lambda: deliveries() == [], message="the email dropped once bookings said it knows nobody")
    assert len(listed(notifications, "family", "f-unknown")) == 1


def test_only_its_owner_marks_a_notification_read(notifications, publish_raw):
    deliver(notifications, publish_raw, new_event("bookings.booking_confirmed", CONFIRMED))
    [notice] = listed(notifications, *FAMILY)

    with pytest.raises(NotFound):
        call(notifications, "mark_read", "family", "f-2", notice["id"])  # another family: as if missing
    with pytest.raises(NotFound):
        call(notifications, "mark_read", "volunteer", "f-1", notice["id"])  # same id, another role
    assert call(notifications, "unread_count", *FAMILY) == {"unread": 1}

    assert call(notifications, "mark_read", *FAMILY, notice["id"])["read"] is True
    assert call(notifications, "mark_read", *FAMILY, notice["id"])["read"] is True  # again: no change
    assert call(notifications, "unread_count", *FAMILY) == {"unread": 0}


def test_mark_all_read_marks_only_the_persons_own(notifications, publish_raw):
    deliver(notifications, publish_raw, new_event("bookings.booking_confirmed", CONFIRMED))
    other = dict(CONFIRMED, family_id="f-2", booking_id="b-2")
    deliver(notifications, publish_raw, new_event("bookings.booking_confirmed", other))
    assert call(notifications, "mark_all_read", *FAMILY) == {"marked": 1}
    assert call(notifications, "unread_count", "family", "f-2") == {"unread": 1}


def test_the_list_is_newest_first_and_paged(notifications, publish_raw):
    for number in range(3):
        event = new_event("bookings.booking_confirmed", dict(CONFIRMED, booking_id=f"b-{number}"))
        deliver(notifications, publish_raw, event)
    every = listed(notifications, *FAMILY)
    assert [n["created_at"] for n in every] == sorted((n["created_at"] for n in every), reverse=True)
    first = call(notifications, "list_notifications", *FAMILY, {"limit": 2})
    second = call(notifications, "list_notifications", *FAMILY, {"limit": 2, "cursor": first["next_cursor"]})
    assert [n["id"] for n in first["items"] + second["items"]] == [n["id"] for n in every]
    assert second["next_cursor"] is None


def test_a_moved_activity_tells_its_counted_volunteer_at_the_address_her_service_gives(
    container_factory, service_config, mail_env, smtp, publish_raw, owners
):
    smtp.start()
    owners("volunteers")
    bookings = container_factory(BookingsService, service_config)
    notifications = container_factory(NotificationsService, service_config)
    bookings.start()
    notifications.start()
    activity = schedule_activity(bookings, title="Heure du conte", volunteer_slots=2)
    signup = {"signup_id": "su-1", "activity_id": activity["id"], "volunteer_id": "v-1"}
    with entrypoint_waiter(bookings, "count_volunteer", timeout=10):
        publish_raw("volunteers.signup_confirmed", new_event("volunteers.signup_confirmed", signup))

    with entrypoint_waiter(notifications, "notify_activity_rescheduled", timeout=10):
        call(bookings, "reschedule_activity", activity["id"], {"room_id": activity["room_id"]})
    [notice] = listed(notifications, "volunteer", "v-1")
    assert notice["text"].startswith("L'activité « Heure du conte » est déplacée : désormais le ")

    with entrypoint_waiter(notifications, "notify_activity_cancelled", timeout=10):
        call(bookings, "cancel_activity", activity["id"], {"reason": "Intervenant malade"})
    texts = [n["text"] for n in listed(notifications, "volunteer", "v-1")]
    assert texts[0].endswith("est annulée. Motif : Intervenant malade.")

    wait_for(lambda: statuses() == {"sent": 2}, message="both emails sent")
    assert [to for to, _raw in smtp.messages] == [["jeanne.martin@example.fr"]] * 2


def test_the_flow_works_the_same_on_postgresql(start_on_postgres, mail_env, smtp, publish_raw, owners):
    smtp.start()
    owners()
    notifications = start_on_postgres(NotificationsService)
    event = new_event("bookings.booking_confirmed", CONFIRMED)
    deliver(notifications, publish_raw, event)
    deliver(notifications, publish_raw, event)
    other = dict(CONFIRMED, booking_id="b-2", family_id="f-2", child_id="c-2")
    deliver(notifications, publish_raw, new_event("bookings.booking_confirmed", other))

    assert len(listed(notifications, *FAMILY)) == 1
    wait_for(lambda: statuses() == {"sent": 2}, message="both emails sent")
    assert sorted(to for [to], _raw in smtp.messages) == ["camille.durand@example.fr", "dominique.roux@example.fr"]
    texts = sorted(n["text"] for n in listed(notifications, *FAMILY) + listed(notifications, "family", "f-2"))
    assert [text.split(" : ")[0] for text in texts] == [f"Réservation confirmée pour {n}" for n in ("Léa", "Noé")]
