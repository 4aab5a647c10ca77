"""The child's file through the gateway on the real broker: the health file kept to the family and
staff, a stranger refused at check-out and a listed adult accepted, the incident register."""

import pytest

from tests.dates import DAY, at, set_clock
from tests.factories import child_fields, room_fields, sign_up_family, slot_fields

HEALTH = {
    "allergies": ["arachide"],
    "pai": "Stylo d'adrénaline dans la boîte rouge.",
    "vaccinations_up_to_date": True,
    "emergency_authorisation": True,
}
ADULT = {"first_name": "Jeanne", "last_name": "Brun", "phone": "0611223344", "relation": "grand-mère"}


@pytest.fixture
def checked_in(api, staff, monkeypatch):
    """(the family's API, its child, the booking checked in at 08:30 on DAY; the clock at 13:00)."""
    room = staff.created("/api/v1/rooms", room_fields(name="Les Lucioles", kind="childcare", capacity=3))
    slot = staff.created("/api/v1/childcare-slots", slot_fields(room["id"], starts_at=at(8, 30), ends_at=at(12, 30)))
    _profile, family = sign_up_family(api, email="dossier@example.fr")
    child = family.created("/api/v1/families/me/children", child_fields())
    booking = family.created("/api/v1/bookings", {"slot_id": slot["id"], "child_id": child["id"]})
    set_clock(monkeypatch, 13)
    assert staff.post(f"/api/v1/bookings/{booking['id']}/check-in", json={"at": at(8, 30)}).status_code == 200
    return family, child, booking


def test_a_stranger_is_refused_at_check_out_and_a_listed_adult_is_accepted(staff, checked_in):
    family, child, booking = checked_in
    stranger = {"kind": "pickup_adult", "id": "un-inconnu", "id_checked": True}
    refused = staff.post(
        f"/api/v1/bookings/{booking['id']}/check-out", json={"at": at(12, 30), "collected_by": stranger}
    )
    assert refused.status_code == 409, refused.json
    assert "n'est ni un responsable" in refused.json["error"]["message"]

    adult = family.created(f"/api/v1/children/{child['id']}/pickup-adults", ADULT)
    listed = {"kind": "pickup_adult", "id": adult["id"], "id_checked": True}
    out = staff.post(f"/api/v1/bookings/{booking['id']}/check-out", json={"at": at(12, 30), "collected_by": listed})
    assert out.status_code == 200, out.json
    assert out.json["collected_by"] == {**listed, "name": "Jeanne Brun"}
    people = staff.get(f"/api/v1/children/{child['id']}/pickup-people").json["people"]
    assert [p["kind"] for p in people] == ["guardian", "pickup_adult"]


def test_the_health_file_is_read_by_the_family_and_staff_and_refused_to_another_family(api, staff, checked_in):
    family, child, _booking = checked_in
    path = f"/api/v1/children/{child['id']}/health"
    written = family.request("PUT", path, json=HEALTH)
    assert written.status_code == 200, written.json
    assert staff.get(path).json["pai"] == HEALTH["pai"]
    _profile, other = sign_up_family(api, email="autre@example.fr")
    assert other.get(path).status_code == 403


def test_staff_keep_the_incident_register_and_a_correction_is_a_new_line(staff, checked_in):
    _family, child, _booking = checked_in
    path = f"/api/v1/children/{child['id']}/incidents"
    line = {"kind": "accident", "occurred_at": at(10), "description": "Chute, bosse au front.", "serious": True}
    refused = staff.post(path, json=line)
    assert refused.status_code == 422 and "pmi_notified_on" in refused.json["error"]["fields"]
    first = staff.created(path, dict(line, pmi_notified_on=DAY.isoformat()))
    staff.created(path, dict(line, pmi_notified_on=DAY.isoformat(), first_aid="Froid.", corrects=first["id"]))
    lines = staff.get(path).json
    assert len(lines) == 2 and {entry["corrected_by"] for entry in lines} - {None}
