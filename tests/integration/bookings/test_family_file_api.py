"""The family file through the gateway on the real broker: a child's walking held for staff,
staff's corrections of a family's figures (care to come repriced), the history, who may see it."""

from datetime import timedelta

import pytest

from services.bookings.service import BookingsService
from tests.api import body_of
from tests.dates import DAY, at, set_clock
from tests.dates import today as venue_today
from tests.factories import child_fields, room_fields, sign_up_family, slot_fields

# 4,000 € a month, two dependent children: 2.064 €/h (CNAF 0.0516 %); 2,500 €: 1.29 €/h.
RESOURCES = {"monthly_resources": "4000", "dependent_children": 2}
NEXT_WEEK = DAY + timedelta(days=7)


@pytest.fixture(params=["sqlite", "postgresql"])
def bookings(request, container_factory, service_config):
    """The bookings service on SQLite, then on PostgreSQL (the search's LIKE … ESCAPE, FOR UPDATE)."""
    if request.param == "postgresql":
        return request.getfixturevalue("start_on_postgres")(BookingsService)
    container = container_factory(BookingsService, service_config)
    container.start()
    return container


@pytest.fixture
def room(staff):
    return staff.created("/api/v1/rooms", room_fields(name="Les Lucioles", kind="childcare", capacity=10))


@pytest.fixture
def second_staff(api, staff, team):  # team: the account is created with its profile
    """Another staff account: (its id, the API signed in as it)."""
    credentials = {"email": "accueil@cocoonage.fr", "password": "un-mot-de-passe-long"}
    account = staff.created(
        "/api/v1/staff",
        dict(credentials, first_name="Inès", last_name="Martin", staff_roles=["educator", "accounting"]),
    )
    return account["id"], api.signed_in(credentials)


def new_family(api, email, **overrides):
    return sign_up_family(api, email=email, **dict(RESOURCES, **overrides))


def open_slot(staff, room, day=DAY, **overrides):
    return staff.created(
        "/api/v1/childcare-slots",
        slot_fields(room["id"], starts_at=at(8, 30, day=day), ends_at=at(12, 30, day=day), **overrides),
    )


def book(family, slot, child):
    return family.post("/api/v1/bookings", json={"slot_id": slot["id"], "child_id": child["id"]})


def five_months_old():
    return (venue_today() - timedelta(days=150)).isoformat()


def test_a_five_month_old_declared_walking_counts_as_not_walking_until_staff_confirm(api, staff, room, second_staff):
    _, family = new_family(api, "bebe@example.fr")
    baby = family.created("/api/v1/families/me/children", child_fields(birth_date=five_months_old(), walking=True))
    assert (baby["walking"], baby["walking_set_by_staff"]) == (False, False)
    assert (baby["walking_declared"], baby["walking_pending_staff"]) == (True, True)

    # held: the baby is counted in the stricter ratio, so a walkers' slot refuses her
    walkers = open_slot(staff, room, day=DAY + timedelta(days=1))
    assert book(family, walkers, baby).status_code == 422
    babies = open_slot(staff, room, age_group="non_walking")
    booked = book(family, babies, baby)
    assert booked.status_code == 201, booked.json
    assert (booked.json["status"], booked.json["walks"]) == ("confirmed", False)

    # staff see her as the family declared her, then confirm: the booking follows, and is kept for review
    staff_id, inès = second_staff
    file = inès.get(f"/api/v1/families/{family.get('/api/v1/families/me').json['id']}").json
    assert file["children"][0]["walking_pending_staff"] is True
    confirmed = inès.patch(f"/api/v1/children/{baby['id']}", json={"walking": True})
    assert confirmed.status_code == 200, confirmed.json
    body = confirmed.json
    assert (body["walking"], body["walking_set_by_staff"], body["walking_pending_staff"]) == (True, True, False)
    assert body["bookings_updated"] == [booked.json["id"]]
    [review] = body["bookings_to_review"]
    assert (review["booking_id"], review["reason"]) == (booked.json["id"], "age_group")
    assert "ne marchent pas" in review["message"]
    [kept] = family.get("/api/v1/bookings").json
    assert (kept["status"], kept["walks"]) == ("confirmed", True)  # not dropped: staff decide

    # back to the age rule: the booking follows again and fits its slot
    back = inès.patch(f"/api/v1/children/{baby['id']}", json={"walking": None})
    assert (back.json["walking"], back.json["walking_set_by_staff"], back.json["walking_pending_staff"]) == (
        False,
        False,
        True,
    )
    assert back.json["bookings_to_review"] == []
    assert family.get("/api/v1/bookings").json[0]["walks"] is False

    history = inès.get(f"/api/v1/families/{kept['family_id']}/history").json
    assert [(h["field"], h["before"], h["after"], h["changed_by"], h["child_id"]) for h in history] == [
        ("walking", None, True, staff_id, baby["id"]),
        ("walking", True, None, staff_id, baby["id"]),
    ]


def test_a_mixed_slot_booking_follows_the_childs_walking_without_review(api, staff, room):
    _, family = new_family(api, "mixte@example.fr")
    baby = family.created("/api/v1/families/me/children", child_fields(birth_date=five_months_old(), walking=True))
    booking = book(family, open_slot(staff, room, age_group="mixed"), baby).json
    answer = staff.patch(f"/api/v1/children/{baby['id']}", json={"walking": True}).json
    assert (answer["bookings_updated"], answer["bookings_to_review"]) == ([booking["id"]], [])
    assert family.get("/api/v1/bookings").json[0]["walks"] is True


def test_a_family_cannot_set_walking_nor_read_or_correct_another_familys_file(api, staff, room):
    other, _ = new_family(api, "autre@example.fr")
    _, family = new_family(api, "curieuse@example.fr")
    child = family.created("/api/v1/families/me/children", child_fields())
    assert family.patch(f"/api/v1/children/{child['id']}", json={"walking": True}).status_code == 403
    assert family.get(f"/api/v1/families/{other['id']}").status_code == 403
    assert family.patch(f"/api/v1/families/{other['id']}", json={"aeeh": True}).status_code == 403
    assert family.get(f"/api/v1/families/{other['id']}/history").status_code == 403
    assert family.get("/api/v1/families?q=autre").status_code == 403
    assert staff.get("/api/v1/families/inconnue").status_code == 404
    assert staff.patch("/api/v1/children/inconnu", json={"walking": True}).status_code == 404
    assert staff.get("/api/v1/families/inconnue/history").status_code == 404


def test_corrected_resources_reprice_next_weeks_booking_and_not_a_past_one(api, staff, room, second_staff, monkeypatch):
    profile, family = new_family(api, "ressources@example.fr")
    child = family.created("/api/v1/families/me/children", child_fields())
    past = book(family, open_slot(staff, room), child).json
    next_week = book(family, open_slot(staff, room, day=NEXT_WEEK), child).json
    assert past["hourly_rate"] == next_week["hourly_rate"] == "2.064"

    set_clock(monkeypatch, 13, day=DAY)  # the first slot is over
    staff_id, inès = second_staff
    checked_on = DAY.isoformat()
    corrected = inès.patch(
        f"/api/v1/families/{profile['id']}",
        json={"monthly_resources": "2500", "resources_source": "caf", "resources_checked_on": checked_on},
    )
    assert corrected.status_code == 200, corrected.json
    body = corrected.json
    assert (body["monthly_resources"], body["resources_source"], body["resources_checked_on"]) == (
        "2500.00",
        "caf",
        checked_on,
    )
    assert [(r["booking_id"], r["hourly_rate_before"], r["hourly_rate"]) for r in body["bookings_repriced"]] == [
        (next_week["id"], "2.064", "1.29")
    ]
    rates = {b["id"]: b["hourly_rate"] for b in family.get("/api/v1/bookings").json}
    assert rates == {past["id"]: "2.064", next_week["id"]: "1.29"}

    # job seeking counts for bookings made from now on: existing ones keep avip false
    set_clock(monkeypatch, 13, 5, day=DAY)
    assert inès.patch(f"/api/v1/families/{profile['id']}", json={"job_seeker": True}).json["bookings_repriced"] == []
    assert [b["avip"] for b in family.get("/api/v1/bookings").json] == [False, False]

    history = inès.get(f"/api/v1/families/{profile['id']}/history").json
    assert sorted((h["field"], h["before"], h["after"]) for h in history) == [
        ("job_seeker", False, True),
        ("monthly_resources", "4000.00", "2500.00"),
        ("resources_checked_on", None, checked_on),
        ("resources_source", None, "caf"),
    ]
    assert {h["changed_by"] for h in history} == {staff_id}
    assert all(h["changed_at"].startswith(DAY.isoformat()) and h["child_id"] is None for h in history)
    assert history[-1]["field"] == "job_seeker"  # oldest first

    # the same values again change nothing and add no row
    inès.patch(f"/api/v1/families/{profile['id']}", json={"monthly_resources": "2500.00"})
    assert len(inès.get(f"/api/v1/families/{profile['id']}/history").json) == 4


def test_a_correction_is_validated_field_by_field_in_french(api, staff):
    profile, _ = new_family(api, "controle@example.fr")
    url = f"/api/v1/families/{profile['id']}"
    empty = staff.patch(url, json={})
    assert empty.status_code == 422
    assert empty.json["error"]["fields"] == {"_schema": ["Indiquez au moins un champ à corriger."]}
    bad = staff.patch(
        url,
        json={
            "monthly_resources": "beaucoup",
            "dependent_children": 0,
            "resources_source": "voisin",
            "resources_checked_on": "hier",
            "aeeh": "peut-être",
            "nickname": "x",
        },
    )
    assert bad.status_code == 422
    assert bad.json["error"]["fields"] == {
        "monthly_resources": ["Montant en euros attendu, par exemple 2500.00."],
        "dependent_children": ["De 1 à 10 enfants à charge."],
        "resources_source": ["Source attendue : caf (données CAF/CDAP), tax_notice (avis d'imposition) ou other."],
        "resources_checked_on": ["Date attendue au format AAAA-MM-JJ."],
        "aeeh": ["Indiquez true ou false."],
        "nickname": ["Champ inconnu."],
    }
    tomorrow = (venue_today() + timedelta(days=1)).isoformat()
    future = staff.patch(url, json={"job_seeker": True, "job_seeker_checked_on": tomorrow})
    assert future.status_code == 422
    assert future.json["error"]["fields"] == {"job_seeker_checked_on": ["La date ne peut pas être dans le futur."]}
    walking = staff.patch("/api/v1/children/x", json={"walking": "oui"})
    assert walking.status_code == 422
    assert walking.json["error"]["fields"] == {"walking": ["Indiquez true, false ou null (selon l'âge)."]}
    assert staff.get(f"{url}/history").json == []  # nothing refused was kept


def test_staff_find_families_by_email_or_guardian_name_in_any_case_and_accent(api, staff):
    guardians = [{"first_name": "Éloïse", "last_name": "Lefèvre", "phone": "0601020304"}]
    eloise, _ = new_family(api, "maison.bleue@example.fr", guardians=guardians)
    new_family(api, "ana_lou@example.fr")
    new_family(api, "analou@example.fr")

    def found(q, **params):
        return [f["email"] for f in staff.get("/api/v1/families", query_string={"q": q, **params}).json]

    assert found("ELOISE") == found("lefèvre") == found("Bleue") == ["maison.bleue@example.fr"]
    assert found("ana_") == ["ana_lou@example.fr"]  # `_` is a character here, not a wildcard
    assert found("%") == []
    assert sorted(found("")) == ["ana_lou@example.fr", "analou@example.fr", "maison.bleue@example.fr"]
    first = staff.get("/api/v1/families", query_string={"q": "example", "limit": 2})
    rest = found("example", limit=2, cursor=first.headers["X-Next-Cursor"])
    assert sorted([f["email"] for f in body_of(first)] + rest) == sorted(found(""))  # each once, over two pages
    [listed] = staff.get("/api/v1/families", query_string={"q": "éloïse"}).json
    assert listed["id"] == eloise["id"] and listed["children"] == [] and listed["resources_source"] is None
