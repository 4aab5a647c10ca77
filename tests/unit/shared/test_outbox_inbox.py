"""Outbox and inbox logic on a real SQLite file; the broker is replaced by a recording stub."""

import json
from datetime import timedelta

import pytest
from peewee import IntegerField, Model, SqliteDatabase

from shared.db import SQLITE_PRAGMAS
from shared.events import new_event
from shared.inbox import claim, inbox_model
from shared.outbox import db_now, outbox_model, record_event
from shared.outbox_relay import OutboxRelay

PAYLOAD = {"volunteer_id": "v1"}


@pytest.fixture
def db(tmp_path):
    database = SqliteDatabase(str(tmp_path / "t.db"), pragmas=SQLITE_PRAGMAS)
    return database


@pytest.fixture
def outbox(db):
    model = outbox_model(db)
    db.create_tables([model])
    return model


class RecordingPublisher:
    """Stands for the broker: records what is published, or answers 'not routed', or fails."""

    def __init__(self, fail_with=None, routed=True):
        self.sent = []
        self.fail_with = fail_with
        self.routed = routed

    def connect(self):
        pass

    def publish(self, body, **kwargs):
        if self.fail_with:
            raise self.fail_with
        self.sent.append((body, kwargs))
        return self.routed

    def close(self):
        pass


def make_relay(outbox, publisher):
    # as if some service consumed volunteer_registered: an unroutable one is kept (test_outbox_relay.py
    # covers the types no service consumes)
    relay = OutboxRelay(outbox, "memory://", sweep_seconds=1, consumed_types={"volunteers.volunteer_registered"})
    relay.publisher = publisher
    return relay


def test_event_recorded_in_a_rolled_back_transaction_is_not_kept(db, outbox):
    with pytest.raises(RuntimeError):
        with db.atomic():
            record_event(outbox, new_event("volunteers.volunteer_registered", PAYLOAD))
            raise RuntimeError("the change failed")
    assert outbox.select().count() == 0


def test_relay_publishes_pending_rows_in_order_on_the_source_exchange(db, outbox):
    first = new_event("volunteers.volunteer_registered", PAYLOAD, correlation_id="c1")
    second = new_event("volunteers.volunteer_registered", dict(PAYLOAD, volunteer_id="v2"), correlation_id="c2")
    with db.atomic():
        record_event(outbox, first)
        record_event(outbox, second)
    publisher = RecordingPublisher()

    assert make_relay(outbox, publisher).publish_pending() == 2

    bodies = [body for body, _ in publisher.sent]
    assert bodies == [first, second]
    kwargs = publisher.sent[0][1]
    assert kwargs["exchange"].name == "volunteers.events"
    assert kwargs["routing_key"] == "volunteer_registered"
    assert kwargs["headers"]["nameko.correlation_id"] == "c1"
    assert kwargs["message_id"] == first["event_id"]
    assert outbox.select().where(outbox.published_at.is_null()).count() == 0


def test_published_rows_are_not_sent_again(db, outbox):
    record_event(outbox, new_event("volunteers.volunteer_registered", PAYLOAD))
    publisher = RecordingPublisher()
    relay = make_relay(outbox, publisher)
    relay.publish_pending()
    assert relay.publish_pending() == 0
    assert len(publisher.sent) == 1


def test_unroutable_event_is_kept_and_retried_later(db, outbox):
    record_event(outbox, new_event("volunteers.volunteer_registered", PAYLOAD))
    relay = make_relay(outbox, RecordingPublisher(routed=False))

    relay.publish_pending()

    row = outbox.get()
    assert row.published_at is None
    assert row.attempts == 1
    assert "unroutable" in row.last_error
    assert row.next_attempt_at > db_now()
    assert relay.publish_pending() == 0  # not due yet: backoff

    outbox.update(next_attempt_at=db_now() - timedelta(seconds=1)).execute()
    relay.publisher = RecordingPublisher()
    assert relay.publish_pending() == 1
    assert outbox.get().published_at is not None


def test_broker_failure_leaves_rows_unsent(db, outbox):
    record_event(outbox, new_event("volunteers.volunteer_registered", PAYLOAD))
    relay = make_relay(outbox, RecordingPublisher(fail_with=ConnectionError("broker down")))
    with pytest.raises(ConnectionError):
        relay.publish_pending()
    assert outbox.get().published_at is None


def test_outbox_row_holds_the_exact_envelope(db, outbox):
    event = new_event("volunteers.volunteer_registered", PAYLOAD)
    record_event(outbox, event)
    row = outbox.get()
    assert json.loads(row.body) == event
    assert (row.event_id, row.event_type) == (event["event_id"], "volunteers.volunteer_registered")


# --- inbox ------------------------------------------------------------------------------
@pytest.fixture
def inbox(db):
    model = inbox_model(db)

    class Counter(Model):
        value = IntegerField(default=0)

        class Meta:
            database = db

    db.create_tables([model, Counter])
    Counter.create()
    return model, Counter


def apply(db, inbox_table, counter, event, handler="count"):
    with db.atomic():
        if claim(inbox_table, event, handler):
            counter.update(value=counter.value + 1).execute()


def test_inbox_applies_an_event_once(db, inbox):
    inbox_table, counter = inbox
    event = new_event("volunteers.volunteer_registered", PAYLOAD)
    apply(db, inbox_table, counter, event)
    apply(db, inbox_table, counter, event)
    assert counter.get().value == 1


def test_inbox_keys_by_handler(db, inbox):
    inbox_table, counter = inbox
    event = new_event("volunteers.volunteer_registered", PAYLOAD)
    apply(db, inbox_table, counter, event, handler="a")
    apply(db, inbox_table, counter, event, handler="b")
    assert counter.get().value == 2


def test_claim_rolls_back_with_a_failed_effect(db, inbox):
    inbox_table, counter = inbox
    event = new_event("volunteers.volunteer_registered", PAYLOAD)
    with pytest.raises(RuntimeError):
        with db.atomic():
            assert claim(inbox_table, event, "count")
            raise RuntimeError("handler failed")
    apply(db, inbox_table, counter, event)  # the retry applies it
    assert counter.get().value == 1
