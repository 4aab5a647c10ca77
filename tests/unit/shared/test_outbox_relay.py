"""The outbox relay's decisions on a real SQLite file; the broker is a scripted stub here
(tests/integration/shared/test_outbox_relay.py runs the same cases on RabbitMQ and PostgreSQL)."""

import logging
from datetime import timedelta

import pytest
from peewee import SqliteDatabase

from shared.db import SQLITE_PRAGMAS
from shared.events import new_event
from shared.outbox import backlog, db_now, outbox_model, record_event
from shared.outbox_relay import OutboxRelay

CONSUMED = "bookings.activity_scheduled"  # some service consumes it in these tests
UNCONSUMED = "volunteers.volunteer_registered"  # no service does, in these tests
PAYLOADS = {
    CONSUMED: {
        "activity_id": "a1",
        "title": "Heure du conte",
        "kind": "story_time",
        "room_id": "r1",
        "room_name": "Lucioles",
        "starts_at": "2026-12-01T09:00:00+01:00",
        "ends_at": "2026-12-01T10:00:00+01:00",
        "children_capacity": 8,
        "volunteer_slots": 2,
        "trainee_slots": 1,
    },
    UNCONSUMED: {"volunteer_id": "v1"},
}


@pytest.fixture
def outbox(tmp_path):
    database = SqliteDatabase(str(tmp_path / "t.db"), pragmas=SQLITE_PRAGMAS)
    model = outbox_model(database)
    database.create_tables([model])
    return model


class ScriptedBroker:
    """Stands for RabbitMQ: routes every message unless told to return it (unroutable) or to
    fail on it, by event id. Records every publish, so a repeat shows."""

    def __init__(self):
        self.published = []
        self.unroutable = set()
        self.failures = {}  # event_id -> exception raised when it is published
        self.on_publish = None
        self.bulks = []  # the message ids of each publish_many call

    def connect(self):
        pass

    def publish(self, body, exchange, routing_key, headers, message_id):
        if self.on_publish:
            self.on_publish(message_id)
        if message_id in self.failures:
            raise self.failures[message_id]
        self.published.append(message_id)
        return message_id not in self.unroutable

    def publish_many(self, messages):
        """As ConfirmedPublisher: one outcome per message, a refusal as an exception instance."""
        self.bulks.append([message["message_id"] for message in messages])
        outcomes = []
        for message in messages:
            try:
                outcomes.append(self.publish(**message))
            except ConnectionError:
                raise
            except Exception as exc:
                outcomes.append(exc)
        return outcomes

    def close(self):
        pass


def relay_for(outbox, broker, **options):
    relay = OutboxRelay(outbox, "memory://", sweep_seconds=1, consumed_types={CONSUMED}, **options)
    relay.publisher = broker
    return relay


def record(outbox, event_type=CONSUMED):
    return record_event(outbox, new_event(event_type, PAYLOADS[event_type])).event_id


def make_all_due(outbox):
    outbox.update(next_attempt_at=db_now() - timedelta(seconds=1)).where(outbox.published_at.is_null()).execute()


def row(outbox, event_id):
    return outbox.get(outbox.event_id == event_id)


# --- consumed or not --------------------------------------------------------------------------
def test_an_event_a_service_consumes_is_never_abandoned_and_waits_at_most_60_seconds_between_tries(outbox):
    event_id = record(outbox)
    broker = ScriptedBroker()
    broker.unroutable.add(event_id)
    relay = relay_for(outbox, broker)
    for _ in range(25):
        make_all_due(outbox)
        assert relay.publish_pending() == 1  # still tried, every time
    kept = row(outbox, event_id)
    assert (kept.attempts, kept.published_at, kept.unconsumed_at) == (25, None, None)
    assert "queue" in kept.last_error
    assert kept.next_attempt_at - db_now() <= timedelta(seconds=60)
    assert backlog(outbox)["outbox_pending_by_type"] == {CONSUMED: 1}


def test_an_event_no_service_consumes_is_marked_unconsumed_quietly_at_its_first_return(outbox, caplog):
    event_ids = [record(outbox, UNCONSUMED) for _ in range(3)]
    broker = ScriptedBroker()
    broker.unroutable.update(event_ids)
    relay = relay_for(outbox, broker)
    with caplog.at_level(logging.DEBUG, logger="shared.outbox_relay"):
        assert relay.publish_pending() == 3
    assert all(row(outbox, e).unconsumed_at is not None for e in event_ids)
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert len([r for r in caplog.records if r.levelno == logging.INFO]) == 1  # one line for the type
    make_all_due(outbox)
    assert relay.publish_pending() == 0  # not tried again
    assert backlog(outbox) == {
        "outbox_pending": 0,
        "outbox_pending_by_type": {},
        "outbox_oldest_pending_seconds": None,
        "outbox_unconsumed": 3,
    }


def test_an_event_no_service_consumes_is_still_delivered_when_a_queue_is_bound_for_it(outbox):
    event_id = record(outbox, UNCONSUMED)
    relay_for(outbox, ScriptedBroker()).publish_pending()
    assert row(outbox, event_id).published_at is not None


# --- no event type delays another ------------------------------------------------------------
def test_an_event_a_service_consumes_is_claimed_before_older_events_no_service_consumes(outbox):
    older = [record(outbox, UNCONSUMED) for _ in range(3)]
    awaited = record(outbox, CONSUMED)
    broker = ScriptedBroker()
    relay = relay_for(outbox, broker, batch_size=2)
    relay.publish_pending()
    assert broker.published[0] == awaited
    assert row(outbox, awaited).published_at is not None
    while relay.publish_pending():
        pass
    assert sorted(broker.published[1:]) == sorted(older)


def test_events_of_a_type_already_returned_as_unconsumed_are_published_in_one_bulk_after_the_others(outbox):
    first = record(outbox, UNCONSUMED)
    broker = ScriptedBroker()
    broker.unroutable.add(first)
    relay = relay_for(outbox, broker)
    relay.publish_pending()  # the first return tells the relay nobody consumes the type
    assert broker.bulks == []

    flood = [record(outbox, UNCONSUMED) for _ in range(3)]
    routed, not_json = flood[1], "00000000-0000-4000-8000-000000000001"
    outbox.create(event_id=not_json, event_type=UNCONSUMED, correlation_id="c", body="{not json")
    awaited = record(outbox, CONSUMED)
    broker.unroutable.update([flood[0], flood[2]])
    broker.failures[flood[2]] = ValueError("nacked")
    assert relay.publish_pending() == 5
    assert broker.published[1] == awaited  # one by one, before the bulk
    assert broker.bulks == [[flood[0], routed, flood[2]]]  # one wait for all their confirms
    assert row(outbox, flood[0]).unconsumed_at is not None and row(outbox, flood[0]).attempts == 1
    assert row(outbox, routed).published_at is not None  # someone bound a queue for it after all
    assert "nacked" in row(outbox, flood[2]).last_error and row(outbox, flood[2]).published_at is None
    assert "JSONDecodeError" in row(outbox, not_json).last_error  # fails alone, out of the bulk


# --- one row's failure ------------------------------------------------------------------------
def test_a_row_that_fails_neither_republishes_the_rows_before_it_nor_blocks_those_after(outbox):
    first, failing, last = record(outbox), record(outbox), record(outbox)
    broker = ScriptedBroker()
    broker.failures[failing] = ValueError("refused by the exchange")
    relay = relay_for(outbox, broker)

    assert relay.publish_pending() == 3
    assert broker.published == [first, last]
    kept = row(outbox, failing)
    assert (kept.published_at, kept.attempts) == (None, 1)
    assert "refused by the exchange" in kept.last_error
    assert kept.next_attempt_at > db_now()  # backs off, alone

    del broker.failures[failing]
    make_all_due(outbox)
    relay.publish_pending()
    assert broker.published == [first, last, failing]  # each once


def test_a_row_whose_body_is_not_json_fails_alone(outbox):
    broken = outbox.create(
        event_id="00000000-0000-4000-8000-000000000000", event_type=CONSUMED, correlation_id="c", body="{not json"
    )
    after = record(outbox)
    broker = ScriptedBroker()
    relay_for(outbox, broker).publish_pending()
    assert broker.published == [after]
    assert "JSONDecodeError" in row(outbox, broken.event_id).last_error


def test_a_broken_connection_ends_the_pass_and_the_rows_not_tried_are_due_again_at_once(outbox):
    first, breaking, untried = record(outbox), record(outbox), record(outbox)
    broker = ScriptedBroker()
    broker.failures[breaking] = ConnectionResetError("connection reset by the broker")
    relay = relay_for(outbox, broker)

    with pytest.raises(ConnectionResetError):
        relay.publish_pending()
    assert broker.published == [first]
    assert row(outbox, first).published_at is not None
    assert row(outbox, breaking).attempts == 1 and row(outbox, breaking).next_attempt_at > db_now()
    assert row(outbox, untried).attempts == 0 and row(outbox, untried).next_attempt_at <= db_now()

    del broker.failures[breaking]
    relay.publish_pending()
    assert broker.published == [first, untried]


# --- claims -----------------------------------------------------------------------------------
def test_claimed_rows_are_leased_so_a_second_relay_skips_them(outbox):
    event_id = record(outbox)
    claimed = relay_for(outbox, ScriptedBroker())._claim()
    assert [r.event_id for r in claimed] == [event_id]
    other = ScriptedBroker()
    assert relay_for(outbox, other).publish_pending() == 0
    assert other.published == []


def test_rows_whose_lease_runs_short_are_released_not_published(outbox, monkeypatch):
    first, second = record(outbox), record(outbox)
    clock = {"now": 1000.0}
    monkeypatch.setattr("shared.outbox_relay.time.monotonic", lambda: clock["now"])
    broker = ScriptedBroker()
    broker.on_publish = lambda _: clock.update(now=clock["now"] + 55)  # a slow publish eats the lease
    relay_for(outbox, broker, lease_seconds=60, confirm_timeout=10).publish_pending()
    assert broker.published == [first]
    assert row(outbox, second).next_attempt_at <= db_now()  # due again, for any relay


# --- health -------------------------------------------------------------------------------------
def test_backlog_counts_unsent_rows_by_type_with_the_age_of_the_oldest(outbox):
    record(outbox, CONSUMED)
    record(outbox, CONSUMED)
    record(outbox, UNCONSUMED)
    outbox.update(created_at=db_now() - timedelta(minutes=5)).where(outbox.id == 1).execute()
    state = backlog(outbox)
    assert state["outbox_pending_by_type"] == {CONSUMED: 2, UNCONSUMED: 1}  # not tried yet: backlog
    assert state["outbox_pending"] == 3
    assert 299 <= state["outbox_oldest_pending_seconds"] < 400
    assert state["outbox_unconsumed"] == 0
