"""The one dependency a service handler needs to change state reliably.

    with self.uow.atomic():
        thing = Thing.create(...)
        self.uow.emit("bookings.activity_scheduled", {...})   # row in the outbox, same transaction

While this service's outbox relay runs, each row is recorded leased and handed over to the relay
as soon as its transaction commits (when the worker ends, for a transaction `atomic` did not open):
the relay publishes those that committed at once, together with whatever other workers handed
over meanwhile (shared/outbox_relay.py). A process that dies in between leaves them to a claim
when their lease ends; rows recorded outside a worker are claimed at the relay's next sweep.

A database failure (server down or restarted, connection killed, pool exhausted) fails the one
call that met it with Unavailable (503 at the gateway; an event is retried) and never the
service: nameko kills the whole container when worker_setup/teardown raises, so neither
touches the database in a way that can fail.
"""

import functools
import logging
import time
from contextlib import contextmanager

from nameko.extensions import DependencyProvider

from shared import service_metrics, spine_settings, topology
from shared.db import CONNECTION_ERRORS, bind, release_connection, write_transaction
from shared.errors import Unavailable
from shared.events import new_event
from shared.inbox import claim
from shared.integrity import duplicates_as_conflict
from shared.logs import ensure_correlation_id
from shared.outbox import backlog, record_event
from shared.outbox_relay import OutboxRelay

log = logging.getLogger(__name__)


class Work:
    """What a worker sees: the database, `emit` into the outbox, `claim` in the inbox."""

    def __init__(self, database, outbox, inbox, correlation_id, relay=None):
        self.database = database
        self.outbox = outbox
        self.inbox = inbox
        self.correlation_id = correlation_id
        self.emitted = []
        self.relay = relay  # the running outbox relay: rows are recorded leased and handed over to it
        self.leased = []  # those rows not handed over yet

    @contextmanager
    def atomic(self, exclusive=False):
        """A transaction; `exclusive=True` when the decision depends on rows others may write
        (capacity, clashes, the row it changes: load that one with `shared.db.get_locked`).
        A duplicate unique value leaves it as Conflict naming the field (rolled back first).

        When it opened the transaction, its events go to the relay as soon as it commits; nested
        in a transaction opened elsewhere (an idempotent command's), when the worker ends."""
        opens, recorded = not self.database.in_transaction(), len(self.leased)
        try:
            with duplicates_as_conflict():
                with write_transaction(self.database) if exclusive else self.database.atomic():
                    yield
        except BaseException:
            del self.leased[recorded:]  # rolled back with the block
            raise
        if opens:
            self.hand_over()

    def hand_over(self):
        """The rows recorded leased so far, to the relay (which publishes those that committed)."""
        if self.leased:
            rows, self.leased = self.leased, []
            self.relay.take(rows)

    def emit(self, event_type, payload):
        if not self.database.in_transaction():
            raise RuntimeError("emit() must run inside uow.atomic(), with the change it describes")
        envelope = new_event(event_type, payload, correlation_id=self.correlation_id)
        if self.relay is not None:
            lease_ends = time.monotonic() + self.relay.lease_seconds  # before the row's: never after it
            row = record_event(self.outbox, envelope, lease_seconds=self.relay.lease_seconds)
            row.lease_ends = lease_ends
            self.leased.append(row)
        else:
            record_event(self.outbox, envelope)
        self.emitted.append(envelope)
        return envelope

    def health(self, service):
        """For the health RPC: the database answers, and what waits in the outbox (shared.outbox.backlog)."""
        return {"service": service, "status": "ok", **backlog(self.outbox)}

    def claim(self, envelope, handler):
        return claim(self.inbox, envelope, handler)


class UnitOfWork(DependencyProvider):
    """Binds the service's database, runs its outbox relay, hands each worker a `Work`."""

    def __init__(self, proxy, component, outbox, inbox):
        self.proxy = proxy
        self.component = component
        self.outbox = outbox
        self.inbox = inbox
        self.relay = None
        self._works = {}

    def setup(self):
        cfg = self.container.config
        settings = spine_settings.of(self.container)  # checked here: a wrong value stops the start
        bind(
            self.proxy,
            self.component,
            cfg.get(f"{self.component.upper()}_DATABASE_URL"),
            pool_size=settings.database_pool_size,
            pool_wait_seconds=settings.database_pool_wait_seconds,
        )
        # Every consumer's queue before this service publishes (shared/topology.py); a failure stops the start.
        declared = topology.declare_all(cfg["AMQP_URI"], settings.event_retry_delay_ms)
        log.info("event queues declared", extra={"service": self.component, "queues": len(declared)})
        self.relay = OutboxRelay(
            self.outbox,
            cfg["AMQP_URI"],
            sweep_seconds=settings.outbox_sweep_seconds,
            confirm_timeout=settings.outbox_confirm_timeout_seconds,
            declare_topology=functools.partial(_declare_on_connection, settings.event_retry_delay_ms),
        )
        self._relay_enabled = settings.outbox_relay
        self.calls = service_metrics.CallTimer(self.component)
        self.relay.published = functools.partial(service_metrics.published, self.component)
        self._metrics = (settings.metrics_port, settings.metrics_bind)

    def start(self):
        if self._relay_enabled:
            self.container.spawn_managed_thread(self.relay.run, identifier=f"{self.component}.outbox_relay")
        port, bind = self._metrics
        if port:
            service_metrics.watch_backlog(self.component, self._backlog)
            service_metrics.serve(port, bind)

    def _backlog(self):
        with self.proxy.connection_context():
            return backlog(self.outbox)

    def stop(self):
        if self.relay:
            self.relay.stop()

    kill = stop

    def worker_setup(self, worker_ctx):
        # No connect() here: it would kill the container when the database is down. The worker's
        # first query connects (peewee autoconnect; its state is per greenthread), inside the
        # entrypoint, where a failure fails this call only. The entrypoint is wrapped because
        # nameko answers the caller with what it raised before any provider sees the result.
        name = worker_ctx.entrypoint.method_name
        setattr(worker_ctx.service, name, _database_failures_as_unavailable(getattr(worker_ctx.service, name)))
        self.calls.started(worker_ctx)

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        self.calls.finished(worker_ctx, exc_info)

    def get_dependency(self, worker_ctx):
        relay = self.relay if self._relay_enabled else None
        work = self._works[worker_ctx] = Work(
            self.proxy, self.outbox, self.inbox, ensure_correlation_id(worker_ctx), relay
        )
        return work

    def worker_teardown(self, worker_ctx):
        release_connection(self.proxy)  # never raises: a broken connection is dropped, not pooled
        work = self._works.pop(worker_ctx, None)
        if work and work.relay is not None:
            work.hand_over()  # rows whose transaction was opened elsewhere (most went at their commit)
        elif work and work.emitted and self.relay:
            self.relay.wake()  # the relay is off (a test drives it): as before, a claim


def _declare_on_connection(retry_delay_ms, connection):
    channel = connection.channel()
    try:
        topology.declare_on(channel, retry_delay_ms)
    finally:
        channel.close()


def _database_failures_as_unavailable(method):
    @functools.wraps(method)
    def call(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except CONNECTION_ERRORS as exc:
            log.warning(
                "database unavailable: this call fails, the service keeps running",
                extra={"entrypoint": method.__name__, "error": repr(exc)},
            )
            raise Unavailable(Unavailable.default_message) from exc

    return call
