"""The insights service on the real broker: a job-seeking parent's events, published on their
producers' exchanges as the producers' outboxes publish them (each envelope built and checked
against its registered contract), become the funnel, its conversions and the person's path;
the same events published twice change nothing, and a rebuild from the log gives the same
numbers. The answers are asked over RPC, as the gateway asks them."""

import pytest
from nameko.standalone.rpc import ServiceRpcProxy
from nameko.testing.services import entrypoint_waiter

from services.insights import models
from services.insights.service import InsightsService
from shared.events import new_event
from shared.events.registry import split_name
from tests.insights_journey import EXPECTED_PATH, JOURNEY, PERSON


@pytest.fixture(params=["sqlite", "postgresql"])
def insights(request, container_factory, service_config):
    """The service on its SQLite file, then on a PostgreSQL database (its handlers' lock differs)."""
    if request.param == "postgresql":
        return request.getfixturevalue("start_on_postgres")(InsightsService)
    container = container_factory(InsightsService, service_config)
    container.start()
    return container


def deliver(container, publish_raw, envelope):
    """Publish one envelope on its source's exchange and wait until insights' handler applied it."""
    handler = f"record_{split_name(envelope['type'])[1]}"
    with entrypoint_waiter(container, handler, timeout=10) as result:
        publish_raw(envelope["type"], envelope)
    return result.get()


def ask(service_config, method, *args):
    with ServiceRpcProxy("insights", service_config, timeout=10) as insights:
        return getattr(insights, method)(*args)


def test_the_journey_of_a_job_seeking_parent_shows_each_step_of_the_funnel(insights, publish_raw, service_config):
    envelopes = [new_event(name, payload, occurred_at=when) for name, payload, when in JOURNEY]
    for envelope in envelopes:
        deliver(insights, publish_raw, envelope)

    summary = ask(service_config, "summary", None, None)
    assert summary["funnel"] == [
        {"step": "immersion", "count": 1, "conversion": None},
        {"step": "training", "count": 1, "conversion": "1.00"},
        {"step": "placement", "count": 0, "conversion": "0.00"},
        {"step": "hired", "count": 1, "conversion": None},
    ]
    values = summary["indicators"]
    assert (values["immersions"], values["hired"], values["back_to_work"]) == (1, 1, 1)
    assert values["back_to_work_3_months"] == 1 and values["avip_places_used"] == 1
    assert values["job_seeking_families_with_place"] == 1 and values["training_hours"] == "3.50"
    assert summary["immersions_by_object"] == {"discover": 1, "confirm": 0, "recruit": 0}
    assert ask(service_config, "person_path", PERSON) == EXPECTED_PATH

    for envelope in envelopes:  # the same events again, twice: redeliveries
        deliver(insights, publish_raw, envelope)
        deliver(insights, publish_raw, {**envelope, "event_id": envelope["event_id"][:-4] + "beef"})
    assert ask(service_config, "summary", None, None) == summary
    with models.database.connection_context():
        assert models.LoggedEvent.select().count() == len(JOURNEY)

    months = ask(service_config, "monthly", "2026-07-01", "2026-10-31")
    assert [m["month"] for m in months] == ["2026-07", "2026-08", "2026-09", "2026-10"]
    assert months[3]["indicators"]["hired"] == 1

    rebuilt = ask(service_config, "rebuild")
    assert rebuilt["events"] == len(JOURNEY)
    assert ask(service_config, "summary", None, None) == summary
    assert ask(service_config, "person_path", PERSON) == EXPECTED_PATH
