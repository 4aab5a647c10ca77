"""The _template service: thin nameko entrypoints (load, locking what changes -> check with domain/ ->
change -> emit the event -> present), one screen per use case (docs/contributing.md)."""

from services._template import models
from services._template.settings import Settings
from shared.broker_loss import rpc
from shared.logs import CorrelationId
from shared.unit_of_work import UnitOfWork


class TemplateService:
    name = "_template"

    correlation_id = CorrelationId()
    uow = UnitOfWork(models.database, "_template", models.Outbox, models.Inbox)
    settings = Settings()

    @rpc
    def health(self):  # the gateway's /readyz asks every service
        return self.uow.health(self.name)
