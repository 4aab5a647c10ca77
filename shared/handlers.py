"""Reliable event handlers: validated, idempotent, retried a bounded number of times, then dead-lettered.

    @on_event("bookings.activity_scheduled")
    def store_opportunity(self, event):          # event = validated envelope, payload loaded
        Opportunity.create(...)                  # runs inside uow.atomic() with the inbox mark

nameko's plain event_handler acks and drops a message whose handler raised. Here:
- an event that fails its contract goes straight to the dead-letter queue `<queue>.dlq`;
- a handler that raises is retried through `<queue>.retry.<ms>ms` (a TTL queue that
  dead-letters back into the handler's queue) up to EVENT_MAX_ATTEMPTS times, then parked in
  `<queue>.dlq` with the error in its headers;
- a handler that failed because the service's own database did (shared.db.database_outage:
  refused or lost connections, a locked or full SQLite file) is not to blame: the event waits in
  `<queue>.wait` for a delay that doubles from EVENT_RETRY_DELAY_MS up to
  EVENT_DB_RETRY_MAX_DELAY_SECONDS, for as long as EVENT_DB_RETRY_SECONDS from its first such
  failure, without using up its attempts; only then is it parked (`database_unavailable`);
- a body kombu cannot decode, or one without a content type, goes to `<queue>.dlq` as the raw
  bytes received (kombu's ConsumerMixin would ack and drop it);
- the original message is acked only after the retry/dead-letter copy was confirmed by the
  broker, so nothing is lost in between. A copy returned as unroutable (side queue deleted,
  broker definitions lost) makes the handler declare its queues again and publish once more;
  if that fails too, the original is requeued after a growing, capped delay (no hot loop).
"""

import functools
import logging
import traceback

import eventlet
from kombu import Connection
from marshmallow import ValidationError
from nameko.amqp.publish import Publisher, UndeliverableMessage
from nameko.events import EventHandler
from nameko.exceptions import ContainerBeingKilled

from shared import queues, service_metrics, spine_settings
from shared.broker_loss import SturdyQueueConsumer
from shared.db import database_outage
from shared.deadline import now_ms
from shared.errors import Unavailable
from shared.events import split_name, validate_event

log = logging.getLogger(__name__)

# A service's handlers set up in parallel (nameko spawns each extension's setup): each declaring
# on a connection of its own opened dozens of AMQP handshakes at once per process, and a broker
# just started timed them out. One at a time per process: a handful of connections per venue.
_declaring = eventlet.semaphore.Semaphore(1)
DECLARE_CONNECT_RETRIES = 5  # handshakes tried again before a start gives up (about 15 s more)

ATTEMPT_HEADER = "x-cocoon-attempt"
DB_FAILING_SINCE_HEADER = "x-cocoon-db-failing-since"  # epoch ms of the first database failure
DB_RETRIES_HEADER = "x-cocoon-db-retries"
DEFAULT_EXCHANGE = queues.DEFAULT_EXCHANGE
RAW_CONTENT_TYPE = "application/octet-stream"  # a parked body that came without a content type


class ReliableEventHandler(EventHandler):
    # the service's one consumer (shared/broker_loss.py): a lost connection forgiven, and a body
    # kombu cannot decode handed to `handle_undecodable` instead of acked and dropped
    queue_consumer = SturdyQueueConsumer()

    def __init__(self, source_service, event_type, **kwargs):
        super().__init__(source_service, event_type, reliable_delivery=True, requeue_on_error=False, **kwargs)
        self.event_name = f"{source_service}.{event_type}"
        self._side_publish_failures = 0  # in a row; sets the requeue delay

    def setup(self):
        super().setup()  # declares nothing yet: builds self.queue and registers with the consumer
        # the same name, with the arguments of this deployment's queue type (shared/queues.py): the
        # consumer declares it again on every connection, and any difference is refused by the broker
        self.kind = queues.configured_kind()
        self.queue = queues.rebuilt(self.queue, self.kind)
        cfg = self.container.config
        settings = spine_settings.of(self.container)
        self.max_attempts = settings.event_max_attempts
        self.retry_delay_ms = delay_ms = settings.event_retry_delay_ms
        self.requeue_backoff = settings.event_requeue_backoff_seconds
        self.requeue_backoff_max = settings.event_requeue_backoff_max_seconds
        self.db_retry_ms = settings.event_db_retry_seconds * 1000
        self.db_retry_max_delay_ms = settings.event_db_retry_max_delay_seconds * 1000
        self.retry_queue, self.dead_letter_queue = queues.side_queues(self.queue, delay_ms, self.kind)
        self.wait_queue = queues.wait_queue(self.queue, self.kind)
        self.amqp_uri = amqp_uri = cfg["AMQP_URI"]
        self.declare_queues()  # routable before the consumer starts (also for a handler outside the catalogue)
        self.publisher = Publisher(amqp_uri, use_confirms=True, mandatory=True, serializer="json")

    def handle_undecodable(self, message, exc):
        """kombu could not decode the body (bad bytes, a content type we do not accept)."""
        reason = "undecodable" if message.content_type else "no_content_type"
        self._park_raw_then_ack(message, reason, f"{type(exc).__name__}: {exc}")

    def handle_message(self, body, message):
        if not message.content_type:
            # kombu decoded it as bare text or bytes: what the sender meant is unknown
            self._park_raw_then_ack(message, "no_content_type", "the message has no content type")
            return
        try:
            envelope = validate_event(body, expected_type=self.event_name)
        except ValidationError as exc:
            service_metrics.consumed(self.container.service_name, self.event_name, "invalid")
            self._park_then_ack(message, body, reason="invalid", error=f"ValidationError: {exc.messages}")
            return
        context_data = self.unpack_message_headers(message)
        context_data.setdefault("correlation_id", envelope["correlation_id"])
        try:
            self.container.spawn_worker(
                self,
                (envelope,),
                {},
                context_data=context_data,
                handle_result=functools.partial(self.handle_result, message, body),
            )
        except ContainerBeingKilled:
            self.queue_consumer.requeue_message(message)

    def handle_result(self, message, body, worker_ctx, result=None, exc_info=None):
        if exc_info is None:
            self.queue_consumer.ack_message(message)
            return result, exc_info
        outage = database_outage(exc_info[1])
        if outage is not None:
            self._wait_for_the_database(message, body, outage, exc_info)
            return result, exc_info
        attempt = int(message.headers.get(ATTEMPT_HEADER, 1))
        error = _one_line(_cause(exc_info[1]))
        outcome = "retried" if attempt < self.max_attempts else "dead_lettered"
        service_metrics.consumed(self.container.service_name, self.event_name, outcome)
        if attempt < self.max_attempts:
            log.warning(
                "event handler failed, will retry",
                extra={"event_type": self.event_name, "handler": self.method_name, "attempt": attempt, "error": error},
            )
            self._republish_then_ack(
                message, body, self.retry_queue, dict(_origin(message), **{ATTEMPT_HEADER: attempt + 1})
            )
        else:
            tb = "".join(traceback.format_exception(*exc_info))[-4000:]
            self._park_then_ack(message, body, reason="failed", error=error, traceback_text=tb, attempts=attempt)
        return result, exc_info

    def _wait_for_the_database(self, message, body, outage, exc_info):
        """Not the event's fault: it waits in the wait queue, longer each time, then comes back."""
        headers = message.headers or {}
        since = int(headers.get(DB_FAILING_SINCE_HEADER) or now_ms())
        retries = int(headers.get(DB_RETRIES_HEADER, 0)) + 1
        error = _one_line(outage)  # the database's own error, not the Unavailable wrapped around it
        waited_ms = now_ms() - since
        if waited_ms >= self.db_retry_ms:
            tb = "".join(traceback.format_exception(*exc_info))[-4000:]
            self._park_then_ack(
                message, body, reason="database_unavailable", error=error, traceback_text=tb, attempts=retries
            )
            return
        delay_ms = int(min(self.db_retry_max_delay_ms, self.retry_delay_ms * 2 ** min(retries - 1, 20)))
        log.warning(
            "the service's database failed: event handler will retry after a growing delay",
            exc_info=outage,
            extra={
                "event_type": self.event_name,
                "handler": self.method_name,
                "error": error,
                "db_retries": retries,
                "retry_in_ms": delay_ms,
                "failing_for_s": round(waited_ms / 1000, 1),
            },
        )
        self._republish_then_ack(
            message,
            body,
            self.wait_queue,
            dict(_origin(message), **{DB_FAILING_SINCE_HEADER: since, DB_RETRIES_HEADER: retries}),
            expiration=delay_ms / 1000,  # seconds: kombu writes it as the AMQP per-message expiration
        )

    def _park_raw_then_ack(self, message, reason, error):
        """Park the body as received, with its content type and encoding, so a replay restores it."""
        self._park_then_ack(
            message,
            message.body,
            reason,
            error,
            extra_headers={
                "x-cocoon-original-content-type": message.content_type or "",
                "x-cocoon-original-content-encoding": message.content_encoding or "",
            },
            content_type=message.content_type or RAW_CONTENT_TYPE,
            content_encoding=message.content_encoding or "binary",
        )

    def _park_then_ack(
        self, message, body, reason, error, traceback_text=None, attempts=1, extra_headers=None, **publish_options
    ):
        headers = {
            "x-cocoon-reason": reason,
            "x-cocoon-error": error[:2000],
            "x-cocoon-attempts": attempts,
            "x-cocoon-queue": self.queue.name,
            "x-cocoon-handler": f"{self.container.service_name}.{self.method_name}",
            **_origin(message),
        }
        if traceback_text:
            headers["x-cocoon-traceback"] = traceback_text
        headers.update(extra_headers or {})
        if self._republish_then_ack(message, body, self.dead_letter_queue, headers, **publish_options):
            log.error(
                "event parked in dead-letter queue",
                extra={
                    "event_type": self.event_name,
                    "queue": self.dead_letter_queue.name,
                    "reason": reason,
                    "error": error,
                },
            )

    def _republish_then_ack(self, message, body, queue, extra_headers, **publish_options):
        """True when the copy was confirmed and the original acked; else the original is requeued later."""
        headers = dict(message.headers or {})
        headers.update(extra_headers)
        try:
            self._publish_to_side_queue(body, queue, headers, publish_options)
        except Exception as exc:
            self._requeue_later(message, queue, exc)
            return False
        if self._side_publish_failures:
            log.info(
                "parking and retrying events work again",
                extra={"queue": self.queue.name, "failures": self._side_publish_failures},
            )
            self._side_publish_failures = 0
        self.queue_consumer.ack_message(message)
        return True

    def _publish_to_side_queue(self, body, queue, headers, publish_options):
        publish = functools.partial(
            self.publisher.publish,
            body,
            exchange=DEFAULT_EXCHANGE,
            routing_key=queue.routing_key,
            extra_headers=headers,
            **publish_options,
        )
        try:
            publish()
        except UndeliverableMessage:
            log.warning("side queue missing: declaring the handler's queues again", extra={"queue": queue.name})
            self.declare_queues()
            publish()

    def declare_queues(self):
        """The handler's queue and side queues, as `make migrate` and every service's start declare them."""
        with _declaring, Connection(self.amqp_uri) as conn:
            # A broker just started, or busy with every service declaring at once, can miss one
            # handshake's timeout: try again rather than let the service die at its start.
            conn.ensure_connection(
                max_retries=DECLARE_CONNECT_RETRIES, interval_start=1, interval_step=1, interval_max=3
            )
            queues.declare(conn.default_channel, self.queue, self.retry_delay_ms, self.kind)

    def _requeue_later(self, message, queue, exc):
        """Requeue after a delay that doubles with each failure in a row (capped), from a thread of
        its own: requeueing at once would redeliver at once, and fail again, hundreds of times a second."""
        self._side_publish_failures += 1
        failures = self._side_publish_failures
        delay = self._requeue_delay(failures)
        if failures == 1 or delay > self._requeue_delay(failures - 1):
            # once per new delay, not once per attempt: a whole streak logs a handful of lines
            log.error(
                "could not park or retry events; backing off before requeueing",
                exc_info=exc,
                extra={"queue": queue.name, "failures": failures, "delay_seconds": delay},
            )
        self.container.spawn_managed_thread(
            functools.partial(self._requeue_after, message, delay), identifier=f"{self.queue.name}.requeue_later"
        )

    def _requeue_delay(self, failures):
        return min(self.requeue_backoff_max, self.requeue_backoff * 2 ** min(failures - 1, 20))

    def _requeue_after(self, message, delay):
        eventlet.sleep(delay)
        self.queue_consumer.requeue_message(message)


def _cause(exc):
    """What an entrypoint's Unavailable was raised from (the database's error): the real cause."""
    return exc.__cause__ if isinstance(exc, Unavailable) and exc.__cause__ is not None else exc


def _one_line(exc):
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()


def _origin(message):
    """Where the event was first published; kept in headers so retries do not lose it."""
    headers = message.headers or {}
    return {
        "x-cocoon-original-exchange": headers.get(
            "x-cocoon-original-exchange", message.delivery_info.get("exchange", "")
        ),
        "x-cocoon-original-routing-key": headers.get(
            "x-cocoon-original-routing-key", message.delivery_info.get("routing_key", "")
        ),
    }


def on_event(event_name, uow_attr="uow", exclusive=False):
    """Declare a reliable, idempotent handler of `event_name` ('<source>.<event_type>').

    The handler runs inside `uow.atomic(exclusive)`, after the event was claimed in the inbox:
    a duplicate delivery is acknowledged and skipped, and the effect commits with the mark.
    `exclusive=True` when the handler decides on rows others may write (capacity, clashes).
    """
    source, event_type = split_name(event_name)

    def decorator(fn):
        @functools.wraps(fn)
        def handler(self, event):
            work = getattr(self, uow_attr)
            with work.atomic(exclusive=exclusive):
                if not work.claim(event, fn.__name__):
                    log.info("duplicate event skipped", extra={"event_id": event["event_id"], "event_type": event_name})
                    service_metrics.consumed(self.name, event_name, "duplicate")
                    return None
                result = fn(self, event)
            service_metrics.consumed(self.name, event_name, "applied")
            log.info(
                "event applied", extra={"event_id": event["event_id"], "event_type": event_name, "handler": fn.__name__}
            )
            return result

        return ReliableEventHandler.decorator(source, event_type)(handler)

    return decorator
