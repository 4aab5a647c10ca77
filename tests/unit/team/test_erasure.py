"""The team service owns erasures (services/team/erasure.py): it publishes the request once, says
pending until the six services answered, and anonymises a staff member's profile."""

import json

import pytest
from nameko.testing.services import worker_factory

from services.team import models
from services.team.service import TeamService
from services.team.settings import TeamSettings
from shared import erasure, migrate
from shared.errors import NotFound
from shared.events import new_event
from shared.unit_of_work import Work

PERSON = {"account_id": "staff-1", "role": "staff", "staff_id": "staff-1"}


def events(kind):
    bodies = [json.loads(row.body) for row in models.Outbox.select().order_by(models.Outbox.created_at)]
    return [b["payload"] for b in bodies if b["type"] == kind]


@pytest.fixture
def service(tmp_path):
    migrate.migrate("team", f"sqlite:///{tmp_path / 'team.db'}")
    models.database.connect()
    yield worker_factory(
        TeamService, uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"), settings=TeamSettings()
    )
    models.database.close()


def answer(service, name, erasure_id="e-1"):
    event = new_event(f"{name}.personal_data_erased", {"erasure_id": erasure_id, "service": name})
    getattr(service, f"{name}_erased")(event)


def test_an_erasure_is_published_once_with_the_ids_and_no_email(service):
    first = service.request_erasure("e-1", PERSON)
    again = service.request_erasure("e-1", PERSON)
    [published] = events("team.account_erasure_requested")
    assert {k: v for k, v in published.items() if v is not None} == {
        "erasure_id": "e-1",
        "account_id": "staff-1",
        "role": "staff",
        "staff_id": "staff-1",
    }
    assert first["status"] == again["status"] == "pending"
    assert set(first["services"]) == set(erasure.ERASURE_SERVICES)


def test_it_is_complete_once_the_last_of_the_six_services_answered_and_not_before(service):
    service.request_erasure("e-1", PERSON)
    for name in erasure.ERASURE_SERVICES[:-1]:
        answer(service, name)
        answer(service, name)  # a repeated answer counts once
    assert service.erasure_status("e-1")["status"] == "pending"
    answer(service, erasure.ERASURE_SERVICES[-1])
    done = service.account_erasure("staff-1")
    assert done["status"] == "complete" and done["completed_at"] and all(done["services"].values())


def test_the_status_of_an_erasure_never_asked_is_not_found(service):
    with pytest.raises(NotFound):
        service.erasure_status("nope")
    with pytest.raises(NotFound):
        service.account_erasure("nobody")


def test_a_staff_member_is_anonymised_and_the_service_answers_in_the_same_transaction(service):
    models.StaffMember.create(id="staff-1", email="claire.martin@example.fr", first_name="Claire", last_name="Martin")
    event = new_event("team.account_erasure_requested", dict(PERSON, erasure_id="e-1"))
    service.erase_staff_member(event)
    service.erase_staff_member(event)  # a redelivery: skipped
    member = models.StaffMember.get_by_id("staff-1")
    assert (member.email, member.first_name, member.last_name) == (
        erasure.pseudonym_email("staff-1"),
        erasure.pseudonym("staff-1"),
        "",
    )
    assert events("team.personal_data_erased") == [{"erasure_id": "e-1", "service": "team"}]
    service.dead_letters.assert_called_once_with(("claire.martin@example.fr", "Claire Martin"))
