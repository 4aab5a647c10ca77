"""Fixtures of the placements integration tests: the service on the real broker, staff signed in,
a tutor (a staff account), a trainee with an account and a placement around tests.dates.DAY."""

from datetime import timedelta

import pytest

from services.placements.service import PlacementsService
from tests.api import STAFF
from tests.dates import DAY, set_clock

TUTOR = {
    "email": "tutrice@cocoonage.fr",
    "password": "patience-et-rigueur-1",
    "first_name": "Inès",
    "last_name": "Roy",
    "staff_roles": ["educator"],
}
OTHER_STAFF = {
    "email": "autre@cocoonage.fr",
    "password": "autre-longue-12",
    "first_name": "Paul",
    "last_name": "Vidal",
    "staff_roles": ["educator"],
}
TRAINEE = {
    "email": "lea.martin@example.fr",
    "password": "stage-petite-enfance",
    "first_name": "Léa",
    "last_name": "Martin",
    "birth_date": "2000-05-04",
    "programme": "cap_aepe",
    "school": "Lycée Jean Moulin",
    "referent_name": "Mme Durand",
}


@pytest.fixture
def placements(container_factory, service_config, monkeypatch, team):  # team: the host quota asks its headcount
    set_clock(monkeypatch, 20, day=DAY)  # the evening of DAY: its day's hours are past
    container = container_factory(PlacementsService, service_config)
    container.start()
    return container


@pytest.fixture
def staff(api, placements):  # team runs with placements: a staff account is created with its profile
    return api.signed_in(STAFF)


@pytest.fixture
def tutor_account(staff):
    return staff.created("/api/v1/staff", TUTOR)


def placement_fields(trainee_id, tutor_id, **overrides):
    return {
        "trainee_id": trainee_id,
        "tutor_id": tutor_id,
        "starts_on": (DAY - timedelta(days=7)).isoformat(),
        "ends_on": (DAY + timedelta(days=7)).isoformat(),
        **overrides,
    }


@pytest.fixture
def placed(api, staff, tutor_account):
    """(the trainee's profile, the API signed in as the trainee, the placement)."""
    trainee = staff.created("/api/v1/trainees", TRAINEE)
    placement = staff.created("/api/v1/placements", placement_fields(trainee["id"], tutor_account["id"]))
    return trainee, api.signed_in(TRAINEE), placement
