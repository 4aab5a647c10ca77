"""A funder's invoice for a training session as a PDF (A4, French), drawn from the frozen
invoice only (FunderInvoiceOut, services/education/schemas.py): the same invoice gives the same
bytes whenever it is downloaded (`invariant=1`, as services/gateway/invoice_document.py).

What it says (docs/education-rules.md, "Funders' invoices"): the organisation (its SIRET and
numéro de déclaration d'activité: COCOON_ORGANISATION_*), the funder, the number and date of
issue, the session (title, dates, hours), a line per participant with the hours done, the hourly
price (the course's price over its duration) and the amount, the total. No VAT is computed:
whether the venue's training is exempt (CGI art. 261-4-4° a, for a declared organisation that
holds the exemption) is the venue's to confirm, and its mention to add **[unconfirmed]**.
"""

from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from services.gateway import invoice
from services.gateway.training_documents import KINDS, Organisation, _dates, long_day

FUNDERS = {
    "opco": "OPCO (opérateur de compétences)",
    "cpf": "CPF (compte personnel de formation, Caisse des dépôts)",
    "france_travail": "France Travail",
    "employer": "Employeur",
}


def filename(shown):
    """facture-financeur-FF-2026-000001.pdf"""
    return f"facture-financeur-{shown['number']}.pdf"


def funder_line(shown):
    """« OPCO (opérateur de compétences) » or « Employeur : Crèche Les Lutins »."""
    kind = FUNDERS.get(shown.get("funding"), shown.get("funding") or "")
    return f"{kind} : {shown['funder_name']}" if shown.get("funder_name") else kind


def render(shown, organisation=None):
    """The invoice's PDF (bytes)."""
    organisation = organisation or Organisation()
    heading = f"Facture n° {shown['number']}"
    buffer = BytesIO()
    doc = invoice.document(buffer, heading, subject=f"{heading} — {shown['session'].get('title', '')}", invariant=1)
    session, course = shown.get("session") or {}, shown.get("course") or {}
    text, small = invoice._TEXT, invoice._SMALL
    story = [
        _head(organisation, shown),
        Spacer(1, 6 * mm),
        Paragraph(escape(heading), invoice._TITLE),
        Paragraph(escape(f"Date d'émission : {long_day(shown['issued_on'])}"), text),
        Paragraph(escape(f"Formation : {session.get('title') or course.get('title', '')}"), text),
        Paragraph(
            escape(f"Dates : {_dates(session)} — durée de la session {invoice.hours(session.get('hours') or 0)}"), text
        ),
        Paragraph(escape(f"Formateur ou formatrice : {course.get('trainer', '')}"), text),
        Paragraph(
            escape(
                f"Prix de la formation : {invoice.money(course.get('price') or 0)} pour "
                f"{invoice.hours(course.get('duration_hours') or 0)}, soit {invoice.rate(_rate(shown))}"
            ),
            text,
        ),
        Paragraph(escape(f"Référence de la session : {session.get('id', '')}"), small),
        Spacer(1, 5 * mm),
        _lines(shown),
        Spacer(1, 5 * mm),
        _total(shown),
        Spacer(1, 6 * mm),
        Paragraph(
            escape(
                "Seules les heures réalisées sont facturées, selon la feuille d'émargement signée par demi-journée "
                "(Code du travail, art. R6332-26), tenue à votre disposition avec les certificats de réalisation."
            ),
            small,
        ),
        Paragraph(escape(f"Référence à rappeler avec votre paiement : {shown['number']}. Montants en euros."), small),
    ]
    doc.build(story, onFirstPage=invoice._footer, onLaterPages=invoice._footer)
    return buffer.getvalue()


def _rate(shown):
    """The hourly price without its trailing zeros: "30.0000" -> 30, "16.6667" stays."""
    value = invoice._decimal(shown.get("hourly_price") or 0)
    return value.normalize() if value == value.to_integral_value() else value


def _head(organisation, shown):
    small = invoice._SMALL
    left = [Paragraph(escape(invoice.VENUE), invoice._VENUE)]
    if organisation.address:
        left.append(Paragraph(escape(organisation.address), small))
    left.append(Paragraph(escape(f"SIRET : {organisation.siret or 'à compléter'}"), small))
    left.append(
        Paragraph(
            escape(
                f"Déclaration d'activité enregistrée sous le n° {organisation.declaration_number or 'à compléter'} "
                "(cet enregistrement ne vaut pas agrément de l'État)"
            ),
            small,
        )
    )
    right = [
        Paragraph("<b>Financeur</b>", invoice._TEXT),
        Paragraph(escape(funder_line(shown)), invoice._TEXT),
    ]
    table = Table([[left, right]], colWidths=[95 * mm, 79 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _lines(shown):
    head, number, cell = invoice._HEAD, invoice._NUMBER, invoice._CELL
    rows = [
        [
            Paragraph("Participant·e", head),
            Paragraph("Statut", head),
            Paragraph("Heures réalisées", invoice._HEAD_NUMBER),
            Paragraph("Prix horaire", invoice._HEAD_NUMBER),
            Paragraph("Montant", invoice._HEAD_NUMBER),
        ]
    ]
    for line in shown.get("lines") or []:
        rows.append(
            [
                Paragraph(escape(line.get("name", "")), cell),
                Paragraph(escape(KINDS.get(line.get("participant_kind"), line.get("participant_kind") or "")), cell),
                Paragraph(invoice.hours(line.get("hours") or 0), number),
                Paragraph(invoice.rate(_rate(shown)), number),
                Paragraph(invoice.money(line.get("amount") or 0), number),
            ]
        )
    table = Table(rows, colWidths=[60 * mm, 30 * mm, 28 * mm, 28 * mm, 28 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), invoice._SHADE),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, invoice._GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _total(shown):
    table = Table(
        [[Paragraph("Montant dû", invoice._HEAD), Paragraph(invoice.money(shown["total"]), invoice._HEAD_NUMBER)]],
        colWidths=[60 * mm, 30 * mm],
        hAlign="RIGHT",
    )
    table.setStyle(
        TableStyle(
            [("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.black), ("BACKGROUND", (0, 0), (-1, -1), invoice._SHADE)]
        )
    )
    return table
