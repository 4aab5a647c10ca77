"""The insights service on a fresh SQLite database, its handlers called as the broker would."""

import pytest
from nameko.testing.services import worker_factory

from services.insights import models
from services.insights.service import InsightsService
from services.insights.settings import InsightsSettings
from shared import migrate
from shared.events import new_event
from shared.events.envelope import validate_event
from shared.events.registry import split_name
from shared.unit_of_work import Work


@pytest.fixture
def insights(tmp_path):
    migrate.migrate_models(models, "insights", f"sqlite:///{tmp_path / 'insights.db'}")
    with models.database.connection_context():
        yield worker_factory(
            InsightsService,
            uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"),
            settings=InsightsSettings(),
        )


def envelope(name, payload, occurred_at=None):
    """What a handler receives: the producer's envelope, validated as the consumer validates it."""
    return validate_event(new_event(name, payload, occurred_at=occurred_at), name)


def tell(service, name, payload=None, occurred_at=None, event=None):
    """Delivers one event (or the same `event` again) to its handler; returns the envelope."""
    event = event or envelope(name, payload, occurred_at)
    getattr(service, f"record_{split_name(name)[1]}")(event)
    return event
