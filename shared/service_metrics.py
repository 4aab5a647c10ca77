"""Prometheus metrics of a nameko service, on its own port (docs/operations.md, "Metrics").

What the gateway's `/metrics` cannot see from outside: how long each RPC, command, event handler
and timer takes, what fails, the events this service published and consumed, its outbox
backlog, and (notifications) the emails sent and given up. The broker's side (queue depths,
dead letters) is the gateway's `/metrics`, which reads it once for everyone.

The port is COCOON_METRICS_PORT (0, the default: no server; the Procfile and the deployment
files give each service its own), bound to COCOON_METRICS_BIND (127.0.0.1; 0.0.0.0 in a
container so Prometheus can reach it). The server is one per process, whatever the number of
service containers in it: each series names its service.
"""

import logging
import threading
import time

from prometheus_client import REGISTRY, Counter, Histogram, start_http_server
from prometheus_client.core import GaugeMetricFamily

log = logging.getLogger(__name__)

# From 5 ms (a read) to 10 s (a month's invoices): the tail people feel.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

ENTRYPOINT_SECONDS = Histogram(
    "cocoon_entrypoint_seconds",
    "Time one call of an entrypoint took (rpc: reads and commands; event: a handler; timer)",
    ["service", "kind", "entrypoint"],
    buckets=BUCKETS,
)
ENTRYPOINT_FAILURES = Counter(
    "cocoon_entrypoint_failures_total",
    "Calls of an entrypoint that raised, by the exception's class (a refusal such as Conflict included)",
    ["service", "kind", "entrypoint", "error"],
)
EVENTS_PUBLISHED = Counter(
    "cocoon_events_published_total",
    "Events the outbox relay published and the broker confirmed",
    ["service", "event_type"],
)
EVENTS_CONSUMED = Counter(
    "cocoon_events_consumed_total",
    "Events a handler received, by what became of them: applied, duplicate (skipped by the inbox), "
    "retried, dead_lettered, invalid",
    ["service", "event_type", "outcome"],
)
EMAILS = Counter(
    "cocoon_emails_total", "Emails by outcome: sent, attempt_failed (tried again later), given_up", ["outcome"]
)

KINDS = {"Rpc": "rpc", "ReliableEventHandler": "event", "EventHandler": "event", "Timer": "timer"}

_started = {}
_start_lock = threading.Lock()
_backlogs = {}  # service -> callable giving shared.outbox.backlog's answer


def kind_of(entrypoint):
    """rpc, event, timer or the entrypoint's class name: a `@command` is an RPC."""
    for cls in type(entrypoint).__mro__:
        if cls.__name__ in KINDS:
            return KINDS[cls.__name__]
    return type(entrypoint).__name__.lower()


class CallTimer:
    """Times the workers of one service container (UnitOfWork calls it at each worker's setup and
    result): one histogram observation per call, a failure counted by its exception's class."""

    def __init__(self, service):
        self.service = service
        self._started = {}

    def started(self, worker_ctx):
        self._started[worker_ctx] = time.perf_counter()

    def finished(self, worker_ctx, exc_info=None):
        began = self._started.pop(worker_ctx, None)
        if began is None:
            return
        entrypoint = worker_ctx.entrypoint
        labels = (self.service, kind_of(entrypoint), entrypoint.method_name)
        ENTRYPOINT_SECONDS.labels(*labels).observe(time.perf_counter() - began)
        if exc_info is not None:
            ENTRYPOINT_FAILURES.labels(*labels, exc_info[0].__name__).inc()


def published(service, event_type, count=1):
    EVENTS_PUBLISHED.labels(service, event_type).inc(count)


def consumed(service, event_type, outcome):
    EVENTS_CONSUMED.labels(service, event_type, outcome).inc()


def email(outcome):
    EMAILS.labels(outcome).inc()


def watch_backlog(service, read_backlog):
    """Have each scrape report the service's outbox backlog, read then (`read_backlog()` returns
    shared.outbox.backlog's answer; it opens and closes its own connection)."""
    _backlogs[service] = read_backlog


class _BacklogGauges:
    def collect(self):
        # The names of the gateway's /metrics, which reads the same backlog through each health RPC.
        pending = GaugeMetricFamily(
            "cocoon_outbox_pending_events",
            "Unsent outbox events a service will keep trying (backlog)",
            labels=["service", "event_type"],
        )
        oldest = GaugeMetricFamily(
            "cocoon_outbox_oldest_pending_seconds",
            "Age of the oldest unsent event of the backlog (0 when none)",
            labels=["service"],
        )
        for service, read in sorted(_backlogs.items()):
            try:
                backlog = read()
            except Exception as exc:  # noqa: BLE001 (the database down: the scrape goes on, the series is missing)
                log.warning("outbox backlog unreadable for metrics", extra={"service": service, "error": repr(exc)})
                continue
            for event, count in sorted(backlog["outbox_pending_by_type"].items()):
                pending.add_metric([service, event], count)
            oldest.add_metric([service], backlog["outbox_oldest_pending_seconds"] or 0)
        return [pending, oldest]


_backlog_gauges = _BacklogGauges()


def serve(port, bind):
    """Start the process's metrics server once (a second service container in the process shares
    it); port 0: none. Returns the port served, or None."""
    if not port:
        return None
    with _start_lock:
        if port not in _started:
            try:
                start_http_server(port, addr=bind)
            except OSError as exc:  # the port taken (another venue on this machine): the service runs without
                log.error("metrics not served: port unavailable", extra={"port": port, "bind": bind, "error": str(exc)})
                return None
            if not _started:  # registered with the first server only: a gateway in the same process (tests)
                REGISTRY.register(_backlog_gauges)  # has its own outbox gauges of the same names
            _started[port] = bind
            log.info("metrics served", extra={"port": port, "bind": bind})
    return port
