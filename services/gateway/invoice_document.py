"""A closed month's invoice, and its credit note, as PDF (A4, French), drawn from the frozen
invoice only (InvoiceOut of services/bookings/schemas/invoicing.py): the same invoice gives the
same bytes whenever it is downloaded.

The lines and totals are the monthly statement's, drawn by invoice.py (the frozen statement has
StatementOut's shape, with its adjustment lines: kind "adjustment" and `corrects_month`). Around
them, what the law asks of an invoice (CGI, annexe II, art. 242 nonies A; code de commerce L441-9;
docs/childcare-rules.md, "Invoices"): the venue's name, address and SIRET, the family's name and
postal address, the number, the date of issue, the period, the due date and the ways to pay.

ReportLab stamps the creation date and a random document id in every file unless `invariant=1`:
documents are built with it, so two downloads a day apart are byte-identical.
"""

from datetime import date
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from services.gateway import invoice as statement_pdf
from shared.vocabulary import MONTHS_FR


def filename(shown):
    """facture-F-2026-000042.pdf"""
    return f"facture-{shown['number']}.pdf"


def credit_note_filename(shown):
    """avoir-A-2026-000003.pdf"""
    return f"avoir-{shown['credit_note_number']}.pdf"


def render(shown):
    """The invoice's PDF (bytes)."""
    heading = f"Facture n° {shown['number']}"
    story = _head(shown, heading, shown["issued_on"])
    story += [Paragraph(f"Période : {escape(_period(shown['month']))}", statement_pdf._TEXT), Spacer(1, 5 * mm)]
    statement = shown["statement"]
    story += [_lines(statement.get("lines") or []), Spacer(1, 5 * mm), statement_pdf._totals_table(statement)]
    story += [Spacer(1, 6 * mm), *_payment_part(shown)]
    return _build(heading, shown, story)


def render_credit_note(shown):
    """The credit note's PDF (bytes): it cancels the invoice in full and refers to it."""
    heading = f"Avoir n° {shown['credit_note_number']}"
    story = _head(shown, heading, shown["credited_on"])
    text = statement_pdf._TEXT
    story += [
        Paragraph(
            escape(
                f"Cet avoir annule en totalité la facture n° {shown['number']} du "
                f"{_date(shown['issued_on'])} ({_period(shown['month'])}), d'un montant de "
                f"{statement_pdf.money(shown['total'])}."
            ),
            text,
        ),
        Paragraph(f"Motif : {escape(shown.get('credit_reason') or '')}", text),
        Spacer(1, 5 * mm),
        _pairs([("Montant de l'avoir", statement_pdf.money(_negated(shown["total"])))]),
        Spacer(1, 6 * mm),
        Paragraph(
            "Le mois est facturé à nouveau, recalculé, sur la prochaine facture (ligne de régularisation).",
            statement_pdf._SMALL,
        ),
    ]
    return _build(heading, shown, story)


# --- the parts ------------------------------------------------------------------------------------
def _build(heading, shown, story):
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=statement_pdf.A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=heading,
        author=shown["issuer"].get("name") or statement_pdf.VENUE,
        subject=f"{heading} ({shown['month']})",
        lang="fr-FR",
        invariant=1,
    )
    doc.build(story, onFirstPage=statement_pdf._footer, onLaterPages=statement_pdf._footer)
    return buffer.getvalue()


def _head(shown, heading, issued_on):
    issuer, customer = shown["issuer"], shown["customer"]
    text, small = statement_pdf._TEXT, statement_pdf._SMALL
    left = [Paragraph(escape(issuer.get("name") or statement_pdf.VENUE), statement_pdf._VENUE)]
    left += [Paragraph(_br(issuer.get("address") or "Adresse : à compléter"), small)]
    left += [Paragraph(escape(f"SIRET : {issuer.get('siret') or 'à compléter'}"), small)]
    right = [Paragraph(f"<b>{escape(customer.get('name') or '')}</b>", text)]
    if customer.get("address"):
        right.append(Paragraph(_br(customer["address"]), text))
    if customer.get("email"):
        right.append(Paragraph(escape(customer["email"]), small))
    header = Table([[left, right]], colWidths=[95 * mm, 79 * mm])
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return [
        header,
        Spacer(1, 6 * mm),
        Paragraph(escape(heading), statement_pdf._TITLE),
        Paragraph(f"Date d'émission : {escape(_date(issued_on))}", text),
    ]


def _payment_part(shown):
    text = statement_pdf._TEXT
    parts = [
        _pairs([("Montant à payer", statement_pdf.money(shown["total"])), ("Échéance", _date(shown["due_on"]))]),
        Spacer(1, 4 * mm),
        Paragraph(escape(shown.get("payment_terms") or ""), text),
        Paragraph(
            escape(f"Référence à rappeler avec votre paiement : {shown['number']}. Montants en euros."),
            statement_pdf._SMALL,
        ),
    ]
    return parts


def _lines(lines):
    """The statement's lines; an adjustment names the month it corrects (its label says why)."""
    shown = [dict(line, label=_adjustment_label(line)) if line.get("kind") == "adjustment" else line for line in lines]
    return statement_pdf._lines_table(shown)


def _adjustment_label(line):
    label = line.get("label") or ""
    month = line.get("corrects_month")
    if month and _period(month) not in label:
        label = f"Régularisation de {_period(month)} : {label}"
    return label


def _pairs(rows):
    head, number = statement_pdf._HEAD, statement_pdf._HEAD_NUMBER
    table = Table(
        [[Paragraph(escape(a), head), Paragraph(escape(b), number)] for a, b in rows],
        colWidths=[60 * mm, 40 * mm],
        hAlign="RIGHT",
    )
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), statement_pdf._SHADE)]))
    table.setStyle(TableStyle([("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.black)]))
    return table


def _period(month):
    """ "2026-03" -> "mars 2026"."""
    year, number = month.split("-")
    return f"{MONTHS_FR[int(number) - 1]} {year}"


def _date(value):
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day} {MONTHS_FR[day.month - 1]} {day.year}"


def _negated(amount):
    return f"-{amount}" if not str(amount).startswith("-") else str(amount)[1:]


def _br(text):
    return "<br/>".join(escape(part) for part in str(text).splitlines() if part.strip())
