"""A worker that finishes after the broker connection it came on was lost must not kill its service.

nameko acks (or requeues) a message, and an RPC entrypoint publishes its reply, when the worker
ends. nameko 2.14's QueueConsumer only forgives py-amqp's own ConnectionError there: the socket's
ConnectionResetError or BrokenPipeError (a broker restarted, `rabbitmqctl stop_app`) escape the
worker, nameko calls that a thread "exited with error" and kills the whole container: the
service's process ends, every later request goes unanswered. The reliability proof's broker
restart showed it.

Nothing is lost by forgiving it: a message not acked on a dead channel is delivered again by the
broker once the service reconnects, and its second run is absorbed (a command's Idempotency-Key
answers the first result, an event's inbox skips it, a read is read again). So:

- `SturdyQueueConsumer`: ack/requeue on a lost connection logs a line and goes on;
- `SturdyRpcConsumer`: a reply that cannot be published (the broker away) is logged, the
  request stays unacked and comes back; every RPC entrypoint of a service shares it;
- `rpc`: the read entrypoint to use instead of nameko's (`shared.commands.command` for changes
  uses the same consumer: two consumers on one service's RPC queue would answer each other's
  methods "not found").

`SturdyQueueConsumer` is the one consumer of a service: its RPC entrypoints, its event handlers
(shared/handlers.py) and the replies of its calls to other services (`SturdyReplyListener`,
shared/service_rpc.py) share it, hence one broker connection per service for all it consumes, as
nameko's own consumer does (nameko shares a consumer between extensions of the same class: three
classes were three connections). In a process running several services (shared/run_services.py)
the services share one connection (shared/process_consumer.py).
"""

import functools
import logging

from kombu import Connection
from nameko.constants import AMQP_URI_CONFIG_KEY
from nameko.extensions import ProviderCollector
from nameko.messaging import QueueConsumer
from nameko.rpc import ReplyListener, Rpc, RpcConsumer, get_rpc_exchange

from shared import process_consumer, queues
from shared.confirmed_publisher import CONNECTION_FAILURES

log = logging.getLogger(__name__)


class SturdyQueueConsumer(QueueConsumer):
    """nameko's QueueConsumer, forgiving a lost connection when settling a message, handing a body
    kombu cannot decode to its provider's `handle_undecodable` when it has one (shared/handlers.py;
    kombu's ConsumerMixin would ack and drop it), and consuming on the process's shared connection
    when the process runs several services (shared/process_consumer.py)."""

    _shared = None  # the ProcessConsumer this container's consumer joined, if any

    def run(self, _tokens=1, **kwargs):
        # kombu waits 1 s for a frame before nameko's loop looks at what to cancel: a stop waited
        # three such turns in a row once the service's three consumers were one
        return super().run(_tokens, safety_interval=process_consumer.SAFETY_INTERVAL, **kwargs)

    def ack_message(self, message):
        try:
            super().ack_message(message)
        except CONNECTION_FAILURES as exc:
            _lost("ack", message, exc)

    def requeue_message(self, message):
        try:
            super().requeue_message(message)
        except CONNECTION_FAILURES as exc:
            _lost("requeue", message, exc)

    # --- bodies kombu cannot decode ----------------------------------------------------------
    def decode_error_handler(self, provider):
        if hasattr(provider, "handle_undecodable"):
            return functools.partial(self.handle_undecodable, provider)
        return self.on_decode_error  # kombu's: log, ack

    def get_consumers(self, consumer_cls, channel):
        consumers = super().get_consumers(consumer_cls, channel)
        for provider, consumer in self._consumers.items():
            consumer.on_decode_error = self.decode_error_handler(provider)
        return consumers

    def handle_undecodable(self, provider, message, exc):
        # off the consumer's thread, as nameko does for a decoded message: parking waits for a confirm
        self.container.spawn_managed_thread(
            functools.partial(provider.handle_undecodable, message, exc),
            identifier=f"{type(provider).__name__}.handle_undecodable",
        )

    # --- one connection for the services of a process ----------------------------------------
    def register_provider(self, provider):
        if self._shared is None and process_consumer.sharing():
            self._shared = process_consumer.for_consumer(self)
        if self._shared is None:
            return super().register_provider(provider)
        ProviderCollector.register_provider(self, provider)
        self._shared.add(self, provider)

    def start(self):
        if self._shared is None:
            return super().start()
        self._shared.start(self)

    def unregister_provider(self, provider):
        if self._shared is None:
            return super().unregister_provider(provider)
        self._shared.remove(provider)
        ProviderCollector.unregister_provider(self, provider)

    def stop(self):
        if self._shared is None:
            return super().stop()
        self.wait_for_providers()
        self._shared.leave(self)

    def kill(self):
        if self._shared is None:
            return super().kill()
        self._providers = set()
        self._shared.leave(self, kill=True)


class SturdyReplyListener(ReplyListener):
    """The replies to a service's calls to others (shared/service_rpc.py), on the service's consumer."""

    queue_consumer = SturdyQueueConsumer()


class SturdyRpcConsumer(RpcConsumer):
    queue_consumer = SturdyQueueConsumer()

    def setup(self):
        # nameko builds `rpc-<service>` with no arguments when self.queue is None; built here, through
        # shared/queues.py, it has this deployment's queue type, and is declared once now so that a
        # queue of the other type stops the start with the operator's message (queues.WrongQueueType)
        if self.queue is None:
            with Connection(self.container.config[AMQP_URI_CONFIG_KEY]) as conn:
                self.queue = queues.declare_rpc(
                    conn.default_channel, self.container.service_name, get_rpc_exchange(self.container.config)
                )
            self.queue_consumer.register_provider(self)
            self._registered = True

    def handle_result(self, message, result, exc_info):
        try:
            return super().handle_result(message, result, exc_info)
        except CONNECTION_FAILURES as exc:
            _lost("reply", message, exc)
            return result, exc_info


class SturdyRpc(Rpc):
    rpc_consumer = SturdyRpcConsumer()


rpc = SturdyRpc.decorator


def _lost(what, message, exc):
    log.warning(
        "broker connection lost before the message was settled: the broker delivers it again",
        extra={
            "settling": what,
            "routing_key": (message.delivery_info or {}).get("routing_key"),
            "error": f"{type(exc).__name__}: {exc}",
        },
    )
