"""The placements service's part of the RGPD export: a trainee's record, placements and hours,
as JSON, and nothing of another trainee."""

import json
from datetime import datetime, timezone

import pytest
from nameko.testing.services import worker_factory

from services.placements import models
from services.placements.service import PlacementsService
from services.placements.settings import PlacementsSettings
from shared import migrate, timeutil
from shared.errors import Invalid
from shared.unit_of_work import Work

NOW = datetime(2026, 3, 20, 18, 0, tzinfo=timezone.utc)
TUTOR = "tutor-account-1"


@pytest.fixture
def service(tmp_path, monkeypatch):
    monkeypatch.setattr(timeutil, "now_utc", lambda: NOW)
    migrate.migrate("placements", f"sqlite:///{tmp_path / 'placements.db'}")
    models.database.connect()
    yield worker_factory(
        PlacementsService,
        uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"),
        settings=PlacementsSettings(),
    )
    models.database.close()


def trainee(service, email, first_name):
    return service.register_trainee(
        {
            "email": email,
            "first_name": first_name,
            "last_name": "Martin",
            "birth_date": "2000-05-04",
            "programme": "cap_aepe",
            "school": "Lycée Jean Moulin",
        }
    )


def placed_with_hours(service, email, first_name, tasks):
    person = trainee(service, email, first_name)
    placement = service.create_placement(
        {"trainee_id": person["id"], "tutor_id": TUTOR, "starts_on": "2026-03-02", "ends_on": "2026-03-31"}
    )
    entry = service.log_hours(
        placement["id"],
        person["id"],
        {"starts_at": "2026-03-16T09:00:00+01:00", "ends_at": "2026-03-16T12:00:00+01:00", "tasks": tasks},
    )
    service.validate_hours(entry["id"], TUTOR)
    return person, placement


def as_trainee(person, account_id="account-lea"):
    return {"account_id": account_id, "subject_id": person["id"], "email": person["email"], "role": "trainee"}


def test_the_export_holds_the_trainees_record_placement_and_validated_hours(service):
    person, placement = placed_with_hours(service, "lea@example.org", "Léa", "Accueil des enfants")
    answer = json.loads(json.dumps(service.export_person(as_trainee(person))))
    assert answer["trainee"]["email"] == "lea@example.org"
    [kept] = answer["placements"]
    assert kept["placement"]["id"] == placement["id"]
    [hours] = kept["logs"]
    assert (hours["tasks"], hours["hours"], hours["status"], hours["validated_by"]) == (
        "Accueil des enfants",
        "3.00",
        "validated",
        TUTOR,
    )


def test_the_export_holds_nothing_of_another_trainee(service):
    lea, _ = placed_with_hours(service, "lea@example.org", "Léa", "Accueil des enfants")
    placed_with_hours(service, "tom@example.org", "Tom", "Atelier peinture")
    text = json.dumps(service.export_person(as_trainee(lea)))
    assert "tom@example.org" not in text
    assert "Atelier peinture" not in text


def test_someone_who_is_not_a_trainee_gets_empty_lists(service):
    lea, _ = placed_with_hours(service, "lea@example.org", "Léa", "Accueil des enfants")
    family = {"account_id": "account-1", "subject_id": lea["id"], "email": "x@example.org", "role": "family"}
    assert service.export_person(family) == {
        "trainee": None,
        "attestations": [],
        "placements": [],
        "training_credits": [],
        "outcomes": [],
        "immersions": [],
    }


def test_an_identity_without_its_account_id_is_refused(service):
    with pytest.raises(Invalid):
        service.export_person({"role": "trainee", "subject_id": "x"})
