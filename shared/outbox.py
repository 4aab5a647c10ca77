"""Transactional outbox: events are written in the same transaction as the change they describe,
then a relay publishes them to RabbitMQ and marks them sent.

Guarantees: an event is never lost once its transaction commits (a crash before publishing
leaves the row unsent; the relay's periodic sweep publishes it after restart). It may be
published more than once (crash after publish, before marking sent): consumers are idempotent
(shared.inbox). Unroutable events (no queue bound yet: a consumer still starting) are kept
and retried with backoff; after `max_unroutable_attempts` the row is marked abandoned (kept
for inspection, counted by the health RPC): `make migrate` declares every consumer's queue,
so an event still unroutable then is one no service subscribes to.

Several relays on one PostgreSQL database share the work safely: a batch is claimed with
`SELECT … FOR UPDATE SKIP LOCKED`. On SQLite there is no row locking: run one instance of a
service per SQLite file (the default, `make run`, does).
"""
import json
import logging
import threading
from datetime import datetime, timedelta, timezone

from kombu import Connection, Producer
from nameko.standalone.events import get_event_exchange
from peewee import CharField, DateTimeField, IntegerField, Model, TextField

from shared.db import is_postgres
from shared.events import split_name

log = logging.getLogger(__name__)


def utcnow():
    return datetime.now(timezone.utc).replace(tzinfo=None)


def outbox_model(service_database):
    """The `outbox` table, bound to one service's database."""

    class OutboxEvent(Model):
        event_id = CharField(max_length=36, unique=True)
        event_type = CharField(max_length=100)
        correlation_id = CharField(max_length=128)
        body = TextField()  # the JSON envelope, exactly as it will be published
        created_at = DateTimeField(default=utcnow)
        next_attempt_at = DateTimeField(default=utcnow, index=True)
        published_at = DateTimeField(null=True, index=True)
        attempts = IntegerField(default=0)
        last_error = TextField(null=True)
        abandoned_at = DateTimeField(null=True)  # unroutable too many times: nobody subscribes

        class Meta:
            table_name = "outbox"
            database = service_database

    return OutboxEvent


def record_event(model, envelope):
    """Insert one envelope into the outbox (call inside the transaction that made the change)."""
    return model.create(
        event_id=envelope["event_id"],
        event_type=envelope["type"],
        correlation_id=envelope["correlation_id"],
        body=json.dumps(envelope),
    )


class OutboxRelay:
    """Publishes unsent outbox rows with publisher confirms, in nameko's wire format."""

    def __init__(self, model, amqp_uri, batch_size=100, sweep_seconds=5.0, max_backoff_seconds=60.0,
                 max_unroutable_attempts=10):
        self.model = model
        self.database = model._meta.database
        self.amqp_uri = amqp_uri
        self.batch_size = batch_size
        self.sweep_seconds = sweep_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self.max_unroutable_attempts = max_unroutable_attempts
        self.publisher = ConfirmedPublisher(amqp_uri)
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
            except Exception:  # broker or database down: keep the rows, try again at the next sweep
                log.exception("outbox relay: publishing failed, will retry")
            self._wake.wait(self.sweep_seconds)
            self._wake.clear()
        self.publisher.close()

    # --- one batch ------------------------------------------------------------------------
    def publish_pending(self):
        """Publish one batch of due rows; returns how many rows were handled."""
        with self.database.connection_context():
            if not is_postgres(self.database):
                return self._publish_rows(list(self._due()))  # SQLite: no write lock held while publishing
            with self.database.atomic():  # rows stay locked until marked, other relays skip them
                return self._publish_rows(list(self._due().for_update(skip_locked=True)))

    def _publish_rows(self, rows):
        for row in rows:
            self._publish_row(row)
        return len(rows)

    def _due(self):
        m = self.model
        return (m.select()
                .where(m.published_at.is_null(), m.abandoned_at.is_null(), m.next_attempt_at <= utcnow())
                .order_by(m.id)
                .limit(self.batch_size))

    def _publish_row(self, row):
        source, event_type = split_name(row.event_type)
        envelope = json.loads(row.body)
        headers = {"nameko.correlation_id": row.correlation_id, "event_id": row.event_id}
        routed = self.publisher.publish(envelope, exchange=get_event_exchange(source, {}), routing_key=event_type,
                                        headers=headers, message_id=row.event_id)
        if not routed:
            self._postpone(row, "unroutable: no queue is bound for this event yet")
            return
        self.model.update(published_at=utcnow(), attempts=self.model.attempts + 1, last_error=None) \
            .where(self.model.id == row.id).execute()
        log.info("event published", extra={"event_type": row.event_type, "event_id": row.event_id,
                                           "correlation_id": row.correlation_id})

    def _postpone(self, row, error):
        attempts = row.attempts + 1
        if attempts >= self.max_unroutable_attempts:
            self.model.update(attempts=attempts, last_error=error, abandoned_at=utcnow()) \
                .where(self.model.id == row.id).execute()
            log.error("event abandoned in outbox: no service subscribes to it",
                      extra={"event_type": row.event_type, "event_id": row.event_id, "attempts": attempts})
            return
        delay = min(self.max_backoff_seconds, self.sweep_seconds * 2 ** min(attempts - 1, 10))
        self.model.update(attempts=attempts, last_error=error,
                          next_attempt_at=utcnow() + timedelta(seconds=delay)) \
            .where(self.model.id == row.id).execute()
        log.info("event kept in outbox until a subscriber's queue exists",
                 extra={"event_type": row.event_type, "event_id": row.event_id, "retry_in_s": delay})


class ConfirmedPublisher:
    """Publishes on one kept connection with publisher confirms and mandatory routing, in
    nameko's wire format (JSON body, `nameko.*` headers), and says whether the event was routed.

    nameko's own dispatcher publishes mandatory=False, so an event no queue is bound for
    vanishes; here the broker returns it (basic.return, before the confirm) and the row stays.
    """

    def __init__(self, amqp_uri):
        self.amqp_uri = amqp_uri
        self._connection = None
        self._producer = None
        self._returned = set()

    def _on_return(self, exception, exchange, routing_key, message):
        self._returned.add(message.properties.get("message_id"))

    def _ready_producer(self):
        if self._producer is None:
            connection = Connection(self.amqp_uri, transport_options={"confirm_publish": True}, connect_timeout=5)
            connection.ensure_connection(max_retries=1)
            self._producer = Producer(connection.channel(), on_return=self._on_return)
            self._connection = connection
        return self._producer

    def publish(self, body, exchange, routing_key, headers, message_id):
        producer = self._ready_producer()
        try:
            producer.publish(body, exchange=exchange, routing_key=routing_key, headers=headers,
                             message_id=message_id, mandatory=True, delivery_mode=2, serializer="json",
                             declare=[exchange], retry=False)
        except Exception:
            self.close()  # a broken connection is not reused; the next publish opens a new one
            raise
        if message_id in self._returned:
            self._returned.discard(message_id)
            return False
        return True

    def close(self):
        if self._connection is not None:
            try:
                self._connection.release()
            except Exception:  # already broken: nothing more to release
                log.debug("closing the relay's connection failed", exc_info=True)
        self._connection = self._producer = None
