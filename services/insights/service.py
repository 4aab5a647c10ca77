"""The insights service: the pilot's indicators, from the other services' events only (never their
databases). Each consumed event is logged once, reduced to ids, enums, dates and numbers
(domain/reduction.py), then projected into facts (domain/projection.py); the RPCs count the
indicators from those facts (domain/indicators.py). docs/insights-rules.md says what each means."""

from services.insights import backfill, models, presenters, recording, store
from services.insights.domain import indicators
from services.insights.domain.reduction import CONSUMED
from services.insights.schemas import BackfillOut, PeriodQuery, RebuildOut
from services.insights.settings import Settings
from shared.broker_loss import rpc
from shared.commands import command
from shared.errors import Invalid, load
from shared.events.registry import split_name
from shared.handlers import on_event
from shared.logs import CorrelationId
from shared.service_rpc import BoundedRpcProxy
from shared.timeutil import venue_today
from shared.unit_of_work import UnitOfWork

MAX_MONTHS = 240  # twenty years a call: the months are counted one by one


class InsightsService:
    name = "insights"

    correlation_id = CorrelationId()
    uow = UnitOfWork(models.database, "insights", models.Outbox, models.Inbox)
    settings = Settings()
    bookings = BoundedRpcProxy("bookings")
    placements = BoundedRpcProxy("placements")
    education = BoundedRpcProxy("education")
    volunteers = BoundedRpcProxy("volunteers")  # the four answer `history` (the backfill, once)

    @rpc
    def health(self):  # the gateway's /readyz asks every service
        return self.uow.health(self.name)

    def _counted(self):
        with self.uow.atomic():
            return store.facts(), store.links()

    @rpc
    def summary(self, from_date=None, to_date=None):
        period = load(PeriodQuery(), {"from_date": from_date, "to_date": to_date})
        start, end = period["from_date"], period["to_date"]
        facts, links = self._counted()
        return presenters.summary(start, end, indicators.summary(facts, links, indicators.Period(start, end)))

    @rpc
    def monthly(self, from_date=None, to_date=None):
        period = load(PeriodQuery(), {"from_date": from_date, "to_date": to_date})
        facts, links = self._counted()
        start = period["from_date"] or indicators.first_day(indicators.live(facts))
        end = period["to_date"] or venue_today()
        if start and end and len(indicators.months_between(start, end)) > MAX_MONTHS:
            raise Invalid(f"Au plus {MAX_MONTHS} mois à la fois.", {"from_date": [f"Au plus {MAX_MONTHS} mois."]})
        return presenters.monthly(indicators.monthly(facts, links, start, end))

    @rpc
    def person_path(self, person_id):
        facts, links = self._counted()
        return presenters.person_path(indicators.person_path(facts, links, str(person_id)))

    @command
    def rebuild(self):
        """Drops the indicator tables and replays the log (also `cocoon insights rebuild`)."""
        with self.uow.atomic(exclusive=True):
            return RebuildOut().dump(recording.rebuild())

    @command
    def backfill(self):
        """Once per producing service: its history before insights, logged like its live events."""
        done = {}
        for source in backfill.pending():
            try:
                items = getattr(self, source).history()
            except Exception as exc:  # not deployed, not answering: tried again at the next run
                done[source] = f"unavailable: {exc.__class__.__name__}"
                continue
            with self.uow.atomic(exclusive=True):
                if store.backfill_done(source):
                    continue
                done[source] = backfill.apply_history(items)
                store.mark_backfill(source, done[source])
        return BackfillOut().dump({"sources": done})


def _recorder(event_name):
    def record(self, event):
        recording.record(event_name, event["event_id"], event["occurred_at"], event["payload"])

    record.__name__ = record.__qualname__ = f"record_{split_name(event_name)[1]}"
    return on_event(event_name, exclusive=True)(record)


# One reliable handler per consumed event, named record_<event type> (docs/architecture.md's
# catalogue names each): they all log and project through recording.record.
for _event_name in CONSUMED:
    setattr(InsightsService, f"record_{split_name(_event_name)[1]}", _recorder(_event_name))
