"""Invoices through the gateway on the real broker: staff close a month, a family reads its own
invoice (and no other's) and the same PDF bytes every time, staff record a payment and a credit
note; an absence recorded after closing comes back as the next month's adjustment line."""

from datetime import timedelta

from tests.dates import set_clock
from tests.factories import child_fields, sign_up_family
from tests.integration.bookings.test_closures_api import END, FULL_MONTH, RESOURCES, START

MONTH = f"{START:%Y-%m}"


def signed_contract(api, staff):
    profile, family_api = sign_up_family(api, **RESOURCES)
    child = family_api.created("/api/v1/families/me/children", child_fields(first_name="Lou"))
    asked = family_api.created(
        "/api/v1/contracts",
        {
            "child_id": child["id"],
            "starts_on": START.isoformat(),
            "ends_on": END.isoformat(),
            "weeks_per_year": 46,
            "pattern": [{"weekday": d, "start": "08:30", "end": "15:42"} for d in range(5)],
        },
    )
    assert staff.post(f"/api/v1/contracts/{asked['id']}/accept").status_code == 200
    return profile, family_api, asked


def test_a_closed_month_gives_each_family_its_numbered_invoice_its_pdf_payments_and_credit_note(
    api, staff, monkeypatch
):
    profile, family_api, _ = signed_contract(api, staff)
    _, other_api, _ = signed_contract(api, staff)
    set_clock(monkeypatch, 9, day=FULL_MONTH + timedelta(days=1))
    closed = staff.post(f"/api/v1/billing/{MONTH}/close")
    assert closed.status_code == 200, closed.json
    assert [i["number"][:7] for i in closed.json["invoices"]] == [f"F-{FULL_MONTH.year}-"] * 2
    assert staff.post(f"/api/v1/billing/{MONTH}/close", json={"force": True}).status_code == 409
    mine = next(i for i in closed.json["invoices"] if i["family_id"] == profile["id"])
    assert family_api.get(f"/api/v1/invoices/{mine['id']}").json["number"] == mine["number"]
    assert other_api.get(f"/api/v1/invoices/{mine['id']}").status_code == 404
    first, second = (family_api.get(f"/api/v1/invoices/{mine['id']}.pdf") for _ in range(2))
    assert first.status_code == 200 and first.mimetype == "application/pdf" and first.data == second.data
    too_much = staff.post(
        f"/api/v1/invoices/{mine['id']}/payments",
        json={"amount": "9999", "paid_on": FULL_MONTH.isoformat(), "method": "transfer"},
    )
    assert too_much.status_code == 422
    paid = staff.post(
        f"/api/v1/invoices/{mine['id']}/payments",
        json={"amount": "10.00", "paid_on": FULL_MONTH.isoformat(), "method": "card"},
    )
    assert paid.status_code == 201 and paid.json["paid"] == "10.00"
    assert family_api.get("/api/v1/families/me/invoices").json["balance"] == f"{float(mine['total']) - 10:.2f}"
    credited = staff.post(f"/api/v1/invoices/{mine['id']}/credit-note", json={"reason": "Erreur de tarif"})
    assert credited.status_code == 201 and credited.json["credit_note_number"].startswith("A-")
    assert family_api.get(f"/api/v1/invoices/{mine['id']}/credit-note.pdf").status_code == 200
    assert family_api.post(f"/api/v1/invoices/{mine['id']}/credit-note", json={"reason": "Moi"}).status_code == 403


def test_an_absence_recorded_after_closing_is_the_next_months_adjustment(api, staff, monkeypatch):
    _, family_api, contract = signed_contract(api, staff)
    set_clock(monkeypatch, 9, day=FULL_MONTH + timedelta(days=1))
    [invoice] = staff.post(f"/api/v1/billing/{MONTH}/close").json["invoices"]
    pdf = family_api.get(f"/api/v1/invoices/{invoice['id']}.pdf").data
    first_monday = START + timedelta(days=(7 - START.weekday()) % 7)
    illness = {
        "starts_on": first_monday.isoformat(),
        "ends_on": (first_monday + timedelta(days=4)).isoformat(),
        "reason": "illness_certificate",
    }
    assert staff.post(f"/api/v1/contracts/{contract['id']}/absences", json=illness).status_code == 201
    assert family_api.get(f"/api/v1/invoices/{invoice['id']}.pdf").data == pdf  # the closed invoice is unchanged
    statement = family_api.get(f"/api/v1/families/me/statements/{FULL_MONTH:%Y-%m}").json
    [adjustment] = [line for line in statement["lines"] if line["kind"] == "adjustment"]
    assert adjustment["corrects_month"] == MONTH and adjustment["amount"].startswith("-")
    assert adjustment["label"].startswith("Régularisation de ")


def test_a_planned_closure_a_family_tried_to_declare_leaves_the_month_invoiced_at_its_contract_amount(
    api, staff, monkeypatch
):
    """The worked example: 36 h a week (5 × 7 h 12), 46 weeks, 2.064 €/h, a planned closure of two
    weeks in the month; the family's «fermeture» over it is refused; the invoice is the monthly
    amount, 284.83 €, with nothing deducted (the closure is already outside the 46 weeks)."""
    _, family_api, contract = signed_contract(api, staff)
    first, last = FULL_MONTH + timedelta(days=7), FULL_MONTH + timedelta(days=20)
    staff.created(
        "/api/v1/closures",
        {"starts_on": first.isoformat(), "ends_on": last.isoformat(), "label": "Fermeture d'été", "planned": True},
    )
    refused = family_api.post(
        f"/api/v1/contracts/{contract['id']}/absences",
        json={"starts_on": first.isoformat(), "ends_on": last.isoformat(), "reason": "closure"},
    )
    assert refused.status_code == 422
    set_clock(monkeypatch, 9, day=(FULL_MONTH + timedelta(days=32)).replace(day=1))
    closed = staff.post(f"/api/v1/billing/{FULL_MONTH:%Y-%m}/close", json={"force": True})
    assert closed.status_code == 200, closed.json
    [invoice] = [i for i in closed.json["invoices"] if i["family_id"] == contract["family_id"]]
    assert (invoice["total"], invoice["balance"], invoice["status"]) == ("284.83", "284.83", "issued")
