"""The outbox relay: publishes committed outbox rows to RabbitMQ and records what became of each.

A pass (`publish_pending`) never holds a database transaction while it talks to the broker:

1. **claim**: one short write transaction takes up to `batch_size` due rows, those of types some
   service consumes first (an event someone waits for never queues behind a flood of events
   nobody reads), then in id order (PostgreSQL: `SELECT … FOR UPDATE SKIP LOCKED`), moves their
   `next_attempt_at` forward by `lease_seconds` (the lease) and commits. Other relays on the
   same database skip them until the lease ends; rows this relay never got to (it died, or the
   lease ran short) are due again when it ends.
2. **publish** each claimed row (confirm + mandatory, see `ConfirmedPublisher`) and write its
   outcome at once, in its own short write. A failure later in the batch can then neither undo
   nor repeat what was done before it, and a failing row only delays itself:
   - routed and confirmed: `published_at`;
   - returned unroutable, and some service consumes the type (`shared.topology`): kept, tried
     again with capped backoff; it shows as backlog in the health RPC (its queue is missing);
   - returned unroutable, and no service consumes the type: `unconsumed_at`, quietly;
   - refused (body not JSON, exchange refused, nack): `last_error`, backoff, next row;
   - the connection failed or the confirm did not come within `confirm_timeout`: this row backs
     off, the rest of the batch is due again at once, and the pass ends (the error is raised).
3. **in bulk**, last: rows of a type the broker already returned as unconsumed in this relay's
   life are published together, then all their confirms awaited at once (`publish_many`), and
   their outcomes written in one write. Under a booking load they are most of the rows; one
   confirm round trip each kept the relay minutes behind. A refusal on the channel sends that
   bulk through step 2 one by one; a connection failure makes it due again and ends the pass.

Delivery stays at least once: a crash after the confirm and before the mark publishes the row
again later, which consumers' inboxes absorb.
"""

import json
import logging
import threading
import time
from datetime import timedelta

from nameko.standalone.events import get_event_exchange
from peewee import Case

from shared.confirmed_publisher import CONNECTION_FAILURES, ConfirmedPublisher
from shared.db import is_postgres, write_transaction
from shared.events import split_name
from shared.timeutil import db_now

log = logging.getLogger(__name__)

UNROUTABLE_CONSUMED = "unroutable: the queue of a service that consumes this event is missing"
UNROUTABLE_UNCONSUMED = "unroutable: no service consumes this event type"


class OutboxRelay:
    """Publishes one service's unsent outbox rows, woken after each commit and every sweep."""

    def __init__(
        self,
        model,
        amqp_uri,
        batch_size=100,
        sweep_seconds=5.0,
        max_backoff_seconds=60.0,
        confirm_timeout=10.0,
        lease_seconds=60.0,
        consumed_types=None,
        declare_topology=None,
    ):
        """`declare_topology(connection)`: run on each new broker connection before publishing on
        it (the service passes shared.topology's declaration: a broker restarted without its
        definitions gets every consumer's queue back before an event could miss one)."""
        if lease_seconds <= confirm_timeout:
            raise ValueError("the lease must outlast one publish: lease_seconds > confirm_timeout")
        self.model = model
        self.database = model._meta.database
        self.batch_size = batch_size
        self.sweep_seconds = sweep_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self.lease_seconds = lease_seconds
        self.confirm_timeout = confirm_timeout
        self.publisher = ConfirmedPublisher(amqp_uri, confirm_timeout=confirm_timeout, on_connect=declare_topology)
        self.published = None  # published(event_type): told of each event confirmed (the service's metrics)
        self.consumed_types = consumed_types  # None: read from shared.topology at the first pass
        self._types_said_unconsumed = set()
        self._wake = threading.Event()
        self._stopped = threading.Event()

    # --- loop -----------------------------------------------------------------------------
    def wake(self):
        """Called right after a commit that recorded events: publish now, not at the next sweep."""
        self._wake.set()

    def stop(self):
        self._stopped.set()
        self._wake.set()

    def run(self):
        while not self._stopped.is_set():
            try:
                while self.publish_pending() == self.batch_size and not self._stopped.is_set():
                    pass
            except Exception:  # broker or database down: rows stay due, try again at the next sweep
                log.exception("outbox relay: publishing failed, will retry")
            self._wake.wait(self.sweep_seconds)
            self._wake.clear()
        self.publisher.close()

    # --- one pass -------------------------------------------------------------------------
    def publish_pending(self):
        """Publish one batch of due rows; returns how many rows were claimed."""
        with self.database.connection_context():
            self._prepare()
            self.publisher.connect()  # broker unreachable: raise before claiming anything
            lease_ends = time.monotonic() + self.lease_seconds  # before the claim: never after the stored lease
            rows = self._claim()
            if rows:
                self._publish_claimed(rows, lease_ends)
            return len(rows)

    def _prepare(self):
        """Once per relay: which types have a consumer."""
        if self.consumed_types is None:
            from shared import topology  # imports every service class: only when the relay starts

            self.consumed_types = topology.consumed_event_types()

    def _claim(self):
        m = self.model
        unconsumed_type = Case(None, [(m.event_type.in_(sorted(self.consumed_types)), 0)], 1)
        due = (
            m.select()
            .where(m.published_at.is_null(), m.unconsumed_at.is_null(), m.next_attempt_at <= db_now())
            .order_by(unconsumed_type, m.id)
            .limit(self.batch_size)
        )
        if is_postgres(self.database):
            due = due.for_update(skip_locked=True)
        with write_transaction(self.database):  # SQLite: BEGIN IMMEDIATE, short, no broker call inside
            rows = list(due)
            if rows:
                m.update(next_attempt_at=db_now() + timedelta(seconds=self.lease_seconds)).where(
                    m.id.in_([row.id for row in rows])
                ).execute()
        return rows

    def _publish_claimed(self, rows, lease_ends):
        in_bulk = []
        for index, row in enumerate(rows):
            if row.event_type in self._types_said_unconsumed:
                in_bulk.append(row)  # step 3, after every row someone waits for
                continue
            if time.monotonic() + self.confirm_timeout >= lease_ends:
                self._release(rows[index:])  # not enough lease left for one more confirm: due again now
                return
            try:
                self._publish_one(row)
            except CONNECTION_FAILURES:
                self._release(rows[index + 1 :])
                raise
        if in_bulk:
            if time.monotonic() + self.confirm_timeout >= lease_ends:
                self._release(in_bulk)
                return
            self._publish_in_bulk(in_bulk)

    def _publish_one(self, row):
        try:
            routed = self._publish(row)
        except CONNECTION_FAILURES as exc:
            self._retry_later(row, f"broker connection failed: {exc.__class__.__name__}: {exc}")
            raise
        except Exception as exc:  # this row only: record why, go on with the next one
            self._refused(row, exc)
            return
        if routed:
            self._mark_published(row)
            self._count([row])
        elif row.event_type in self.consumed_types:
            delay = self._retry_later(row, UNROUTABLE_CONSUMED)
            log.warning(
                "event kept in outbox until its consumer's queue exists",
                extra={"event_type": row.event_type, "event_id": row.event_id, "retry_in_s": delay},
            )
        else:
            self._mark_unconsumed(row)

    def _publish_in_bulk(self, rows):
        sendable, messages = [], []
        for row in rows:
            try:
                messages.append(self._message(row))
            except Exception as exc:  # a body that is not JSON fails this row only
                self._refused(row, exc)
                continue
            sendable.append(row)
        if not sendable:
            return
        try:
            outcomes = self.publisher.publish_many(messages)
        except CONNECTION_FAILURES:
            self._release(sendable)
            raise
        except Exception:  # the channel refused one of them: find which, one by one
            log.warning("a bulk publish was refused, publishing its events one by one", exc_info=True)
            for row in sendable:
                self._publish_one(row)
            return
        routed, returned = [], []
        for row, outcome in zip(sendable, outcomes, strict=True):
            if isinstance(outcome, Exception):
                self._refused(row, outcome)
            else:
                (routed if outcome else returned).append(row)
        with self.database.atomic():
            self._mark_many(routed, published_at=db_now(), last_error=None)
            self._mark_many(returned, unconsumed_at=db_now(), last_error=UNROUTABLE_UNCONSUMED)
        self._count(routed)
        for row in routed:
            log.info(
                "event published",
                extra={"event_type": row.event_type, "event_id": row.event_id, "correlation_id": row.correlation_id},
            )

    def _count(self, rows):
        if self.published is not None:
            for row in rows:
                self.published(row.event_type)

    def _refused(self, row, exc):
        self._retry_later(row, f"{exc.__class__.__name__}: {exc}")
        log.error(
            "event could not be published, kept in outbox",
            exc_info=exc,
            extra={"event_type": row.event_type, "event_id": row.event_id},
        )

    def _publish(self, row):
        return self.publisher.publish(**self._message(row))

    def _message(self, row):
        source, event_type = split_name(row.event_type)
        envelope = json.loads(row.body)  # a body that is not JSON fails this row only
        return dict(
            body=envelope,
            exchange=get_event_exchange(source, {}),
            routing_key=event_type,
            headers={"nameko.correlation_id": row.correlation_id, "event_id": row.event_id},
            message_id=row.event_id,
        )

    # --- outcomes, one short write each ------------------------------------------------------
    def _mark_published(self, row):
        m = self.model
        m.update(published_at=db_now(), attempts=m.attempts + 1, last_error=None).where(m.id == row.id).execute()
        log.info(
            "event published",
            extra={"event_type": row.event_type, "event_id": row.event_id, "correlation_id": row.correlation_id},
        )

    def _mark_unconsumed(self, row):
        m = self.model
        m.update(unconsumed_at=db_now(), attempts=m.attempts + 1, last_error=UNROUTABLE_UNCONSUMED).where(
            m.id == row.id
        ).execute()
        if row.event_type not in self._types_said_unconsumed:  # one line per type, not per event
            self._types_said_unconsumed.add(row.event_type)
            log.info(
                "no service consumes this event type: its events are kept as unconsumed",
                extra={"event_type": row.event_type},
            )
        log.debug("event kept as unconsumed", extra={"event_type": row.event_type, "event_id": row.event_id})

    def _mark_many(self, rows, **outcome):
        if rows:
            m = self.model
            m.update(attempts=m.attempts + 1, **outcome).where(m.id.in_([row.id for row in rows])).execute()

    def _retry_later(self, row, error):
        """Keep the row for another try after a backoff that doubles up to `max_backoff_seconds`."""
        m = self.model
        attempts = row.attempts + 1
        delay = min(self.max_backoff_seconds, self.sweep_seconds * 2 ** min(attempts - 1, 10))
        m.update(attempts=attempts, last_error=error[:2000], next_attempt_at=db_now() + timedelta(seconds=delay)).where(
            m.id == row.id, m.published_at.is_null()
        ).execute()
        return delay

    def _release(self, rows):
        """Claimed rows not tried in this pass: due again now."""
        if rows:
            m = self.model
            m.update(next_attempt_at=db_now()).where(
                m.id.in_([row.id for row in rows]), m.published_at.is_null()
            ).execute()
