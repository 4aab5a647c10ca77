"""Rows a worker hands over to the relay: recorded leased, published together once committed, with
one wait for all their confirms and one write for their outcome; whatever goes wrong leaves them
to the claims of tests/unit/shared/test_outbox_relay.py (same scripted broker)."""

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


def test_rows_handed_over_are_published_together_with_one_read_and_one_write(outbox, monkeypatch):
    rows = [leased(outbox) for _ in range(20)] + [leased(outbox, UNCONSUMED)]
    broker = ScriptedBroker()
    relay = relay_for(outbox, broker)
    assert relay.publish_pending() == 0  # leased: no claim takes them meanwhile

    relay.take(rows)
    statements = Statements(outbox._meta.database, monkeypatch)
    assert relay.publish_handed_over() == 21
    assert broker.bulks == [[r.event_id for r in rows]]  # one wait for every confirm
    assert statements.run == ["SELECT", "UPDATE"]  # which are committed, then their outcome
    assert all(row(outbox, r.event_id).published_at is not None for r in rows)
    assert all(row(outbox, r.event_id).attempts == 1 for r in rows)


def test_a_row_whose_transaction_rolled_back_is_never_published(outbox):
    database = outbox._meta.database
    with database.atomic() as transaction:
        gone = leased(outbox)
        transaction.rollback()
    kept = leased(outbox)
    broker = ScriptedBroker()
    relay = relay_for(outbox, broker)
    relay.take([gone, kept])
    relay.publish_handed_over()
    assert broker.published == [kept.event_id]


def test_a_consumed_event_returned_unroutable_is_kept_and_an_unconsumed_one_is_set_aside(outbox):
    consumed, unconsumed, routed = leased(outbox), leased(outbox, UNCONSUMED), leased(outbox)
    broker = ScriptedBroker()
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
    broker = ScriptedBroker()
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
    broker = ScriptedBroker()
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
    broker = ScriptedBroker()
    relay = relay_for(outbox, broker, confirm_timeout=10)
    relay.take([late])
    relay.publish_handed_over()
    assert broker.bulks == []
    assert row(outbox, late.event_id).next_attempt_at <= db_now()
    assert relay.publish_pending() == 1


def test_a_relay_stopping_releases_the_rows_it_was_handed(outbox):
    waiting = leased(outbox)
    relay = relay_for(outbox, ScriptedBroker())
    relay.take([waiting])
    relay.stop()
    assert row(outbox, waiting.event_id).next_attempt_at <= db_now()
    relay.take([leased(outbox)])  # stopped: not taken; its lease ends, then a claim publishes it
    assert not relay._handed_over


def test_a_worker_records_its_events_leased_only_while_the_relay_runs(outbox):
    database = outbox._meta.database
    relay = relay_for(outbox, ScriptedBroker())
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
    relay = relay_for(outbox, ScriptedBroker())
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
    broker = ScriptedBroker()
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
        assert broker.bulks == [[r.event_id for r in handed]]
        assert len(claims) == 1  # handing over asks for no claim
        relay.wake()  # a worker's rows not handed over: claimed at once
        wait_for(lambda: len(claims) == 2, timeout=10, message="a claim")
    finally:
        relay.stop()
        runner.wait()
