"""Months closed into invoices: the rules (domain/invoicing.py) and the entrypoints with
worker_factory (real SQLite, no broker). The worked example: a 36 h / 46 weeks contract (284.83 €
a month), March 2027 closed, then an illness recorded for March by staff: April's statement
carries the adjustment, March's invoice stays as it was."""

import json
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from nameko.testing.services import worker_factory

from services.bookings import models
from services.bookings.domain import invoicing, places
from services.bookings.service import BookingsService
from services.bookings.settings import VenueSettings
from shared import migrate, timeutil
from shared.errors import Conflict, Invalid, NotFound
from shared.unit_of_work import Work

FAMILY = {
    "email": "facture@example.fr",
    "monthly_resources": "4000",
    "dependent_children": 2,
    "guardians": [{"first_name": "Anne", "last_name": "Brun", "phone": "0601020304"}],
    "postal_address": "3 rue des Lilas\n75011 Paris",
}
PATTERN = [{"weekday": d, "start": "08:30", "end": "15:42"} for d in range(5)]  # 36 h a week
SETTINGS = VenueSettings(
    issuer_name="Crèche Cocoon'Age",
    issuer_address="1 place du Marché, 75011 Paris",
    issuer_siret="123 456 789 00012",
    invoice_due_days=15,
)


# --- the rules ---------------------------------------------------------------------------------------
class TestRules:
    def test_a_month_is_closed_from_its_first_day(self):
        assert not invoicing.month_begun("2027-04", date(2027, 3, 31))
        assert invoicing.month_begun("2027-04", date(2027, 4, 1))

    def test_the_due_date_is_the_setting_days_after_issue(self):
        assert invoicing.due_on(date(2027, 4, 1), 15) == date(2027, 4, 16)

    def test_a_siret_is_14_digits_spaces_allowed(self):
        assert invoicing.siret(" 123 456 789  00012 ") == "123 456 789 00012"
        assert invoicing.siret("") == ""
        with pytest.raises(ValueError, match="COCOON_ORGANISATION_SIRET"):
            invoicing.siret("1234567890001")

    def test_a_payment_above_zero_and_at_most_what_is_left(self):
        left = Decimal("100.00")
        assert invoicing.check_payment(Decimal("100.00"), left) == {}
        assert invoicing.check_payment(Decimal("0.01"), left) == {}
        assert "amount" in invoicing.check_payment(Decimal("100.01"), left)
        assert "amount" in invoicing.check_payment(Decimal("0"), left)
        assert "amount" in invoicing.check_payment(Decimal("1.005"), left)

    def test_an_invoice_is_paid_once_nothing_is_left_and_a_credited_one_owes_nothing(self):
        assert invoicing.status_after(Decimal("10.00"), Decimal("9.99"), False) == "issued"
        assert invoicing.status_after(Decimal("10.00"), Decimal("10.00"), False) == "paid"
        assert invoicing.balance(Decimal("10.00"), Decimal("4.00"), True) == Decimal("-4.00")
        assert invoicing.balance(Decimal("10.00"), Decimal("4.00"), False) == Decimal("6.00")

    def test_an_adjustment_is_the_recomputed_month_less_the_invoice_and_what_was_carried(self):
        frozen = {"amount": "100.00", "lines": [{"kind": "contract", "label": "Contrat", "amount": "100.00"}]}
        now = {
            "amount": "88.00",
            "lines": [
                {"kind": "contract", "label": "Contrat", "amount": "100.00"},
                {"kind": "deduction", "label": "Absence pour maladie du 3 au 5 mars", "amount": "-12.00"},
            ],
        }
        found = invoicing.adjustment("2027-03", now, frozen, None, Decimal("0.00"))
        assert found.amount == Decimal("-12.00")
        assert found.label == "Régularisation de mars 2027 : absence pour maladie du 3 au 5 mars (−12,00 €)"
        assert invoicing.adjustment("2027-03", now, frozen, None, Decimal("-12.00")) is None  # carried already
        credited = invoicing.adjustment("2027-03", now, frozen, "A-2027-000001", Decimal("0.00"))
        assert credited.amount == Decimal("88.00") and "après l'avoir A-2027-000001" in credited.label

    def test_a_frozen_months_own_amount_leaves_out_what_it_carried_for_earlier_months(self):
        frozen = {
            "amount": "88.00",
            "lines": [
                {"kind": "contract", "label": "Contrat", "amount": "100.00"},
                {"kind": "adjustment", "corrects_month": "2027-02", "label": "Régularisation", "amount": "-12.00"},
            ],
        }
        assert invoicing.own_amount(frozen) == Decimal("100.00")
        assert invoicing.carried_for(frozen, "2027-02") == Decimal("-12.00")
        assert invoicing.carried_for(frozen, "2027-01") == Decimal("0.00")


# --- the entrypoints ---------------------------------------------------------------------------------
@pytest.fixture
def service(tmp_path, monkeypatch):
    migrate.migrate("bookings", f"sqlite:///{tmp_path / 'bookings.db'}")
    models.database.connect()
    yield worker_factory(
        BookingsService, uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"), settings=SETTINGS
    )
    models.database.close()


def today_is(monkeypatch, day):
    now = datetime(day.year, day.month, day.day, 10, tzinfo=timezone.utc)
    monkeypatch.setattr(timeutil, "now_utc", lambda: now)


def contract(service, email=FAMILY["email"]):
    family = service.register_family(dict(FAMILY, email=email))
    child = service.add_child(family["id"], {"first_name": "Lou", "birth_date": "2026-06-01"})
    asked = service.request_contract(
        {
            "child_id": child["id"],
            "starts_on": "2027-01-04",
            "ends_on": "2027-12-31",
            "weeks_per_year": 46,
            "pattern": PATTERN,
        },
        family["id"],
    )
    return family, service.accept_contract(asked["id"])


def events(kind):
    return [json.loads(r.body)["payload"] for r in models.Outbox.select() if r.event_type == kind]


def test_closing_a_month_issues_one_numbered_invoice_per_family_with_its_legal_mentions(service, monkeypatch):
    first, _ = contract(service)
    second, _ = contract(service, "autre@example.fr")
    today_is(monkeypatch, date(2027, 4, 1))
    closed = service.close_month("2027-03", {}, "staff-1")
    assert [i["number"] for i in closed["invoices"]] == ["F-2027-000001", "F-2027-000002"]
    assert closed["total"] == "569.66"
    invoice = next(i for i in closed["invoices"] if i["family_id"] == first["id"])
    assert invoice["total"] == "284.83" and invoice["balance"] == "284.83" and invoice["status"] == "issued"
    assert invoice["issued_on"] == "2027-04-01" and invoice["due_on"] == "2027-04-16"
    assert invoice["issuer"] == {
        "name": "Crèche Cocoon'Age",
        "address": "1 place du Marché, 75011 Paris",
        "siret": "123 456 789 00012",
        "email": "",
    }
    assert invoice["customer"]["name"] == "Anne Brun" and invoice["customer"]["address"] == FAMILY["postal_address"]
    assert invoice["statement"]["lines"][0]["kind"] == "contract"
    assert len(events("bookings.invoice_issued")) == 2
    [told] = events("bookings.month_closed")
    assert told["invoices"] == 2 and told["forced"] is False
    # the month's hours as the CNAF report counts them, and the hours x places offered (insights' rates)
    march = service.cnaf_report(2027)["months"][2]
    assert Decimal(told["hours_billed"]) == Decimal(march["hours_billed"]) > 0
    assert Decimal(told["hours_attended"]) == Decimal(march["hours_attended"])
    assert Decimal(told["place_hours"]) == places.place_hours(
        date(2027, 3, 1), date(2027, 4, 1), service.settings.opening
    )


def test_a_month_is_closed_once_and_not_before_it_begins(service, monkeypatch):
    contract(service)
    today_is(monkeypatch, date(2027, 4, 1))
    with pytest.raises(Invalid, match="n'a pas commencé"):
        service.close_month("2027-05", {})
    service.close_month("2027-03", {})
    with pytest.raises(Conflict, match="déjà clos"):
        service.close_month("2027-03", {"force": True})


def test_the_worked_example_an_absence_recorded_after_closing_becomes_next_months_adjustment(service, monkeypatch):
    family, signed = contract(service)
    today_is(monkeypatch, date(2027, 4, 1))
    [march] = service.close_month("2027-03", {}, "staff-1")["invoices"]
    frozen = service.get_invoice(march["id"])
    # staff record an illness with its certificate for 8 to 12 March: 2 days deducted after the waiting period
    service.record_absence(
        signed["id"], {"starts_on": "2027-03-08", "ends_on": "2027-03-12", "reason": "illness_certificate"}
    )
    assert service.get_invoice(march["id"]) == frozen  # the closed invoice is as it was
    assert service.monthly_statement(family["id"], "2027-03") == frozen["statement"]
    april = service.monthly_statement(family["id"], "2027-04")
    [adjustment] = [line for line in april["lines"] if line["kind"] == "adjustment"]
    assert adjustment["corrects_month"] == "2027-03"
    assert adjustment["amount"] == "-29.72"  # 2 days x 7.2 h x 2.064 €/h
    assert adjustment["label"].startswith("Régularisation de mars 2027 : absence pour maladie")
    assert april["amount"] == "255.11" and april["adjustments"] == "-29.72"
    # closing April freezes the adjustment: May carries nothing more for March
    today_is(monkeypatch, date(2027, 5, 1))
    [invoice] = service.close_month("2027-04", {})["invoices"]
    assert invoice["total"] == "255.11"
    assert [line["kind"] for line in service.monthly_statement(family["id"], "2027-05")["lines"]] == ["contract"]


def test_a_credit_note_cancels_the_invoice_and_the_month_comes_back_on_the_next_one(service, monkeypatch):
    family, _ = contract(service)
    today_is(monkeypatch, date(2027, 4, 1))
    [march] = service.close_month("2027-03", {})["invoices"]
    credited = service.issue_credit_note(march["id"], {"reason": "Erreur d'adresse"}, "staff-1")
    assert credited["credit_note_number"] == "A-2027-000001" and credited["status"] == "credited"
    assert credited["balance"] == "0.00" and credited["number"] == march["number"]
    with pytest.raises(Conflict, match="déjà annulée"):
        service.issue_credit_note(march["id"], {"reason": "Encore"})
    [again] = [
        line for line in service.monthly_statement(family["id"], "2027-04")["lines"] if line["kind"] == "adjustment"
    ]
    assert again["amount"] == "284.83" and "A-2027-000001" in again["label"]
    assert events("bookings.credit_note_issued")[0]["credit_note_number"] == "A-2027-000001"


def test_payments_bring_the_balance_down_a_rejected_one_brings_it_back(service, monkeypatch):
    family, _ = contract(service)
    today_is(monkeypatch, date(2027, 4, 1))
    [march] = service.close_month("2027-03", {})["invoices"]
    with pytest.raises(Invalid) as refused:
        service.record_payment(march["id"], {"amount": "284.84", "paid_on": "2027-04-05", "method": "transfer"})
    assert "dépasse" in refused.value.fields["amount"][0]
    part = service.record_payment(march["id"], {"amount": "84.83", "paid_on": "2027-04-05", "method": "cheque"}, "s")
    assert part["paid"] == "84.83" and part["balance"] == "200.00" and part["status"] == "issued"
    assert service.balances()["items"][0]["balance"] == "200.00"
    paid = service.record_payment(march["id"], {"amount": "200", "paid_on": "2027-04-06", "method": "sepa_debit"})
    assert paid["status"] == "paid" and paid["balance"] == "0.00"
    assert service.balances()["items"] == []
    debit = paid["payments"][1]
    unpaid = service.reject_payment(debit["id"], {"reason": "Prélèvement rejeté"}, "staff-1")
    assert unpaid["status"] == "issued" and unpaid["balance"] == "200.00"
    assert [p["status"] for p in unpaid["payments"]] == ["recorded", "rejected"]
    with pytest.raises(Conflict):
        service.reject_payment(debit["id"], {"reason": "Encore"})
    mine = service.family_invoices(family["id"])
    assert mine["balance"] == "200.00" and [i["number"] for i in mine["invoices"]] == ["F-2027-000001"]
    assert len(events("bookings.payment_recorded")) == 2


def test_a_family_sees_only_its_own_invoices(service, monkeypatch):
    contract(service)
    other, _ = contract(service, "autre@example.fr")
    today_is(monkeypatch, date(2027, 4, 1))
    invoices = service.close_month("2027-03", {})["invoices"]
    mine = next(i for i in invoices if i["family_id"] != other["id"])
    with pytest.raises(NotFound):
        service.get_invoice(mine["id"], other["id"])
    assert [i["month"] for i in service.list_invoices({"month": "2027-03"})["items"]] == ["2027-03", "2027-03"]


def test_the_postal_address_is_corrected_by_staff_and_kept_in_the_history(service):
    family = service.register_family(FAMILY)
    corrected = service.correct_family(family["id"], {"postal_address": "8 rue Neuve\n69001 Lyon"}, "staff-1")
    assert corrected["postal_address"] == "8 rue Neuve\n69001 Lyon"
    [change] = service.list_family_history(family["id"], {})["items"]
    assert change["field"] == "postal_address"
