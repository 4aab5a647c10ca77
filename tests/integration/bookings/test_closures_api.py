"""The venue's closures through the gateway on the real broker: staff declare them, everyone signed
in lists them, a family may not declare the closure as its absence, and the month with a planned
closure stays billed its contract hours."""

from datetime import timedelta

from tests import factories
from tests.dates import today as venue_today
from tests.factories import child_fields, sign_up_family

RESOURCES = {"monthly_resources": "4000", "dependent_children": 2}  # 2.064 €/h


def first_of_month(months_ahead):
    day = venue_today().replace(day=1)
    for _ in range(months_ahead):
        day = (day + timedelta(days=32)).replace(day=1)
    return day


START, FULL_MONTH, END = first_of_month(1), first_of_month(2), first_of_month(7) - timedelta(days=1)


def closure(first, last, label="Fermeture annuelle", planned=True):
    return {"starts_on": first.isoformat(), "ends_on": last.isoformat(), "label": label, "planned": planned}


def test_staff_declare_closures_and_a_signed_in_family_lists_them_a_page_at_a_time(api, staff):
    _, family_api = sign_up_family(api, **RESOURCES)
    second = staff.created(
        "/api/v1/closures", closure(FULL_MONTH + timedelta(days=20), FULL_MONTH + timedelta(days=22))
    )
    first = staff.created("/api/v1/closures", closure(FULL_MONTH, FULL_MONTH + timedelta(days=1), "Pont"))
    assert second["planned"] is True and "id" in second
    page = family_api.get("/api/v1/closures?limit=1")
    assert page.status_code == 200 and [c["id"] for c in page.json] == [first["id"]]
    rest = family_api.get(f"/api/v1/closures?limit=1&cursor={page.headers['X-Next-Cursor']}")
    assert [c["id"] for c in rest.json] == [second["id"]]
    assert family_api.post("/api/v1/closures", json=closure(END, END)).status_code == 403
    overlap = staff.post(
        "/api/v1/closures", json=closure(FULL_MONTH + timedelta(days=1), FULL_MONTH + timedelta(days=3))
    )
    assert overlap.status_code == 409 and "Pont" in overlap.json["error"]["message"]
    backwards = staff.post("/api/v1/closures", json=closure(END, END - timedelta(days=1)))
    assert backwards.status_code == 422 and "ends_on" in backwards.json["error"]["fields"]


def test_a_family_cannot_declare_a_planned_closure_and_its_month_stays_billed(api, staff):
    _, family_api = sign_up_family(api, **RESOURCES)
    child = family_api.created("/api/v1/families/me/children", child_fields(first_name="Lou"))
    contract = family_api.created("/api/v1/contracts", factories.contract_fields(child["id"], START, END))
    assert staff.post(f"/api/v1/contracts/{contract['id']}/accept").status_code == 200
    first, last = FULL_MONTH + timedelta(days=7), FULL_MONTH + timedelta(days=20)
    staff.created("/api/v1/closures", closure(first, last))
    refused = family_api.post(
        f"/api/v1/contracts/{contract['id']}/absences",
        json={"starts_on": first.isoformat(), "ends_on": last.isoformat(), "reason": "closure"},
    )
    assert refused.status_code == 422
    assert refused.json["error"]["fields"]["reason"][0].startswith(
        "La fermeture de la crèche est déclarée par l'équipe"
    )
    statement = family_api.get(f"/api/v1/families/me/statements/{FULL_MONTH:%Y-%m}").json
    assert (statement["amount"], statement["deductions"]) == ("284.83", "0.00")
