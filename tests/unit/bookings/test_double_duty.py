"""A staff member is on duty in one place at a time (domain/double_duty.py): the rule at its
boundaries (back to back is fine), then the entrypoints with worker_factory (real SQLite, no
broker): a slot refuses someone on another slot then, an activity someone on another activity
then (409 naming the field and the person); a slot's professional may lead an activity meanwhile."""

from datetime import datetime, timedelta, timezone

import pytest
from nameko.testing.services import worker_factory

from services.bookings import models
from services.bookings.domain.double_duty import Duty, first_double_duty
from services.bookings.service import BookingsService
from services.bookings.settings import VenueSettings
from shared import migrate
from shared.errors import Conflict
from shared.unit_of_work import Work
from tests import factories
from tests.dates import at
from tests.staff_on_duty import LEAD, SECOND, seed_staff

NINE = datetime(2027, 3, 10, 8, tzinfo=timezone.utc)
MINUTE = timedelta(minutes=1)
SLOT = Duty("s1", NINE, NINE + timedelta(hours=3), "le créneau de garde")


class TestTheRule:
    def test_a_duty_ending_when_the_next_starts_is_fine(self):
        assert first_double_duty(["s1"], SLOT.ends_at, SLOT.ends_at + timedelta(hours=1), [SLOT]) is None
        assert first_double_duty(["s1"], NINE - timedelta(hours=1), NINE, [SLOT]) is None

    def test_one_minute_of_overlap_at_either_end_is_a_double_duty(self):
        assert first_double_duty(["s1"], SLOT.ends_at - MINUTE, SLOT.ends_at + timedelta(hours=1), [SLOT]) == SLOT
        assert first_double_duty(["s1"], NINE - timedelta(hours=1), NINE + MINUTE, [SLOT]) == SLOT

    def test_a_duty_inside_or_around_is_a_double_duty(self):
        assert first_double_duty(["s1"], NINE + MINUTE, NINE + 2 * MINUTE, [SLOT]) == SLOT
        assert first_double_duty(["s1"], NINE - MINUTE, SLOT.ends_at + MINUTE, [SLOT]) == SLOT

    def test_another_persons_duty_is_no_clash_and_the_earliest_clash_is_named(self):
        assert first_double_duty(["s2"], NINE, SLOT.ends_at, [SLOT]) is None
        later = Duty("s2", NINE + timedelta(hours=1), NINE + timedelta(hours=2), "l'activité")
        assert first_double_duty(["s1", "s2"], NINE, SLOT.ends_at, [later, SLOT]) == SLOT


@pytest.fixture
def service(tmp_path):
    migrate.migrate("bookings", f"sqlite:///{tmp_path / 'bookings.db'}")
    models.database.connect()
    worker = worker_factory(
        BookingsService, uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"), settings=VenueSettings()
    )
    seed_staff(worker, LEAD, SECOND, "staff-third", "staff-fourth")
    yield worker
    models.database.close()


def _room(service, kind="childcare"):
    return service.create_room(factories.room_fields(kind=kind, capacity=10))


def _slot(service, staff_ids, start=8, end=12, start_minute=0):
    times = {"starts_at": at(start, start_minute), "ends_at": at(end)}
    body = factories.slot_fields(_room(service)["id"], staff_ids=staff_ids, **times)
    body.pop("staff_on_duty")
    return service.create_slot(body)


def _activity(service, start=9, end=10, **fields):
    return service.schedule_activity(
        factories.activity_fields(_room(service, "workshop")["id"], starts_at=at(start), ends_at=at(end), **fields)
    )


def test_a_slot_naming_someone_already_on_another_slot_then_is_refused_naming_them(service):
    _slot(service, [LEAD, SECOND])
    with pytest.raises(Conflict) as refused:
        _slot(service, ["staff-third", SECOND], start=11, end=14)
    assert "staff_ids" in refused.value.fields
    assert "Inès" in refused.value.message and "de 08:00 à 12:00" in refused.value.message
    assert models.ChildcareSlot.select().count() == 1


def test_a_slot_starting_when_the_other_ends_may_name_the_same_people(service):
    _slot(service, [LEAD, SECOND])
    assert _slot(service, [LEAD, SECOND], start=12, end=16)["staff_on_duty"] == 2


def test_an_activity_led_by_someone_on_another_activity_then_is_refused_on_its_field(service):
    _activity(service, lead_staff_id=LEAD, staff_ids=["staff-fourth"])
    with pytest.raises(Conflict) as refused:
        _activity(service, start=9, end=11, lead_staff_id=LEAD, staff_ids=["staff-third"])
    assert "lead_staff_id" in refused.value.fields and "Heure du conte" in refused.value.message
    with pytest.raises(Conflict) as refused:
        _activity(service, lead_staff_id="staff-third", staff_ids=["staff-fourth"])
    assert "staff_ids" in refused.value.fields
    assert _activity(service, start=10, end=11, lead_staff_id=LEAD, staff_ids=["staff-fourth"])


def test_a_slots_professional_may_lead_an_activity_meanwhile_the_children_go_with_them(service):
    _slot(service, [LEAD, SECOND])
    assert _activity(service, lead_staff_id=LEAD, staff_ids=[SECOND])["lead_staff_id"] == LEAD
    assert _slot(service, ["staff-third", "staff-fourth"])["staff_on_duty"] == 2


def test_changing_a_slots_staff_refuses_someone_on_another_slot_then_and_keeps_its_own_people(service):
    _slot(service, ["staff-third", "staff-fourth"], start=11, end=14)
    slot = _slot(service, [LEAD, SECOND])
    assert service.change_slot_staff(slot["id"], {"staff_ids": [SECOND, LEAD]})["staff_on_duty"] == 2  # itself
    with pytest.raises(Conflict) as refused:
        service.change_slot_staff(slot["id"], {"staff_ids": [LEAD, "staff-fourth"]})
    assert "staff_ids" in refused.value.fields and "de 11:00 à 14:00" in refused.value.message


def test_moving_or_restaffing_an_activity_onto_someones_other_activity_is_refused(service):
    _activity(service, start=9, end=12, lead_staff_id="staff-third", staff_ids=["staff-fourth"])
    activity = _activity(service, lead_staff_id=LEAD, staff_ids=[SECOND])  # 09:00-10:00, other people
    with pytest.raises(Conflict) as refused:
        service.change_activity_staff(activity["id"], {"lead_staff_id": LEAD, "staff_ids": ["staff-third"]})
    assert "staff_ids" in refused.value.fields
    _activity(service, start=13, end=14, lead_staff_id=SECOND, staff_ids=["staff-fourth"])
    with pytest.raises(Conflict) as refused:
        service.reschedule_activity(activity["id"], {"starts_at": at(13), "ends_at": at(14)})
    assert "staff_ids" in refused.value.fields  # SECOND leads the 13:00 one
    moved = service.reschedule_activity(activity["id"], {"starts_at": at(12), "ends_at": at(13)})  # back to back
    assert moved["starts_at"].startswith(at(12)[:16])


def test_at_the_same_time_the_person_named_first_is_the_one_named_in_the_refusal():
    other = Duty("s0", NINE, SLOT.ends_at, "l'activité")
    assert first_double_duty(["s1", "s0"], NINE, SLOT.ends_at, [other, SLOT]) == SLOT
    assert first_double_duty(["s0", "s1"], NINE, SLOT.ends_at, [SLOT, other]) == other
