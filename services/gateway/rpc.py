"""Calling the services from the gateway: a small pool of standalone nameko RPC proxies per process.

A standalone proxy must never be used by two threads at once (gunicorn gthread), and opening
one per request costs ~4x throughput (docs/stack.md): each request checks one out, and a
proxy that failed (timeout, lost connection) is dropped rather than put back. Proxies are
created lazily, after gunicorn forked, never at import time.

Every call carries an expiry equal to the pool's timeout (shared.commands): an AMQP per-message
expiration, so the broker drops a request nobody consumed in time (a service down while the
caller was told 503), and a `deadline` in the context data, checked by `@command` before it runs.
Context data is reset at every checkout: a pooled proxy never carries a previous request's
Idempotency-Key.

nameko makes a kombu Connection for every message it publishes; for an `amqp://` address kombu
then tries `import librabbitmq` (an optional C client, not installed), a failed import searched
along sys.path at every call (~100 µs of CPU). The pool's proxies name the transport kombu picks
anyway, `pyamqp://` (`transport_address`), so it skips that search.
"""

import logging
import queue
import threading
from contextlib import contextmanager

from nameko.exceptions import RemoteError
from nameko.rpc import MethodProxy, ServiceProxy
from nameko.standalone.rpc import ClusterProxy, ClusterRpcProxy

from shared import commands
from shared.errors import ServiceError

log = logging.getLogger(__name__)


def transport_address(amqp_uri):
    """`amqp://…` as `pyamqp://…`: the same broker through the same client, py-amqp (module doc)."""
    return "pyamqp://" + amqp_uri[len("amqp://") :] if amqp_uri.startswith("amqp://") else amqp_uri


class RpcPool:
    def __init__(self, config, timeout=5.0, max_idle=8):
        self.config = dict(config, AMQP_URI=transport_address(config["AMQP_URI"]))
        self.timeout = timeout
        self._idle = queue.LifoQueue(maxsize=max_idle)
        self._lock = threading.Lock()
        self._all = set()

    def _new(self):
        standalone = ClusterRpcProxy(self.config, timeout=self.timeout)
        standalone._proxy = ExpiringClusterProxy(standalone._worker_ctx, standalone._reply_listener, self.timeout)
        standalone.start()
        with self._lock:
            self._all.add(standalone)
        return standalone

    def _discard(self, standalone):
        with self._lock:
            self._all.discard(standalone)
        try:
            standalone.stop()
        except Exception:  # already broken: nothing more to release
            log.debug("proxy stop failed", exc_info=True)

    @contextmanager
    def cluster(self, correlation_id=None, context=None):
        """`with pool.cluster(cid) as services: services.bookings.health()`; `context`: more
        context data for this request's calls (the Idempotency-Key and the caller)."""
        try:
            standalone = self._idle.get_nowait()
        except queue.Empty:
            standalone = self._new()
        # nameko sends the worker context's data as `nameko.*` headers with every call: set it
        # afresh, so nothing of the request that used this proxy before travels with this one.
        data = standalone._worker_ctx.data
        data.clear()
        data.update(
            {
                name: value
                for name, value in dict(context or {}, correlation_id=correlation_id).items()
                if value is not None
            }
        )
        try:
            yield standalone._proxy
        except (ServiceError, RemoteError):
            self._give_back(standalone)  # the service answered: the proxy is fine
            raise
        except BaseException:
            self._discard(standalone)
            raise
        else:
            self._give_back(standalone)

    def _give_back(self, standalone):
        try:
            self._idle.put_nowait(standalone)
        except queue.Full:
            self._discard(standalone)

    def close(self):
        with self._lock:
            proxies = list(self._all)
        for standalone in proxies:
            self._discard(standalone)


class ExpiringClusterProxy(ClusterProxy):
    """`proxy.<service>.<method>(...)` whose requests expire after `ttl` seconds (see module doc)."""

    def __init__(self, worker_ctx, reply_listener, ttl):
        super().__init__(worker_ctx, reply_listener)
        self._ttl = ttl

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._proxies:
            self._proxies[name] = ExpiringServiceProxy(
                self._worker_ctx, name, self._reply_listener, expiration=self._ttl
            )
        return self._proxies[name]


class ExpiringServiceProxy(ServiceProxy):
    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return ExpiringMethodProxy(self.worker_ctx, self.service_name, name, self.reply_listener, **self.options)


class ExpiringMethodProxy(MethodProxy):
    """Publishes with the AMQP `expiration` (the Publisher option, in seconds) and adds the
    matching `deadline` header, computed when the request is sent."""

    def __init__(self, worker_ctx, service_name, method_name, reply_listener, expiration, **options):
        super().__init__(worker_ctx, service_name, method_name, reply_listener, expiration=expiration, **options)
        self.ttl = expiration

    def get_message_headers(self, worker_ctx):
        headers = super().get_message_headers(worker_ctx)
        headers[self._get_header_name(commands.DEADLINE)] = commands.deadline_in(self.ttl)
        return headers
