"""Education service: continuing education sessions (../shared/domain/education.md).

On the bus with its database, outbox and inbox; its entrypoints come with [10/12]. Each is a
thin method: load (store) -> check with the domain -> change -> record the event -> present
(presenters). Worked example: services/volunteers/service.py.
"""

from nameko.rpc import rpc

from services.education import models
from services.education.settings import Settings
from shared.logs import CorrelationId
from shared.unit_of_work import UnitOfWork


class EducationService:
    name = "education"

    correlation_id = CorrelationId()
    uow = UnitOfWork(models.database, "education", models.Outbox, models.Inbox)
    settings = Settings()

    @rpc
    def health(self):
        return self.uow.health(self.name)

    # Entrypoints go here ([10/12]), one short method per use case:
    # - `@command` (shared/commands.py) for a state change: idempotent with an Idempotency-Key,
    #   dropped when its caller's deadline passed; its transaction is `with self.uow.atomic(...)`;
    # - `@rpc` for a read;
    # - `@on_event("<source>.<event_name>")` (shared/handlers.py) for another service's event.
    # Events are emitted under their full name, never built: `self.uow.emit("education.<event_name>", {...})`,
    # with one payload schema per event in shared/events/education.py.
