"""« Bilan de l'expérimentation »: the pilot's figures for the CAF and France Travail as a PDF
(A4, in French, ReportLab, drawn like the invoice: services/gateway/invoice.py).

The venue's name (COCOON_VENUE_NAME), the period, each indicator with its definition, the funnel
from immersion to hire, immersions by object and training hours by funder. The file leaves the
venue: every count from 1 to 4 is written « < 5 » and a conversion computed on one is masked
(services/gateway/statistical_secrecy.py). It holds no name: only the service's counts.
"""

from datetime import date
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from services.gateway import bilan, invoice
from services.gateway import statistical_secrecy as secrecy
from shared.timeutil import venue_today
from shared.vocabulary import MONTHS_FR

TITLE = "Bilan de l'expérimentation"
SECRECY_NOTE = (
    "Secret statistique : les effectifs de 1 à 4 personnes sont écrits « < 5 », et les taux de passage "
    "calculés sur eux sont masqués ; 0 est écrit 0."
)
_STYLE = [
    ("BACKGROUND", (0, 0), (-1, 0), invoice._SHADE),
    ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
    ("LINEBELOW", (0, 1), (-1, -1), 0.3, invoice._GRID),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("TOPPADDING", (0, 0), (-1, -1), 3),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
]


def filename(found):
    return f"bilan-{found.get('from') or 'debut'}-{found.get('to') or 'fin'}.pdf"


def long_date(iso):
    """ "2026-11-01" -> « 1er novembre 2026 »; « — » for none."""
    if not iso:
        return "—"
    day = date.fromisoformat(iso)
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS_FR[day.month - 1]} {day.year}"


def period_text(found):
    return f"Du {long_date(found.get('from'))} au {long_date(found.get('to'))}"


def render(venue, found):
    """The PDF (bytes) of the summary `found` (the insights service's answer)."""
    buffer = BytesIO()
    doc = invoice.document(buffer, TITLE, subject=f"{TITLE} — {venue} — {period_text(found)}")
    story = [
        Paragraph(escape(venue), invoice._VENUE),
        Paragraph(escape(TITLE), invoice._TITLE),
        Paragraph(escape(period_text(found)), invoice._TEXT),
        Paragraph(escape(f"Édité le {long_date(venue_today().isoformat())}."), invoice._SMALL),
        Paragraph(escape(SECRECY_NOTE), invoice._SMALL),
        Spacer(1, 5 * mm),
        _section("Les indicateurs"),
        _indicators(found),
        Spacer(1, 5 * mm),
        _section("Le parcours, de l'immersion à l'embauche"),
        _funnel(found.get("funnel") or []),
    ]
    story += _breakdowns(found)
    doc.build(story)
    return buffer.getvalue()


def _section(title):
    return Paragraph(escape(title), invoice._TITLE)


def _cell(text, style=None):
    return Paragraph(escape(str(text)), style or invoice._CELL)


def _table(rows, widths):
    table = Table(rows, colWidths=[width * mm for width in widths], repeatRows=1)
    table.setStyle(TableStyle(_STYLE))
    return table


def _indicators(found):
    rows = [
        [_cell("Indicateur", invoice._HEAD), _cell("Valeur", invoice._HEAD_NUMBER), _cell("Définition", invoice._HEAD)]
    ]
    for name, title, value, definition in bilan.rows(found):
        rows.append([_cell(title), _cell(bilan.shared_figure(name, value), invoice._NUMBER), _cell(definition)])
    return _table(rows, (52, 26, 96))


def _funnel(steps):
    rows = [
        [
            _cell("Étape", invoice._HEAD),
            _cell("Personnes", invoice._HEAD_NUMBER),
            _cell("Passage depuis l'étape précédente", invoice._HEAD_NUMBER),
        ]
    ]
    for index, step in enumerate(steps):
        conversion = bilan.shared_conversion(steps, index)
        rows.append(
            [
                _cell(bilan.funnel_label(step["step"])),
                _cell(secrecy.count(step["count"]), invoice._NUMBER),
                _cell("—" if conversion is None else conversion, invoice._NUMBER),
            ]
        )
    return _table(rows, (74, 40, 60))


def _breakdowns(found):
    story = []
    objects = found.get("immersions_by_object") or {}
    if objects:
        rows = [[_cell("Objet de l'immersion", invoice._HEAD), _cell("Immersions", invoice._HEAD_NUMBER)]]
        rows += [
            [_cell(bilan.object_label(code)), _cell(secrecy.count(n), invoice._NUMBER)] for code, n in objects.items()
        ]
        story += [Spacer(1, 5 * mm), _section("Les immersions selon leur objet"), _table(rows, (134, 40))]
    funders = found.get("training_hours_by_funder") or {}
    if funders:
        rows = [[_cell("Financeur", invoice._HEAD), _cell("Heures de formation", invoice._HEAD_NUMBER)]]
        rows += [
            [_cell(bilan.funder_label(funder)), _cell(bilan.decimal_text(h) + "\u00a0h", invoice._NUMBER)]
            for funder, h in funders.items()
        ]
        story += [Spacer(1, 5 * mm), _section("Les heures de formation selon leur financeur"), _table(rows, (134, 40))]
    return story
