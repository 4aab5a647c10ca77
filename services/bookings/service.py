"""Bookings service: everything reserved in the building (rooms, activities, childcare, fees).

One package per area, each with its entrypoints (a mixin, combined below), store and presenters,
and its module in schemas/: calendar (rooms, activities, room reservations for other services),
childcare (families, slots, bookings, attendance, fees, statements), contracts (regular care
contracts, their attendance, their absences: requests, decisions, certificates), family_file
(the family file staff keep: search, corrections, walking, history), child_file (a child's
health file, encrypted, the adults allowed to collect it, the incident register), board (read only: the
staff's board and a person's calendar feed), invoicing (months closed into numbered invoices,
credit notes, payments) and corrections (check-ins and check-outs corrected by staff, with their
history), duty (who may be with the children: staff members and the clearances of staff and
trainees, from team's and placements' events). Shared by the areas: domain/ (the rules, pure), children_in_care.py
(what several areas ask about a child in care), staffing.py (who is on duty: named staff, the
professionals a slot counts, what an activity needs), month_statements.py (a family's month, open or
frozen), presenting.py (what their presenters share), schemas/ (the published interface),
models.py, settings.py.
"""

from services.bookings import models
from services.bookings.board.entrypoints import BoardRpc, CalendarFeedRpc
from services.bookings.calendar.entrypoints import CalendarRpc
from services.bookings.child_file.entrypoints import ChildFileRpc
from services.bookings.childcare.entrypoints import ChildcareRpc
from services.bookings.contacts import ContactsRpc
from services.bookings.contracts.absence_requests import AbsencesRpc
from services.bookings.contracts.entrypoints import ContractsRpc
from services.bookings.corrections.entrypoints import AttendanceCorrectionsRpc
from services.bookings.duty.entrypoints import DutyRpc
from services.bookings.erasure import ErasureHandlers
from services.bookings.family_file.entrypoints import FamilyFileRpc
from services.bookings.family_file.job_search import JobSearchEvents
from services.bookings.family_file.mandates import MandateRpc
from services.bookings.history import HistoryRpc
from services.bookings.invoicing.entrypoints import InvoicingRpc
from services.bookings.invoicing.sepa_file import SepaFileRpc
from services.bookings.invoicing.tax_certificates import TaxCertificateRpc
from services.bookings.personal_data.entrypoints import PersonalDataRpc
from services.bookings.settings import Settings
from shared.broker_loss import rpc
from shared.logs import CorrelationId
from shared.service_rpc import BoundedRpcProxy
from shared.unit_of_work import UnitOfWork


class BookingsService(
    CalendarRpc,
    ChildcareRpc,
    ContractsRpc,
    AbsencesRpc,
    FamilyFileRpc,
    JobSearchEvents,
    ChildFileRpc,
    MandateRpc,
    CalendarFeedRpc,
    BoardRpc,
    InvoicingRpc,
    AttendanceCorrectionsRpc,
    SepaFileRpc,
    TaxCertificateRpc,
    DutyRpc,
    ContactsRpc,
    HistoryRpc,
    PersonalDataRpc,
    ErasureHandlers,
):
    name = "bookings"

    correlation_id = CorrelationId()
    uow = UnitOfWork(models.database, "bookings", models.Outbox, models.Inbox)
    settings = Settings()
    placements = BoundedRpcProxy("placements")  # who is a trainee: assign_trainee asks (trainee_exists)

    @rpc
    def health(self):
        return self.uow.health(self.name)
