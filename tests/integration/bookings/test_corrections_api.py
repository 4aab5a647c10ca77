"""Corrections through the gateway on the real broker: a check-in tapped at 07:00 instead of 08:25
bills an extra hour and a half; staff correct it with a reason and the month's statement follows,
the history keeps who, when, before and after; a family may not correct; a correction of the
family's resources from an earlier day reprices the months since."""

from datetime import timedelta

import pytest

from tests import factories
from tests.dates import at, set_clock
from tests.dates import today as venue_today
from tests.factories import GUARDIAN, child_fields, sign_up_family

RESOURCES = {"monthly_resources": "4000", "dependent_children": 2}  # 2.064 €/h


def first_of_month(months_ahead):
    day = venue_today().replace(day=1)
    for _ in range(months_ahead):
        day = (day + timedelta(days=32)).replace(day=1)
    return day


START, FULL_MONTH, END = first_of_month(1), first_of_month(2), first_of_month(7) - timedelta(days=1)


@pytest.fixture
def contract(api, staff):
    """(profile, the API as the family, the accepted contract: Monday to Thursday 08:30-17:30)."""
    profile, family_api = sign_up_family(api, **RESOURCES)
    child = family_api.created("/api/v1/families/me/children", child_fields(first_name="Lou"))
    asked = family_api.created("/api/v1/contracts", factories.contract_fields(child["id"], START, END))
    assert staff.post(f"/api/v1/contracts/{asked['id']}/accept").status_code == 200
    return profile, family_api, asked


def test_a_corrected_check_in_changes_the_statement_and_is_kept_in_the_history(contract, staff, monkeypatch):
    profile, family_api, signed = contract
    monday = FULL_MONTH + timedelta(days=(7 - FULL_MONTH.weekday()) % 7)
    set_clock(monkeypatch, 18, day=monday)
    path = f"/api/v1/contracts/{signed['id']}"
    assert staff.post(f"{path}/check-in", json={"at": at(7, 0, day=monday)}).status_code == 200
    assert (
        staff.post(f"{path}/check-out", json={"collected_by": GUARDIAN, "at": at(17, 30, day=monday)}).status_code
        == 200
    )
    statement = family_api.get(f"/api/v1/families/me/statements/{monday:%Y-%m}").json
    assert (statement["extra_hours"], statement["amount"]) == ("1.5", "287.93")  # 138 h + 1.5 h at 2.064 €/h

    no_reason = staff.patch(f"{path}/attendance/{monday.isoformat()}", json={"arrived_at": at(8, 25, day=monday)})
    assert no_reason.status_code == 422
    assert no_reason.json["error"]["fields"]["reason"] == ["Indiquez le motif de la correction."]
    by_family = family_api.patch(
        f"{path}/attendance/{monday.isoformat()}", json={"arrived_at": at(8, 25, day=monday), "reason": "Erreur"}
    )
    assert by_family.status_code == 403

    corrected = staff.patch(
        f"{path}/attendance/{monday.isoformat()}",
        json={"arrived_at": at(8, 25, day=monday), "left_at": at(17, 30, day=monday), "reason": "Tap trop tôt"},
    )
    assert corrected.status_code == 200, corrected.json
    [kept] = corrected.json["corrections"]
    assert kept["arrived_before"] == at(7, 0, day=monday) and kept["arrived_at"] == at(8, 25, day=monday)
    assert kept["reason"] == "Tap trop tôt" and kept["corrected_by"]
    statement = family_api.get(f"/api/v1/families/me/statements/{monday:%Y-%m}").json
    assert (statement["extra_hours"], statement["amount"]) == ("0.5", "285.86")  # 5 minutes before: half an hour
    history = staff.get(f"{path}/attendance/{monday.isoformat()}").json
    assert history["corrections"] == corrected.json["corrections"]
    report = staff.get(f"/api/v1/reports/cnaf/{monday.year}.csv").get_data(as_text=True)
    assert report.splitlines()[0].endswith(";Taux de facturation (%)")


def test_new_resources_from_the_first_of_an_earlier_month_reprice_it(contract, staff, monkeypatch):
    profile, family_api, _signed = contract
    set_clock(monkeypatch, 12, day=FULL_MONTH + timedelta(days=40))
    corrected = staff.patch(
        f"/api/v1/families/{profile['id']}", json={"monthly_resources": "3000", "effective_on": FULL_MONTH.isoformat()}
    )
    assert corrected.status_code == 200, corrected.json
    statement = family_api.get(f"/api/v1/families/me/statements/{FULL_MONTH:%Y-%m}").json
    assert statement["amount"] == "213.62"  # 138 h x 3,000 € x 0.0516 %
    before = family_api.get(f"/api/v1/families/me/statements/{START:%Y-%m}").json
    assert {line["hourly_rate"] for line in before["lines"]} == {"2.064"}  # the month before keeps its rate
    later = staff.patch(
        f"/api/v1/families/{profile['id']}",
        json={"monthly_resources": "3100", "effective_on": (FULL_MONTH + timedelta(days=41)).isoformat()},
    )
    assert later.status_code == 422 and "effective_on" in later.json["error"]["fields"]


def test_the_quote_of_unknown_resources_is_the_emergency_rate_marked(client, bookings):
    quote = client.get("/api/v1/fees/quote?dependent_children=2&resources_known=false&on=2026-03-10")
    assert quote.status_code == 200, quote.json
    assert (quote.json["hourly_rate"], quote.json["emergency"]) == ("0.42034392", "floor")  # 814.62 x 0.0516 %
    assert quote.json["emergency_label"] == "Tarif d'urgence : ressources inconnues"
    missing = client.get("/api/v1/fees/quote?dependent_children=2")
    assert missing.status_code == 422 and "monthly_resources" in missing.json["error"]["fields"]
