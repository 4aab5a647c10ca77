"""Education service: on the bus with its database, outbox and inbox; its features come with its issue."""
from nameko.rpc import rpc

from services.education import models
from shared.logs import CorrelationId
from shared.unit_of_work import UnitOfWork


class EducationService:
    name = "education"

    correlation_id = CorrelationId()
    uow = UnitOfWork(models.database, "education", models.Outbox, models.Inbox)

    @rpc
    def health(self):
        return self.uow.health(self.name)
