"""What volunteers tells insights of its past (insights' one-time backfill, docs/insights-rules.md):
each volunteer's hours on a completed activity, shaped as the `volunteers.volunteer_hours_recorded`
event that told it (`{"name", "occurred_at", "payload"}`), so insights logs it under the same
dedupe key as the live event. Read-only, ids, numbers and times only."""

from datetime import datetime, timezone

from services.volunteers import presenters
from services.volunteers.models import HoursRecord
from shared.broker_loss import rpc
from shared.timeutil import as_utc


class HistoryRpc:
    @rpc
    def history(self, since=None):
        """Event-shaped facts of the past, from `since` (an ISO time) when given."""
        start = datetime.fromisoformat(since).astimezone(timezone.utc).replace(tzinfo=None) if since else None
        records = HoursRecord.select().order_by(HoursRecord.starts_at, HoursRecord.id)
        return [
            {
                "name": "volunteers.volunteer_hours_recorded",
                "occurred_at": as_utc(record.created_at).isoformat(),
                "payload": presenters.hours_recorded(record),
            }
            for record in (records.where(HoursRecord.starts_at >= start) if start else records)
        ]
