"""A family's monthly statement as a PDF invoice (A4, in French), drawn with ReportLab.

Presentation only: every figure comes from the statement the bookings service answers
(`monthly_statement`, StatementOut in services/bookings/schemas/childcare.py); nothing is computed here but
the way it is written (French dates, « 8,26 € »).

Lines are read generically: a line may carry `kind` (booking, contract, deduction, extra) and
`label` (a French sentence that explains it); without a label its description is built from the
booking's fields (slot times, status). The totals a contract brings (`contract_amount`,
`deductions`, `extra_hours`…) are printed when the statement has them.

The font is Bitstream Vera, shipped inside the reportlab package and embedded in the file: it
has the accents, « », – and €. It has no narrow no-break space (U+202F), so amounts are written
with a no-break space (U+00A0) before the unit and between thousands.
"""

import os
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from io import BytesIO
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from shared.timeutil import in_venue_zone
from shared.vocabulary import MONTHS_FR, WEEKDAYS_FR

VENUE = "Cocoon'Age"
NBSP = "\u00a0"
STATUSES = {"cancelled": "annulée"}  # a cancelled booking stays listed: 0 € in time, billed when late

# The statement's totals, in the order they are printed: (field, label, how it is written).
# Those a plain statement lacks (a contract's) are skipped when absent; the amount due comes last.
TOTALS = (
    ("hours_booked", "Heures réservées", "hours"),
    ("hours_attended", "Heures de présence", "hours"),
    ("contract_hours", "Heures du contrat", "hours"),
    ("contract_amount", "Mensualisation du contrat", "money"),
    ("deducted_hours", "Heures déduites", "hours"),
    ("deductions", "Déductions", "money"),
    ("extra_hours", "Heures complémentaires", "hours"),
    ("extra_amount", "Montant des heures complémentaires", "money"),
    ("adjustments", "Régularisations de mois clos", "money"),
    ("hours_billed", "Heures facturées", "hours"),
)

FONT, BOLD = "CocoonSans", "CocoonSans-Bold"
_FONTS = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
pdfmetrics.registerFont(TTFont(FONT, os.path.join(_FONTS, "Vera.ttf")))
pdfmetrics.registerFont(TTFont(BOLD, os.path.join(_FONTS, "VeraBd.ttf")))
pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)

_TEXT = ParagraphStyle("text", fontName=FONT, fontSize=9.5, leading=12.5)
_SMALL = ParagraphStyle("small", parent=_TEXT, fontSize=8, leading=10, textColor=colors.HexColor("#555555"))
_VENUE = ParagraphStyle("venue", parent=_TEXT, fontName=BOLD, fontSize=20, leading=24)
_TITLE = ParagraphStyle("title", parent=_TEXT, fontName=BOLD, fontSize=14, leading=18, spaceBefore=4, spaceAfter=8)
_CELL = ParagraphStyle("cell", parent=_TEXT, fontSize=8.5, leading=10.5)
_HEAD = ParagraphStyle("head", parent=_CELL, fontName=BOLD)
_NUMBER = ParagraphStyle("number", parent=_CELL, alignment=TA_RIGHT)
_HEAD_NUMBER = ParagraphStyle("head-number", parent=_HEAD, alignment=TA_RIGHT)
_GRID = colors.HexColor("#BBBBBB")
_SHADE = colors.HexColor("#EEF2F5")


def document(buffer, heading, **metadata):
    """The venue's A4 page, margins and PDF metadata, for every document it prints (this
    invoice, the attestation de stage)."""
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=heading,
        author=VENUE,
        lang="fr-FR",
        **metadata,
    )


def filename(month):
    """The invoice's file name: releve-2026-12.pdf."""
    return f"releve-{month}.pdf"


def title(month):
    """« Relevé mensuel — décembre 2026 » for "2026-12"."""
    return f"Relevé mensuel — {month_name(month)}"


def render(statement, family=None):
    """The PDF (bytes) of `statement` (StatementOut as a dict); `family` (FamilyOut as a dict, or
    None) adds the guardians' names and the email."""
    buffer = BytesIO()
    heading = title(statement["month"])
    doc = document(buffer, heading, subject=f"{heading} ({statement.get('family_id', '')})")
    story = [Paragraph(escape(VENUE), _VENUE), Paragraph(escape(heading), _TITLE)]
    story += [Paragraph(escape(text), _TEXT) for text in _family_lines(statement, family)]
    story += [Spacer(1, 6 * mm), _lines_table(statement.get("lines") or []), Spacer(1, 6 * mm)]
    story.append(_totals_table(statement))
    story += [Spacer(1, 8 * mm), Paragraph("Montants en euros.", _SMALL)]
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()


# --- French writing of the statement's values ------------------------------------------------
def month_name(month):
    """ "2026-12" -> "décembre 2026"."""
    year, number = month.split("-")
    return f"{MONTHS_FR[int(number) - 1]} {year}"


def day_name(day):
    """A date as « mardi 1er décembre » (the first of a month is « 1er » in French)."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{WEEKDAYS_FR[day.weekday()]} {number} {MONTHS_FR[day.month - 1]}"


def clock(moment):
    """A time as « 8 h 30 », « 12 h »."""
    return f"{moment.hour}{NBSP}h" + (f"{NBSP}{moment.minute:02d}" if moment.minute else "")


def money(value):
    """ "1234.5" -> « 1 234,50 € » (no-break spaces)."""
    return f"{_french(_decimal(value).quantize(Decimal('0.01'), ROUND_HALF_UP))}{NBSP}€"


def rate(value):
    """An hourly rate with all its decimals: "2.064" -> « 2,064 €/h »."""
    return f"{_french(_decimal(value))}{NBSP}€/h"


def hours(value):
    """A number of hours, to the hundredth at most: "4.333333" -> « 4,33 h », "5" -> « 5 h »."""
    shown = _decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP)
    shown = shown.quantize(Decimal(1)) if shown == shown.to_integral_value() else shown.normalize()
    return f"{_french(shown)}{NBSP}h"


def _decimal(value):
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None


def _french(number):
    """A Decimal written the French way, as many decimals as it has: 1 234,5 (no-break space)."""
    sign = "-" if number < 0 else ""
    digits = format(abs(number), "f")
    whole, _, fraction = digits.partition(".")
    grouped = f"{int(whole):,}".replace(",", NBSP)
    return sign + grouped + ("," + fraction if fraction else "")


# --- the parts of the page -------------------------------------------------------------------
def _family_lines(statement, family):
    lines = []
    if family:
        names = [f"{g['first_name']} {g['last_name']}" for g in family.get("guardians") or []]
        if names:
            lines.append("Famille : " + ", ".join(names))
        if family.get("email"):
            lines.append("Courriel : " + family["email"])
    if statement.get("family_id"):
        lines.append("Référence famille : " + statement["family_id"])
    return lines


def _lines_table(lines):
    header = [
        Paragraph("Date et détail", _HEAD),
        Paragraph("Enfant", _HEAD),
        Paragraph("Heures facturées", _HEAD_NUMBER),
        Paragraph("Tarif horaire", _HEAD_NUMBER),
        Paragraph("Montant", _HEAD_NUMBER),
    ]
    rows = [header] + [_line_row(line) for line in lines]
    if not lines:
        rows.append([Paragraph("Aucune prestation facturée ce mois-ci.", _CELL), "", "", "", ""])
    table = Table(rows, colWidths=[74 * mm, 28 * mm, 24 * mm, 24 * mm, 24 * mm], repeatRows=1)
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), _SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, _GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if not lines:
        style.append(("SPAN", (0, 1), (-1, 1)))
    table.setStyle(TableStyle(style))
    return table


def _line_row(line):
    billed = line.get("hours_billed", line.get("hours"))
    return [
        Paragraph(escape(_description(line)), _CELL),
        Paragraph(escape(line.get("child_first_name") or ""), _CELL),
        Paragraph(hours(billed) if billed is not None else "", _NUMBER),
        Paragraph(rate(line["hourly_rate"]) if line.get("hourly_rate") is not None else "", _NUMBER),
        Paragraph(money(line["amount"]) if line.get("amount") is not None else "", _NUMBER),
    ]


def _description(line):
    """The line's own French label when it has one; else its day and times (a booking)."""
    if line.get("label"):
        return line["label"]
    status = STATUSES.get(line.get("status"))
    return _when(line) + (f" — {status}" if status else "")


def _when(line):
    if line.get("starts_at"):
        starts = in_venue_zone(line["starts_at"])
        text = f"{day_name(starts)}, {clock(starts)}"
        if line.get("ends_at"):
            ends = in_venue_zone(line["ends_at"])
            text += f" – {clock(ends)}" if ends.date() == starts.date() else f" – {day_name(ends)}, {clock(ends)}"
        return text
    if line.get("starts_on"):
        first = date.fromisoformat(line["starts_on"])
        last = date.fromisoformat(line["ends_on"]) if line.get("ends_on") else first
        return day_name(first) if last == first else f"du {day_name(first)} au {day_name(last)}"
    return ""


def _totals_table(statement):
    writers = {"hours": hours, "money": money}
    rows = [
        [Paragraph(label, _CELL), Paragraph(writers[kind](statement[field]), _NUMBER)]
        for field, label, kind in TOTALS
        if statement.get(field) is not None and not (field == "adjustments" and _decimal(statement[field]) == 0)
    ]
    rows.append([Paragraph("Montant dû", _HEAD), Paragraph(money(statement["amount"]), _HEAD_NUMBER)])
    table = Table(rows, colWidths=[60 * mm, 30 * mm], hAlign="RIGHT")
    table.setStyle(
        TableStyle(
            [
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
                ("BACKGROUND", (0, -1), (-1, -1), _SHADE),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _footer(canvas, doc):
    canvas.saveState()
    canvas.setFont(FONT, 7.5)
    canvas.setFillColor(colors.HexColor("#777777"))
    canvas.drawString(doc.leftMargin, 9 * mm, f"{VENUE} — {doc.title}")
    canvas.drawRightString(A4[0] - doc.rightMargin, 9 * mm, f"Page {doc.page}")
    canvas.restoreState()
