"""A funder's invoice PDF read back (services/gateway/funder_invoice_pdf.py) and the BPF's CSV
(services/gateway/bpf_sheet.py), drawn from the education service's answers as they are shaped."""

from services.gateway import bpf_sheet, funder_invoice_pdf
from services.gateway.training_documents import Organisation
from tests.pdf import pdf_text

SESSION = {
    "id": "session-1",
    "title": "Accueillir le jeune enfant",
    "starts_at": "2026-12-07T09:00:00+01:00",
    "ends_at": "2026-12-08T17:00:00+01:00",
    "hours": "14.00",
    "room_name": "Salle Colibri",
}
INVOICE = {
    "id": "invoice-1",
    "number": "FF-2026-000001",
    "session_id": "session-1",
    "funding": "employer",
    "funder_name": "Crèche Les Lutins",
    "issued_on": "2026-12-08",
    "hourly_price": "30.0000",
    "total": "735.00",
    "course": {"title": SESSION["title"], "price": "420.00", "duration_hours": "14.00", "trainer": "Claire Petit"},
    "session": SESSION,
    "lines": [
        {
            "enrolment_id": "e-1",
            "participant_id": "p-1",
            "participant_kind": "external",
            "name": "Ana Lopes",
            "hours": "10.50",
            "amount": "315.00",
        },
        {
            "enrolment_id": "e-2",
            "participant_id": "p-2",
            "participant_kind": "professional",
            "name": "Bea Roux",
            "hours": "14.00",
            "amount": "420.00",
        },
    ],
}
ORGANISATION = Organisation(
    address="3 rue des Lilas, 69003 Lyon", declaration_number="84691234569", siret="12345678900017"
)


def test_the_funders_invoice_names_the_organisation_the_funder_and_each_participants_hours():
    text = pdf_text(funder_invoice_pdf.render(INVOICE, ORGANISATION))
    assert "Facture n° FF-2026-000001" in text
    assert "SIRET : 12345678900017" in text
    assert "Déclaration d'activité enregistrée sous le n° 84691234569" in text
    assert "Financeur Employeur : Crèche Les Lutins" in text
    assert "Formation : Accueillir le jeune enfant" in text
    assert "du lundi 7 décembre 2026 au mardi 8 décembre 2026" in text
    assert "Prix de la formation : 420,00 € pour 14 h, soit 30 €/h" in text
    assert "Ana Lopes externe 10,5 h 30 €/h 315,00 €" in text
    assert "Bea Roux professionnel·le 14 h 30 €/h 420,00 €" in text
    assert "Montant dû 735,00 €" in text
    assert funder_invoice_pdf.filename(INVOICE) == "facture-financeur-FF-2026-000001.pdf"


def test_the_same_invoice_gives_the_same_bytes_and_an_unset_organisation_is_left_to_complete():
    assert funder_invoice_pdf.render(INVOICE, ORGANISATION) == funder_invoice_pdf.render(INVOICE, ORGANISATION)
    text = pdf_text(funder_invoice_pdf.render(dict(INVOICE, funding="opco", funder_name="")))
    assert "SIRET : à compléter" in text and "Financeur OPCO (opérateur de compétences)" in text


def figures(trainees, hours, income):
    return {"trainees": trainees, "hours": hours, "income": income}


def test_the_bpf_csv_has_the_cerfas_lines_then_our_groupings_then_the_total():
    report = {
        "year": 2026,
        "total": figures(2, "24.50", "735.00"),
        "income_lines": [{"code": "2h", "label": "Organismes gestionnaires…", **figures(2, "24.50", "735.00")}],
        "trainee_lines": [
            {"code": "a", "label": "Salariés d'employeurs privés hors apprentis", **figures(2, "24.50", "735.00")}
        ],
        "by_funding": [{"key": "opco", **figures(2, "24.50", "735.00")}],
        "by_kind": [{"key": "external", **figures(2, "24.50", "735.00")}],
    }
    text = bpf_sheet.bpf_csv(report)
    assert text.startswith("\ufeffPartie;Ligne;Libellé;Stagiaires;Heures-stagiaires;Produits (€)\r\n")
    lines = text.removeprefix("\ufeff").splitlines()
    assert lines[1] == "Cadre C — origine des produits;2h;Organismes gestionnaires…;2;24,50;735,00"
    assert lines[2].startswith("Cadre F-1 — type de stagiaires;a;")
    assert lines[3] == "Par financement;opco;OPCO (opérateur de compétences);2;24,50;735,00"
    assert lines[4] == "Par qualité du participant;external;Personne extérieure;2;24,50;735,00"
    assert lines[5] == "Total;;Total 2026;2;24,50;735,00"
    assert bpf_sheet.filename(2026) == "bpf-2026.csv"
