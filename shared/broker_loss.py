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
"""

import logging

from kombu import Connection
from nameko.constants import AMQP_URI_CONFIG_KEY
from nameko.messaging import QueueConsumer
from nameko.rpc import Rpc, RpcConsumer, get_rpc_exchange

from shared import queues
from shared.confirmed_publisher import CONNECTION_FAILURES

log = logging.getLogger(__name__)


class SturdyQueueConsumer(QueueConsumer):
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
