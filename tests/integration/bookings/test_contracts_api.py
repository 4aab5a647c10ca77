"""Regular care contracts through the gateway on the real broker: the quote, request, acceptance
against the places, absences, the monthly statement, early end and amendment."""

from datetime import date, timedelta

import pytest

from tests import factories
from tests.dates import at, set_clock
from tests.dates import today as venue_today
from tests.factories import GUARDIAN, child_fields, room_fields, sign_up_family, slot_fields

# 4,000 € a month, two children: 2.064 €/h (the worked example of docs/childcare-rules.md)
RESOURCES = {"monthly_resources": "4000", "dependent_children": 2}


def first_of_month(months_ahead):
    day = venue_today().replace(day=1)
    for _ in range(months_ahead):
        day = (day + timedelta(days=32)).replace(day=1)
    return day


START = first_of_month(1)  # contracts below start on the first of next month
FULL_MONTH = first_of_month(2)  # the first month wholly inside them
END = first_of_month(7) - timedelta(days=1)


def next_monday(after):
    return after + timedelta(days=(7 - after.weekday()) % 7 or 7)


@pytest.fixture
def family(api, staff):
    """(profile, the API as the family, its child)."""
    profile, family_api = sign_up_family(api, **RESOURCES)
    child = family_api.created("/api/v1/families/me/children", child_fields(first_name="Lou"))
    return profile, family_api, child


def contract_fields(child, **overrides):
    """Monday to Thursday, 36 h a week, from the first of next month for six months."""
    return {**factories.contract_fields(child["id"], START, END), **overrides}


def test_the_contract_quote_is_the_mensualisation_of_the_worked_example(client, bookings):
    quote = client.get(
        "/api/v1/fees/contract-quote?monthly_resources=4000&dependent_children=2&on=2026-03-10"
        "&hours_per_week=36&weeks_per_year=46&months=12"
    )
    assert quote.status_code == 200, quote.json
    assert (quote.json["hourly_rate"], quote.json["hours_per_month"], quote.json["monthly_amount"]) == (
        "2.064",
        "138",
        "284.83",
    )
    bad = client.get("/api/v1/fees/contract-quote?monthly_resources=4000&dependent_children=2&weeks_per_year=60")
    assert bad.status_code == 422
    assert {"hours_per_week", "weeks_per_year"} <= set(bad.json["error"]["fields"])


def test_a_family_asks_staff_accept_and_the_month_is_billed_at_the_mensualised_amount(family, staff):
    profile, family_api, child = family
    asked = family_api.post("/api/v1/contracts", json=contract_fields(child))
    assert asked.status_code == 201, asked.json
    assert (asked.json["status"], asked.json["hours_per_week"], asked.json["monthly_amount"]) == (
        "requested",
        "36",
        None,
    )
    assert family_api.post(f"/api/v1/contracts/{asked.json['id']}/accept").status_code == 403  # staff only

    accepted = staff.post(f"/api/v1/contracts/{asked.json['id']}/accept")
    assert accepted.status_code == 200, accepted.json
    body = accepted.json
    assert (body["status"], body["hourly_rate"], body["hours_per_month"], body["monthly_amount"]) == (
        "active",
        "2.064",
        "138",
        "284.83",
    )
    assert staff.post(f"/api/v1/contracts/{body['id']}/accept").status_code == 409  # accepted once

    statement = family_api.get(f"/api/v1/families/me/statements/{FULL_MONTH:%Y-%m}").json
    assert (statement["contract_amount"], statement["amount"], statement["deductions"]) == ("284.83", "284.83", "0.00")
    [line] = statement["lines"]
    assert (line["kind"], line["hours_billed"], line["amount"]) == ("contract", "138", "284.83")
    assert "138" in line["label"]
    assert [c["id"] for c in family_api.get("/api/v1/contracts").json] == [body["id"]]


def test_a_contract_is_refused_with_the_days_that_have_no_place(small_creche, family, api, staff):
    # a crèche of 3 places (AVIP share: 1 of them): two other families' contracts and this one
    others = []
    for i in range(2):
        _, other_api = sign_up_family(api, email=f"voisin{i}@example.fr", **RESOURCES)
        child = other_api.created("/api/v1/families/me/children", child_fields(first_name=f"Voisin{i}"))
        others.append(other_api.created("/api/v1/contracts", contract_fields(child)))
    assert staff.post(f"/api/v1/contracts/{others[0]['id']}/accept").status_code == 200
    assert staff.post(f"/api/v1/contracts/{others[1]['id']}/accept").status_code == 200
    _, family_api, child = family
    mine = family_api.created("/api/v1/contracts", contract_fields(child))
    refused = staff.post(f"/api/v1/contracts/{mine['id']}/accept")
    assert refused.status_code == 409
    days = [date.fromisoformat(d) for d in refused.json["error"]["fields"]["days"]]
    first_day_of_care = next(START + timedelta(days=n) for n in range(7) if (START + timedelta(days=n)).weekday() < 4)
    assert days[0] == first_day_of_care and all(d.weekday() < 4 for d in days)
    assert "Pas de place" in refused.json["error"]["message"]
    assert family_api.get(f"/api/v1/contracts/{mine['id']}").json["status"] == "requested"


def test_an_occasional_booking_cannot_take_a_place_a_contract_holds(small_creche, family, api, staff):
    _, family_api, child = family
    contract = family_api.created("/api/v1/contracts", contract_fields(child))
    staff.post(f"/api/v1/contracts/{contract['id']}/accept")
    monday = next_monday(START)
    room = staff.created("/api/v1/rooms", room_fields(name="Les Lucioles", kind="childcare", capacity=1))
    slot = staff.created(
        "/api/v1/childcare-slots",
        slot_fields(room["id"], starts_at=f"{monday}T09:00:00+01:00", ends_at=f"{monday}T11:00:00+01:00"),
    )
    _, other = sign_up_family(api, email="occasionnel@example.fr", **RESOURCES)
    other_child = other.created("/api/v1/families/me/children", child_fields(first_name="Noé"))
    booked = other.post("/api/v1/bookings", json={"slot_id": slot["id"], "child_id": other_child["id"]})
    assert booked.json["status"] == "waitlisted"  # the slot's one place is Lou's, under contract


def test_absences_are_deducted_as_the_cnaf_rules_say(family, staff):
    _, family_api, child = family
    contract = family_api.created("/api/v1/contracts", contract_fields(child))
    staff.post(f"/api/v1/contracts/{contract['id']}/accept")
    monday = next_monday(FULL_MONTH)
    # ill from Monday to Thursday with a certificate: Monday to Wednesday are the waiting days
    ill = family_api.post(
        f"/api/v1/contracts/{contract['id']}/absences",
        json={
            "starts_on": monday.isoformat(),
            "ends_on": (monday + timedelta(days=3)).isoformat(),
            "reason": "illness_certificate",
        },
    )
    assert ill.status_code == 201, ill.json
    assert (ill.json["status"], ill.json["deducted_hours"]) == ("requested", "0")  # a request, until staff decide
    approved = staff.post(f"/api/v1/absences/{ill.json['id']}/approve", json={"proof_seen": True})
    assert approved.json["deducted_hours"] == "9"  # Thursday, 08:30-17:30
    overlapping = family_api.post(
        f"/api/v1/contracts/{contract['id']}/absences",
        json={"starts_on": monday.isoformat(), "ends_on": monday.isoformat(), "reason": "other"},
    )
    assert overlapping.status_code == 409
    hospital = staff.post(
        f"/api/v1/contracts/{contract['id']}/absences",
        json={
            "starts_on": (monday + timedelta(days=7)).isoformat(),
            "ends_on": (monday + timedelta(days=7)).isoformat(),
            "reason": "hospitalisation",
        },
    )
    assert hospital.json["deducted_hours"] == "9"
    statement = family_api.get(f"/api/v1/families/me/statements/{monday:%Y-%m}").json
    assert statement["contract_amount"] == "284.83"
    assert [(line["kind"], line["amount"]) for line in statement["lines"]] == [
        ("contract", "284.83"),
        ("deduction", "-18.58"),  # 9 h x 2.064 = 18.576
        ("deduction", "-18.58"),
    ]
    assert (statement["deductions"], statement["amount"]) == ("37.16", "247.67")


def test_a_family_ends_a_contract_with_the_notice_and_others_cannot_touch_it(family, api, staff):
    _, family_api, child = family
    tomorrow = venue_today() + timedelta(days=1)
    contract = family_api.created("/api/v1/contracts", contract_fields(child, starts_on=tomorrow.isoformat()))
    staff.post(f"/api/v1/contracts/{contract['id']}/accept")
    inside_the_notice = (venue_today() + timedelta(days=29)).isoformat()  # 30 days by default
    too_soon = family_api.post(f"/api/v1/contracts/{contract['id']}/end", json={"on": inside_the_notice})
    assert too_soon.status_code == 422 and "on" in too_soon.json["error"]["fields"]
    _, stranger = sign_up_family(api, email="autre@example.fr", **RESOURCES)
    assert stranger.get(f"/api/v1/contracts/{contract['id']}").status_code == 404
    assert stranger.post(f"/api/v1/contracts/{contract['id']}/end", json={"on": END.isoformat()}).status_code == 404
    absence = {"starts_on": tomorrow.isoformat(), "ends_on": tomorrow.isoformat(), "reason": "other"}
    assert stranger.post(f"/api/v1/contracts/{contract['id']}/absences", json=absence).status_code == 404
    after_the_notice = venue_today() + timedelta(days=30)
    ended = family_api.post(f"/api/v1/contracts/{contract['id']}/end", json={"on": after_the_notice.isoformat()})
    assert ended.status_code == 200, ended.json
    assert (ended.json["status"], ended.json["ended_on"]) == ("ended", after_the_notice.isoformat())
    # staff may end one at once (a family that left without notice)
    sister = family_api.created("/api/v1/families/me/children", child_fields(first_name="Mia"))
    again = family_api.created("/api/v1/contracts", contract_fields(sister, starts_on=tomorrow.isoformat()))
    assert staff.post(f"/api/v1/contracts/{again['id']}/accept").status_code == 200
    assert staff.post(f"/api/v1/contracts/{again['id']}/end", json={"on": tomorrow.isoformat()}).status_code == 200


def test_a_child_has_one_contract_at_a_time(family, staff):
    _, family_api, child = family
    first = family_api.created("/api/v1/contracts", contract_fields(child))
    assert staff.post(f"/api/v1/contracts/{first['id']}/accept").status_code == 200
    second = family_api.created("/api/v1/contracts", contract_fields(child, starts_on=FULL_MONTH.isoformat()))
    refused = staff.post(f"/api/v1/contracts/{second['id']}/accept")
    assert refused.status_code == 409
    assert "Lou a déjà un contrat" in refused.json["error"]["message"]


def test_staff_amend_the_pattern_from_a_date(family, staff):
    _, family_api, child = family
    contract = family_api.created("/api/v1/contracts", contract_fields(child))
    staff.post(f"/api/v1/contracts/{contract['id']}/accept")
    three_days = factories.weekly(range(3))  # 27 h a week
    amended = staff.post(
        f"/api/v1/contracts/{contract['id']}/amend",
        json={"from_on": FULL_MONTH.isoformat(), "weeks_per_year": 46, "pattern": three_days},
    )
    assert amended.status_code == 200, amended.json
    assert (amended.json["amends"], amended.json["hours_per_week"], amended.json["monthly_amount"]) == (
        contract["id"],
        "27",
        "213.62",  # 2.064 x 27 x 46 / 12 = 213.624
    )
    old = staff.get(f"/api/v1/contracts/{contract['id']}").json
    assert (old["status"], old["ended_on"]) == ("ended", (FULL_MONTH - timedelta(days=1)).isoformat())
    statement = family_api.get(f"/api/v1/families/me/statements/{FULL_MONTH:%Y-%m}").json
    assert statement["contract_amount"] == "213.62"


def test_a_pattern_outside_the_opening_hours_is_refused_in_french(family):
    _, family_api, child = family
    saturday = [{"weekday": 5, "start": "09:00", "end": "12:00"}]
    refused = family_api.post("/api/v1/contracts", json=contract_fields(child, pattern=saturday))
    assert refused.status_code == 422
    assert "samedi" in " ".join(refused.json["error"]["fields"]["pattern"])
    past = family_api.post("/api/v1/contracts", json=contract_fields(child, starts_on="2020-01-06"))
    assert past.status_code == 422 and "starts_on" in past.json["error"]["fields"]


def test_hours_beyond_the_contract_are_billed_as_extra_and_reported_to_the_caf(family, staff, monkeypatch):
    _, family_api, child = family
    contract = family_api.created("/api/v1/contracts", contract_fields(child))
    staff.post(f"/api/v1/contracts/{contract['id']}/accept")
    monday = next_monday(FULL_MONTH)
    set_clock(monkeypatch, 18, day=monday)
    arrived = staff.post(f"/api/v1/contracts/{contract['id']}/check-in", json={"at": at(8, 0, day=monday)})
    assert arrived.status_code == 200, arrived.json
    assert (
        staff.post(f"/api/v1/contracts/{contract['id']}/check-in", json={"at": at(8, 5, day=monday)}).status_code == 409
    )
    left = staff.post(
        f"/api/v1/contracts/{contract['id']}/check-out", json={"collected_by": GUARDIAN, "at": at(17, 40, day=monday)}
    )
    assert left.status_code == 200, left.json
    sunday = monday - timedelta(days=1)
    no_care = staff.post(f"/api/v1/contracts/{contract['id']}/check-in", json={"at": at(9, day=sunday)})
    assert no_care.status_code == 200  # a day without contract hours: all of it is extra

    statement = family_api.get(f"/api/v1/families/me/statements/{monday:%Y-%m}").json
    # 30 min before 08:30 and 10 min after 17:30, each started half-hour due: 1 h x 2.064
    kinds = [(line["kind"], line["hours_billed"], line["amount"]) for line in statement["lines"]]
    assert ("extra", "1", "2.06") in kinds
    assert statement["extra_hours"] == "1"

    report = staff.get(f"/api/v1/reports/cnaf/{monday.year}.csv")
    assert report.status_code == 200 and report.mimetype == "text/csv"
    text = report.get_data(as_text=True)
    assert text.startswith("\ufeffMois;Heures facturées (occasionnel)")
    [row] = [line for line in text.splitlines() if line.startswith(f"{monday:%Y-%m};")]
    assert row.split(";")[3] == "139"  # contract hours billed: 138 + 1 extra
    assert family_api.get(f"/api/v1/reports/cnaf/{monday.year}.csv").status_code == 403


def test_a_correction_of_resources_prices_the_contract_from_its_date(family, staff, monkeypatch):
    profile, family_api, child = family
    contract = family_api.created("/api/v1/contracts", contract_fields(child))
    staff.post(f"/api/v1/contracts/{contract['id']}/accept")
    middle = FULL_MONTH + timedelta(days=14)
    set_clock(monkeypatch, 12, day=middle)  # staff correct the file in the middle of the month
    corrected = staff.patch(f"/api/v1/families/{profile['id']}", json={"monthly_resources": "3000"})
    assert corrected.status_code == 200, corrected.json
    statement = family_api.get(f"/api/v1/families/me/statements/{FULL_MONTH:%Y-%m}").json
    contract_lines = [line for line in statement["lines"] if line["kind"] == "contract"]
    assert [line["hourly_rate"] for line in contract_lines] == ["2.064", "1.548"]  # 3,000 x 0.0516 %
    assert contract_lines[1]["starts_on"] == middle.isoformat()
    assert sum(float(line["hours_billed"]) for line in contract_lines) == pytest.approx(138)
    earlier = family_api.get(f"/api/v1/families/me/statements/{START:%Y-%m}").json
    assert {line["hourly_rate"] for line in earlier["lines"]} == {"2.064"}  # the month before keeps its rate


def test_a_slot_already_open_refuses_the_contract_day_it_cannot_take(family, api, staff):
    _, family_api, child = family
    monday = next_monday(START)
    room = staff.created("/api/v1/rooms", room_fields(name="Petite salle", kind="childcare", capacity=1))
    slot = staff.created(
        "/api/v1/childcare-slots",
        slot_fields(room["id"], starts_at=f"{monday}T09:00:00+01:00", ends_at=f"{monday}T11:00:00+01:00"),
    )
    _, other = sign_up_family(api, email="premiere@example.fr", **RESOURCES)
    other_child = other.created("/api/v1/families/me/children", child_fields(first_name="Noé"))
    assert (
        other.post("/api/v1/bookings", json={"slot_id": slot["id"], "child_id": other_child["id"]}).json["status"]
        == "confirmed"
    )
    contract = family_api.created("/api/v1/contracts", contract_fields(child))
    refused = staff.post(f"/api/v1/contracts/{contract['id']}/accept")
    assert refused.status_code == 409
    assert refused.json["error"]["fields"]["days"] == [monday.isoformat()]  # only the day of the full slot
