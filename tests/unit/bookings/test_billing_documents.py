"""The documents drawn from invoices and payments, through the service with worker_factory (real
SQLite, no broker): a closed month's SEPA file (invoicing/sepa_file.py, validated against the
pain.008 XSD) and a family's tax certificate (invoicing/tax_certificates.py). The month: a 36 h /
46 weeks contract, 284.83 € a month, March 2027 closed on 1 April (due 16 April)."""

from datetime import date, datetime, timezone
from pathlib import Path
from xml.etree import ElementTree

import pytest
import xmlschema
from nameko.testing.services import worker_factory

from services.bookings import models
from services.bookings.domain import mandates
from services.bookings.service import BookingsService
from services.bookings.settings import VenueSettings
from shared import migrate, timeutil
from shared.errors import Conflict, Invalid
from shared.unit_of_work import Work

XSD = Path(__file__).resolve().parents[2] / "data" / "sepa" / "pain.008.001.02.xsd"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}
FAMILY = {
    "email": "prelevement@example.fr",
    "monthly_resources": "4000",
    "dependent_children": 2,
    "guardians": [{"first_name": "Anne", "last_name": "Brun", "phone": "0601020304"}],
    "postal_address": "3 rue des Lilas\n75011 Paris",
}
PATTERN = [{"weekday": d, "start": "08:30", "end": "15:42"} for d in range(5)]  # 36 h a week
MANDATE = {"iban": "FR76 3000 6000 0112 3456 7890 189", "holder": "Anne Brun", "signed_on": "2026-01-02"}


@pytest.fixture
def service(tmp_path):
    migrate.migrate("bookings", f"sqlite:///{tmp_path / 'bookings.db'}")
    models.database.connect()
    yield worker_factory(
        BookingsService,
        uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"),
        settings=VenueSettings(invoice_due_days=15),
    )
    models.database.close()


def today_is(monkeypatch, day):
    now = datetime(day.year, day.month, day.day, 10, tzinfo=timezone.utc)
    monkeypatch.setattr(timeutil, "now_utc", lambda: now)


def family_with_contract(service, email=FAMILY["email"], first_name="Lou", born="2026-06-01"):
    family = service.register_family(dict(FAMILY, email=email))
    child = contract_child(service, family, first_name, born)
    return family, child


def contract_child(service, family, first_name, born, pattern=PATTERN):
    child = service.add_child(family["id"], {"first_name": first_name, "birth_date": born})
    asked = service.request_contract(
        {"child_id": child["id"], "starts_on": "2027-01-04", "ends_on": "2027-12-31", "weeks_per_year": 46}
        | {"pattern": pattern},
        family["id"],
    )
    service.accept_contract(asked["id"])
    return child


def pay(service, invoice, amount, paid_on, method="sepa_debit"):
    return service.record_payment(invoice["id"], {"amount": amount, "paid_on": paid_on, "method": method})


def transactions(xml):
    """[(end-to-end id, amount, sequence type)] of a pain.008 file, once it is valid against the XSD."""
    xmlschema.XMLSchema(str(XSD)).validate(xml)
    root = ElementTree.fromstring(xml.encode())
    found = []
    for block in root.iterfind(".//p:PmtInf", NS):
        sequence = block.findtext(".//p:SeqTp", namespaces=NS)
        for tx in block.iterfind("p:DrctDbtTxInf", NS):
            found.append((tx.findtext(".//p:EndToEndId", namespaces=NS), tx.findtext("p:InstdAmt", namespaces=NS)))
            found[-1] += (sequence,)
    return found


# --- the SEPA file ---------------------------------------------------------------------------------
class TestSepaFile:
    def test_an_open_month_has_no_file_yet(self, service, monkeypatch):
        family, _ = family_with_contract(service)
        service.sign_mandate(family["id"], MANDATE)
        today_is(monkeypatch, date(2027, 4, 1))
        with pytest.raises(Conflict, match="n'est pas clos"):
            service.sepa_file("2027-03")

    def test_a_closed_months_invoice_is_debited_its_balance_first_then_recurrent(self, service, monkeypatch):
        family, _ = family_with_contract(service)
        service.sign_mandate(family["id"], MANDATE)
        family_with_contract(service, "sans-mandat@example.fr")
        today_is(monkeypatch, date(2027, 4, 1))
        invoices = service.close_month("2027-03", {})["invoices"]
        march = next(i for i in invoices if i["family_id"] == family["id"])
        found = service.sepa_file("2027-03")
        assert found["filename"] == "prelevements-2027-03.xml" and found["collection_date"] == "2027-04-16"
        assert (found["debits"], found["first"], found["recurrent"], found["without_mandate"]) == (1, 1, 0, 1)
        assert found["total"] == "284.83"
        assert transactions(found["xml"]) == [(march["number"], "284.83", "FRST")]
        pay(service, march, "84.83", "2027-04-16")  # collected in part: what is left is debited, now RCUR
        again = service.sepa_file("2027-03", "2027-04-20")
        assert transactions(again["xml"]) == [(march["number"], "200.00", "RCUR")]
        assert again["collection_date"] == "2027-04-20"

    def test_a_rejected_debit_leaves_the_next_one_first(self, service, monkeypatch):
        family, _ = family_with_contract(service)
        service.sign_mandate(family["id"], MANDATE)
        today_is(monkeypatch, date(2027, 4, 1))
        [march] = service.close_month("2027-03", {})["invoices"]
        paid = pay(service, march, "284.83", "2027-04-16")
        with pytest.raises(Conflict, match="Aucune facture de mars 2027 ne peut être prélevée"):
            service.sepa_file("2027-03")  # nothing left to pay
        service.reject_payment(paid["payments"][0]["id"], {"reason": "Compte soldé"})
        assert transactions(service.sepa_file("2027-03")["xml"]) == [(march["number"], "284.83", "FRST")]

    def test_a_month_of_families_without_a_mandate_has_nothing_to_debit(self, service, monkeypatch):
        family_with_contract(service)
        today_is(monkeypatch, date(2027, 4, 1))
        service.close_month("2027-03", {})
        with pytest.raises(Conflict, match="mandat de prélèvement SEPA"):
            service.sepa_file("2027-03")

    def test_the_collection_date_asked_is_tomorrow_at_the_earliest(self, service, monkeypatch):
        family, _ = family_with_contract(service)
        service.sign_mandate(family["id"], MANDATE)
        today_is(monkeypatch, date(2027, 4, 1))
        service.close_month("2027-03", {})
        with pytest.raises(Invalid) as refused:
            service.sepa_file("2027-03", "2027-04-01")
        assert refused.value.fields == {"collection_date": [mandates.NOT_BEFORE_TOMORROW]}
        assert service.sepa_file("2027-03", "2027-04-02")["collection_date"] == "2027-04-02"
        with pytest.raises(Invalid) as not_a_date:
            service.sepa_file("2027-03", "demain")
        assert not_a_date.value.fields == {"collection_date": ["Date attendue au format AAAA-MM-JJ, ex. 2026-04-16."]}
        today_is(monkeypatch, date(2027, 4, 20))  # the due date is past: tomorrow
        assert service.sepa_file("2027-03")["collection_date"] == "2027-04-21"


class TestSepaRules:
    def test_debits_collected_under_a_mandate_are_those_paid_from_its_signature(self):
        signed = date(2027, 2, 1)
        assert mandates.collected_under(signed, [date(2027, 1, 31)]) == 0
        assert mandates.collected_under(signed, [date(2027, 1, 31), date(2027, 2, 1), date(2027, 3, 1)]) == 2

    def test_the_collection_date_is_the_due_date_or_tomorrow(self):
        today = date(2027, 4, 1)
        assert mandates.collection_date(date(2027, 4, 16), None, today) == (date(2027, 4, 16), {})
        assert mandates.collection_date(date(2027, 3, 1), None, today) == (date(2027, 4, 2), {})
        assert mandates.collection_date(date(2027, 4, 16), date(2027, 4, 2), today) == (date(2027, 4, 2), {})
        assert mandates.collection_date(date(2027, 4, 16), today, today)[1] == {
            "collection_date": [mandates.NOT_BEFORE_TOMORROW]
        }


# --- the tax certificate --------------------------------------------------------------------------
class TestTaxCertificate:
    def test_it_sums_payments_not_invoices_without_the_rejected_ones(self, service, monkeypatch):
        family, lou = family_with_contract(service)
        today_is(monkeypatch, date(2027, 4, 1))
        [march] = service.close_month("2027-03", {})["invoices"]
        today_is(monkeypatch, date(2027, 5, 1))
        service.close_month("2027-04", {})  # April invoiced, never paid: counts 0
        pay(service, march, "100.00", "2027-04-05", "transfer")
        bounced = pay(service, march, "50.00", "2027-04-06", "cheque")
        service.reject_payment(bounced["payments"][1]["id"], {"reason": "Chèque sans provision"})
        today_is(monkeypatch, date(2028, 1, 10))
        found = service.tax_certificate(family["id"], 2027)
        assert found["complete"] is True and found["paid_until"] == "2027-12-31"
        assert found["family"] == {"name": "Anne Brun", "address": FAMILY["postal_address"]}
        assert found["children"] == [
            {"child_id": lou["id"], "first_name": "Lou", "birth_date": "2026-06-01", "paid": "100.00"}
        ]
        assert found["total"] == "100.00" and found["unattributed"] == "0.00"
        assert service.tax_certificate(family["id"], 2026)["total"] == "0.00"  # before any payment

    def test_a_payment_is_split_between_children_and_a_child_of_six_is_left_out(self, service, monkeypatch):
        family, lou = family_with_contract(service)
        mornings = [{"weekday": d, "start": "08:30", "end": "12:06"} for d in range(5)]  # 18 h a week
        contract_child(service, family, "Max", "2020-03-01", mornings)  # six before 1 January 2027
        today_is(monkeypatch, date(2027, 4, 1))
        [march] = service.close_month("2027-03", {})["invoices"]
        pay(service, march, march["total"], "2027-04-01", "card")
        found = service.tax_certificate(family["id"], 2027)
        assert [c["first_name"] for c in found["children"]] == ["Lou"]
        lou_share = sum(float(line["amount"]) for line in march["lines"] if line["child_first_name"] == "Lou")
        assert found["children"][0]["paid"] == f"{lou_share:.2f}" != march["total"]
        assert found["children"][0]["child_id"] == lou["id"]

    def test_the_current_year_is_counted_to_today_and_a_year_not_begun_is_refused(self, service, monkeypatch):
        family, _ = family_with_contract(service)
        today_is(monkeypatch, date(2027, 4, 1))
        [march] = service.close_month("2027-03", {})["invoices"]
        today_is(monkeypatch, date(2027, 4, 20))
        pay(service, march, "10.00", "2027-04-20", "cash")
        found = service.tax_certificate(family["id"], 2027)
        assert found["complete"] is False and found["paid_until"] == "2027-04-20" and found["total"] == "10.00"
        with pytest.raises(Invalid, match="L'année 2028 n'a pas commencé"):
            service.tax_certificate(family["id"], 2028)
