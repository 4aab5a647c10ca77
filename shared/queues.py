"""How a reliable handler's queues are named and declared: its queue, retry queue, wait queue and
dead-letter queue, and each service's RPC queue. `declare` (and `declare_rpc`) are the one place
they are declared, with their arguments: make migrate, every service's start (shared/topology.py),
the outbox relay on each new connection, a handler finding a side queue missing, and the RPC
consumer (shared/broker_loss.py) all go through them.

The queue type is the deployment's, read from the environment (`COCOON_QUEUE_TYPE`, `classic` by
default, or `quorum`; docs/operations.md, "Queue type"). Quorum applies to the durable queues the
venue owns: the handlers' four queues and the services' `rpc-<service>` queues. nameko's RPC reply
queues (`rpc.reply-…`, auto-deleted with their proxy) and any exclusive or auto-delete queue stay
classic: quorum queues refuse both. A queue already on the broker with the other type cannot be
declared again (PRECONDITION_FAILED): `WrongQueueType` says so, and `cocoon queues migrate` moves
its messages into a queue of the new type."""

import re
from dataclasses import dataclass

from amqp.exceptions import PreconditionFailed
from kombu import Exchange, Queue
from nameko.standalone.events import get_event_exchange

from shared import config

DEFAULT_EXCHANGE = Exchange("", type="direct")
QUEUE_TYPES = ("classic", "quorum")
DEFAULT_QUEUE_TYPE = "classic"
# Redeliveries a quorum handler queue allows before the broker parks the message in its `.dlq`: a
# backstop for a message that kills its consumer before the ack. Ordinary failures never count
# here: the handler acks them and republishes a copy (x-cocoon-attempt), so their delivery count
# stays 0 (shared/handlers.py).
DEFAULT_DELIVERY_LIMIT = 20
RETRY_SUFFIX = re.compile(r"\.retry\.(\d+)ms$")


class WrongQueueType(Exception):
    """A queue is on the broker with another type or other arguments than this deployment declares."""


@dataclass(frozen=True)
class Kind:
    """The queue type and quorum delivery limit every declaration of this process uses."""

    type: str = DEFAULT_QUEUE_TYPE
    delivery_limit: int = DEFAULT_DELIVERY_LIMIT

    @property
    def quorum(self):
        return self.type == "quorum"


def configured_kind():
    """COCOON_QUEUE_TYPE and COCOON_QUEUE_DELIVERY_LIMIT, checked (ValueError says which is wrong)."""
    queue_type = (config.env("COCOON_QUEUE_TYPE") or DEFAULT_QUEUE_TYPE).strip().lower()
    if queue_type not in QUEUE_TYPES:
        raise ValueError(
            f"invalid setting COCOON_QUEUE_TYPE={config.env('COCOON_QUEUE_TYPE')!r}: expected classic or quorum"
        )
    raw_limit = config.env("COCOON_QUEUE_DELIVERY_LIMIT")
    if raw_limit is None:
        return Kind(queue_type)
    if not raw_limit.strip().isdigit() or int(raw_limit) < 1:
        raise ValueError(
            f"invalid setting COCOON_QUEUE_DELIVERY_LIMIT={raw_limit!r}: expected a whole number of at least 1"
        )
    return Kind(queue_type, int(raw_limit))


def _dead_lettering(kind, target):
    """Arguments of a queue whose expired or rejected messages go to `target` (default exchange)."""
    arguments = {"x-dead-letter-exchange": "", "x-dead-letter-routing-key": target}
    if kind.quorum:
        # quorum's own dead-lettering is at most once; at least once needs reject-publish overflow
        arguments.update({"x-dead-letter-strategy": "at-least-once", "x-overflow": "reject-publish"})
    return arguments


def _typed(kind, arguments=None):
    arguments = dict(arguments or {})
    if kind.quorum:
        arguments["x-queue-type"] = "quorum"
    return arguments or None


def event_queue(source_service, event_type, service_name, method_name, kind=None):
    """The queue nameko's EventHandler (SERVICE_POOL) consumes from, named as nameko names it.
    Quorum: a message redelivered `delivery_limit` times (its consumer died before the ack each
    time) is dead-lettered into its `.dlq`."""
    kind = kind or configured_kind()
    name = f"evt-{source_service}-{event_type}--{service_name}.{method_name}"
    arguments = None
    if kind.quorum:
        arguments = _typed(kind, {"x-delivery-limit": kind.delivery_limit, **_dead_lettering(kind, f"{name}.dlq")})
    return Queue(
        name,
        exchange=get_event_exchange(source_service, {}),
        routing_key=event_type,
        durable=True,
        auto_delete=False,
        exclusive=False,
        queue_arguments=arguments,
    )


def side_queues(queue, retry_delay_ms, kind=None):
    """(retry queue, dead-letter queue) of a handler queue. The retry queue holds a failed event
    for `retry_delay_ms` then dead-letters it back into the handler's queue; the delay is in its
    name because a queue's TTL cannot change once declared (`stale_retry_queues`)."""
    kind = kind or configured_kind()
    retry_name = retry_queue_name(queue.name, retry_delay_ms)
    retry = Queue(
        retry_name,
        exchange=DEFAULT_EXCHANGE,
        routing_key=retry_name,
        durable=True,
        queue_arguments=_typed(kind, {"x-message-ttl": retry_delay_ms, **_dead_lettering(kind, queue.name)}),
    )
    # no delivery limit on a dead-letter queue: `cocoon dead-letters show` and an erasure give its
    # messages back, which counts as a delivery
    dead = Queue(
        f"{queue.name}.dlq",
        exchange=DEFAULT_EXCHANGE,
        routing_key=f"{queue.name}.dlq",
        durable=True,
        queue_arguments=_typed(kind),
    )
    return retry, dead


def retry_queue_name(queue_name, retry_delay_ms):
    return f"{queue_name}.retry.{retry_delay_ms}ms"


def wait_queue(queue, kind=None):
    """Where an event waits while the service's database is down: each message carries its own
    delay (AMQP `expiration`, growing with each failure), then goes back to the handler's queue."""
    kind = kind or configured_kind()
    name = f"{queue.name}.wait"
    return Queue(
        name,
        exchange=DEFAULT_EXCHANGE,
        routing_key=name,
        durable=True,
        queue_arguments=_typed(kind, _dead_lettering(kind, queue.name)),
    )


def rpc_queue(service_name, exchange, kind=None):
    """A service's RPC queue, as nameko's RpcConsumer names and binds it. No delivery limit: a
    request requeued when its worker was killed comes back, and expires with its caller's
    deadline (AMQP expiration, shared/commands.py)."""
    kind = kind or configured_kind()
    return Queue(
        f"rpc-{service_name}",
        exchange=exchange,
        routing_key=f"{service_name}.*",
        durable=True,
        queue_arguments=_typed(kind),
    )


def all_queues(queue, retry_delay_ms, kind=None):
    kind = kind or configured_kind()
    return (queue, *side_queues(queue, retry_delay_ms, kind), wait_queue(queue, kind))


def declare(channel, queue, retry_delay_ms, kind=None):
    """Declare a handler's queue (with its exchange and binding) and its side queues. Always sent to
    the broker: kombu's maybe_declare remembers what a connection declared and would skip a queue
    deleted since. `queue` is rebuilt with this process's kind, so its arguments are the same
    whoever built it. Raises WrongQueueType (the channel is then closed by the broker)."""
    kind = kind or configured_kind()
    queue = rebuilt(queue, kind)
    for q in all_queues(queue, retry_delay_ms, kind):
        declare_one(channel, q, kind)


def declare_rpc(channel, service_name, exchange, kind=None):
    kind = kind or configured_kind()
    queue = rpc_queue(service_name, exchange, kind)
    declare_one(channel, queue, kind)
    return queue


def rebuilt(queue, kind):
    """A handler queue built by anyone (nameko's EventHandler, a test) with this kind's arguments."""
    source, event_type, service_name, method_name = handler_parts(queue.name)
    return event_queue(source, event_type, service_name, method_name, kind)


def handler_parts(queue_name):
    """(source, event type, service, method) of `evt-<source>-<event_type>--<service>.<method>`."""
    head, _, target = queue_name.partition("--")
    source, _, event_type = head[len("evt-") :].partition("-")
    service_name, _, method_name = target.partition(".")
    return source, event_type, service_name, method_name


def declare_one(channel, queue, kind):
    try:
        queue(channel).declare()
    except PreconditionFailed as exc:
        raise WrongQueueType(wrong_type_message(queue.name, kind, exc)) from exc


def wrong_type_message(name, kind, exc=None):
    """The operator's sentence, in French then English, for a queue declared otherwise before."""
    why = f" ({exc.reply_text if hasattr(exc, 'reply_text') else exc})" if exc is not None else ""
    return (
        f"La file {name} existe déjà sur RabbitMQ avec un autre type ou d'autres arguments que "
        f"COCOON_QUEUE_TYPE={kind.type} : arrêtez les services puis lancez `cocoon queues migrate`. / "
        f"Queue {name} already exists on RabbitMQ with another type or other arguments than "
        f"COCOON_QUEUE_TYPE={kind.type}: stop the services, then run `cocoon queues migrate`.{why}"
    )
