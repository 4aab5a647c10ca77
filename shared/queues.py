"""How a reliable handler's queues are named and declared: its queue, retry queue, wait queue and
dead-letter queue. `declare` is the one place they are declared, with their arguments: make
migrate, every service's start (shared/topology.py), the outbox relay on each new connection, and
a handler finding a side queue missing all go through it."""

from kombu import Exchange, Queue
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


def wait_queue(queue):
    """Where an event waits while the service's database is down: each message carries its own
    delay (AMQP `expiration`, growing with each failure), then goes back to the handler's queue."""
    name = f"{queue.name}.wait"
    return Queue(
        name,
        exchange=DEFAULT_EXCHANGE,
        routing_key=name,
        durable=True,
        queue_arguments={"x-dead-letter-exchange": "", "x-dead-letter-routing-key": queue.name},
    )


def all_queues(queue, retry_delay_ms):
    return (queue, *side_queues(queue, retry_delay_ms), wait_queue(queue))


def declare(channel, queue, retry_delay_ms):
    """Declare a handler's queue (with its exchange and binding) and its side queues. Always sent to
    the broker: kombu's maybe_declare remembers what a connection declared and would skip a queue
    deleted since."""
    for q in all_queues(queue, retry_delay_ms):
        q(channel).declare()
