"""A service asking another by RPC, with a bound on the wait.

nameko 2.14's RpcProxy waits for the reply for ever. A reply can be lost (the caller's reply
queue is not durable: a broker restart between request and reply drops it), and a command asks
inside its Idempotency-Key's transaction (shared/idempotency.run_once): a worker waiting there
for ever kept SQLite's writer lock (shared/sqlite_writers.py) for ever, and every later write of
the service failed "database is locked". So a call gives up when its caller stops waiting (the
command's deadline, shared/deadline.py) or after DEFAULT_SECONDS, and raises Unavailable (503):
nothing was changed, the client may send the command again.
"""

import eventlet
from nameko.rpc import MethodProxy, RpcProxy, ServiceProxy

from shared.broker_loss import SturdyReplyListener
from shared.deadline import seconds_left
from shared.errors import Unavailable

DEFAULT_SECONDS = 10.0


class BoundedRpcProxy(RpcProxy):
    """`placements = BoundedRpcProxy("placements")`: `self.placements.trainee_exists(...)` as with
    nameko's RpcProxy, but never waiting past the deadline. The replies come on the service's one
    consumer connection (shared/broker_loss.py), not on one of their own."""

    rpc_reply_listener = SturdyReplyListener()

    def __init__(self, target_service, seconds=DEFAULT_SECONDS, **options):
        super().__init__(target_service, **options)
        self.seconds = seconds

    def get_dependency(self, worker_ctx):
        return BoundedServiceProxy(
            worker_ctx, self.target_service, self.rpc_reply_listener, seconds=self.seconds, **self.options
        )


class BoundedServiceProxy(ServiceProxy):
    def __init__(self, worker_ctx, service_name, reply_listener, seconds, **options):
        super().__init__(worker_ctx, service_name, reply_listener, **options)
        self.seconds = seconds

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return BoundedMethodProxy(
            self.worker_ctx, self.service_name, name, self.reply_listener, seconds=self.seconds, **self.options
        )


class BoundedMethodProxy(MethodProxy):
    def __init__(self, worker_ctx, service_name, method_name, reply_listener, seconds, **options):
        super().__init__(worker_ctx, service_name, method_name, reply_listener, **options)
        self.seconds = seconds

    def __call__(self, *args, **kwargs):
        wait = max(0.0, min(self.seconds, seconds_left(default=self.seconds)))
        timer = eventlet.Timeout(wait)
        try:
            return super().__call__(*args, **kwargs)
        except eventlet.Timeout as exc:
            if exc is not timer:
                raise  # someone else's timeout
            raise Unavailable(
                f"Le service {self.service_name} n'a pas répondu à temps ; réessayez dans un instant."
            ) from None
        finally:
            timer.cancel()
