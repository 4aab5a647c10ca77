"""The invoices' documents through the gateway on the real broker and PostgreSQL: a closed month's
SEPA file (valid against the pain.008 XSD, the invoice's amount, FRST for the mandate's first debit,
RCUR once one was collected) and the family's tax certificate (sums paid, not invoiced: an unpaid
invoice and a rejected payment count 0; a child six or older on 1 January is not on it)."""

from datetime import timedelta
from pathlib import Path
from xml.etree import ElementTree

import xmlschema

from tests.dates import set_clock
from tests.dates import today as venue_today
from tests.integration.bookings.test_closures_api import FULL_MONTH, START
from tests.integration.bookings.test_invoices_api import signed_contract
from tests.pdf import pdf_text

XSD = Path(__file__).resolve().parents[2] / "data" / "sepa" / "pain.008.001.02.xsd"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}
IBAN = "FR76 3000 6000 0112 3456 7890 189"


def debits(xml):
    """[(end-to-end id, amount, sequence type)] of a pain.008 file valid against the XSD."""
    xmlschema.XMLSchema(str(XSD)).validate(xml.decode())
    found = []
    for block in ElementTree.fromstring(xml).iterfind(".//p:PmtInf", NS):
        sequence = block.findtext(".//p:SeqTp", namespaces=NS)
        for tx in block.iterfind("p:DrctDbtTxInf", NS):
            amount = tx.findtext("p:InstdAmt", namespaces=NS)
            found.append((tx.findtext(".//p:EndToEndId", namespaces=NS), amount, sequence))
    return found


def month_after(day):
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def test_a_closed_months_sepa_file_debits_its_invoice_first_then_recurrent(api, staff, monkeypatch):
    profile, family_api, _ = signed_contract(api, staff)
    signed_contract(api, staff)  # a family without a mandate: not in the file
    mandate = {"iban": IBAN, "holder": "Anne Brun", "signed_on": venue_today().isoformat()}
    family_api.created("/api/v1/families/me/mandate", mandate)
    set_clock(monkeypatch, 9, day=FULL_MONTH + timedelta(days=1))
    first_month = f"{START:%Y-%m}"
    still_open = staff.get(f"/api/v1/billing/{first_month}/sepa.xml")
    assert still_open.status_code == 409 and "n'est pas clos" in still_open.json["error"]["message"]
    invoices = staff.post(f"/api/v1/billing/{first_month}/close").json["invoices"]
    mine = next(i for i in invoices if i["family_id"] == profile["id"])
    assert family_api.get(f"/api/v1/billing/{first_month}/sepa.xml").status_code == 403
    sent = staff.get(f"/api/v1/billing/{first_month}/sepa.xml")
    assert sent.status_code == 200 and sent.mimetype == "application/xml"
    assert sent.headers["Content-Disposition"] == f'attachment; filename="prelevements-{first_month}.xml"'
    assert debits(sent.data) == [(mine["number"], mine["total"], "FRST")]
    assert f"<ReqdColltnDt>{mine['due_on']}</ReqdColltnDt>" in sent.data.decode()

    collected = {"amount": mine["total"], "paid_on": mine["due_on"], "method": "sepa_debit"}
    assert staff.post(f"/api/v1/invoices/{mine['id']}/payments", json=collected).status_code == 201
    nothing_left = staff.get(f"/api/v1/billing/{first_month}/sepa.xml")
    assert nothing_left.status_code == 409 and "Aucune facture" in nothing_left.json["error"]["message"]
    set_clock(monkeypatch, 9, day=month_after(FULL_MONTH) + timedelta(days=1))
    second_month = f"{FULL_MONTH:%Y-%m}"
    closed = staff.post(f"/api/v1/billing/{second_month}/close").json["invoices"]
    [next_one] = [i for i in closed if i["family_id"] == profile["id"]]
    again = staff.get(f"/api/v1/billing/{second_month}/sepa.xml")
    assert debits(again.data) == [(next_one["number"], next_one["total"], "RCUR")]


def test_the_tax_certificate_sums_what_was_paid_not_what_was_invoiced(api, staff, monkeypatch):
    profile, family_api, _ = signed_contract(api, staff)
    seven = venue_today().replace(year=venue_today().year - 7, month=3, day=1)
    family_api.created("/api/v1/families/me/children", {"first_name": "Max", "birth_date": seven.isoformat()})
    set_clock(monkeypatch, 9, day=FULL_MONTH + timedelta(days=1))
    [first] = staff.post(f"/api/v1/billing/{START:%Y-%m}/close").json["invoices"]
    set_clock(monkeypatch, 9, day=month_after(FULL_MONTH) + timedelta(days=1))
    staff.post(f"/api/v1/billing/{FULL_MONTH:%Y-%m}/close")  # invoiced, never paid: counts 0
    today = month_after(FULL_MONTH) + timedelta(days=1)
    paid = {"amount": "100.00", "paid_on": today.isoformat(), "method": "transfer"}
    staff.post(f"/api/v1/invoices/{first['id']}/payments", json=paid)
    bounced = staff.post(
        f"/api/v1/invoices/{first['id']}/payments",
        json={"amount": "50.00", "paid_on": today.isoformat(), "method": "sepa_debit"},
    ).json["payments"][-1]
    assert staff.post(f"/api/v1/payments/{bounced['id']}/reject", json={"reason": "Impayé"}).status_code == 200

    mine = family_api.get(f"/api/v1/families/me/tax-certificates/{today.year}.pdf")
    assert mine.status_code == 200 and mine.mimetype == "application/pdf"
    text = pdf_text(mine.data)
    assert f"Attestation de frais de garde — année {today.year}" in text
    assert "Lou" in text and "Total 100,00 €" in text and "Max" not in text
    assert "Attestation provisoire" in text  # the year is not over on the services' clock
    seen = staff.get(f"/api/v1/families/{profile['id']}/tax-certificates/{today.year}.pdf")
    assert "Total 100,00 €" in pdf_text(seen.data)
    before = family_api.get(f"/api/v1/families/me/tax-certificates/{today.year - 1}.pdf")
    assert "Total 0,00 €" in pdf_text(before.data)
