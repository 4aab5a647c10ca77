"""Reliable event handlers: validated, idempotent, retried a bounded number of times, then dead-lettered.

    @on_event("bookings.activity_scheduled")
    def store_opportunity(self, event):          # event = validated envelope, payload loaded
        Opportunity.create(...)                  # runs inside uow.atomic() with the inbox mark

nameko's plain event_handler acks and drops a message whose handler raised. Here:
- an event that fails its contract goes straight to the dead-letter queue `<queue>.dlq`;
- a handler that raises is retried through `<queue>.retry.<ms>ms` (a TTL queue that
  dead-letters back into the handler's queue) up to EVENT_MAX_ATTEMPTS times, then parked in
  `<queue>.dlq` with the error in its headers;
- the original message is acked only after the retry/dead-letter copy was confirmed by the
  broker, so nothing is lost in between (a failed publish requeues the original).
"""
import functools
import logging
import traceback

from marshmallow import ValidationError
from nameko.amqp.publish import Publisher, get_connection
from nameko.events import EventHandler
from nameko.exceptions import ContainerBeingKilled

from shared import config, topology
from shared.events import split_name, validate_event

log = logging.getLogger(__name__)

ATTEMPT_HEADER = "x-cocoon-attempt"
DEFAULT_EXCHANGE = topology.DEFAULT_EXCHANGE


class ReliableEventHandler(EventHandler):

    def __init__(self, source_service, event_type, **kwargs):
        super().__init__(source_service, event_type, reliable_delivery=True, requeue_on_error=False, **kwargs)
        self.event_name = f"{source_service}.{event_type}"

    def setup(self):
        super().setup()  # declares nothing yet: builds self.queue and registers with the consumer
        cfg = self.container.config
        self.max_attempts = config.setting(cfg, "EVENT_MAX_ATTEMPTS", 5, int)
        delay_ms = config.setting(cfg, "EVENT_RETRY_DELAY_MS", 2000, int)
        self.retry_queue, self.dead_letter_queue = topology.side_queues(self.queue, delay_ms)
        amqp_uri = cfg["AMQP_URI"]
        with get_connection(amqp_uri) as conn:
            topology.declare(conn.channel(), self.queue, delay_ms)  # routable before the consumer starts
        self.publisher = Publisher(amqp_uri, use_confirms=True, mandatory=True, serializer="json")

    def handle_message(self, body, message):
        try:
            envelope = validate_event(body, expected_type=self.event_name)
        except ValidationError as exc:
            self._park_then_ack(message, body, reason="invalid", error=f"ValidationError: {exc.messages}")
            return
        context_data = self.unpack_message_headers(message)
        context_data.setdefault("correlation_id", envelope["correlation_id"])
        try:
            self.container.spawn_worker(self, (envelope,), {}, context_data=context_data,
                                        handle_result=functools.partial(self.handle_result, message, body))
        except ContainerBeingKilled:
            self.queue_consumer.requeue_message(message)

    def handle_result(self, message, body, worker_ctx, result=None, exc_info=None):
        if exc_info is None:
            self.queue_consumer.ack_message(message)
            return result, exc_info
        attempt = int(message.headers.get(ATTEMPT_HEADER, 1))
        error = "".join(traceback.format_exception_only(exc_info[0], exc_info[1])).strip()
        if attempt < self.max_attempts:
            log.warning("event handler failed, will retry", extra={
                "event_type": self.event_name, "handler": self.method_name, "attempt": attempt, "error": error})
            self._republish_then_ack(message, body, self.retry_queue,
                                     dict(_origin(message), **{ATTEMPT_HEADER: attempt + 1}))
        else:
            tb = "".join(traceback.format_exception(*exc_info))[-4000:]
            self._park_then_ack(message, body, reason="failed", error=error, traceback_text=tb, attempts=attempt)
        return result, exc_info

    def _park_then_ack(self, message, body, reason, error, traceback_text=None, attempts=1):
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
        log.error("event parked in dead-letter queue", extra={
            "event_type": self.event_name, "queue": self.dead_letter_queue.name, "reason": reason, "error": error})
        self._republish_then_ack(message, body, self.dead_letter_queue, headers)

    def _republish_then_ack(self, message, body, queue, extra_headers):
        headers = dict(message.headers or {})
        headers.update(extra_headers)
        try:
            self.publisher.publish(body, exchange=DEFAULT_EXCHANGE, routing_key=queue.routing_key,
                                   extra_headers=headers)
        except Exception:
            log.exception("could not park or retry the event; it goes back to its queue")
            self.queue_consumer.requeue_message(message)
            return
        self.queue_consumer.ack_message(message)


def _origin(message):
    """Where the event was first published; kept in headers so retries do not lose it."""
    headers = message.headers or {}
    return {
        "x-cocoon-original-exchange": headers.get("x-cocoon-original-exchange",
                                                  message.delivery_info.get("exchange", "")),
        "x-cocoon-original-routing-key": headers.get("x-cocoon-original-routing-key",
                                                     message.delivery_info.get("routing_key", "")),
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
                    return None
                result = fn(self, event)
            log.info("event applied", extra={"event_id": event["event_id"], "event_type": event_name,
                                             "handler": fn.__name__})
            return result

        return ReliableEventHandler.decorator(source, event_type)(handler)

    return decorator
