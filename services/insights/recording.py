"""What the live handlers, the backfill and `rebuild` share: log one event once (its reduced
payload, under its dedupe key), project a log row into facts and links, replay the whole log.
Plain functions over the store; each runs inside the caller's transaction."""

from services.insights import models, store
from services.insights.domain.projection import project
from services.insights.domain.reduction import dedupe_key, reduce_payload
from shared.timeutil import as_utc, in_venue_zone, to_db, venue_zone


def record(name, event_id, occurred_at, payload, origin=models.LIVE):
    """True when the fact was new: logged and projected; False when already logged."""
    store.lock_projection()
    reduced = reduce_payload(name, payload, venue_zone())
    row = store.log_event(name, event_id, to_db(occurred_at), dedupe_key(name, reduced), reduced, origin)
    if row is None:
        return False
    project_row(row)
    return True


def project_row(row):
    on = in_venue_zone(as_utc(row.occurred_at)).date().isoformat()
    facts, links = project(row.name, on, row.payload)
    store.apply(facts, links, row.occurred_at)


def rebuild():
    """Drops the projection and replays the log into it: the same log gives the same numbers."""
    store.lock_projection()
    store.clear_projection()
    replayed = 0
    for row in store.log_in_order():
        project_row(row)
        replayed += 1
    return {"events": replayed, "facts": models.Fact.select().count()}
