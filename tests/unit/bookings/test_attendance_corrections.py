"""Corrections of a check-in or check-out by staff: the rule (domain/corrections.py) at its
boundaries, and the entrypoints with worker_factory (real SQLite, no broker): the history keeps
who, when, before and after, and why; the statement follows."""

import json
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from nameko.testing.services import worker_factory

from services.bookings import models
from services.bookings.domain import corrections
from services.bookings.service import BookingsService
from services.bookings.settings import VenueSettings
from shared import migrate, timeutil
from shared.errors import Conflict, Forbidden, Invalid
from shared.unit_of_work import Work
from tests.factories import GUARDIAN

PARIS = ZoneInfo("Europe/Paris")
DAY = date(2027, 3, 10)  # a Wednesday of the contract below


def at(hh, mm=0, day=DAY):
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=PARIS)


NOW = at(18)


class TestTheRule:
    def test_times_of_the_day_before_the_clock_with_the_departure_after_are_fine(self):
        assert corrections.correction_errors(DAY, at(8, 25), at(17), NOW, PARIS) == {}

    def test_no_arrival_and_no_departure_remove_the_attendance(self):
        assert corrections.correction_errors(DAY, None, None, NOW, PARIS) == {}

    def test_a_time_of_another_day_is_refused_naming_the_day(self):
        errors = corrections.correction_errors(DAY, at(8, day=date(2027, 3, 9)), None, NOW, PARIS)
        assert errors == {"arrived_at": ["L'heure doit être le jour de l'accueil, le 10/03/2027."]}

    def test_the_last_minute_of_the_day_is_the_day_and_midnight_is_the_next(self):
        last = at(23, 59)
        assert corrections.correction_errors(DAY, at(8), last, last, PARIS) == {}
        midnight = datetime(2027, 3, 11, 0, 0, tzinfo=PARIS)
        assert "left_at" in corrections.correction_errors(DAY, at(8), midnight, midnight, PARIS)

    def test_a_time_15_minutes_ahead_of_the_clock_is_accepted_16_is_not(self):
        now = at(9)
        assert corrections.correction_errors(DAY, at(9, 15), None, now, PARIS) == {}
        assert corrections.correction_errors(DAY, at(9, 16), None, now, PARIS) == {
            "arrived_at": ["Cette heure n'est pas encore passée."]
        }

    def test_a_departure_at_the_arrival_or_before_is_refused(self):
        assert corrections.correction_errors(DAY, at(9), at(9), NOW, PARIS) == {
            "left_at": ["Le départ doit être après l'arrivée."]
        }
        assert corrections.correction_errors(DAY, at(9), at(9, 1), NOW, PARIS) == {}

    def test_a_departure_without_an_arrival_is_refused(self):
        assert corrections.correction_errors(DAY, None, at(17), NOW, PARIS) == {
            "left_at": ["Indiquez aussi l'heure d'arrivée."]
        }

    def test_a_reason_of_3_to_500_characters_is_required(self):
        assert corrections.reason_errors("  ab ") == [corrections.REASON_REQUIRED]
        assert corrections.reason_errors(None) == [corrections.REASON_REQUIRED]
        assert corrections.reason_errors("abc") == []
        assert corrections.reason_errors("x" * 500) == []
        assert corrections.reason_errors("x" * 501) == [corrections.REASON_TOO_LONG]

    def test_the_same_times_change_nothing(self):
        assert not corrections.changes_anything((at(8), None), (at(8), None))
        assert corrections.changes_anything((at(8), None), (at(8), at(17)))


FAMILY = {
    "email": "pointage@example.fr",
    "monthly_resources": "4000",
    "dependent_children": 2,
    "guardians": [{"first_name": "Anne", "last_name": "Brun", "phone": "0601020304"}],
}
PATTERN = [{"weekday": d, "start": "08:30", "end": "15:42"} for d in range(5)]  # 36 h a week


@pytest.fixture
def service(tmp_path, monkeypatch):
    migrate.migrate("bookings", f"sqlite:///{tmp_path / 'bookings.db'}")
    models.database.connect()
    yield worker_factory(
        BookingsService, uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"), settings=VenueSettings()
    )
    models.database.close()


def set_clock(monkeypatch, moment):
    monkeypatch.setattr(timeutil, "now_utc", lambda: moment.astimezone(timezone.utc))


@pytest.fixture
def contract(service, monkeypatch):
    """(family, contract): 36 h a week at 2.064 €/h, 138 h and 284.83 € a month, over 2027; the clock
    at 18:00 on DAY."""
    family = service.register_family(FAMILY)
    child = service.add_child(family["id"], {"first_name": "Lou", "birth_date": "2026-06-01"})
    fields = {"child_id": child["id"], "starts_on": "2027-01-04", "ends_on": "2027-12-31", "weeks_per_year": 46}
    asked = service.request_contract(dict(fields, pattern=PATTERN), family["id"])
    signed = service.accept_contract(asked["id"])
    set_clock(monkeypatch, NOW)
    return family, signed


def events(kind):
    return [json.loads(r.body)["payload"] for r in models.Outbox.select() if json.loads(r.body)["type"] == kind]


def test_a_wrong_check_in_tap_is_corrected_and_the_statement_follows(service, contract):
    family, signed = contract
    service.contract_check_in(signed["id"], {"at": at(7).isoformat()})  # tapped at 07:00, came at 08:25
    service.contract_check_out(signed["id"], {"collected_by": GUARDIAN, "at": at(15, 42).isoformat()})
    before = service.monthly_statement(family["id"], "2027-03")
    assert (before["extra_hours"], before["amount"]) == ("1.5", "287.93")  # 1.5 h x 2.064 = 3.10 €

    record = service.correct_contract_attendance(
        signed["id"],
        "2027-03-10",
        {"arrived_at": at(8, 25).isoformat(), "left_at": at(15, 42).isoformat(), "reason": "Mauvais enfant pointé"},
        "staff-1",
    )
    assert record["arrived_at"] == "2027-03-10T08:25:00+01:00"
    [kept] = record["corrections"]
    assert (kept["arrived_before"], kept["arrived_at"], kept["corrected_by"], kept["reason"]) == (
        "2027-03-10T07:00:00+01:00",
        "2027-03-10T08:25:00+01:00",
        "staff-1",
        "Mauvais enfant pointé",
    )
    after = service.monthly_statement(family["id"], "2027-03")
    assert (after["extra_hours"], after["amount"]) == ("0.5", "285.86")  # 5 min before 08:30: half an hour
    [told] = events("bookings.attendance_corrected")
    assert told["contract_id"] == signed["id"] and told["booking_id"] is None
    assert (told["arrived_before"], told["arrived_at"]) == ("2027-03-10T07:00:00+01:00", "2027-03-10T08:25:00+01:00")
    assert service.contract_attendance(signed["id"], "2027-03-10") == record


def test_a_child_checked_in_by_mistake_is_removed_and_a_forgotten_one_is_added(service, contract):
    family, signed = contract
    service.contract_check_in(signed["id"], {"at": at(7).isoformat()})
    removed = service.correct_contract_attendance(
        signed["id"], "2027-03-10", {"arrived_at": None, "reason": "Pas venue ce jour-là"}, "staff-1"
    )
    assert (removed["arrived_at"], removed["left_at"]) == (None, None)
    assert models.ContractAttendance.select().count() == 0
    added = service.correct_contract_attendance(
        signed["id"],
        "2027-03-09",
        {"arrived_at": at(8, day=date(2027, 3, 9)).isoformat(), "left_at": None, "reason": "Arrivée oubliée"},
        "staff-2",
    )
    assert added["arrived_at"] == "2027-03-09T08:00:00+01:00" and added["corrections"][0]["arrived_before"] is None


def test_a_correction_without_a_reason_is_a_french_422_and_changes_nothing(service, contract):
    _, signed = contract
    service.contract_check_in(signed["id"], {"at": at(7).isoformat()})
    for data in ({"arrived_at": at(8).isoformat()}, {"arrived_at": at(8).isoformat(), "reason": " "}):
        with pytest.raises(Invalid) as refused:
            service.correct_contract_attendance(signed["id"], "2027-03-10", data, "staff-1")
        assert refused.value.fields["reason"][0].startswith("Indiquez le motif de la correction")
    assert models.AttendanceCorrection.select().count() == 0
    assert models.ContractAttendance.get().arrived_at == datetime(2027, 3, 10, 6, 0)  # 07:00 Paris, unchanged


def test_times_of_another_day_in_the_future_or_unchanged_are_refused(service, contract):
    _, signed = contract
    service.contract_check_in(signed["id"], {"at": at(7).isoformat()})
    reason = "Correction"
    cases = [
        ({"arrived_at": at(8, day=date(2027, 3, 11)).isoformat(), "reason": reason}, "arrived_at"),
        ({"arrived_at": at(8).isoformat(), "left_at": at(7, 59).isoformat(), "reason": reason}, "left_at"),
        ({"arrived_at": at(8).isoformat(), "left_at": at(19).isoformat(), "reason": reason}, "left_at"),
        ({"arrived_at": at(7).isoformat(), "reason": reason}, "arrived_at"),
    ]
    for data, field in cases:
        with pytest.raises(Invalid) as refused:
            service.correct_contract_attendance(signed["id"], "2027-03-10", data, "staff-1")
        assert field in refused.value.fields, data
    with pytest.raises(Invalid) as bad_day:
        service.correct_contract_attendance(signed["id"], "10/03/2027", {"arrived_at": None, "reason": reason}, "s")
    assert "day" in bad_day.value.fields


def test_only_staff_correct_and_only_days_of_the_contract(service, contract):
    _, signed = contract
    data = {"arrived_at": at(8).isoformat(), "reason": "Correction"}
    with pytest.raises(Forbidden):
        service.correct_contract_attendance(signed["id"], "2027-03-10", data, None)
    with pytest.raises(Conflict, match="ne couvre pas ce jour"):
        service.correct_contract_attendance(
            signed["id"], "2026-12-01", {"arrived_at": at(8, day=date(2026, 12, 1)).isoformat(), "reason": "x" * 3}, "s"
        )


def test_a_bookings_arrival_is_corrected_and_its_line_follows(service, monkeypatch):
    family = service.register_family(dict(FAMILY, email="occasionnel@example.fr"))
    child = service.add_child(family["id"], {"first_name": "Noé", "birth_date": "2025-06-01"})
    room = service.create_room({"name": "Cocon", "kind": "childcare", "capacity": 12})
    slot = service.create_slot(
        {
            "room_id": room["id"],
            "starts_at": at(8, 30).isoformat(),
            "ends_at": at(12).isoformat(),
            "age_group": "mixed",
            "staff_on_duty": 2,
        }
    )
    booking = service.book(family["id"], {"slot_id": slot["id"], "child_id": child["id"]})
    set_clock(monkeypatch, NOW)
    service.check_in(booking["id"], {"at": at(7, 30).isoformat()})  # a tap one hour early
    service.check_out(booking["id"], {"collected_by": GUARDIAN, "at": at(12).isoformat()})
    assert service.monthly_statement(family["id"], "2027-03")["hours_billed"] == "4.5"
    record = service.correct_booking_attendance(
        booking["id"],
        {"arrived_at": at(8, 30).isoformat(), "left_at": at(12).isoformat(), "reason": "Tap trop tôt"},
        "s",
    )
    assert record["booking_id"] == booking["id"] and record["day"] == "2027-03-10"
    assert record["corrections"][0]["arrived_before"] == "2027-03-10T07:30:00+01:00"
    statement = service.monthly_statement(family["id"], "2027-03")
    assert (statement["hours_billed"], statement["amount"]) == ("3.5", "7.22")
    assert service.booking_attendance(booking["id"]) == record


def _correct_day(service, signed, left_at, collected_by=None, reason="Départ oublié"):
    data = {"arrived_at": at(8, 30).isoformat(), "left_at": left_at, "reason": reason}
    if collected_by is not None:
        data["collected_by"] = collected_by
    return service.correct_contract_attendance(signed["id"], "2027-03-10", data, "staff-1")


def test_a_departure_added_by_a_correction_must_say_who_collected_the_child(service, contract):
    _, signed = contract
    service.contract_check_in(signed["id"], {"at": at(8, 30).isoformat()})
    with pytest.raises(Invalid) as refused:
        _correct_day(service, signed, at(16).isoformat())
    assert "collected_by" in refused.value.fields
    assert models.ContractAttendance.get().left_at is None and models.AttendanceCorrection.select().count() == 0
    record = _correct_day(service, signed, at(16).isoformat(), GUARDIAN)
    assert record["left_at"] == "2027-03-10T16:00:00+01:00"
    assert record["collected_by"] == {"kind": "guardian", "id": "0", "name": "Anne Brun", "id_checked": True}


def test_a_departure_added_by_a_correction_refuses_a_stranger_or_an_unchecked_identity(service, contract):
    _, signed = contract
    service.contract_check_in(signed["id"], {"at": at(8, 30).isoformat()})
    for wanted in ({"kind": "pickup_adult", "id": "inconnu", "id_checked": True}, dict(GUARDIAN, id_checked=False)):
        with pytest.raises(Conflict) as refused:
            _correct_day(service, signed, at(16).isoformat(), wanted)
        assert "collected_by" in refused.value.fields
    assert models.ContractAttendance.get().left_at is None


def test_a_departure_on_file_keeps_who_collected_the_child_and_loses_it_when_removed(service, contract):
    _, signed = contract
    service.contract_check_in(signed["id"], {"at": at(8, 30).isoformat()})
    service.contract_check_out(signed["id"], {"collected_by": GUARDIAN, "at": at(15).isoformat()})
    moved = _correct_day(service, signed, at(15, 30).isoformat(), reason="Heure de départ mal tapée")
    assert moved["collected_by"]["kind"] == "guardian"
    removed = _correct_day(service, signed, None, reason="Toujours là")
    assert removed["left_at"] is None and removed["collected_by"] is None
    assert models.ContractAttendance.get().collected_by is None


def test_a_bookings_departure_added_by_a_correction_refuses_a_stranger(service, monkeypatch):
    family = service.register_family(dict(FAMILY, email="depart@example.fr"))
    child = service.add_child(family["id"], {"first_name": "Noé", "birth_date": "2025-06-01"})
    room = service.create_room({"name": "Cocon", "kind": "childcare", "capacity": 12})
    body = {"room_id": room["id"], "starts_at": at(8, 30).isoformat(), "ends_at": at(12).isoformat()}
    slot = service.create_slot(dict(body, age_group="mixed", staff_on_duty=2))
    booking = service.book(family["id"], {"slot_id": slot["id"], "child_id": child["id"]})
    set_clock(monkeypatch, NOW)
    service.check_in(booking["id"], {"at": at(8, 30).isoformat()})
    data = {"arrived_at": at(8, 30).isoformat(), "left_at": at(12).isoformat(), "reason": "Départ oublié"}
    stranger = {"kind": "pickup_adult", "id": "quelqu-un", "id_checked": True}
    with pytest.raises(Conflict, match="n'est ni un responsable"):
        service.correct_booking_attendance(booking["id"], dict(data, collected_by=stranger), "s")
    with pytest.raises(Invalid):
        service.correct_booking_attendance(booking["id"], data, "s")
    record = service.correct_booking_attendance(booking["id"], dict(data, collected_by=GUARDIAN), "s")
    assert record["collected_by"]["id_checked"] is True
    assert models.Booking.get_by_id(booking["id"]).collected_by["kind"] == "guardian"
