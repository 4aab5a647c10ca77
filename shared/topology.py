"""What is deployed on the bus: the services' reliable handlers, the event types they consume, and
the queues they need, from the event catalogue (the @on_event handlers of shared/components.py's
services, for the events of shared/events).

Every consumer's queue must exist before its producer publishes: an event with two consumers whose
one queue is missing is routed to the other, marked published, and never reaches the missing one.
So the whole catalogue is declared (shared/queues.py's `declare`, the one path) by `make migrate`,
at the start of every service (shared/unit_of_work.py), and by each outbox relay whenever it opens
a connection (a broker restarted without its definitions). `missing_bindings` checks the broker
(`cocoon topology check`, the gateway's /readyz).
"""

import functools
import importlib
import inspect

from kombu import Connection

from shared import components
from shared.handlers import ReliableEventHandler
from shared.queues import declare, event_queue


def service_class(target):
    """The class a "module:Class" target names (imported)."""
    module, _, cls_name = target.partition(":")
    return getattr(importlib.import_module(module), cls_name)


def broker_problem(amqp_uri, timeout=3):
    """None when the broker accepts a connection within `timeout` seconds, else why not (one try)."""
    try:
        with Connection(amqp_uri, connect_timeout=timeout) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=timeout)
        return None
    except Exception as exc:  # any failure means "not reachable", with its kind
        return f"unreachable: {exc.__class__.__name__}"


def reliable_handlers(service_cls):
    """(method name, entrypoint) of each reliable event handler a service class declares."""
    for name, member in inspect.getmembers(service_cls, inspect.isfunction):
        for entrypoint in getattr(member, "nameko_entrypoints", ()):
            if isinstance(entrypoint, ReliableEventHandler):
                yield name, entrypoint


def deployed_handlers():
    """(service class, method name, entrypoint) of every reliable handler of the deployed services."""
    for service in components.SERVICES:
        service_cls = service_class(service.target)
        for method, entrypoint in reliable_handlers(service_cls):
            yield service_cls, method, entrypoint


def consumed_event_types():
    """Full names (`<source>.<event_type>`) of the events some deployed service handles."""
    return frozenset(f"{entrypoint.source_service}.{entrypoint.event_type}" for _, _, entrypoint in deployed_handlers())


@functools.cache
def handler_queues():
    """The queue of every reliable handler of the deployed services (their bindings: the catalogue)."""
    return tuple(
        event_queue(entrypoint.source_service, entrypoint.event_type, service_cls.name, method)
        for service_cls, method, entrypoint in deployed_handlers()
    )


def declare_on(channel, retry_delay_ms):
    """Declare every handler queue of the catalogue, with its binding and side queues; their names."""
    for queue in handler_queues():
        declare(channel, queue, retry_delay_ms)
    return [queue.name for queue in handler_queues()]


def declare_all(amqp_uri, retry_delay_ms):
    """declare_on, on a connection of its own."""
    with Connection(amqp_uri) as conn:
        return declare_on(conn.default_channel, retry_delay_ms)


def expected_bindings():
    """{(exchange, queue, routing key)} the broker must hold for every event to reach its consumers."""
    return {(q.exchange.name, q.name, q.routing_key) for q in handler_queues()}


def missing_bindings(api):
    """The expected bindings the broker lacks (a deleted queue has lost its binding too), sorted;
    `api`: a shared.broker_api.BrokerApi on the services' vhost. Raises BrokerApiError."""
    present = {(b["source"], b["destination"], b["routing_key"]) for b in api.queue_bindings()}
    return [
        {"exchange": exchange, "queue": queue, "routing_key": key}
        for exchange, queue, key in sorted(expected_bindings() - present)
    ]


def dead_letter_queues():
    return [f"{queue.name}.dlq" for queue in handler_queues()]
