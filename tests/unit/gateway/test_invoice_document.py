"""A closed month's invoice as a PDF (services/gateway/invoice_document.py): drawn from the frozen
invoice only, with what the law asks of an invoice, and byte-identical whenever downloaded."""

import time
from io import BytesIO

from pypdf import PdfReader

from services.gateway import invoice_document
from tests.unit.gateway.invoice_example import INVOICE


def text_of(pdf):
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def test_the_invoice_carries_its_legal_mentions_and_its_adjustment_line():
    text = text_of(invoice_document.render(INVOICE))
    for expected in (
        "Facture n° F-2027-000042",
        "Crèche Cocoon'Age",
        "SIRET : 123 456 789 00012",
        "Anne Brun",
        "3 rue des Lilas",
        "Date d'émission : 1 mai 2027",
        "Période : avril 2027",
        "16 mai 2027",  # the due date
        "prélèvement SEPA",  # the ways to pay
        "Régularisation de mars 2027",
        "255,11",
    ):
        assert expected in text, expected


def test_two_downloads_a_day_apart_are_byte_identical(monkeypatch):
    first = invoice_document.render(INVOICE)
    tomorrow = time.time() + 86_400
    monkeypatch.setattr(time, "time", lambda: tomorrow)
    assert invoice_document.render(INVOICE) == first


def test_the_credit_note_cancels_the_invoice_and_refers_to_it():
    credited = dict(
        INVOICE, status="credited", credit_note_number="A-2027-000003", credited_on="2027-05-10", credit_reason="Erreur"
    )
    text = text_of(invoice_document.render_credit_note(credited))
    assert "Avoir n° A-2027-000003" in text
    assert "annule en totalité la facture n° F-2027-000042" in text
    assert "-255,11" in text
    assert invoice_document.credit_note_filename(credited) == "avoir-A-2027-000003.pdf"


def test_the_staff_page_serves_the_invoice_pdf_drawn_from_the_frozen_invoice(staff, recorded_rpc):
    response = staff.get("/equipe/factures/inv-1.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data == invoice_document.render(INVOICE)
    assert ("bookings", "get_invoice", ("inv-1", None)) in recorded_rpc.calls
