"""The monthly statement drawn as a PDF invoice (services/gateway/invoice.py): French dates and
amounts, lines with or without their own label, the totals a contract adds (no broker)."""

from services.gateway import invoice
from tests.pdf import pdf_fonts, pdf_text


def booking_line(**overrides):
    """A line of the bookings service's statement (StatementLineOut) as it arrives over RPC."""
    return {
        "booking_id": "b-1",
        "child_first_name": "Léa",
        "starts_at": "2026-12-01T08:30:00+01:00",
        "ends_at": "2026-12-01T12:30:00+01:00",
        "status": "confirmed",
        "hourly_rate": "2.064",
        "hours_booked": "4",
        "hours_attended": "0",
        "hours_billed": "4",
        "amount": "8.26",
        **overrides,
    }


def statement(lines=None, **overrides):
    return {
        "family_id": "f-1",
        "month": "2026-12",
        "hours_booked": "4",
        "hours_attended": "4.333333",
        "hours_billed": "5",
        "amount": "10.32",
        "lines": [booking_line()] if lines is None else lines,
        **overrides,
    }


FAMILY = {
    "id": "f-1",
    "email": "presence@example.fr",
    "guardians": [{"first_name": "Émilie", "last_name": "Gérard", "phone": "0612345678"}],
}


def test_the_invoice_is_a_pdf_in_french_with_the_month_the_family_and_the_lines():
    data = invoice.render(statement(), FAMILY)
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert "Cocoon'Age" in text
    assert "Relevé mensuel — décembre 2026" in text
    assert "Émilie Gérard" in text and "presence@example.fr" in text
    assert "mardi 1er décembre, 8 h 30 – 12 h 30" in text
    assert "Léa" in text
    assert "2,064 €/h" in text and "8,26 €" in text


def test_the_totals_are_the_statement_s_written_the_french_way():
    text = pdf_text(invoice.render(statement(amount="1234.5"), FAMILY))
    assert "Heures réservées" in text and "Heures de présence" in text and "Heures facturées" in text
    assert "4,33 h" in text  # 4.333333 h attended, to the hundredth
    assert "Montant dû" in text and "1 234,50 €" in text


def test_a_line_with_its_own_label_shows_it_and_contract_totals_are_printed_when_present():
    deduction = {
        "kind": "deduction",
        "label": "Absence pour maladie (certificat), du 3 au 5 décembre",
        "hours": "-12",
        "hourly_rate": "2.064",
        "amount": "-24.77",
    }
    contract = statement(
        lines=[deduction], contract_amount="284.83", deductions="24.77", extra_hours="1.5", amount="260.06"
    )
    text = pdf_text(invoice.render(contract, FAMILY))
    assert "Absence pour maladie (certificat), du 3 au 5 décembre" in text
    assert "-24,77 €" in text and "-12 h" in text
    assert "Mensualisation du contrat" in text and "284,83 €" in text
    assert "Déductions" in text and "Heures complémentaires" in text and "1,5 h" in text
    plain = pdf_text(invoice.render(statement(), FAMILY))
    assert "Mensualisation du contrat" not in plain and "Déductions" not in plain


def test_a_late_cancellation_says_so_and_an_empty_month_says_nothing_is_billed():
    late = pdf_text(invoice.render(statement(lines=[booking_line(status="cancelled")])))
    assert "mardi 1er décembre, 8 h 30 – 12 h 30 — annulée" in late
    empty = pdf_text(invoice.render(statement(lines=[], hours_booked="0", amount="0.00")))
    assert "Aucune prestation facturée ce mois-ci." in empty and "0,00 €" in empty


def test_the_font_is_embedded():
    fonts = pdf_fonts(invoice.render(statement(), FAMILY))
    assert any(embedded and "Vera" in name for name, embedded in fonts.items()), fonts


def test_french_writing_of_months_days_times_and_numbers():
    assert [invoice.month_name(f"2027-{m:02d}") for m in (1, 2, 8, 12)] == [
        "janvier 2027",
        "février 2027",
        "août 2027",
        "décembre 2027",
    ]
    assert invoice.filename("2026-12") == "releve-2026-12.pdf"
    assert invoice.money("8.256") == "8,26\u00a0€"
    assert invoice.money("1234567") == "1\u00a0234\u00a0567,00\u00a0€"
    assert invoice.rate("2.064") == "2,064\u00a0€/h"
    assert [invoice.hours(h) for h in ("5", "1.50", "4.333333")] == ["5\u00a0h", "1,5\u00a0h", "4,33\u00a0h"]
