"""Rows a worker hands over to the relay: recorded leased, sent together once committed without
waiting for the confirms of those sent before, their outcomes written together; whatever goes
wrong leaves them to the claims of tests/unit/shared/test_outbox_relay.py (same scripted broker,
which here also sends without waiting)."""

import time
from datetime import timedelta

import eventlet
import pytest
from peewee import SqliteDatabase

from shared.db import SQLITE_PRAGMAS
from shared.events import new_event
from shared.outbox import db_now, outbox_model, record_event
from shared.unit_of_work import Work
from tests.support import wait_for
from tests.unit.shared.test_outbox_relay import CONSUMED, PAYLOADS, UNCONSUMED, ScriptedBroker, relay_for

LEASE = 60


class PipelineBroker(ScriptedBroker):
    """Also sends without waiting, as ConfirmedPublisher.send: each message's outcome is given at
    the next read_confirms, unless `holding` (its confirm has not come)."""

    def __init__(self):
        super().__init__()
        self.sends = []  # the message ids of each send
        self.generation = 1
        self.holding = False
        self._tags, self._pending, self._settled = 0, {}, {}

    def send(self, messages):
        self.sends.append([message["message_id"] for message in messages])
        tags = []
        for message in messages:
            try:
                outcome = self.publish(**message)
            except ConnectionError:
                self.discard()
                raise
            except Exception as exc:  # a nack
                outcome = exc
            self._tags += 1
            self._pending[self._tags] = outcome
            tags.append(self._tags)
        return tags

    def read_confirms(self, timeout):
        if not self.holding:
            self._settled.update(self._pending)
            self._pending.clear()

    def settled(self, message_ids, generation):
        if generation != self.generation:
            raise ConnectionError("gone")
        return {tag: self._settled.pop(tag) for tag in list(message_ids) if tag in self._settled}

    def discard(self):
        self.generation += 1
        self._tags = 0  # a new connection numbers its messages from 1 again
        self._pending.clear()
        self._settled.clear()


@pytest.fixture
def outbox(tmp_path):
    database = SqliteDatabase(str(tmp_path / "t.db"), pragmas=SQLITE_PRAGMAS)
    model = outbox_model(database)
    database.create_tables([model])
    return model


def leased(outbox, event_type=CONSUMED):
    """A row as a worker records it while the relay runs (Work.emit), committed."""
    row = record_event(outbox, new_event(event_type, PAYLOADS[event_type]), lease_seconds=LEASE)
    row.lease_ends = time.monotonic() + LEASE
    return row


def row(outbox, event_id):
    return outbox.get(outbox.event_id == event_id)


class Statements:
    """Counts the SELECT and UPDATE statements run on the outbox's database."""

    def __init__(self, database, monkeypatch):
        self.run = []
        execute = database.execute_sql

        def counting(sql, *args, **kwargs):
            if sql.split(None, 1)[0].upper() in ("SELECT", "UPDATE"):
                self.run.append(sql.split(None, 1)[0].upper())
            return execute(sql, *args, **kwargs)

        monkeypatch.setattr(database, "execute_sql", counting)


def test_rows_handed_over_are_sent_together_and_marked_with_one_read_and_one_write(outbox, monkeypatch):
    rows = [leased(outbox) for _ in range(20)] + [leased(outbox, UNCONSUMED)]
    broker = PipelineBroker()
    relay = relay_for(outbox, broker)
    assert relay.publish_pending() == 0  # leased: no claim takes them meanwhile

    relay.take(rows)
    statements = Statements(outbox._meta.database, monkeypatch)
    assert relay.publish_handed_over() == 0  # none left awaiting its confirm
    assert broker.sends == [[r.event_id for r in rows]]  # sent together
    assert statements.run == ["SELECT", "UPDATE"]  # which are committed, then their outcome
    assert all(row(outbox, r.event_id).published_at is not None for r in rows)
    assert all(row(outbox, r.event_id).attempts == 1 for r in rows)


def test_a_row_whose_transaction_rolled_back_is_never_published(outbox):
    database = outbox._meta.database
    with database.atomic() as transaction:
        gone = leased(outbox)
        transaction.rollback()
    kept = leased(outbox)
    broker = PipelineBroker()
    relay = relay_for(outbox, broker)
    relay.take([gone, kept])
    relay.publish_handed_over()
    assert broker.published == [kept.event_id]


def test_a_consumed_event_returned_unroutable_is_kept_and_an_unconsumed_one_is_set_aside(outbox):
    consumed, unconsumed, routed = leased(outbox), leased(outbox, UNCONSUMED), leased(outbox)
    broker = PipelineBroker()
    broker.unroutable.update([consumed.event_id, unconsumed.event_id])
    relay = relay_for(outbox, broker)
    relay.take([consumed, unconsumed, routed])
    relay.publish_handed_over()

    kept = row(outbox, consumed.event_id)
    assert (kept.published_at, kept.unconsumed_at, kept.attempts) == (None, None, 1)
    assert "queue" in kept.last_error and kept.next_attempt_at > db_now()  # tried again after a backoff
    assert row(outbox, unconsumed.event_id).unconsumed_at is not None
    assert row(outbox, routed.event_id).published_at is not None
    assert UNCONSUMED in relay._types_said_unconsumed  # its next events go in the claims' bulk


def test_a_refused_row_backs_off_alone(outbox):
    first, refused, last = leased(outbox), leased(outbox), leased(outbox)
    broker = PipelineBroker()
    broker.failures[refused.event_id] = ValueError("nacked")
    relay = relay_for(outbox, broker)
    relay.take([first, refused, last])
    relay.publish_handed_over()
    assert row(outbox, first.event_id).published_at is not None
    assert row(outbox, last.event_id).published_at is not None
    failed = row(outbox, refused.event_id)
    assert failed.published_at is None and "nacked" in failed.last_error and failed.next_attempt_at > db_now()


def test_a_broken_connection_makes_every_row_handed_over_due_again_for_the_claims(outbox):
    rows = [leased(outbox) for _ in range(3)]
    waiting = leased(outbox)
    broker = PipelineBroker()
    broker.failures[rows[1].event_id] = ConnectionResetError("connection reset by the broker")
    relay = relay_for(outbox, broker, batch_size=3)
    relay.take(rows + [waiting])
    with pytest.raises(ConnectionResetError):
        relay.publish_handed_over()
    assert all(row(outbox, r.event_id).next_attempt_at <= db_now() for r in rows + [waiting])
    assert not relay._handed_over

    del broker.failures[rows[1].event_id]
    while relay.publish_pending():  # at least once: the claims publish them again
        pass
    assert all(row(outbox, r.event_id).published_at is not None for r in rows + [waiting])


def test_a_row_that_waited_until_its_lease_could_end_is_left_to_a_claim(outbox):
    late = leased(outbox)
    late.lease_ends = time.monotonic() + 5  # less than one confirm's wait left
    broker = PipelineBroker()
    relay = relay_for(outbox, broker, confirm_timeout=10)
    relay.take([late])
    relay.publish_handed_over()
    assert broker.sends == []
    assert row(outbox, late.event_id).next_attempt_at <= db_now()
    assert relay.publish_pending() == 1


def test_a_relay_stopping_writes_what_it_knows_and_leaves_the_rest_to_the_claims(outbox):
    confirmed, unconfirmed, waiting = leased(outbox), leased(outbox), leased(outbox)
    broker = PipelineBroker()
    broker.holding = True
    relay = relay_for(outbox, broker)
    relay.take([confirmed, unconfirmed])
    relay.publish_handed_over()
    broker._settled[1] = broker._pending.pop(1)  # the broker confirmed the first one only
    assert relay.publish_handed_over() == 1
    assert row(outbox, confirmed.event_id).published_at is None  # written with the next ones
    relay.take([waiting])

    relay.stop()
    assert row(outbox, confirmed.event_id).published_at is not None
    assert all(row(outbox, r.event_id).next_attempt_at <= db_now() for r in (unconfirmed, waiting))
    relay.take([leased(outbox)])  # stopped: not taken; its lease ends, then a claim publishes it
    assert not relay._handed_over


def test_rows_handed_over_while_others_await_their_confirm_are_sent_without_waiting(outbox):
    first, second = leased(outbox), leased(outbox)
    broker = PipelineBroker()
    broker.holding = True  # the broker has not confirmed yet
    relay = relay_for(outbox, broker)
    relay.take([first])
    assert relay.publish_handed_over() == 1  # sent, its confirm awaited
    relay.take([second])
    assert relay.publish_handed_over() == 2
    assert broker.sends == [[first.event_id], [second.event_id]]  # the second did not wait for the first
    assert row(outbox, first.event_id).published_at is None  # marked once confirmed

    broker.holding = False
    assert relay.publish_handed_over() == 0
    assert all(row(outbox, r.event_id).published_at is not None for r in (first, second))


def test_rows_whose_confirm_never_comes_are_due_again_and_the_connection_dropped(outbox, monkeypatch):
    clock = {"now": 1000.0}
    monkeypatch.setattr("shared.outbox_relay.time.monotonic", lambda: clock["now"])
    waiting = leased(outbox)
    waiting.lease_ends = clock["now"] + LEASE
    broker = PipelineBroker()
    broker.holding = True
    relay = relay_for(outbox, broker, confirm_timeout=10)
    relay.take([waiting])
    relay.publish_handed_over()
    clock["now"] += 11
    with pytest.raises(TimeoutError):
        relay.publish_handed_over()
    assert broker.generation == 2  # dropped: nothing more is read from it
    assert row(outbox, waiting.event_id).next_attempt_at <= db_now()  # for a claim, at least once


def test_rows_in_flight_on_a_connection_a_claim_dropped_are_left_to_the_claims(outbox):
    waiting = leased(outbox)
    broker = PipelineBroker()
    broker.holding = True
    relay = relay_for(outbox, broker)
    relay.take([waiting])
    relay.publish_handed_over()
    relay._claim_soon = False
    broker.discard()  # a claim's publish failed and dropped the connection
    assert relay.publish_handed_over() == 0
    assert row(outbox, waiting.event_id).next_attempt_at <= db_now() and relay._claim_soon


def test_rows_sent_on_a_dropped_connection_are_not_taken_for_those_sent_on_the_next(outbox):
    lost, sent = leased(outbox), leased(outbox)
    broker = PipelineBroker()
    broker.holding = True
    relay = relay_for(outbox, broker)
    relay.take([lost])
    relay.publish_handed_over()
    broker.discard()  # dropped before its confirm; the next send numbers from 1 again
    broker.holding = False
    relay.take([sent])
    assert relay.publish_handed_over() == 0
    assert row(outbox, sent.event_id).published_at is not None
    assert row(outbox, lost.event_id).published_at is None  # not marked on the next one's confirm
    assert row(outbox, lost.event_id).next_attempt_at <= db_now()  # due again, for a claim


def test_a_worker_records_its_events_leased_only_while_the_relay_runs(outbox):
    database = outbox._meta.database
    relay = relay_for(outbox, PipelineBroker())
    with_relay, without = Work(database, outbox, None, "cid", relay), Work(database, outbox, None, "cid")
    with with_relay.atomic():
        handed = with_relay.emit(CONSUMED, PAYLOADS[CONSUMED])
    with without.atomic():
        without.emit(CONSUMED, PAYLOADS[CONSUMED])
    [(_, taken)] = relay._handed_over  # at the commit
    assert taken.event_id == handed["event_id"] and with_relay.leased == []
    assert row(outbox, taken.event_id).next_attempt_at > db_now() + timedelta(seconds=LEASE - 5)
    assert without.leased == [] and len(without.emitted) == 1
    assert relay.publish_pending() == 1  # the other one, due at once


def test_a_worker_hands_its_rows_over_when_the_transaction_it_opened_commits_and_drops_those_rolled_back(outbox):
    database = outbox._meta.database
    relay = relay_for(outbox, PipelineBroker())
    work = Work(database, outbox, None, "cid", relay)
    with database.atomic():  # opened elsewhere (an idempotent command's): not handed over yet
        with work.atomic():
            work.emit(CONSUMED, PAYLOADS[CONSUMED])
        with pytest.raises(RuntimeError), work.atomic():
            work.emit(CONSUMED, PAYLOADS[CONSUMED])
            raise RuntimeError("refused: rolled back to the savepoint")
        assert not relay._handed_over and len(work.leased) == 1
    work.hand_over()  # when the worker ends
    assert len(relay._handed_over) == 1


def test_the_running_relay_publishes_what_it_is_handed_at_once_and_claims_only_at_its_sweeps(outbox):
    older = record_event(outbox, new_event(CONSUMED, PAYLOADS[CONSUMED]))  # left by an earlier process
    broker = PipelineBroker()
    relay = relay_for(outbox, broker)
    relay.sweep_seconds = 600  # no sweep during the test but the first, at start
    claims = []
    publish_pending = relay.publish_pending
    relay.publish_pending = lambda: claims.append(1) or publish_pending()
    runner = eventlet.spawn(relay.run)
    try:
        wait_for(lambda: broker.published == [older.event_id], timeout=10, message="the first sweep")
        handed = [leased(outbox), leased(outbox)]
        relay.take(handed)
        wait_for(lambda: row(outbox, handed[1].event_id).published_at is not None, timeout=10, message="at once")
        assert broker.sends == [[r.event_id for r in handed]]
        assert len(claims) == 1  # handing over asks for no claim
        relay.wake()  # a worker's rows not handed over: claimed at once
        wait_for(lambda: len(claims) == 2, timeout=10, message="a claim")
    finally:
        relay.stop()
        runner.wait()
