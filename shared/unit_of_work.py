"""The one dependency a service handler needs to change state reliably.

    with self.uow.atomic():
        thing = Thing.create(...)
        self.uow.emit("bookings.activity_scheduled", {...})   # row in the outbox, same transaction

After the worker ends (its transaction committed), the outbox relay of this service is woken
to publish at once; its periodic sweep covers a crash in between.
"""
import logging

from nameko.extensions import DependencyProvider

from shared import config
from shared.db import bind, write_transaction
from shared.events import new_event
from shared.inbox import claim
from shared.logs import ensure_correlation_id
from shared.outbox import OutboxRelay, record_event

log = logging.getLogger(__name__)


class Work:
    """What a worker sees: the database, `emit` into the outbox, `claim` in the inbox."""

    def __init__(self, database, outbox, inbox, correlation_id):
        self.database = database
        self.outbox = outbox
        self.inbox = inbox
        self.correlation_id = correlation_id
        self.emitted = []

    def atomic(self, exclusive=False):
        """A transaction; `exclusive=True` when the decision depends on rows others may write (capacity, clashes)."""
        return write_transaction(self.database) if exclusive else self.database.atomic()

    def emit(self, event_type, payload):
        if not self.database.in_transaction():
            raise RuntimeError("emit() must run inside uow.atomic(), with the change it describes")
        envelope = new_event(event_type, payload, correlation_id=self.correlation_id)
        record_event(self.outbox, envelope)
        self.emitted.append(envelope)
        return envelope

    def health(self, service):
        """For the health RPC: the database answers, and how many events wait in the outbox."""
        unsent = self.outbox.select().where(self.outbox.published_at.is_null())
        abandoned = unsent.where(self.outbox.abandoned_at.is_null(False)).count()
        return {"service": service, "status": "ok", "outbox_pending": unsent.count() - abandoned,
                "outbox_abandoned": abandoned}

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
        bind(self.proxy, self.component, cfg.get(f"{self.component.upper()}_DATABASE_URL"))
        self.relay = OutboxRelay(
            self.outbox,
            cfg["AMQP_URI"],
            sweep_seconds=config.setting(cfg, "OUTBOX_SWEEP_SECONDS", 5, float),
            max_unroutable_attempts=config.setting(cfg, "OUTBOX_MAX_UNROUTABLE_ATTEMPTS", 10, int),
        )
        self._relay_enabled = cfg.get("OUTBOX_RELAY", "on") != "off"

    def start(self):
        if self._relay_enabled:
            self.container.spawn_managed_thread(self.relay.run, identifier=f"{self.component}.outbox_relay")

    def stop(self):
        if self.relay:
            self.relay.stop()

    kill = stop

    def worker_setup(self, worker_ctx):
        # peewee connection state is per (green)thread: one connection per worker.
        self.proxy.connect(reuse_if_open=True)

    def get_dependency(self, worker_ctx):
        work = self._works[worker_ctx] = Work(self.proxy, self.outbox, self.inbox, ensure_correlation_id(worker_ctx))
        return work

    def worker_teardown(self, worker_ctx):
        if not self.proxy.is_closed():
            self.proxy.close()
        work = self._works.pop(worker_ctx, None)
        if work and work.emitted and self.relay:
            self.relay.wake()
