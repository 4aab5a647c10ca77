"""How a reliable handler's queues are named and declared: its queue, retry queue and dead-letter queue."""

from kombu import Exchange, Queue
from kombu.common import maybe_declare
from nameko.standalone.events import get_event_exchange

DEFAULT_EXCHANGE = Exchange("", type="direct")


def event_queue(source_service, event_type, service_name, method_name):
    """The queue nameko's EventHandler (SERVICE_POOL) consumes from, named as nameko names it."""
    return Queue(
        f"evt-{source_service}-{event_type}--{service_name}.{method_name}",
        exchange=get_event_exchange(source_service, {}),
        routing_key=event_type,
        durable=True,
        auto_delete=False,
        exclusive=False,
    )


def side_queues(queue, retry_delay_ms):
    """(retry queue, dead-letter queue) of a handler queue. The retry queue holds a failed event
    for `retry_delay_ms` then dead-letters it back into the handler's queue; the delay is in its
    name because a queue's TTL cannot change once declared."""
    retry_name = f"{queue.name}.retry.{retry_delay_ms}ms"
    retry = Queue(
        retry_name,
        exchange=DEFAULT_EXCHANGE,
        routing_key=retry_name,
        durable=True,
        queue_arguments={
            "x-message-ttl": retry_delay_ms,
            "x-dead-letter-exchange": "",
            "x-dead-letter-routing-key": queue.name,
        },
    )
    dead = Queue(f"{queue.name}.dlq", exchange=DEFAULT_EXCHANGE, routing_key=f"{queue.name}.dlq", durable=True)
    return retry, dead


def declare(channel, queue, retry_delay_ms):
    for q in (queue, *side_queues(queue, retry_delay_ms)):
        maybe_declare(q, channel)
