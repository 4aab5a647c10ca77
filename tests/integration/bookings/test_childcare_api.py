"""Childcare through the gateway on the real broker: families, slots, bookings, waiting list, fees."""

from datetime import timedelta

import pytest

from tests.dates import DAY, at, set_clock
from tests.factories import GUARDIAN, PASSWORD, child_fields, family_fields, room_fields, sign_up_family, slot_fields
from tests.support import call

# The fees below are computed for 4,000 € a month and two dependent children: the CNAF scale
# rate 0.0516 % (unchanged since 2022, and DAY is near enough for the tables to cover it).
RESOURCES = {"monthly_resources": "4000", "dependent_children": 2}


@pytest.fixture
def room(staff):
    return staff.created("/api/v1/rooms", room_fields(name="Les Lucioles", kind="childcare", capacity=3))


def new_family(api, email, job_seeker=False):
    """(profile, the API signed in as the family)."""
    return sign_up_family(api, email=email, job_seeker=job_seeker, **RESOURCES)


def add_child(family, name="Léa", walking=None):
    """A child two years old on DAY (she walks, unless `walking=False` says otherwise)."""
    return family.created("/api/v1/families/me/children", child_fields(first_name=name, walking=walking))


def open_slot(staff, room, start=(8, 30), end=(12, 30), **overrides):
    return staff.created(
        "/api/v1/childcare-slots", slot_fields(room["id"], starts_at=at(*start), ends_at=at(*end), **overrides)
    )


def book(family, slot, child):
    return family.post("/api/v1/bookings", json={"slot_id": slot["id"], "child_id": child["id"]})


def test_fee_quote_follows_the_cnaf_scale(client, bookings):
    response = client.get("/api/v1/fees/quote?monthly_resources=4000&dependent_children=2&aeeh=false&on=2026-03-10")
    assert response.status_code == 200, response.json
    assert response.json == {
        "hourly_rate": "2.064",
        "effort_rate": "0.000516",
        "resources_used": "4000.00",
        "floor": "814.62",
        "ceiling": "8500.00",
        "on": "2026-03-10",
        "status": "derived",
        "aeeh_children": 0,
        "emergency": None,  # resources known: the CNAF scale, not the emergency rate
        "emergency_label": None,
    }
    aeeh = client.get("/api/v1/fees/quote?monthly_resources=4000&dependent_children=2&aeeh=true&on=2026-03-10")
    assert aeeh.json["effort_rate"] == "0.000413"  # the next row: as if there were 3 children
    assert aeeh.json["aeeh_children"] == 1  # the former flag means one child
    two = client.get("/api/v1/fees/quote?monthly_resources=4000&dependent_children=2&aeeh_children=2&on=2026-03-10")
    assert (two.json["effort_rate"], two.json["aeeh_children"]) == ("0.00031", 2)  # one row per AEEH child: 4-7
    contract = client.get(
        "/api/v1/fees/contract-quote?monthly_resources=5200&dependent_children=2&aeeh_children=2&on=2026-03-10"
        "&hours_per_week=36&weeks_per_year=46"
    )
    assert (contract.json["monthly_amount"], contract.json["aeeh_children"]) == ("222.46", 2)  # 296.37 with one
    too_many = client.get("/api/v1/fees/quote?monthly_resources=4000&dependent_children=2&aeeh_children=3")
    assert too_many.status_code == 422
    assert too_many.json["error"]["fields"] == {
        "aeeh_children": ["Au plus autant d'enfants bénéficiaires de l'AEEH que d'enfants à charge."]
    }
    bad = client.get("/api/v1/fees/quote?monthly_resources=beaucoup&dependent_children=0")
    assert bad.status_code == 422
    assert set(bad.json["error"]["fields"]) == {"monthly_resources", "dependent_children"}


def test_slot_places_come_from_the_ratio_capped_by_the_room(staff, room):
    # 1 professional: the 2-adult minimum means no child can be taken at all
    assert open_slot(staff, room, staff_on_duty=1)["places"] == 0
    big = staff.post("/api/v1/rooms", json=room_fields(name="Grande salle", kind="childcare", capacity=30)).json
    # 2 professionals, walking children: 16 by the ratio, under the room's 30
    assert open_slot(staff, big, staff_on_duty=2, start=(14, 0), end=(17, 0))["places"] == 16
    # 2 professionals, non-walking: 10
    assert open_slot(staff, big, staff_on_duty=2, age_group="non_walking", start=(8, 0), end=(12, 0))["places"] == 10
    overlapping = staff.post(
        "/api/v1/childcare-slots",
        json=slot_fields(big["id"], starts_at=at(9), ends_at=at(10), age_group="mixed", staff_on_duty=3),
    )
    assert overlapping.status_code == 409
    listed = staff.get(f"/api/v1/childcare-slots?date={DAY.isoformat()}").json
    assert [(s["places"], s["booked"], s["waitlisted"]) for s in listed] == [(10, 0, 0), (0, 0, 0), (16, 0, 0)]


def test_the_slots_of_a_period_come_in_one_page_by_start_local_days_from_included_to_excluded(staff, room):
    before, first, last, after = (DAY + timedelta(days=n) for n in (-1, 0, 1, 2))
    for day, start, end in ((before, 23, 23), (last, 14, 18), (first, 0, 4), (after, 0, 4)):
        ends_at = at(end, 59 if end == start else 0, day=day)
        staff.created("/api/v1/childcare-slots", slot_fields(room["id"], starts_at=at(start, day=day), ends_at=ends_at))

    listed = staff.get(f"/api/v1/childcare-slots?from={first.isoformat()}&to={after.isoformat()}")

    assert listed.status_code == 200 and "Link" not in listed.headers
    assert [s["starts_at"] for s in listed.json] == [at(0, 0, day=first), at(14, 0, day=last)]
    too_long = staff.get(
        f"/api/v1/childcare-slots?from={first.isoformat()}&to={(first + timedelta(days=93)).isoformat()}"
    )
    assert too_long.status_code == 422 and set(too_long.json["error"]["fields"]) == {"to"}


def test_booking_confirms_then_waitlists_and_a_cancellation_promotes(small_creche, api, staff, room):
    slot = open_slot(staff, room)  # 3 places (room capacity), 1 reserved for AVIP (a crèche of 3 places)
    families = [new_family(api, f"famille{i}@example.fr") for i in range(3)]
    children = [add_child(family, name=f"Enfant{i}") for i, (_, family) in enumerate(families)]

    first = book(families[0][1], slot, children[0])
    assert first.status_code == 201, first.json
    assert first.json["status"] == "confirmed"
    assert first.json["hourly_rate"] == "2.064"
    assert first.json["amount"] == "8.26"  # 4 h x 2.064 = 8.256
    assert book(families[1][1], slot, children[1]).json["status"] == "confirmed"
    # the third place is kept for a job-seeking family (AVIP share): the third family waits
    third = book(families[2][1], slot, children[2])
    assert third.json["status"] == "waitlisted"
    assert third.json["waitlist_position"] == 1
    assert first.json["waitlist_position"] is None

    _, job_seeker = new_family(api, "avip@example.fr", job_seeker=True)
    avip_child = add_child(job_seeker, name="Noé")
    assert book(job_seeker, slot, avip_child).json["status"] == "confirmed"  # the reserved place

    again = book(families[0][1], slot, children[0])
    assert again.status_code == 409  # the same child twice in overlapping slots

    cancelled = families[0][1].post(f"/api/v1/bookings/{first.json['id']}/cancel")
    assert cancelled.status_code == 200, cancelled.json
    assert cancelled.json["status"] == "cancelled"
    assert cancelled.json["cancelled_in_time"] is True  # ten days ahead
    mine = families[2][1].get("/api/v1/bookings").json
    assert [(b["status"], b["waitlist_position"]) for b in mine] == [("confirmed", None)]  # promoted
    listed = staff.get(f"/api/v1/childcare-slots?date={DAY.isoformat()}").json[0]
    assert (listed["places"], listed["booked"], listed["waitlisted"]) == (3, 3, 0)

    # another family cannot see or cancel someone else's booking
    other = families[1][1].post(f"/api/v1/bookings/{third.json['id']}/cancel")
    assert other.status_code == 404
    assert len(staff.get("/api/v1/bookings").json) == 4


def test_a_waiting_family_sees_its_place_in_the_queue_move_up_when_one_ahead_cancels(api, staff, room):
    slot = open_slot(staff, room)  # 3 places
    families = [new_family(api, f"file{i}@example.fr")[1] for i in range(5)]
    made = [book(family, slot, add_child(family)).json for family in families]
    assert [(b["status"], b["waitlist_position"]) for b in made] == [
        ("confirmed", None),
        ("confirmed", None),
        ("confirmed", None),
        ("waitlisted", 1),
        ("waitlisted", 2),
    ]
    assert families[3].post(f"/api/v1/bookings/{made[3]['id']}/cancel").status_code == 200
    assert [b["waitlist_position"] for b in families[4].get("/api/v1/bookings").json] == [1]
    everyone = staff.get(f"/api/v1/bookings?slot_id={slot['id']}&status=waitlisted").json
    assert [(b["id"], b["waitlist_position"]) for b in everyone] == [(made[4]["id"], 1)]


def test_a_small_slot_keeps_no_place_of_a_larger_venue_for_avip(api, staff, room):
    # 12 authorised places (the default): 3 reserved for the venue; a 3-place slot's part is 0.75 -> 0
    slot = open_slot(staff, room)
    families = [new_family(api, f"petit{i}@example.fr")[1] for i in range(3)]
    statuses = [book(family, slot, add_child(family)).json["status"] for family in families]
    assert statuses == ["confirmed", "confirmed", "confirmed"]


def test_a_twelve_place_slot_keeps_the_venue_reservation_for_avip(api, staff):
    room = staff.created("/api/v1/rooms", room_fields(name="Grande salle", kind="childcare", capacity=12))
    slot = open_slot(staff, room)  # 2 professionals, walking children: 16 by the ratio, 12 by the room
    assert slot["places"] == 12
    families = [new_family(api, f"grand{i}@example.fr")[1] for i in range(10)]
    statuses = [book(family, slot, add_child(family)).json["status"] for family in families]
    assert statuses == ["confirmed"] * 9 + ["waitlisted"]  # 3 of 12 kept for job-seeking families
    _, job_seeker = new_family(api, "avip-grand@example.fr", job_seeker=True)
    assert book(job_seeker, slot, add_child(job_seeker)).json["status"] == "confirmed"


def test_age_group_and_ownership_are_checked(api, staff, room):
    slot = open_slot(staff, room, age_group="non_walking")
    _, family = new_family(api, "marche@example.fr")
    walker = add_child(family)
    refused = book(family, slot, walker)
    assert refused.status_code == 422
    assert "marchent pas" in refused.json["error"]["message"]
    baby = add_child(family, name="Bébé", walking=False)  # staff say she does not walk yet
    assert book(family, slot, baby).json["status"] == "confirmed"
    _, stranger = new_family(api, "autre@example.fr")
    assert book(stranger, slot, baby).status_code == 404  # not their child


def test_attendance_billing_and_monthly_statement(api, staff, room, monkeypatch):
    slot = open_slot(staff, room)
    _, family = new_family(api, "presence@example.fr")
    child = add_child(family)
    booking = book(family, slot, child).json

    too_soon = staff.post(f"/api/v1/bookings/{booking['id']}/check-in", json={"at": at(8, 20)})
    assert too_soon.status_code == 422  # that time has not come yet

    set_clock(monkeypatch, 13)  # the day of care comes: move the services' clock to it
    assert staff.post(f"/api/v1/bookings/{booking['id']}/check-in", json={"at": at(8, 20)}).status_code == 200
    assert (
        staff.post(
            f"/api/v1/bookings/{booking['id']}/check-out", json={"collected_by": GUARDIAN, "at": at(8, 0)}
        ).status_code
        == 422
    )  # before the arrival
    out = staff.post(f"/api/v1/bookings/{booking['id']}/check-out", json={"collected_by": GUARDIAN, "at": at(12, 40)})
    assert out.status_code == 200, out.json
    # booked 08:30-12:30 (4 h) + 10 min early + 10 min late, each started half-hour due: 5 h x 2.064
    assert out.json["hours_billed"] == "5"
    assert out.json["amount"] == "10.32"

    statement = family.get(f"/api/v1/families/me/statements/{DAY:%Y-%m}")
    assert statement.status_code == 200, statement.json
    body = statement.json
    assert (body["hours_booked"], body["hours_attended"], body["hours_billed"], body["amount"]) == (
        "4",
        "4.333333",
        "5",
        "10.32",
    )
    assert family.get("/api/v1/families/me/statements/2026-13").status_code == 422


def test_a_late_cancellation_is_billed_as_booked(api, staff, room, monkeypatch):
    slot = open_slot(staff, room)
    _, family = new_family(api, "tard@example.fr")
    booking = book(family, slot, add_child(family)).json
    set_clock(monkeypatch, 8, 30, day=DAY - timedelta(days=1))  # 24 h before the slot: inside the 48 h notice
    cancelled = family.post(f"/api/v1/bookings/{booking['id']}/cancel").json
    assert cancelled["cancelled_in_time"] is False
    assert cancelled["amount"] == "8.26"
    statement = family.get(f"/api/v1/families/me/statements/{DAY:%Y-%m}").json
    assert (statement["hours_billed"], statement["amount"]) == ("4", "8.26")


def test_family_sign_up_is_validated_and_needs_no_account(api, bookings):
    bad = api.post("/api/v1/families", json=family_fields(password=PASSWORD, guardians=[], dependent_children=0))
    assert bad.status_code == 422
    assert {"guardians", "dependent_children"} <= set(bad.json["error"]["fields"])
    created, family = new_family(api, "ok@example.fr")
    me = family.get("/api/v1/families/me").json
    assert me["id"] == created["id"] and me["monthly_resources"] == "4000.00" and me["children"] == []
    assert family.post("/api/v1/childcare-slots", json={}).status_code == 403


def test_a_family_sees_what_each_slot_would_cost_it(api, staff, room, bookings):
    slot = open_slot(staff, room)  # 08:30-12:30
    profile, _ = new_family(api, "prix@example.fr")
    prices = call(bookings, "slot_prices", profile["id"], [slot["id"], "unknown-slot"])
    assert prices == {slot["id"]: {"hourly_rate": "2.064", "amount": "8.26"}}  # 4 h x 2.064 = 8.256
