"""The child's file with worker_factory (real SQLite, no broker): the health file encrypted and
kept to staff and the family, the vaccinations' provisional admission refusing later bookings,
who may collect a child at check-out, the incident register written once per line."""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from cryptography.fernet import Fernet
from nameko.testing.services import worker_factory

from services.bookings import models
from services.bookings.service import BookingsService
from services.bookings.settings import VenueSettings
from shared import migrate, timeutil
from shared.errors import Conflict, Forbidden, Invalid
from shared.unit_of_work import Work
from tests.factories import GUARDIAN

PARIS = ZoneInfo("Europe/Paris")
ADMITTED = date(2027, 1, 15)  # a Friday: the first booking
LAST_DAY = date(2027, 4, 15)  # a Thursday: the provisional admission's last day
DAY_AFTER = date(2027, 4, 16)
FAMILY = {
    "email": "dossier@example.fr",
    "monthly_resources": "3000",
    "dependent_children": 1,
    "guardians": [{"first_name": "Anne", "last_name": "Brun", "phone": "0601020304"}],
}
HEALTH = {
    "allergies": ["arachide", "lait de vache"],
    "pai": "Stylo d'adrénaline dans la boîte rouge.",
    "medication_protocol": None,
    "vaccinations_up_to_date": True,
    "vaccinations_checked_on": "2027-01-02",
    "doctor": {"name": "Dr Martin", "phone": "0102030405"},
    "emergency_authorisation": True,
}
ADULT = {"first_name": "Jeanne", "last_name": "Brun", "phone": "0611223344", "relation": "grand-mère"}


def at(day, hh, mm=0):
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=PARIS)


def set_clock(monkeypatch, moment):
    monkeypatch.setattr(timeutil, "now_utc", lambda: moment.astimezone(timezone.utc))


@pytest.fixture
def service(tmp_path, monkeypatch):
    migrate.migrate("bookings", f"sqlite:///{tmp_path / 'bookings.db'}")
    models.database.connect()
    set_clock(monkeypatch, at(date(2027, 1, 4), 9))
    yield worker_factory(
        BookingsService, uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"), settings=VenueSettings()
    )
    models.database.close()


@pytest.fixture
def family(service):
    family = service.register_family(FAMILY)
    child = service.add_child(family["id"], {"first_name": "Lou", "birth_date": "2026-06-01"})
    return family, child


def open_slot(service, room, day):
    return service.create_slot(
        {
            "room_id": room["id"],
            "starts_at": at(day, 8, 30).isoformat(),
            "ends_at": at(day, 12).isoformat(),
            "age_group": "mixed",
            "staff_on_duty": 2,
        }
    )


# --- the health file ----------------------------------------------------------------------------
def test_the_health_file_is_kept_encrypted_and_read_back_by_the_family_and_staff(service, family):
    fam, child = family
    written = service.put_child_health(child["id"], HEALTH, fam["id"])
    assert written["allergies"] == ["arachide", "lait de vache"] and written["updated_by"] == "family"
    [row] = models.ChildHealth.select()
    assert b"arachide" not in bytes(row.sealed)
    assert b"arachide" in Fernet(service.settings.health_keys[0]).decrypt(bytes(row.sealed))
    for reader in (fam["id"], None):
        read = service.get_child_health(child["id"], reader)
        assert read["pai"] == HEALTH["pai"] and read["doctor"] == HEALTH["doctor"] and read["recorded"] is True


def test_another_family_may_neither_read_nor_write_the_health_file(service, family):
    _fam, child = family
    other = service.register_family(dict(FAMILY, email="autre@example.fr"))
    with pytest.raises(Forbidden):
        service.get_child_health(child["id"], other["id"])
    with pytest.raises(Forbidden):
        service.put_child_health(child["id"], HEALTH, other["id"])
    assert models.ChildHealth.select().count() == 0


def test_a_child_born_from_2018_is_told_its_eleven_vaccinations_and_no_file_means_not_up_to_date(service, family):
    _fam, child = family
    read = service.get_child_health(child["id"], None)
    assert read["recorded"] is False and read["vaccinations_up_to_date"] is False
    assert len(read["required_vaccinations"]) == 11 and "R3111-8" in read["rule"]


def test_a_vaccination_check_in_the_future_is_refused_by_its_field(service, family):
    _fam, child = family
    with pytest.raises(Invalid) as refused:
        service.put_child_health(child["id"], dict(HEALTH, vaccinations_checked_on="2027-01-05"), None)
    assert "vaccinations_checked_on" in refused.value.fields


# --- the provisional admission -----------------------------------------------------------------
def test_a_child_not_up_to_date_is_booked_up_to_the_last_day_of_its_provisional_admission(service, family):
    fam, child = family
    room = service.create_room({"name": "Cocon", "kind": "childcare", "capacity": 12})
    first = service.book(fam["id"], {"slot_id": open_slot(service, room, ADMITTED)["id"], "child_id": child["id"]})
    assert first["status"] == "confirmed"
    assert service.book(fam["id"], {"slot_id": open_slot(service, room, LAST_DAY)["id"], "child_id": child["id"]})
    with pytest.raises(Conflict) as refused:
        service.book(fam["id"], {"slot_id": open_slot(service, room, DAY_AFTER)["id"], "child_id": child["id"]})
    assert "R3111-8" in refused.value.message and "jeudi 15 avril 2027" in refused.value.message
    assert service.get_child_health(child["id"], None)["provisional_until"] == "2027-04-15"


def test_once_up_to_date_the_child_is_booked_after_the_grace_period(service, family):
    fam, child = family
    room = service.create_room({"name": "Cocon", "kind": "childcare", "capacity": 12})
    service.book(fam["id"], {"slot_id": open_slot(service, room, ADMITTED)["id"], "child_id": child["id"]})
    service.put_child_health(child["id"], HEALTH, fam["id"])
    booked = service.book(fam["id"], {"slot_id": open_slot(service, room, DAY_AFTER)["id"], "child_id": child["id"]})
    assert booked["status"] == "confirmed"


def test_a_contract_starting_after_the_provisional_admission_is_refused(service, family):
    fam, child = family
    room = service.create_room({"name": "Cocon", "kind": "childcare", "capacity": 12})
    service.book(fam["id"], {"slot_id": open_slot(service, room, ADMITTED)["id"], "child_id": child["id"]})
    pattern = [{"weekday": 0, "start": "08:30", "end": "12:00"}]
    fields = {"child_id": child["id"], "ends_on": "2027-12-31", "weeks_per_year": 46, "pattern": pattern}
    with pytest.raises(Conflict):
        service.request_contract(dict(fields, starts_on=DAY_AFTER.isoformat()), fam["id"])
    assert service.request_contract(dict(fields, starts_on=LAST_DAY.isoformat()), fam["id"])["status"] == "requested"


@pytest.fixture
def signed_contract(service, family):
    """A contract signed from ADMITTED (its admission), Thursdays and Fridays, the child not up to date."""
    fam, child = family
    pattern = [{"weekday": d, "start": "08:30", "end": "12:00"} for d in (3, 4)]
    fields = {"child_id": child["id"], "starts_on": ADMITTED.isoformat(), "ends_on": "2027-12-31"}
    asked = service.request_contract(dict(fields, weeks_per_year=46, pattern=pattern), fam["id"])
    return fam, child, service.accept_contract(asked["id"])


def _children_of(service, day):
    return {c["child_id"]: c for c in service.day_children({"date": day.isoformat()})["children"]}


def test_a_signed_contract_is_cared_for_on_the_last_day_and_its_check_in_refused_the_day_after(
    service, signed_contract, monkeypatch
):
    _fam, child, contract = signed_contract
    set_clock(monkeypatch, at(LAST_DAY, 18))
    assert _children_of(service, LAST_DAY)[child["id"]]["care_refused"] is None
    assert service.contract_check_in(contract["id"], {"at": at(LAST_DAY, 8, 30).isoformat()})
    set_clock(monkeypatch, at(DAY_AFTER, 18))
    with pytest.raises(Conflict) as refused:
        service.contract_check_in(contract["id"], {"at": at(DAY_AFTER, 8, 30).isoformat()})
    assert "R3111-8" in refused.value.message and "jeudi 15 avril 2027" in refused.value.message
    assert models.ContractAttendance.select().count() == 1
    shown = _children_of(service, DAY_AFTER)[child["id"]]["care_refused"]
    assert "jeudi 15 avril 2027" in shown and "R3111-8" in shown


def test_once_up_to_date_the_contract_child_is_checked_in_after_the_grace_period(service, signed_contract, monkeypatch):
    fam, child, contract = signed_contract
    service.put_child_health(child["id"], HEALTH, fam["id"])
    set_clock(monkeypatch, at(DAY_AFTER, 18))
    assert _children_of(service, DAY_AFTER)[child["id"]]["care_refused"] is None
    assert service.contract_check_in(contract["id"], {"at": at(DAY_AFTER, 8, 30).isoformat()})


# --- who may collect the child ------------------------------------------------------------------
@pytest.fixture
def checked_in(service, family, monkeypatch):
    fam, child = family
    service.put_child_health(child["id"], HEALTH, fam["id"])
    room = service.create_room({"name": "Cocon", "kind": "childcare", "capacity": 12})
    booking = service.book(fam["id"], {"slot_id": open_slot(service, room, ADMITTED)["id"], "child_id": child["id"]})
    set_clock(monkeypatch, at(ADMITTED, 18))
    service.check_in(booking["id"], {"at": at(ADMITTED, 8, 30).isoformat()})
    return fam, child, booking


def test_a_listed_adult_whose_identity_was_checked_collects_the_child(service, checked_in):
    fam, child, booking = checked_in
    adult = service.add_pickup_adult(child["id"], ADULT, fam["id"])
    assert [a["id"] for a in service.list_pickup_adults(child["id"], {}, None)["items"]] == [adult["id"]]
    people = service.pickup_options(child["id"])["people"]
    assert [(p["kind"], p["name"]) for p in people] == [("guardian", "Anne Brun"), ("pickup_adult", "Jeanne Brun")]
    out = service.check_out(
        booking["id"],
        {
            "at": at(ADMITTED, 12).isoformat(),
            "collected_by": {"kind": "pickup_adult", "id": adult["id"], "id_checked": True},
        },
    )
    assert out["collected_by"] == {"kind": "pickup_adult", "id": adult["id"], "name": "Jeanne Brun", "id_checked": True}


def test_a_stranger_or_a_removed_adult_is_refused_and_the_child_stays(service, checked_in):
    fam, child, booking = checked_in
    adult = service.add_pickup_adult(child["id"], ADULT, fam["id"])
    service.remove_pickup_adult(child["id"], adult["id"], fam["id"])
    for who in (
        {"kind": "pickup_adult", "id": adult["id"]},
        {"kind": "pickup_adult", "id": "inconnu"},
        {"kind": "guardian", "id": "1"},
    ):
        with pytest.raises(Conflict) as refused:
            service.check_out(
                booking["id"], {"at": at(ADMITTED, 12).isoformat(), "collected_by": dict(who, id_checked=True)}
            )
        assert "n'est ni un responsable" in refused.value.message
    assert models.Booking.get_by_id(booking["id"]).checked_out_at is None


def test_a_guardian_whose_identity_was_not_checked_is_refused(service, checked_in):
    _fam, _child, booking = checked_in
    with pytest.raises(Conflict) as refused:
        service.check_out(
            booking["id"], {"at": at(ADMITTED, 12).isoformat(), "collected_by": dict(GUARDIAN, id_checked=False)}
        )
    assert "pièce d'identité" in refused.value.message


def test_a_departure_without_who_collects_the_child_is_refused_by_its_field(service, checked_in):
    _fam, _child, booking = checked_in
    with pytest.raises(Invalid) as refused:
        service.check_out(booking["id"], {"at": at(ADMITTED, 12).isoformat()})
    assert "collected_by" in refused.value.fields


def test_another_family_may_not_list_an_adult_for_the_child(service, family):
    _fam, child = family
    other = service.register_family(dict(FAMILY, email="autre@example.fr"))
    with pytest.raises(Forbidden):
        service.add_pickup_adult(child["id"], ADULT, other["id"])


def test_the_register_of_the_day_shows_the_allergies_and_the_pai_of_the_children(service, checked_in):
    _fam, child, _booking = checked_in
    [row] = service.building_register({"date": ADMITTED.isoformat()})["children"]
    assert row["allergies"] == ["arachide", "lait de vache"] and row["pai"] == HEALTH["pai"]
    [listed] = service.day_children({"date": ADMITTED.isoformat()})["children"]
    assert listed["allergies"] == ["arachide", "lait de vache"]


# --- the incident register ----------------------------------------------------------------------
INCIDENT = {
    "kind": "accident",
    "occurred_at": "2027-01-04T08:00:00+01:00",
    "description": "Chute dans la salle de motricité, bosse au front.",
    "people_involved": "Témoin : Claire (auxiliaire)",
    "first_aid": "Froid sur la bosse, surveillance.",
    "family_told_at": "2027-01-04T08:30:00+01:00",
}


def test_an_accident_is_recorded_by_staff_and_a_correction_keeps_the_first_line(service, family):
    _fam, child = family
    first = service.record_incident(child["id"], INCIDENT, "staff-1")
    fixed = service.record_incident(
        child["id"], dict(INCIDENT, first_aid="Froid, arnica.", corrects=first["id"]), "staff-2"
    )
    lines = service.list_incidents(child["id"], {})["items"]
    assert {line["id"] for line in lines} == {first["id"], fixed["id"]}  # the corrected line stays
    by_id = {line["id"]: line for line in lines}
    assert (
        by_id[first["id"]]["corrected_by"] == fixed["id"] and by_id[first["id"]]["first_aid"] == INCIDENT["first_aid"]
    )
    with pytest.raises(Conflict):
        service.record_incident(child["id"], dict(INCIDENT, corrects=first["id"]), "staff-1")


def test_a_serious_accident_without_the_day_the_pmi_was_told_is_refused(service, family):
    _fam, child = family
    with pytest.raises(Invalid) as refused:
        service.record_incident(child["id"], dict(INCIDENT, serious=True), "staff-1")
    assert "pmi_notified_on" in refused.value.fields
    line = service.record_incident(child["id"], dict(INCIDENT, serious=True, pmi_notified_on="2027-01-04"), "staff-1")
    assert line["serious"] is True and line["pmi_notified_on"] == "2027-01-04"


def test_an_incident_in_the_future_or_told_before_it_happened_is_refused(service, family):
    _fam, child = family
    with pytest.raises(Invalid) as refused:
        service.record_incident(
            child["id"],
            dict(INCIDENT, occurred_at="2027-01-04T10:00:00+01:00", family_told_at="2027-01-04T07:00:00+01:00"),
            "staff-1",
        )
    assert set(refused.value.fields) == {"occurred_at", "family_told_at"}


def test_only_staff_write_the_register(service, family):
    _fam, child = family
    with pytest.raises(Forbidden):
        service.record_incident(child["id"], INCIDENT, None)


def test_the_health_key_comes_from_its_own_variable_and_a_wrong_one_stops_the_start(monkeypatch, tmp_path):
    from services.bookings import settings

    monkeypatch.setenv("COCOON_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("COCOON_HEALTH_KEY", raising=False)
    first = settings.health_keys()
    assert settings.health_keys() == first and first != settings.certificate_keys()
    new, old = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("COCOON_HEALTH_KEY", f"{new}, {old}")
    assert settings.health_keys() == (new.encode(), old.encode())
    monkeypatch.setenv("COCOON_HEALTH_KEY", "not-a-key")
    with pytest.raises(ValueError, match="COCOON_HEALTH_KEY"):
        settings.health_keys()


def test_what_a_line_of_the_register_says_is_kept_encrypted(service, family):
    _fam, child = family
    service.record_incident(child["id"], INCIDENT, "staff-1")
    [row] = models.Incident.select()
    assert b"bosse" not in bytes(row.sealed)
    [line] = service.list_incidents(child["id"], {})["items"]
    assert line["description"] == INCIDENT["description"] and line["first_aid"] == INCIDENT["first_aid"]
