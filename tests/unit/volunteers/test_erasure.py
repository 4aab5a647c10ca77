"""A volunteer's erasure (services/volunteers/erasure.py): names, email, phones and the emergency
contact go, the birth year and the record's id (their hours) stay."""

import json
from datetime import date

import pytest
from nameko.testing.services import worker_factory

from services.volunteers import models
from services.volunteers.service import VolunteersService
from shared import erasure, migrate
from shared.events import new_event, validate_event
from shared.unit_of_work import Work


@pytest.fixture
def service(tmp_path):
    migrate.migrate("volunteers", f"sqlite:///{tmp_path / 'volunteers.db'}")
    models.database.connect()
    yield worker_factory(VolunteersService, uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"))
    models.database.close()


def test_the_volunteer_goes_under_the_pseudonym_and_keeps_only_the_birth_year(service):
    row = models.Volunteer.create(
        email="andre.dupont@example.fr",
        first_name="André",
        last_name="Dupont",
        birth_date=date(1948, 6, 1),
        phone="0611223344",
        emergency_name="Marie Dupont",
        emergency_phone="0699887766",
    )
    payload = {"erasure_id": "e-1", "account_id": "a-1", "role": "volunteer", "volunteer_id": row.id}
    service.erase_volunteer(validate_event(new_event("team.account_erasure_requested", payload)))
    erased = models.Volunteer.get_by_id(row.id)
    assert (erased.email, erased.first_name, erased.phone, erased.emergency_name, erased.birth_date) == (
        erasure.pseudonym_email(row.id),
        erasure.pseudonym(row.id),
        "",
        None,
        date(1948, 1, 1),
    )
    [answer] = [json.loads(r.body)["payload"] for r in models.Outbox.select()]
    assert answer == {"erasure_id": "e-1", "service": "volunteers"}
    assert "Marie Dupont" in service.dead_letters.call_args.args[0]
