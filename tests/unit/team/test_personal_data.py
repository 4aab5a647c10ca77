"""The team service's part of the RGPD export: a staff member's profile, diplomas and attestations."""

import json
from datetime import datetime, timezone

import pytest
from nameko.testing.services import worker_factory

from services.team import models
from services.team.service import TeamService
from shared import migrate, timeutil
from shared.unit_of_work import Work

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def team(tmp_path, monkeypatch):
    monkeypatch.setattr(timeutil, "now_utc", lambda: NOW)
    migrate.migrate("team", f"sqlite:///{tmp_path / 'team.db'}")
    models.database.connect()
    yield worker_factory(TeamService, uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"))
    models.database.close()


def test_the_export_holds_the_staff_members_profile_diplomas_and_every_attestation(team):
    team.register_staff(
        {"id": "staff-1", "email": "ana@cocoonage.fr", "first_name": "Ana", "last_name": "B", "diplomas": ["eje"]}
    )
    team.register_staff({"id": "staff-2", "email": "bob@cocoonage.fr", "first_name": "Bob", "last_name": "C"})
    team.record_honorability("staff-1", {"issued_on": "2026-01-05", "verified_on": "2026-01-06"}, "staff-2")
    answer = json.loads(
        json.dumps(team.export_person({"account_id": "staff-1", "email": "ana@cocoonage.fr", "role": "staff"}))
    )
    assert (answer["profile"]["email"], answer["profile"]["diplomas"]) == ("ana@cocoonage.fr", ["eje"])
    assert [(a["issued_on"], a["verified_by"]) for a in answer["attestations"]] == [("2026-01-05", "staff-2")]
    assert "bob@cocoonage.fr" not in json.dumps(answer)


def test_a_family_account_with_the_same_id_gets_no_staff_profile(team):
    team.register_staff({"id": "staff-1", "email": "ana@cocoonage.fr", "first_name": "Ana", "last_name": "B"})
    answer = team.export_person({"account_id": "staff-1", "subject_id": "f-1", "role": "family"})
    assert answer == {"profile": None, "attestations": []}
