"""Bookings service: everything reserved in the building (rooms, activities, childcare, fees).

The entrypoints live in mixins, one per area, so each file stays small and holds
entrypoints only: calendar_rpc.CalendarRpc (rooms, activities, room reservations),
childcare_rpc.ChildcareRpc (families, slots, bookings, attendance, fees),
contracts_rpc.ContractsRpc (regular care contracts, their absences) and
family_file_rpc.FamilyFileRpc (the family file staff keep: search, corrections, walking, history),
calendar_feed_rpc.CalendarFeedRpc (a person's calendar feed, read by the gateway's .ics link) and
board_rpc.BoardRpc (the staff's board, read only: the day, the check-in list, the register, a room's week). Around them:
domain/ (the rules, pure), store.py (queries and locking), presenters.py (answers and event
payloads), schemas.py (the published interface), models.py, settings.py.
"""

from nameko.rpc import RpcProxy, rpc

from services.bookings import models
from services.bookings.board_rpc import BoardRpc
from services.bookings.calendar_feed_rpc import CalendarFeedRpc
from services.bookings.calendar_rpc import CalendarRpc
from services.bookings.childcare_rpc import ChildcareRpc
from services.bookings.contracts_rpc import ContractsRpc
from services.bookings.family_file_rpc import FamilyFileRpc
from services.bookings.settings import Settings
from shared.logs import CorrelationId
from shared.unit_of_work import UnitOfWork


class BookingsService(CalendarRpc, ChildcareRpc, ContractsRpc, FamilyFileRpc, CalendarFeedRpc, BoardRpc):
    name = "bookings"

    correlation_id = CorrelationId()
    uow = UnitOfWork(models.database, "bookings", models.Outbox, models.Inbox)
    settings = Settings()
    placements = RpcProxy("placements")  # who is a trainee: assign_trainee asks (trainee_exists)

    @rpc
    def health(self):
        return self.uow.health(self.name)
