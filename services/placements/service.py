"""Placements service: trainees' placements at the venue (../shared/domain/placements.md).

On the bus with its database, outbox and inbox; its entrypoints come with [8/12]. Each is a
thin method: load (store) -> check with the domain -> change -> record the event -> present
(presenters). Worked example: services/volunteers/service.py.
"""

from nameko.rpc import rpc

from services.placements import models
from services.placements.settings import Settings
from shared.logs import CorrelationId
from shared.unit_of_work import UnitOfWork


class PlacementsService:
    name = "placements"

    correlation_id = CorrelationId()
    uow = UnitOfWork(models.database, "placements", models.Outbox, models.Inbox)
    settings = Settings()

    @rpc
    def health(self):
        return self.uow.health(self.name)

    # Entrypoints go here ([8/12]), one short method per use case:
    # - `@command` (shared/commands.py) for a state change: idempotent with an Idempotency-Key,
    #   dropped when its caller's deadline passed; its transaction is `with self.uow.atomic(...)`;
    # - `@rpc` for a read;
    # - `@on_event("<source>.<event_name>")` (shared/handlers.py) for another service's event.
    # Events are emitted under their full name, never built: `self.uow.emit("placements.<event_name>", {...})`,
    # with one payload schema per event in shared/events/placements.py.
