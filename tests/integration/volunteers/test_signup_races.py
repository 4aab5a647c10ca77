"""Two volunteers for the last place, and one volunteer for two activities at once, on PostgreSQL
with two VolunteersService instances (one worker each): the barrier of
tests/integration/bookings/test_state_change_races.py holds each call after its locked read of the
opportunity, so without the lock both would read a free place and both sign up."""

from collections import Counter

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from services.volunteers import models, store
from services.volunteers.service import VolunteersService
from tests.dates import at
from tests.integration.bookings.test_state_change_races import AfterTheRead, race, refusals, two_instances
from tests.integration.volunteers.conftest import CHARTER, COVER, ISSUED, volunteer_fields


@pytest.fixture
def volunteers(postgres_url, rabbit_config, container_factory):
    containers = two_instances(VolunteersService, postgres_url, rabbit_config, container_factory)
    with ClusterRpcProxy({"AMQP_URI": rabbit_config["AMQP_URI"]}, timeout=30) as rpc:
        yield containers, rpc.volunteers


def opportunity(activity_id, starts_at, ends_at, slots):
    """An activity as bookings' activity_scheduled would have stored it."""
    from datetime import datetime

    with models.database.connection_context():
        store.add_opportunity(
            activity_id,
            "Heure du conte",
            "story_time",
            "Les Lucioles",
            datetime.fromisoformat(starts_at),
            datetime.fromisoformat(ends_at),
            slots,
            children_capacity=8,
        )


def cleared(service, n):
    volunteer = service.register_volunteer(volunteer_fields(n))
    day = ISSUED.isoformat()
    service.record_honorability(volunteer["id"], {"issued_on": day, "verified_on": day}, "staff-1")
    service.record_insurance(volunteer["id"], COVER, "staff-1")
    service.accept_charter(volunteer["id"], {"version": CHARTER})
    return volunteer


def confirmed_events():
    with models.database.connection_context():
        return Counter(row.event_type for row in models.Outbox.select())["volunteers.signup_confirmed"]


def filled(activity_id):
    with models.database.connection_context():
        return models.Opportunity.get_by_id(activity_id).filled


def test_two_volunteers_for_the_last_place_one_is_a_409(volunteers, monkeypatch):
    containers, service = volunteers
    opportunity("act-1", at(9, 30), at(10, 30), slots=1)
    jeanne, paul = cleared(service, 1), cleared(service, 2)
    after = AfterTheRead(containers)
    monkeypatch.setattr(store, "get_locked", after.wrap(store.get_locked))
    outcomes = race(
        service.sign_up.call_async(jeanne["id"], "act-1"),
        service.sign_up.call_async(paul["id"], "act-1"),
    )
    assert sorted(after.instances) == [0, 1], "each instance should have taken one call"
    [refused] = refusals(outcomes)
    assert refused.message.startswith("Toutes les places de bénévoles sont prises")
    assert (filled("act-1"), confirmed_events()) == (1, 1)


def test_one_volunteer_for_two_activities_at_the_same_time_once_is_a_409(volunteers, monkeypatch):
    containers, service = volunteers
    opportunity("act-1", at(9, 30), at(10, 30), slots=2)
    opportunity("act-2", at(10, 0), at(11, 0), slots=2)
    jeanne = cleared(service, 1)
    after = AfterTheRead(containers)  # each call locks its own activity: the volunteer is what they share
    monkeypatch.setattr(store, "get_locked", after.wrap(store.get_locked))
    outcomes = race(
        service.sign_up.call_async(jeanne["id"], "act-1"),
        service.sign_up.call_async(jeanne["id"], "act-2"),
    )
    assert sorted(after.instances) == [0, 1]
    [refused] = refusals(outcomes)
    assert refused.message.startswith("Vous êtes déjà inscrit·e à une activité de")
    assert confirmed_events() == 1
