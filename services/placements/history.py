"""What placements tells insights of its past (insights' one-time backfill, docs/insights-rules.md):
its facts from before insights existed, shaped as the events that would have told them
(`{"name", "occurred_at", "payload"}`: each payload holds the fields of its contract this service
still knows, and no text), so insights logs them under the same dedupe keys as the live events.
Read-only; kept small: placements created, started and completed, and the validated hours.
Immersions and outcomes are not told yet (their tables are being written)."""

from datetime import datetime, timezone
from decimal import Decimal

from services.placements.domain.lifecycle import ACTIVE, COMPLETED, INTERRUPTED
from services.placements.domain.progress import hours_between
from services.placements.models import VALIDATED, HourLog, Placement
from shared.broker_loss import rpc
from shared.timeutil import as_utc


def told(name, occurred_at, payload):
    return {"name": name, "occurred_at": as_utc(occurred_at).isoformat(), "payload": payload}


def placement_history(placement, validated):
    ids = {"placement_id": placement.id, "trainee_id": placement.trainee_id, "tutor_id": placement.tutor_id}
    dates = {"starts_on": placement.starts_on.isoformat(), "ends_on": placement.ends_on.isoformat()}
    yield told("placements.placement_created", placement.created_at, {**ids, **dates})
    if placement.started_at or placement.status in (ACTIVE, COMPLETED, INTERRUPTED):
        started = placement.started_at or datetime.combine(placement.starts_on, datetime.min.time())
        yield told("placements.placement_started", started, {**ids, "started_on": started.date().isoformat()})
    if placement.status == COMPLETED and placement.ended_at:
        yield told("placements.placement_completed", placement.ended_at, {**ids, "validated_hours": str(validated)})


def hours_history(log):
    placement = log.placement
    return told(
        "placements.hours_validated",
        log.validated_at or log.ends_at,
        {
            "placement_id": placement.id,
            "trainee_id": placement.trainee_id,
            "tutor_id": placement.tutor_id,
            "hour_log_id": log.id,
            "starts_at": as_utc(log.starts_at).isoformat(),
            "ends_at": as_utc(log.ends_at).isoformat(),
            "hours": str(hours_of(log)),
            "kind": log.kind,
            "activity_id": log.activity_id,
            "validated_by": log.validated_by,
        },
    )


def hours_of(log):
    return hours_between(log.starts_at, log.ends_at)


class HistoryRpc:
    @rpc
    def history(self, since=None):
        """Event-shaped facts of the past, from `since` (an ISO time) when given."""
        start = datetime.fromisoformat(since).astimezone(timezone.utc).replace(tzinfo=None) if since else None
        logs = HourLog.select(HourLog, Placement).join(Placement).where(HourLog.status == VALIDATED)
        logs = logs.where(HourLog.starts_at >= start) if start else logs
        validated, hours = {}, []
        for log in logs.order_by(HourLog.starts_at, HourLog.id):
            validated[log.placement_id] = validated.get(log.placement_id, Decimal(0)) + hours_of(log)
            hours.append(hours_history(log))
        placements = Placement.select().order_by(Placement.created_at)
        items = []
        for placement in placements.where(Placement.created_at >= start) if start else placements:
            items += placement_history(placement, validated.get(placement.id, Decimal(0)))
        return items + hours
