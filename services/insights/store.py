"""The insights service's queries and locks: the only module, with models.py, that speaks peewee.

Every write to the log and its projection takes one lock (`lock_key`), so the live handlers, the
backfill and a rebuild never interleave."""

from peewee import fn

from services.insights import models
from services.insights.domain.projection import Fact
from shared.db import lock_key

FACT_FIELDS = ("kind", "on", "source", "subject", "ref", "detail", "value", "revision")


def lock_projection():
    lock_key(models.database, "insights", "projection")


def log_event(name, event_id, occurred_at, dedupe_key, payload, origin=models.LIVE):
    """The log row, or None when this fact is already logged."""
    if models.LoggedEvent.select().where(models.LoggedEvent.dedupe_key == dedupe_key).exists():
        return None
    return models.LoggedEvent.create(
        dedupe_key=dedupe_key, event_id=event_id, name=name, occurred_at=occurred_at, payload=payload, origin=origin
    )


def apply(facts, links, learnt_at):
    """Adds the facts (a higher revision replaces a lower one) and the links (the earliest learnt wins)."""
    for fact in facts:
        row = models.Fact.get_or_none(models.Fact.key == fact.key)
        if row is None:
            models.Fact.create(key=fact.key, **{f: getattr(fact, f) for f in FACT_FIELDS})
        elif fact.revision > row.revision:
            models.Fact.update(**{f: getattr(fact, f) for f in FACT_FIELDS}).where(models.Fact.id == row.id).execute()
    for link in links:
        row = models.Link.get_or_none(models.Link.subject == link.subject)
        if row is None:
            models.Link.create(subject=link.subject, person_id=link.person_id, learnt_at=learnt_at)
        elif (learnt_at, link.person_id) < (row.learnt_at, row.person_id):
            row.person_id, row.learnt_at = link.person_id, learnt_at
            row.save()


def facts():
    return [
        Fact(r.key, r.kind, r.on.isoformat(), r.source, r.subject, r.ref, r.detail, r.value, r.revision)
        for r in models.Fact.select().order_by(models.Fact.on, models.Fact.key)
    ]


def links():
    return [(r.subject, r.person_id) for r in models.Link.select()]


def log_in_order():
    return models.LoggedEvent.select().order_by(models.LoggedEvent.occurred_at, models.LoggedEvent.dedupe_key)


def log_size():
    return models.LoggedEvent.select(fn.COUNT(models.LoggedEvent.id)).scalar()


def clear_projection():
    for model in models.PROJECTION:
        model.delete().execute()


def backfill_done(source):
    return models.BackfillDone.select().where(models.BackfillDone.source == source).exists()


def mark_backfill(source, events):
    models.BackfillDone.create(source=source, events=events)
