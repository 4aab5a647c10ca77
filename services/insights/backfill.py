"""The backfill: once per producing service, its facts from before insights existed, asked of its
`history(since)` RPC (event-shaped: `{"name", "occurred_at", "payload"}`, the payload holding
the fields of its contract the producer still knows: checked as a partial payload, its dedupe
key's fields required), logged under the same
dedupe key as the live events, so what both tell is logged once. A flag row per source
(`BackfillDone`) makes it run once; a source that does not answer is tried at the next run."""

from datetime import datetime

from marshmallow import ValidationError

from services.insights import models, recording, store
from services.insights.domain.reduction import ALLOWED, CONSUMED, dedupe_key
from shared.events.registry import contract_for

SOURCES = ("bookings", "placements", "education", "volunteers")  # the producers answering `history`


def loaded(item):
    """(name, occurred_at, payload) of one history item, checked against its event's contract."""
    name = item["name"]
    payload = contract_for(name).schema.load(item["payload"], partial=True)
    missing = [field for field in ALLOWED[name][1] if field not in payload and "_id" in field]
    if missing:
        raise ValueError(f"without {', '.join(missing)}")
    return name, datetime.fromisoformat(item["occurred_at"]), payload


def apply_history(items):
    """Logs the items insights consumes; how many were new. Runs in the caller's transaction."""
    added = 0
    for item in items:
        if item.get("name") not in CONSUMED:
            continue
        try:
            name, occurred_at, payload = loaded(item)
        except (ValidationError, KeyError, ValueError) as exc:
            raise ValueError(f"history item {item.get('name')} is not a valid event: {exc}") from None
        event_id = f"backfill:{dedupe_key(name, item['payload'])}"[:64]
        added += recording.record(name, event_id, occurred_at, payload, origin=models.BACKFILL)
    return added


def pending(sources=SOURCES):
    return [source for source in sources if not store.backfill_done(source)]
