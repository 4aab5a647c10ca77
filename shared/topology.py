"""What is deployed on the bus: the services' reliable handlers, the event types they consume,
and declaring all their queues (named in shared/queues.py) up front.

Services declare their own queues when they start; `make migrate` declares them all up front
too, so an event published while a consumer is still starting is routed, not returned.
"""

import importlib
import inspect

from kombu import Connection
from nameko.amqp.publish import get_connection

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


def declare_all(amqp_uri, retry_delay_ms):
    """Declare every service's handler queues; returns their names."""
    names = []
    with get_connection(amqp_uri) as conn:
        channel = conn.channel()
        for service_cls, method, entrypoint in deployed_handlers():
            queue = event_queue(entrypoint.source_service, entrypoint.event_type, service_cls.name, method)
            declare(channel, queue, retry_delay_ms)
            names.append(queue.name)
    return names
