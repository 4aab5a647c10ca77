"""Placements service: on the bus with its database, outbox and inbox; its features come with its issue."""
from nameko.rpc import rpc

from services.placements import models
from shared.logs import CorrelationId
from shared.unit_of_work import UnitOfWork


class PlacementsService:
    name = "placements"

    correlation_id = CorrelationId()
    uow = UnitOfWork(models.database, "placements", models.Outbox, models.Inbox)

    @rpc
    def health(self):
        return self.uow.health(self.name)
