"""Calling the services from the gateway: a small pool of standalone nameko RPC proxies per process.

A standalone proxy must never be used by two threads at once (gunicorn gthread), and opening
one per request costs ~4x throughput (docs/stack.md): each request checks one out, and a
proxy that failed (timeout, lost connection) is dropped rather than put back. Proxies are
created lazily, after gunicorn forked, never at import time.
"""
import logging
import queue
import threading
from contextlib import contextmanager

from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ClusterRpcProxy

from shared.errors import ServiceError

log = logging.getLogger(__name__)


class RpcPool:
    def __init__(self, config, timeout=5.0, max_idle=8):
        self.config = config
        self.timeout = timeout
        self._idle = queue.LifoQueue(maxsize=max_idle)
        self._lock = threading.Lock()
        self._all = set()

    def _new(self):
        standalone = ClusterRpcProxy(self.config, timeout=self.timeout)
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
    def cluster(self, correlation_id=None):
        """`with pool.cluster(cid) as services: services.bookings.health()`"""
        try:
            standalone = self._idle.get_nowait()
        except queue.Empty:
            standalone = self._new()
        # nameko sends the worker context's data as `nameko.*` headers with every call.
        standalone._worker_ctx.data["correlation_id"] = correlation_id
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
