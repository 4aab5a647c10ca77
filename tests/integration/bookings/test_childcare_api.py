"""Childcare through the gateway on the real broker: families, slots, bookings, waiting list, fees."""
from datetime import date, datetime, time, timedelta, timezone

import pytest

from services.bookings.service import BookingsService
from shared import timeutil
from shared.timeutil import VENUE_TZ
from tests.integration.conftest import STAFF, bearer

# A day far enough ahead that every booking is in the future, near enough that the CNAF
# tables cover it (the scale rate 0.0516 % for two children has not changed since 2022).
DAY = date.today() + timedelta(days=10)


def at(hour, minute=0, day=DAY):
    return datetime.combine(day, time(hour, minute), tzinfo=VENUE_TZ).isoformat()


def family(email, job_seeker=False, resources="4000", children=2, aeeh=False):
    return {"email": email, "password": "les-petits-loups", "monthly_resources": resources,
            "dependent_children": children, "aeeh": aeeh, "job_seeker": job_seeker,
            "guardians": [{"first_name": "Camille", "last_name": "Durand", "phone": "06 10 20 30 40"}]}


@pytest.fixture
def bookings(container_factory, service_config):
    container = container_factory(BookingsService, service_config)
    container.start()
    return container


@pytest.fixture
def staff(client, bookings):
    return bearer(client, STAFF)


@pytest.fixture
def room(client, staff):
    response = client.post("/api/v1/rooms", json={"name": "Les Lucioles", "kind": "childcare", "capacity": 3},
                           headers=staff)
    assert response.status_code == 201, response.json
    return response.json


def new_family(client, email, **options):
    response = client.post("/api/v1/families", json=family(email, **options))
    assert response.status_code == 201, response.json
    headers = bearer(client, {"email": email, "password": "les-petits-loups"})
    return response.json, headers


def add_child(client, headers, name="Léa", birth=None, walking=None):
    birth = birth or (DAY - timedelta(days=2 * 365)).isoformat()  # two years old: walks
    response = client.post("/api/v1/families/me/children", json={"first_name": name, "birth_date": birth,
                                                                  "walking": walking}, headers=headers)
    assert response.status_code == 201, response.json
    return response.json


def open_slot(client, staff, room, staff_on_duty=2, age_group="walking", start=(8, 30), end=(12, 30)):
    response = client.post("/api/v1/childcare-slots", headers=staff, json={
        "room_id": room["id"], "starts_at": at(*start), "ends_at": at(*end), "age_group": age_group,
        "staff_on_duty": staff_on_duty})
    assert response.status_code == 201, response.json
    return response.json


def book(client, headers, slot, child):
    return client.post("/api/v1/bookings", json={"slot_id": slot["id"], "child_id": child["id"]}, headers=headers)


def test_fee_quote_follows_the_cnaf_scale(client, bookings):
    response = client.get("/api/v1/fees/quote?monthly_resources=4000&dependent_children=2&aeeh=false&on=2026-03-10")
    assert response.status_code == 200, response.json
    assert response.json == {"hourly_rate": "2.064", "effort_rate": "0.000516", "resources_used": "4000.00",
                             "floor": "814.62", "ceiling": "8500.00", "on": "2026-03-10", "status": "derived"}
    aeeh = client.get("/api/v1/fees/quote?monthly_resources=4000&dependent_children=2&aeeh=true&on=2026-03-10")
    assert aeeh.json["effort_rate"] == "0.000413"  # the next row: as if there were 3 children
    bad = client.get("/api/v1/fees/quote?monthly_resources=beaucoup&dependent_children=0")
    assert bad.status_code == 422
    assert set(bad.json["error"]["fields"]) == {"monthly_resources", "dependent_children"}


def test_slot_places_come_from_the_ratio_capped_by_the_room(client, staff, room):
    # 1 professional: the 2-adult minimum means no child can be taken at all
    assert open_slot(client, staff, room, staff_on_duty=1)["places"] == 0
    big = client.post("/api/v1/rooms", json={"name": "Grande salle", "kind": "childcare", "capacity": 30},
                      headers=staff).json
    # 2 professionals, walking children: 16 by the ratio, under the room's 30
    assert open_slot(client, staff, big, staff_on_duty=2, start=(14, 0), end=(17, 0))["places"] == 16
    # 2 professionals, non-walking: 10
    assert open_slot(client, staff, big, staff_on_duty=2, age_group="non_walking", start=(8, 0),
                     end=(12, 0))["places"] == 10
    overlapping = client.post("/api/v1/childcare-slots", headers=staff, json={
        "room_id": big["id"], "starts_at": at(9), "ends_at": at(10), "age_group": "mixed", "staff_on_duty": 3})
    assert overlapping.status_code == 409
    listed = client.get(f"/api/v1/childcare-slots?date={DAY.isoformat()}", headers=staff).json
    assert [(s["places"], s["booked"], s["waitlisted"]) for s in listed] == [(10, 0, 0), (0, 0, 0), (16, 0, 0)]


def test_booking_confirms_then_waitlists_and_a_cancellation_promotes(client, staff, room):
    slot = open_slot(client, staff, room)  # 3 places (room capacity), 1 reserved for AVIP
    families = [new_family(client, f"famille{i}@example.fr") for i in range(3)]
    children = [add_child(client, headers, name=f"Enfant{i}") for i, (_, headers) in enumerate(families)]

    first = book(client, families[0][1], slot, children[0])
    assert first.status_code == 201, first.json
    assert first.json["status"] == "confirmed"
    assert first.json["hourly_rate"] == "2.064"
    assert first.json["amount"] == "8.26"  # 4 h x 2.064 = 8.256
    assert book(client, families[1][1], slot, children[1]).json["status"] == "confirmed"
    # the third place is kept for a job-seeking family (AVIP share): the third family waits
    third = book(client, families[2][1], slot, children[2])
    assert third.json["status"] == "waitlisted"

    job_seeker, js_headers = new_family(client, "avip@example.fr", job_seeker=True)
    avip_child = add_child(client, js_headers, name="Noé")
    assert book(client, js_headers, slot, avip_child).json["status"] == "confirmed"  # the reserved place

    again = book(client, families[0][1], slot, children[0])
    assert again.status_code == 409  # the same child twice in overlapping slots

    cancelled = client.post(f"/api/v1/bookings/{first.json['id']}/cancel", headers=families[0][1])
    assert cancelled.status_code == 200, cancelled.json
    assert cancelled.json["status"] == "cancelled"
    assert cancelled.json["cancelled_in_time"] is True  # ten days ahead
    mine = client.get("/api/v1/bookings", headers=families[2][1]).json
    assert [b["status"] for b in mine] == ["confirmed"]  # promoted from the waiting list
    listed = client.get(f"/api/v1/childcare-slots?date={DAY.isoformat()}", headers=staff).json[0]
    assert (listed["places"], listed["booked"], listed["waitlisted"]) == (3, 3, 0)

    # another family cannot see or cancel someone else's booking
    other = client.post(f"/api/v1/bookings/{third.json['id']}/cancel", headers=families[1][1])
    assert other.status_code == 404
    assert len(client.get("/api/v1/bookings", headers=staff).json) == 4


def test_age_group_and_ownership_are_checked(client, staff, room):
    slot = open_slot(client, staff, room, age_group="non_walking")
    _, headers = new_family(client, "marche@example.fr")
    walker = add_child(client, headers)
    refused = book(client, headers, slot, walker)
    assert refused.status_code == 422
    assert "marchent pas" in refused.json["error"]["message"]
    baby = add_child(client, headers, name="Bébé", walking=False)  # staff say she does not walk yet
    assert book(client, headers, slot, baby).json["status"] == "confirmed"
    _, stranger = new_family(client, "autre@example.fr")
    assert book(client, stranger, slot, baby).status_code == 404  # not their child


def test_attendance_billing_and_monthly_statement(client, staff, room, monkeypatch):
    slot = open_slot(client, staff, room)
    _, headers = new_family(client, "presence@example.fr")
    child = add_child(client, headers)
    booking = book(client, headers, slot, child).json

    too_soon = client.post(f"/api/v1/bookings/{booking['id']}/check-in", json={"at": at(8, 20)}, headers=staff)
    assert too_soon.status_code == 422  # that time has not come yet

    # the day of care comes: move the services' clock to it
    monkeypatch.setattr(timeutil, "now_utc", lambda: datetime.combine(DAY, time(13), tzinfo=VENUE_TZ)
                        .astimezone(timezone.utc))
    assert client.post(f"/api/v1/bookings/{booking['id']}/check-in", json={"at": at(8, 20)},
                       headers=staff).status_code == 200
    assert client.post(f"/api/v1/bookings/{booking['id']}/check-out", json={"at": at(8, 0)},
                       headers=staff).status_code == 422  # before the arrival
    out = client.post(f"/api/v1/bookings/{booking['id']}/check-out", json={"at": at(12, 40)}, headers=staff)
    assert out.status_code == 200, out.json
    # booked 08:30-12:30 (4 h) + 10 min early + 10 min late, each started half-hour due: 5 h x 2.064
    assert out.json["hours_billed"] == "5"
    assert out.json["amount"] == "10.32"

    statement = client.get(f"/api/v1/families/me/statements/{DAY:%Y-%m}", headers=headers)
    assert statement.status_code == 200, statement.json
    body = statement.json
    assert (body["hours_booked"], body["hours_attended"], body["hours_billed"], body["amount"]) == \
        ("4", "4.333333", "5", "10.32")
    assert client.get("/api/v1/families/me/statements/2026-13", headers=headers).status_code == 422


def test_a_late_cancellation_is_billed_as_booked(client, staff, room, monkeypatch):
    slot = open_slot(client, staff, room)
    _, headers = new_family(client, "tard@example.fr")
    booking = book(client, headers, slot, add_child(client, headers)).json
    # 24 h before the slot: inside the 48 h notice
    monkeypatch.setattr(timeutil, "now_utc", lambda: datetime.combine(DAY - timedelta(days=1), time(8, 30),
                                                                      tzinfo=VENUE_TZ).astimezone(timezone.utc))
    cancelled = client.post(f"/api/v1/bookings/{booking['id']}/cancel", headers=headers).json
    assert cancelled["cancelled_in_time"] is False
    assert cancelled["amount"] == "8.26"
    statement = client.get(f"/api/v1/families/me/statements/{DAY:%Y-%m}", headers=headers).json
    assert (statement["hours_billed"], statement["amount"]) == ("4", "8.26")


def test_family_sign_up_is_validated_and_needs_no_account(client, bookings):
    bad = client.post("/api/v1/families", json=dict(family("x@example.fr"), guardians=[], dependent_children=0))
    assert bad.status_code == 422
    assert {"guardians", "dependent_children"} <= set(bad.json["error"]["fields"])
    created, headers = new_family(client, "ok@example.fr")
    me = client.get("/api/v1/families/me", headers=headers).json
    assert me["id"] == created["id"] and me["monthly_resources"] == "4000.00" and me["children"] == []
    assert client.post("/api/v1/childcare-slots", json={}, headers=headers).status_code == 403
