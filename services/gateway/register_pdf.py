"""The evacuation register's copy as a PDF (A4, in French, large type), drawn with ReportLab like
the invoices (services/gateway/invoice.py: same page, fonts and French writing of dates).

Presentation only: the children come from bookings' building_register, the adults from
evacuation.adults_on_site (services/gateway/evacuation.py); a child's `allergies` and `pai`,
when the register carries them, get a column. The moment the register shows is written in words
at the top and at the foot of every page: a printed copy says how old it is."""

from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from services.gateway import evacuation, invoice
from shared import timeutil

HEADING = "Registre d'évacuation"
_TEXT = ParagraphStyle("register-text", parent=invoice._TEXT, fontSize=13, leading=17)
_WARNING = ParagraphStyle("register-warning", parent=_TEXT, fontName=invoice.BOLD)
_CELL = ParagraphStyle("register-cell", parent=invoice._TEXT, fontSize=12, leading=15)
_HEAD = ParagraphStyle("register-head", parent=_CELL, fontName=invoice.BOLD)
_TITLE = ParagraphStyle("register-title", parent=invoice._TITLE, fontSize=22, leading=27)
_PART = ParagraphStyle("register-part", parent=invoice._TITLE, fontSize=16, leading=20, spaceBefore=8)


def moment(made_at):
    """« lundi 7 décembre 2026 à 9 h 30 » at the venue's clock."""
    local = made_at.astimezone(timeutil.VENUE_TZ)
    return f"{invoice.day_name(local.date())} {local.year} à {invoice.clock(local)}"


def _hour(iso):
    local = timeutil.in_venue_zone(iso)
    return invoice.clock(local) if local else ""


def _p(text, style=_CELL):
    return Paragraph(escape(text or ""), style)


def _table(head, rows, widths):
    table = Table([[_p(h, _HEAD) for h in head]] + [[_p(c) for c in row] for row in rows], widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.75, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), invoice._SHADE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


def _children(register, health):
    head = ["Enfant", "Groupe d'âge", "Salle", "Arrivée"] + (["Allergies et PAI"] if health else []) + ["Sorti·e"]
    widths = [36, 26, 28, 22, 38, 24] if health else [53, 27, 48, 22, 24]  # 174 mm: A4 within its margins
    rows = []
    for child in register.get("children") or []:
        row = [
            f"{child.get('first_name', '')} {child.get('family_name') or ''}".strip(),
            "marche" if child.get("walks") else "ne marche pas encore",
            (child.get("room_name") or "sans créneau") + (" · contrat" if child.get("contract_id") else ""),
            _hour(child.get("arrived_at")),
        ]
        if health:
            row.append(_health(child))
        rows.append(row + [""])  # the cell is the box to tick
    return _table(head, rows, [w * mm for w in widths])


def _health(child):
    """« Allergies : arachide, lait · PAI : … », as the page writes it."""
    allergies, pai = evacuation.health_text(child.get("allergies")), evacuation.health_text(child.get("pai"))
    return " · ".join(text for text in (allergies and f"Allergies : {allergies}", pai and f"PAI : {pai}") if text)


def _adults(adults):
    rows = [[name, what, where, _hour(until), ""] for name, what, where, until in adults]
    return _table(["Nom", "Présent·e comme", "Où", "Jusqu'à", "Sorti·e"], rows, [w * mm for w in (42, 34, 52, 22, 24)])


def render(found, made_at):
    """The PDF (bytes) of the register `found` (evacuation.Register) as it was at `made_at`."""
    buffer = BytesIO()
    when = moment(made_at)
    doc = invoice.document(buffer, HEADING, subject=f"{HEADING} — {when}")
    register = found.children
    children = register.get("children") or []
    story = [
        _p(invoice.VENUE, invoice._VENUE),
        _p(HEADING, _TITLE),
        _p(f"Copie du registre tel qu'il était le {when}.", _WARNING),
        _p(
            "Depuis, des enfants ont pu arriver ou partir : comparez avec le cahier de présence. "
            "Cochez chaque personne une fois dehors.",
            _TEXT,
        ),
        Spacer(1, 4 * mm),
        _p(f"Enfants présents dans le bâtiment : {len(children)}.", _PART),
    ]
    health = evacuation.has_health(register)
    story.append(_children(register, health) if children else _p("Aucun enfant n'était noté présent.", _TEXT))
    story.append(_p(f"Adultes attendus d'après le planning : {len(found.adults)}.", _PART))
    for part in found.missing:
        story.append(_p(f"Non disponible au moment de la copie : {part}. Vérifiez sur place.", _WARNING))
    if found.adults:
        story.append(_adults(found.adults))
    else:
        story.append(_p("Aucun adulte attendu en dehors de l'équipe.", _TEXT))

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont(invoice.FONT, 9)
        canvas.drawString(18 * mm, 10 * mm, f"{HEADING} — copie du {when} — page {document.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
