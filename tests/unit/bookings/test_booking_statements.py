"""What one booking costs SQLite, counted (machine noise does not move a count; never a time).

`book` runs BEGIN IMMEDIATE (the one write lock: slot, places and the day's contracts), one read
of the booker (family, child, health file, admission day), one read of the slot (room, its
bookings counted, the waiting list ahead, a clash of the child, the day's contracts), the
booking's INSERT, its event's INSERT into the outbox, COMMIT: six statements, whatever the slot
already holds (childcare/store.py, "the booking path"; docs/performance.md).
"""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from nameko.testing.services import worker_factory

from services.bookings import models
from services.bookings.service import BookingsService
from services.bookings.settings import VenueSettings
from shared import migrate, timeutil
from shared.unit_of_work import Work

PARIS = ZoneInfo("Europe/Paris")
DAY = date(2027, 1, 15)  # a Friday
BOOKING_STATEMENTS = 6
HEALTH = {
    "allergies": [],
    "pai": None,
    "medication_protocol": None,
    "vaccinations_up_to_date": True,
    "vaccinations_checked_on": "2027-01-02",
    "doctor": None,
    "emergency_authorisation": True,
}


def at(day, hh, mm=0):
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=PARIS)


@pytest.fixture
def service(tmp_path, monkeypatch):
    migrate.migrate("bookings", f"sqlite:///{tmp_path / 'bookings.db'}")
    models.database.connect()
    monkeypatch.setattr(timeutil, "now_utc", lambda: at(date(2027, 1, 4), 9).astimezone(timezone.utc))
    yield worker_factory(
        BookingsService, uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"), settings=VenueSettings()
    )
    models.database.close()


@pytest.fixture
def statements():
    """The statements SQLite runs while the test's `with statements:` block runs."""

    class Seen(list):
        def __enter__(self):
            self.clear()
            models.database.connection().set_trace_callback(self.append)
            return self

        def __exit__(self, *exc):
            models.database.connection().set_trace_callback(None)

    return Seen()


def one_place_slot(service):
    room = service.create_room({"name": "Cocon", "kind": "childcare", "capacity": 1})
    return service.create_slot(
        {
            "room_id": room["id"],
            "starts_at": at(DAY, 8, 30).isoformat(),
            "ends_at": at(DAY, 12).isoformat(),
            "age_group": "mixed",
            "staff_on_duty": 2,
        }
    )


def family_with_child(service, n, job_seeker=False):
    family = service.register_family(
        {
            "email": f"famille{n}@example.fr",
            "monthly_resources": "3000",
            "dependent_children": 1,
            "job_seeker": job_seeker,
            "guardians": [{"first_name": "Anne", "last_name": "Brun", "phone": "0601020304"}],
        }
    )
    child = service.add_child(family["id"], {"first_name": f"Enfant{n}", "birth_date": "2025-06-01"})
    return family, child


def book(service, family, child, slot):
    return service.book(family["id"], {"slot_id": slot["id"], "child_id": child["id"]})


def check_one_transaction(seen):
    """Six statements: the write lock, two reads, the booking and its outbox row together, COMMIT."""
    assert len(seen) <= BOOKING_STATEMENTS, "\n".join(s[:120] for s in seen)
    assert seen[0] == "BEGIN IMMEDIATE" and seen[-1] == "COMMIT", seen
    inserts = [s.split('"')[1] for s in seen if s.startswith("INSERT")]
    assert inserts == ["booking", "outbox"]


def test_a_confirmed_booking_costs_six_sql_statements_in_one_transaction(service, statements):
    slot = one_place_slot(service)
    family, child = family_with_child(service, 1)
    with statements as seen:
        booked = book(service, family, child, slot)
    assert booked["status"] == "confirmed"
    check_one_transaction(seen)


def test_a_waitlisted_booking_costs_the_same_six_and_knows_its_place_in_the_queue(service, statements):
    slot = one_place_slot(service)
    for n in range(3):
        book(service, *family_with_child(service, n), slot)
    family, child = family_with_child(service, 9)
    with statements as seen:
        waiting = book(service, family, child, slot)
    assert (waiting["status"], waiting["waitlist_position"]) == ("waitlisted", 3)
    check_one_transaction(seen)


def test_a_health_file_a_booking_before_and_contract_children_that_day_add_no_statement(service, statements):
    slot = one_place_slot(service)
    family, child = family_with_child(service, 1)
    service.put_child_health(child["id"], HEALTH, family["id"])
    earlier = service.create_slot(
        {
            "room_id": slot["room_id"],
            "starts_at": at(date(2027, 1, 8), 8, 30).isoformat(),
            "ends_at": at(date(2027, 1, 8), 12).isoformat(),
            "age_group": "mixed",
            "staff_on_duty": 2,
        }
    )
    book(service, family, child, earlier)
    contract_family, contract_child = family_with_child(service, 2, job_seeker=True)
    pattern = [{"weekday": 4, "start": "08:00", "end": "12:30"}]  # Fridays, over the slot
    asked = service.request_contract(
        {
            "child_id": contract_child["id"],
            "starts_on": "2027-01-11",
            "ends_on": "2027-06-30",
            "weeks_per_year": 46,
            "pattern": pattern,
        },
        contract_family["id"],
    )
    service.accept_contract(asked["id"])
    with statements as seen:
        booked = book(service, family, child, slot)
    assert booked["status"] == "waitlisted"  # the slot's one place is the contract child's
    check_one_transaction(seen)
