"""Every list of the API a page at a time, on the real broker: the body stays the array of
docs/api.md, the next page comes in `Link: <…>; rel="next"` and `X-Next-Cursor`."""

import re
from datetime import datetime, time, timedelta

from services.volunteers import models as volunteers_models
from services.volunteers import store as volunteers_store
from services.volunteers.service import VolunteersService
from shared.timeutil import VENUE_TZ
from tests.dates import DAY, at
from tests.factories import child_fields, room_fields, sign_up_family, slot_fields
from tests.staff_on_duty import LEAD, SECOND

VOLUNTEER = {
    "email": "paul.roche@example.fr",
    "password": "potager-1948",
    "first_name": "Paul",
    "last_name": "Roche",
    "birth_date": "1948-05-02",
    "phone": "06 12 34 56 79",
    "interests": ["gardening"],
    "availability": [],
}


def next_link(response):
    """The path and query of the Link rel="next", or None on the last page."""
    link = response.headers.get("Link")
    if link is None:
        assert "X-Next-Cursor" not in response.headers
        return None
    url = re.fullmatch(r'<http://localhost(/[^>]*)>; rel="next"', link).group(1)
    assert url.endswith("cursor=" + response.headers["X-Next-Cursor"])
    return url


def walk(account, url, between_pages=lambda: None):
    """Every item of every page, following the Link headers; and the number of pages."""
    items, pages = [], 0
    while url:
        response = account.get(url)
        assert response.status_code == 200, response.json
        assert isinstance(response.json, list)
        items += response.json
        pages += 1
        url = next_link(response)
        between_pages()
    return items, pages


def family_with_bookings(api, staff, slots, children=4):
    profile, family = sign_up_family(api)
    kids = [
        family.created("/api/v1/families/me/children", child_fields(first_name=f"Enfant {n}")) for n in range(children)
    ]
    for slot in slots:
        for kid in kids:
            booked = family.post("/api/v1/bookings", json={"slot_id": slot["id"], "child_id": kid["id"]})
            assert booked.status_code == 201, booked.json
    return profile, family


def open_slots(staff, hours):
    room = staff.created("/api/v1/rooms", room_fields(kind="childcare", capacity=10))
    return [
        staff.created("/api/v1/childcare-slots", slot_fields(room["id"], starts_at=at(h), ends_at=at(h + 1)))
        for h in hours
    ]


def test_walking_the_bookings_pages_gives_every_booking_once_in_the_list_order(api, staff):
    slots = open_slots(staff, hours=(14, 8, 10))  # opened out of order: the list is by slot start
    _, family = family_with_bookings(api, staff, slots)
    whole = family.get("/api/v1/bookings?limit=500")
    assert whole.status_code == 200 and "Link" not in whole.headers
    assert len(whole.json) == 12

    items, pages = walk(family, "/api/v1/bookings?limit=5")
    assert items == whole.json  # the same objects, same fields, same order
    assert pages == 3
    assert [b["starts_at"] for b in items] == sorted(b["starts_at"] for b in items)
    staff_items, _ = walk(staff, "/api/v1/bookings?limit=4")
    assert [b["id"] for b in staff_items] == [b["id"] for b in whole.json]


def test_the_next_link_keeps_the_filters_and_the_limit(api, staff):
    slots = open_slots(staff, hours=(8, 10))
    profile, _ = family_with_bookings(api, staff, slots, children=3)
    first = staff.get(f"/api/v1/bookings?family_id={profile['id']}&status=confirmed&limit=2")
    link = next_link(first)
    assert f"family_id={profile['id']}" in link and "status=confirmed" in link and "limit=2" in link
    items, pages = walk(staff, f"/api/v1/bookings?family_id={profile['id']}&status=confirmed&limit=2")
    assert (len(items), pages) == (6, 3)


def test_a_booking_made_between_two_pages_neither_repeats_nor_hides_another(api, staff):
    slots = open_slots(staff, hours=(8, 10, 12))
    profile, family = family_with_bookings(api, staff, slots[:2], children=3)
    late_child = family.created("/api/v1/families/me/children", child_fields(first_name="Tardif"))
    before = [b["id"] for b in family.get("/api/v1/bookings?limit=500").json]
    made = []

    def book_once():
        if not made:  # after the first page: a booking in the last slot, ahead of the cursor
            made.append(family.post("/api/v1/bookings", json={"slot_id": slots[2]["id"], "child_id": late_child["id"]}))

    items, _ = walk(family, "/api/v1/bookings?limit=4", between_pages=book_once)
    ids = [b["id"] for b in items]
    assert made[0].status_code == 201, made[0].json
    assert len(ids) == len(set(ids))
    assert ids == before + [made[0].json["id"]]


def test_a_limit_above_500_or_a_tampered_cursor_is_a_422_in_french(staff):
    too_many = staff.get("/api/v1/bookings?limit=501")
    assert too_many.status_code == 422
    assert too_many.json["error"]["fields"] == {"limit": ["Entre 1 et 500 éléments par page."]}
    for url in ("/api/v1/bookings", "/api/v1/rooms", "/api/v1/activities", "/api/v1/childcare-slots"):
        tampered = staff.get(url + "?cursor=eyJub3QiOiJ1cyJ9")
        assert tampered.status_code == 422, url
        assert tampered.json["error"]["fields"]["cursor"] == [
            "Curseur de pagination invalide : reprenez la liste depuis le début."
        ]


def test_rooms_activities_and_slots_come_a_page_at_a_time_too(staff):
    rooms = [staff.created("/api/v1/rooms", room_fields(name=f"Salle {n:02d}", kind="childcare")) for n in range(5)]
    listed, pages = walk(staff, "/api/v1/rooms?limit=2")
    assert [r["name"] for r in listed] == sorted(r["name"] for r in rooms)
    assert pages == 3
    for hour in (16, 8, 12):
        staff.created("/api/v1/childcare-slots", slot_fields(rooms[0]["id"], starts_at=at(hour), ends_at=at(hour + 1)))
        staff.created(
            "/api/v1/activities",
            {
                "title": f"Atelier {hour}",
                "kind": "story_time",
                "room_id": rooms[1]["id"],
                "starts_at": at(hour),
                "ends_at": at(hour + 1),
                "children_capacity": 5,
                "volunteer_slots": 1,
                "trainee_slots": 0,
                "lead_staff_id": LEAD,
                "staff_ids": [SECOND],
            },
        )
    slots, pages = walk(staff, f"/api/v1/childcare-slots?date={DAY.isoformat()}&limit=2")
    assert [s["starts_at"] for s in slots] == [at(8), at(12), at(16)] and pages == 2
    activities, pages = walk(staff, "/api/v1/activities?limit=1")
    assert [a["title"] for a in activities] == ["Atelier 8", "Atelier 12", "Atelier 16"] and pages == 3


def test_a_volunteer_walks_the_ranked_opportunities_page_by_page(container_factory, service_config, api):
    container_factory(VolunteersService, service_config).start()
    assert api.post("/api/v1/volunteers", json=VOLUNTEER).status_code == 201
    volunteer = api.signed_in(VOLUNTEER)
    with volunteers_models.database.connection_context():
        for n in range(7):  # gardening ranks first, then by start
            starts_at = datetime.combine(DAY + timedelta(days=n), time(9), tzinfo=VENUE_TZ)
            kind = "gardening" if n % 3 == 0 else "story_time"
            volunteers_store.add_opportunity(
                f"act-{n}", f"Activité {n}", kind, None, starts_at, starts_at + timedelta(hours=1), 2
            )
    whole = volunteer.get("/api/v1/opportunities?limit=500").json
    assert [o["activity_id"] for o in whole] == ["act-0", "act-3", "act-6", "act-1", "act-2", "act-4", "act-5"]
    items, pages = walk(volunteer, "/api/v1/opportunities?limit=3")
    assert items == whole and pages == 3
