"""Personal data travels by id (docs/architecture.md), on the real broker with the real bookings
and notifications services: a booking's confirmation still reaches the family with the child's
first name, asked of bookings when the email leaves, while no message on the events exchanges
(captured by a queue bound to all of them), no outbox row and no pending email's facts carry
the family's address or the child's first name."""

import email
import json
from email.policy import default as default_policy

from kombu import Connection, Exchange, Queue, binding

from services.bookings import models as bookings_models
from services.bookings.service import BookingsService
from services.notifications import models
from services.notifications.service import NotificationsService
from shared import components
from tests.factories import create_child, create_family, create_slot
from tests.integration.notifications.test_notifications_flow import statuses
from tests.support import call, wait_for

CAPTURE = "test-capture-every-event"
ADDRESS = "camille.durand@example.fr"


def capture_every_event(amqp_uri):
    """A queue bound to every service's events exchange, every routing key: what any consumer could get."""
    bindings = [
        binding(Exchange(f"{name}.events", type="topic", durable=True), routing_key="#")
        for name in components.SERVICE_NAMES
    ]
    with Connection(amqp_uri) as conn:
        for found in bindings:
            found.exchange.maybe_bind(conn.default_channel)
            found.exchange.declare()
        Queue(CAPTURE, bindings=bindings, durable=False, auto_delete=False).maybe_bind(conn.default_channel).declare()


def captured(take_messages):
    return [json.loads(message["payload"]) for message in take_messages(CAPTURE, count=100)]


def test_the_confirmation_reaches_the_family_with_the_childs_name_and_no_event_carries_her_address(
    container_factory, service_config, rabbit_config, mail_env, smtp, take_messages
):
    capture_every_event(rabbit_config["AMQP_URI"])
    smtp.start()
    bookings = container_factory(BookingsService, service_config)
    notifications = container_factory(NotificationsService, service_config)
    bookings.start()
    notifications.start()
    family = create_family(bookings, email=ADDRESS)
    child = create_child(bookings, family, first_name="Léa")
    booked = call(bookings, "book", family["id"], {"slot_id": create_slot(bookings)["id"], "child_id": child["id"]})

    wait_for(lambda: statuses() == {"sent": 1}, message="the confirmation sent")
    [(to, raw)] = smtp.messages
    assert to == [ADDRESS]
    body = email.message_from_bytes(raw, policy=default_policy).get_body(preferencelist=("plain",)).get_content()
    assert "Réservation confirmée pour Léa : " in body

    seen = []  # every message taken from the capture queue

    def confirmed_on_the_bus():
        seen.extend(captured(take_messages))
        return [e for e in seen if e["type"] == "bookings.booking_confirmed"] or None

    events = wait_for(confirmed_on_the_bus, message="the booking_confirmed captured on the bus")
    assert [(e["version"], e["payload"]["booking_id"]) for e in events] == [(2, booked["id"])]
    seen.extend(captured(take_messages))
    everything = json.dumps(seen, ensure_ascii=False)
    assert ADDRESS not in everything and "Léa" not in everything
    with bookings_models.database.connection_context():
        outbox = json.dumps([json.loads(row.body) for row in bookings_models.Outbox.select()], ensure_ascii=False)
    assert "booking_confirmed" in outbox and ADDRESS not in outbox and "Léa" not in outbox
    with models.database.connection_context():
        [sent] = models.Delivery.select()
        assert ADDRESS not in json.dumps(sent.facts) and sent.to == ADDRESS
