"""The outbox relay: publishes committed outbox rows to RabbitMQ and records what became of each.

Two ways in, one greenthread:

- **handed over** (`take`, then `publish_handed_over`): the rows a worker recorded, given to the
  relay as soon as their transaction commits (shared/unit_of_work.py). They were recorded leased
  (`next_attempt_at` a lease ahead), so no claim takes them meanwhile. At each turn the relay
  reads which of the rows handed over are committed and still unsent (a rolled-back one is not
  there), sends them all without waiting for the confirms of those sent before
  (`ConfirmedPublisher.send`), reads the confirms that came, and writes the outcomes of the rows
  settled together; a refused or returned row is settled as step 2 below settles it. Why: in a
  service whose hub is saturated (bookings under a booking load), a greenthread waiting for the
  broker gets its turn again only after every ready worker had one (100-500 ms); a wait for each
  row's confirm and a write for each row's mark kept the relay at a few events a second while
  bookings committed tens, and an event queued seconds behind the others. Now an event waits for
  no earlier one: it is sent at the relay's next turn. A connection failure, or a confirm later
  than `confirm_timeout`, makes every row not settled due again at once, for the claims (at
  least once); a process that dies with rows handed over leaves them to their lease.
- **claimed** (`publish_pending`): every row due, after a crash, a failure, a lease run out, a
  write not made through a worker; at start, then every `sweep_seconds`, and at once when woken
  (`wake`) by a worker whose rows were not handed over.

A claiming pass (`publish_pending`) never holds a database transaction while it talks to the broker:

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
   A type some service consumes returned in a bulk (its queue lost) is kept as in step 2.

Delivery stays at least once: a crash after the confirm and before the mark publishes the row
again later, which consumers' inboxes absorb.
"""

import json
import logging
import threading
import time
from collections import deque
from datetime import timedelta

from nameko.standalone.events import get_event_exchange
from peewee import Case

from shared.confirmed_publisher import CONNECTION_FAILURES, ConfirmedPublisher
from shared.db import is_postgres, write_transaction
from shared.events import split_name
from shared.timeutil import db_now

log = logging.getLogger(__name__)

CONFIRM_POLL_SECONDS = 0.05  # at most this long reading confirms before sending what was handed over since
MARK_EVERY_SECONDS = 0.2  # under a steady flow, the outcomes of the rows confirmed are written this often
UNROUTABLE_CONSUMED = "unroutable: the queue of a service that consumes this event is missing"
UNROUTABLE_UNCONSUMED = "unroutable: no service consumes this event type"


class OutboxRelay:
    """Publishes one service's unsent outbox rows: those handed over by its workers at once, the
    others when woken and at every sweep."""

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
        self._handed_over = deque()  # (lease ends, monotonic clock; row) recorded leased, not yet sent
        self._in_flight = {}  # delivery tag -> (sent at, monotonic clock; row): sent, confirm awaited
        self._in_flight_generation = None  # the publisher's connection they were sent on
        self._settled = ([], [])  # rows routed, rows returned unconsumed: their outcome not yet written
        self._settled_since = None  # monotonic clock of the oldest of them
        self._claim_soon = True  # claim due rows at the next turn, not at the next sweep
        self._wake = threading.Event()
        self._stopped = threading.Event()

    # --- loop -----------------------------------------------------------------------------
    def wake(self):
        """Called after a worker committed events it did not hand over: claim now, not at the next sweep."""
        self._claim_soon = True
        self._wake.set()

    def take(self, rows):
        """Rows a worker recorded leased for `lease_seconds` (record_event's `lease_seconds`),
        handed over once committed: sent at the relay's next turn, together."""
        if self._stopped.is_set():
            return  # their lease runs out, then a claim publishes them
        lease_ends = time.monotonic() + self.lease_seconds
        self._handed_over.extend((getattr(row, "lease_ends", lease_ends), row) for row in rows)
        self._wake.set()

    def stop(self):
        self._stopped.set()
        self._wake.set()
        self._settle_at_stop()

    def _settle_at_stop(self):
        """Best effort: the outcomes already known written, every other row handed over due again
        now for the next claim of any relay (else it waits for its lease to end)."""
        if not (self._handed_over or self._in_flight or self._settled_since is not None):
            return
        try:
            with self.database.connection_context():
                self._write_settled(everything=True)
                self._release_unsettled()
        except Exception:
            log.warning("outbox relay: handed-over events wait for their lease to end", exc_info=True)

    def run(self):
        next_sweep = time.monotonic()  # at start: what an earlier process left unsent
        while not self._stopped.is_set():
            failed, in_flight = False, 0
            try:
                in_flight = self.publish_handed_over(wait=CONFIRM_POLL_SECONDS)
                if self._claim_soon or time.monotonic() >= next_sweep:
                    self._claim_soon = False
                    next_sweep = time.monotonic() + self.sweep_seconds
                    while self.publish_pending() == self.batch_size and not self._stopped.is_set():
                        pass
            except Exception:  # broker or database down: rows stay due, try again at the next sweep
                log.exception("outbox relay: publishing failed, will retry")
                failed, next_sweep = True, time.monotonic() + self.sweep_seconds
            if failed:  # not at every commit's wake: once a sweep
                self._stopped.wait(self.sweep_seconds)
            elif not in_flight and not self._handed_over:  # else reading the confirms was the wait
                self._wake.wait(max(0.0, next_sweep - time.monotonic()))
            self._wake.clear()  # before the next turn: a wake during it makes the wait after it return at once
        self.publisher.close()

    # --- rows handed over ----------------------------------------------------------------------
    def publish_handed_over(self, wait=0.0):
        """One turn: send every row handed over since the last, without waiting for the confirms
        of those sent before; read the confirms for up to `wait` seconds (until the first comes);
        write the outcomes of the rows settled, together. Returns how many rows still await their
        confirm. A connection failure, or a confirm later than `confirm_timeout`, makes every row
        handed over and not settled due again (for the claims), then raises."""
        if not (self._handed_over or self._in_flight or self._settled_since is not None):
            return 0
        with self.database.connection_context():
            self._prepare()
            try:
                self._send_handed_over()
                if self._in_flight:
                    self._read_confirms(wait)
            except CONNECTION_FAILURES:
                self._release_unsettled()
                raise
            finally:
                self._write_settled(everything=not self._in_flight)
        return len(self._in_flight)

    def _send_handed_over(self):
        while self._handed_over and not self._stopped.is_set():
            batch = [self._handed_over.popleft() for _ in range(min(self.batch_size, len(self._handed_over)))]
            deadline = time.monotonic() + self.confirm_timeout
            late = [row for lease_ends, row in batch if deadline >= lease_ends]
            if late:  # they waited here so long that their lease could end before their confirm
                self._release(late)
                self._claim_soon = True
            sendable, messages = self._messages_of(
                self._unsent([row for lease_ends, row in batch if deadline < lease_ends])
            )
            if sendable:
                self._send(sendable, messages)

    def _send(self, rows, messages):
        if self._in_flight and self.publisher.generation != self._in_flight_generation:
            self._lose_in_flight()  # their connection was dropped: their tags mean nothing on a new one
        try:
            tags = self.publisher.send(messages)
        except CONNECTION_FAILURES:
            self._release(rows)
            raise
        except Exception:  # the channel refused one of them (and is gone): find which, one by one
            self._lose_in_flight()
            self._publish_one_by_one(rows)
            return
        self._in_flight_generation = self.publisher.generation
        sent_at = time.monotonic()
        self._in_flight.update((tag, (sent_at, row)) for tag, row in zip(tags, rows, strict=True))

    def _read_confirms(self, wait):
        if self.publisher.generation != self._in_flight_generation:
            self._lose_in_flight()  # a claim's failure dropped their connection
            return
        self.publisher.read_confirms(wait)
        message_ids = {tag: row.event_id for tag, (_, row) in self._in_flight.items()}
        for tag, outcome in self.publisher.settled(message_ids, self._in_flight_generation).items():
            _, row = self._in_flight.pop(tag)
            self._settle(row, outcome)
        if self._in_flight and time.monotonic() - min(t for t, _ in self._in_flight.values()) > self.confirm_timeout:
            self.publisher.discard()
            raise TimeoutError(f"no confirm from the broker within {self.confirm_timeout} s")

    def _settle(self, row, outcome):
        """A row's outcome: refused or kept are written at once (rare); routed and unconsumed wait
        to be written together (`_write_settled`)."""
        if isinstance(outcome, Exception):
            self._refused(row, outcome)
        elif outcome is False and row.event_type in self.consumed_types:
            self._kept_for_its_queue(row)
        else:
            if self._settled_since is None:
                self._settled_since = time.monotonic()
            self._settled[0 if outcome else 1].append(row)

    def _write_settled(self, everything):
        """The routed and unconsumed rows settled so far, in one write: when nothing more is
        awaited, else once `batch_size` of them or `MARK_EVERY_SECONDS` have gathered (a row
        confirmed and not yet marked is only published again after a crash)."""
        routed, returned = self._settled
        count = len(routed) + len(returned)
        if not count:
            return
        if not everything and count < self.batch_size and time.monotonic() - self._settled_since < MARK_EVERY_SECONDS:
            return
        self._settled, self._settled_since = ([], []), None
        self._write_outcomes(routed, returned)

    def _lose_in_flight(self):
        """Their connection is gone before their confirms: due again now (a claim sends them again)."""
        rows = [row for _, row in self._in_flight.values()]
        self._in_flight.clear()
        if rows:
            self._release(rows)
            self._claim_soon = True

    def _unsent(self, rows):
        """Those of `rows` committed and still unsent, in id order (a row rolled back is not there)."""
        m = self.model
        wanted = {row.id: row for row in rows}
        if not wanted:
            return []
        found = m.select(m.id).where(m.id.in_(list(wanted)), m.published_at.is_null(), m.unconsumed_at.is_null())
        return [wanted[i] for i in sorted(r.id for r in found)]

    def _release_unsettled(self):
        """Every row handed over and not settled: due again now, for the next claim of any relay."""
        rows = [row for _, row in self._handed_over] + [row for _, row in self._in_flight.values()]
        self._handed_over.clear()
        self._in_flight.clear()
        self._release(rows)

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
            self._kept_for_its_queue(row)
        else:
            self._mark_unconsumed(row)

    def _publish_in_bulk(self, rows):
        sendable, messages = self._messages_of(rows)
        if not sendable:
            return
        try:
            outcomes = self.publisher.publish_many(messages)
        except CONNECTION_FAILURES:
            self._release(sendable)
            raise
        except Exception:  # the channel refused one of them: find which, one by one
            self._publish_one_by_one(sendable)
            return
        self._settle_bulk(sendable, outcomes)

    def _publish_one_by_one(self, rows):
        """After a bulk publish the channel refused: each row alone, to find which one it was; a
        lost connection leaves the rest due again."""
        log.warning("a bulk publish was refused, publishing its events one by one", exc_info=True)
        for index, row in enumerate(rows):
            try:
                self._publish_one(row)
            except CONNECTION_FAILURES:
                self._release(rows[index + 1 :])
                raise

    def _settle_bulk(self, rows, outcomes):
        """Each row's outcome, the routed and the unconsumed ones in one write."""
        routed, returned = [], []
        for row, outcome in zip(rows, outcomes, strict=True):
            if isinstance(outcome, Exception):
                self._refused(row, outcome)
            elif outcome:
                routed.append(row)
            elif row.event_type in self.consumed_types:
                self._kept_for_its_queue(row)
            else:
                returned.append(row)
        self._write_outcomes(routed, returned)

    def _write_outcomes(self, routed, returned):
        with self.database.atomic():
            self._mark_many(routed, published_at=db_now(), last_error=None)
            self._mark_many(returned, unconsumed_at=db_now(), last_error=UNROUTABLE_UNCONSUMED)
        for event_type in sorted({row.event_type for row in returned} - self._types_said_unconsumed):
            self._said_unconsumed(event_type)
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

    def _messages_of(self, rows):
        """(the rows that make a message, their messages): a body that is not JSON fails its row only."""
        sendable, messages = [], []
        for row in rows:
            try:
                messages.append(self._message(row))
            except Exception as exc:
                self._refused(row, exc)
                continue
            sendable.append(row)
        return sendable, messages

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
            self._said_unconsumed(row.event_type)
        log.debug("event kept as unconsumed", extra={"event_type": row.event_type, "event_id": row.event_id})

    def _said_unconsumed(self, event_type):
        self._types_said_unconsumed.add(event_type)
        log.info(
            "no service consumes this event type: its events are kept as unconsumed", extra={"event_type": event_type}
        )

    def _kept_for_its_queue(self, row):
        delay = self._retry_later(row, UNROUTABLE_CONSUMED)
        log.warning(
            "event kept in outbox until its consumer's queue exists",
            extra={"event_type": row.event_type, "event_id": row.event_id, "retry_in_s": delay},
        )

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
