"""Each service that keeps people answers `contact(kind, id)` (services/<name>/contacts.py): what
the one who writes to them asks when an email leaves, since events name people by id only
(docs/architecture.md, "Personal data travels by id"). worker_factory, real SQLite, no broker."""

import json
from datetime import date

import pytest
from nameko.testing.services import worker_factory

from services.bookings import models as bookings_models
from services.bookings.service import BookingsService
from services.education import models as education_models
from services.education.service import EducationService
from services.placements import models as placements_models
from services.placements.service import PlacementsService
from services.team import models as team_models
from services.team.service import TeamService
from services.volunteers import models as volunteers_models
from services.volunteers.service import VolunteersService
from shared import migrate


@pytest.fixture
def database(tmp_path):
    opened = []

    def open_for(component, models):
        migrate.migrate(component, f"sqlite:///{tmp_path / component}.db")
        models.database.connect(reuse_if_open=True)
        opened.append(models.database)

    yield open_for
    for db in opened:
        db.close()


def test_bookings_tells_a_familys_address_and_its_childrens_first_names(database):
    database("bookings", bookings_models)
    family = bookings_models.Family.create(
        email="camille@example.fr",
        guardians=json.dumps([{"first_name": "Camille", "last_name": "Durand", "phone": "0601020304"}]),
        monthly_resources="2500.00",
        dependent_children=2,
    )
    lea = bookings_models.Child.create(family=family, first_name="Léa", birth_date=date(2025, 1, 10))
    service = worker_factory(BookingsService)
    assert service.contact("family", family.id) == {
        "email": "camille@example.fr",
        "first_name": "Camille",
        "children": {lea.id: "Léa"},
    }
    child = service.contact("child", lea.id)
    assert child == {"email": "camille@example.fr", "first_name": "Léa", "family_id": family.id}
    assert service.contact("family", "nobody") is None
    assert service.contact("volunteer", family.id) is None  # not a kind bookings keeps


def test_volunteers_and_placements_tell_their_persons_address_and_first_name(database):
    database("volunteers", volunteers_models)
    database("placements", placements_models)
    jeanne = volunteers_models.Volunteer.create(
        email="jeanne@example.fr", first_name="Jeanne", last_name="Martin", birth_date=date(1980, 5, 2), phone="06"
    )
    theo = placements_models.Trainee.create(
        email="theo@example.fr",
        first_name="Théo",
        last_name="Petit",
        birth_date=date(2005, 3, 1),
        programme="cap_aepe",
        school="Lycée Colbert",
    )
    volunteers, placements = worker_factory(VolunteersService), worker_factory(PlacementsService)
    assert volunteers.contact("volunteer", jeanne.id) == {"email": "jeanne@example.fr", "first_name": "Jeanne"}
    assert placements.contact("trainee", theo.id) == {"email": "theo@example.fr", "first_name": "Théo"}
    assert volunteers.contact("volunteer", "nobody") is None and placements.contact("family", theo.id) is None


def test_team_tells_a_staff_members_names_and_education_a_participants(database):
    database("team", team_models)
    database("education", education_models)
    ines = team_models.StaffMember.create(email="ines@example.fr", first_name="Inès", last_name="Roux")
    assert worker_factory(TeamService).contact("staff", ines.id) == {
        "email": "ines@example.fr",
        "first_name": "Inès",
        "last_name": "Roux",
    }
    education = worker_factory(EducationService)
    assert education.contact("participant", "nobody") is None
    assert education.contact("staff", ines.id) is None
