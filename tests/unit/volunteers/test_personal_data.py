"""The volunteers service's part of the RGPD export: the volunteer's file, attestations and the
hours of every year, as JSON, and nothing of another volunteer."""

import json
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from nameko.testing.services import worker_factory

from services.volunteers import models
from services.volunteers.service import VolunteersService
from services.volunteers.settings import VolunteersSettings
from shared import migrate, timeutil
from shared.unit_of_work import Work

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def service(tmp_path, monkeypatch):
    monkeypatch.setattr(timeutil, "now_utc", lambda: NOW)
    migrate.migrate("volunteers", f"sqlite:///{tmp_path / 'volunteers.db'}")
    models.database.connect()
    yield worker_factory(
        VolunteersService,
        uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"),
        settings=VolunteersSettings(),
    )
    models.database.close()


def register(service, n):
    return service.register_volunteer(
        {
            "email": f"benevole{n}@example.fr",
            "first_name": "Jeanne",
            "last_name": f"Martin{n}",
            "birth_date": "1950-03-02",
            "phone": "0612345678",
        }
    )


def hours(volunteer, title, year):
    models.HoursRecord.create(
        volunteer_id=volunteer["id"],
        activity_id=f"act-{title}",
        title=title,
        kind="story_time",
        starts_at=datetime(year, 3, 4, 9, 0),
        ends_at=datetime(year, 3, 4, 11, 0),
        hours=Decimal("2.00"),
    )


def as_volunteer(volunteer):
    return {"account_id": "account-1", "subject_id": volunteer["id"], "email": volunteer["email"], "role": "volunteer"}


def test_the_export_holds_the_volunteers_file_attestation_and_hours_of_each_year(service):
    jeanne = register(service, 1)
    service.record_honorability(jeanne["id"], {"issued_on": "2026-12-01", "verified_on": "2026-12-07"}, "staff-1")
    hours(jeanne, "Conte", 2025)
    hours(jeanne, "Jardin", 2026)
    answer = json.loads(json.dumps(service.export_person(as_volunteer(jeanne))))
    assert (answer["volunteer"]["email"], answer["volunteer"]["phone"]) == ("benevole1@example.fr", "0612345678")
    assert [(a["issued_on"], a["verified_by"]) for a in answer["attestations"]] == [("2026-12-01", "staff-1")]
    assert [(year["year"], [line["title"] for line in year["lines"]]) for year in answer["hours"]] == [
        (2025, ["Conte"]),
        (2026, ["Jardin"]),
    ]


def test_the_export_holds_nothing_of_another_volunteer(service):
    jeanne, paul = register(service, 1), register(service, 2)
    hours(paul, "Potager", 2026)
    text = json.dumps(service.export_person(as_volunteer(jeanne)))
    assert "benevole2@example.fr" not in text
    assert "Potager" not in text


def test_a_family_account_gets_no_volunteer_file(service):
    jeanne = register(service, 1)
    asked = dict(as_volunteer(jeanne), role="family")
    assert service.export_person(asked) == {"volunteer": None, "attestations": [], "hours": []}
