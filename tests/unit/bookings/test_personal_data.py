"""The bookings service's part of the RGPD export: a family's file, its children's health files
and pickup adults, its bookings and attendance, as JSON, and nothing of another family; for a
trainee, the activities they were named on."""

import json
from datetime import timedelta

import pytest
from nameko.testing.services import worker_factory

from services.bookings import models
from services.bookings.service import BookingsService
from services.bookings.settings import VenueSettings
from shared import migrate
from shared.unit_of_work import Work
from tests.dates import DAY, at, set_clock
from tests.factories import book, create_child, create_family, create_slot, schedule_activity
from tests.staff_on_duty import seed_staff

HEALTH = {"allergies": ["arachide"], "vaccinations_up_to_date": True, "emergency_authorisation": True}
ADULT = {"first_name": "Mamie", "last_name": "Durand", "phone": "0611223344", "relation": "grand-mère"}


@pytest.fixture
def service(tmp_path, monkeypatch):
    set_clock(monkeypatch, 10, day=DAY - timedelta(days=3))
    migrate.migrate("bookings", f"sqlite:///{tmp_path / 'bookings.db'}")
    models.database.connect()
    worker = worker_factory(
        BookingsService, uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"), settings=VenueSettings()
    )
    seed_staff(worker)
    yield worker
    models.database.close()


def family_with_a_booking(service, slot, email, child_name):
    family = create_family(service, email=email)
    child = create_child(service, family, first_name=child_name)
    service.put_child_health(child["id"], HEALTH, family["id"])
    service.add_pickup_adult(child["id"], ADULT, family["id"])
    booking = book(service, family, slot, child)
    return family, child, booking


def as_family(family, account_id="account-1"):
    return {"account_id": account_id, "subject_id": family["id"], "email": family["email"], "role": "family"}


def test_the_export_holds_the_family_its_childs_file_its_booking_and_its_attendance(service, monkeypatch):
    slot = create_slot(service)
    family, child, booking = family_with_a_booking(service, slot, "camille@example.fr", "Léa")
    set_clock(monkeypatch, 8, 30, day=DAY)
    service.check_in(booking["id"], {"at": at(8, 30)})
    answer = json.loads(json.dumps(service.export_person(as_family(family))))
    assert answer["family"]["email"] == "camille@example.fr"
    [kept] = answer["children"]
    assert (kept["health"]["child_id"], kept["health"]["allergies"]) == (child["id"], ["arachide"])
    assert [a["first_name"] for a in kept["pickup_adults"]] == ["Mamie"]
    assert [(b["id"], b["child_id"]) for b in answer["bookings"]] == [(booking["id"], child["id"])]
    [day] = answer["attendance"]
    assert (day["booking_id"], day["arrived_at"]) == (booking["id"], at(8, 30))
    assert answer["contracts"] == [] and answer["activities"] == []


def test_the_export_holds_nothing_of_another_family(service):
    slot = create_slot(service)
    family, _, _ = family_with_a_booking(service, slot, "camille@example.fr", "Léa")
    family_with_a_booking(service, slot, "paul@example.fr", "Tom")
    text = json.dumps(service.export_person(as_family(family)))
    assert "paul@example.fr" not in text and "Tom" not in text


def test_a_trainee_finds_the_activities_they_were_named_on_and_no_family(service):
    activity = schedule_activity(service)
    models.ActivityTrainee.create(activity=activity["id"], trainee_id="trainee-1")
    person = {"account_id": "account-9", "subject_id": "trainee-1", "email": "lea@example.org", "role": "trainee"}
    answer = json.loads(json.dumps(service.export_person(person)))
    assert [(a["id"], a["as"]) for a in answer["activities"]] == [(activity["id"], "trainee")]
    assert answer["family"] is None and answer["bookings"] is None
