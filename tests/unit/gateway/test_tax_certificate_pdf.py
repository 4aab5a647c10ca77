"""The yearly «Attestation de frais de garde» (services/gateway/tax_certificate_pdf.py), read back as
text: the venue, the family, each child's sums paid, the total, the notes; the same inputs give the
same bytes (invariant)."""

from datetime import date

from services.gateway import tax_certificate_pdf as certificate_pdf
from services.gateway.training_documents import Organisation
from tests.pdf import pdf_fonts, pdf_text

CERTIFICATE = {
    "year": 2026,
    "total": "1074.48",
    "children": [
        {"first_name": "Nina", "birth_date": "2021-09-30", "paid": "280.62"},
        {"first_name": "Lou", "birth_date": "2023-04-12", "paid": "793.86"},
    ],
}
FAMILY = {"name": "Anne et Marc Brun", "address": "12 rue des Lilas\n75011 Paris"}
VENUE = Organisation(
    address="3 place du Marché, 69001 Lyon",
    town="Lyon",
    representative="Claire Martin, directrice",
    siret="12345678900011",
)


def test_the_certificate_names_the_year_the_venue_the_family_each_child_and_the_total():
    text = pdf_text(certificate_pdf.render(CERTIFICATE, FAMILY, VENUE, date(2027, 1, 8)))
    assert "Attestation de frais de garde — année 2026" in text
    assert "Cocoon'Age" in text and "3 place du Marché, 69001 Lyon" in text and "SIRET : 12345678900011" in text
    assert "Anne et Marc Brun" in text and "12 rue des Lilas 75011 Paris" in text
    assert "Nina jeudi 30 septembre 2021 280,62 €" in text
    assert "Lou mercredi 12 avril 2023 793,86 €" in text
    assert "Total 1 074,48 €" in text
    assert "moins de six ans au 1er janvier 2026" in text
    assert "effectivement payées" in text and "et non sommes facturées" in text
    assert "l'aide de la CAF est versée directement à l'établissement" in text and "déjà déduits" in text
    assert "Fait à Lyon, le vendredi 8 janvier 2027." in text
    assert "Claire Martin, directrice — signature et cachet" in text


def test_the_same_inputs_give_the_same_bytes():
    first = certificate_pdf.render(CERTIFICATE, FAMILY, VENUE, date(2027, 1, 8))
    assert certificate_pdf.render(CERTIFICATE, FAMILY, VENUE, date(2027, 1, 8)) == first


def test_a_family_with_no_child_under_six_gets_a_certificate_saying_so_and_the_font_is_embedded():
    empty = {"year": 2026, "total": "0.00", "children": []}
    data = certificate_pdf.render(empty, {"name": "Famille Brun"})
    text = pdf_text(data)
    assert "Aucun enfant de moins de six ans au 1er janvier 2026." in text and "Total 0,00 €" in text
    assert "La direction de l'établissement certifie" in text
    fonts = pdf_fonts(data)
    assert any(embedded and "Vera" in name for name, embedded in fonts.items()), fonts


def test_the_file_name():
    assert certificate_pdf.filename(2026) == "attestation-frais-de-garde-2026.pdf"


def test_a_year_not_over_is_marked_provisional_and_counted_to_its_last_day():
    running = dict(CERTIFICATE, complete=False, paid_until="2026-12-07")
    text = pdf_text(certificate_pdf.render(running, FAMILY, VENUE, date(2026, 12, 7)))
    assert "Attestation provisoire : l'année 2026 n'est pas terminée" in text
    assert "jusqu'au 7 décembre 2026" in text and "du 1er janvier au 7 décembre 2026" in text
    assert "provisoire" not in pdf_text(certificate_pdf.render(CERTIFICATE, FAMILY, VENUE, date(2027, 1, 8)))
