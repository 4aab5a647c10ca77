"""A training session's documents as PDFs (A4, in French), drawn with ReportLab: the attendance
sheet (feuille d'émargement) and a participant's certificates (attestation de fin de formation
and certificat de réalisation).

Presentation only: every figure comes from the education service's answers (the attendance
sheet and CertificateOut, /tmp/notes/education-interface.md and services/education/schemas.py);
nothing is computed here but the way it is written (the half-days are the service's). Same page,
fonts and French writing as the invoice (services/gateway/invoice.py).

What the documents must say (docs/education-rules.md, "The French rules and their sources"):
- the attendance sheet justifies the hours to the funders: each participant and the trainer sign
  per half-day, with the times and the module (Code du travail R6332-26). Each half-day the
  education service splits a part into (at the venue's lunch break) has its box: the signature
  drawn on the tablet or the phone, « absent·e », « signature refusée : <motif> », or an empty box
  to sign by hand.
- the attestation de fin de formation states the objectives, the nature, the duration of the
  action and the results of the evaluation (Code du travail L6353-1): the course's evaluation
  method and the trainer's result per objective (« évaluation non renseignée » when none), the
  hours attended and the assiduity mention (the venue's threshold decides it, not the document).
- the certificat de réalisation follows the Ministry of Labour's model (the action, its nature
  among those of L6313-1, its dates and the hours completed, the 3-year keeping of the proofs),
  for every participant with hours done, with the same assiduity mention.
Both name the participant's employer when the enrolment has one.
Each certificate carries its unique number. The organisation's identity (address, town, legal
representative, numéro de déclaration d'activité, SIRET: the COCOON_ORGANISATION_* settings)
heads each document and fills the signature lines; a part not set is left to fill in by hand.
"""

import base64
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from services.gateway import invoice
from shared import timeutil

NBSP = invoice.NBSP
KINDS = {"professional": "professionnel·le", "trainee": "stagiaire", "volunteer": "bénévole", "external": "externe"}
BOX = "Signature"  # the light caption of an empty signature box (so a reader, and a test, can count them)
HALF_DAY_NAMES = {"morning": "matin", "afternoon": "après-midi"}
TRAINER = "trainer"  # the trainer's participant_id on the sheet
RESULTS = {"acquis": "acquis", "en_cours": "en cours d'acquisition", "non_acquis": "non acquis"}
NOT_EVALUATED = "évaluation non renseignée"
NATURES = (
    ("action de formation", True),
    ("bilan de compétences", False),
    ("action de validation des acquis de l'expérience", False),
    ("action de formation par apprentissage", False),
)

_BOX = ParagraphStyle("box", parent=invoice._CELL, fontSize=6.5, textColor=colors.HexColor("#9A9A9A"))
_PART = ParagraphStyle("part", parent=invoice._TEXT, fontName=invoice.BOLD, fontSize=11, leading=14, spaceBefore=6)
_NUMBER = ParagraphStyle("certificate-number", parent=invoice._TEXT, fontName=invoice.BOLD)
_CENTRED = ParagraphStyle("centred", parent=invoice._TEXT, fontName=invoice.BOLD, fontSize=11, leading=15)


def sheet_filename(session_id):
    """emargement-<session id>.pdf"""
    return f"emargement-{session_id}.pdf"


def certificate_filename(number):
    """certificat-<number>.pdf (the attestation's number, e.g. AFF-2026-0001)."""
    return f"certificat-{number}.pdf"


# --- French writing -----------------------------------------------------------------------------
def _local(value):
    return timeutil.in_venue_zone(value)


def long_day(value):
    """A date (or an ISO date or time) as « mardi 1er décembre 2026 »."""
    if isinstance(value, str):
        value = _local(value).date() if "T" in value else date.fromisoformat(value)
    elif isinstance(value, datetime):
        value = _local(value).date()
    return f"{invoice.day_name(value)} {value.year}"


def times(part):
    """« 9 h – 12 h 30 » in the venue's zone."""
    return f"{invoice.clock(_local(part['starts_at']))} – {invoice.clock(_local(part['ends_at']))}"


def percent(rate):
    """ "0.83" -> « 83 % », "0.875" -> « 87,5 % » (to the tenth at most)."""
    shown = (Decimal(str(rate)) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
    shown = shown.quantize(Decimal(1)) if shown == shown.to_integral_value() else shown
    return f"{invoice._french(shown)}{NBSP}%"


def _dates(session):
    first, last = long_day(session["starts_at"]), long_day(session["ends_at"])
    return f"le {first}" if first == last else f"du {first} au {last}"


def _p(text, style=None):
    return Paragraph(escape(text or ""), style or invoice._TEXT)


def _lines(lines, style=None):
    """One paragraph, a line break between the lines (each escaped)."""
    return Paragraph("<br/>".join(escape(line) for line in lines), style or invoice._TEXT)


# --- who delivers the training ---------------------------------------------------------------------
@dataclass(frozen=True)
class Organisation:
    """The training organisation as its documents name it; "" where the venue has not said."""

    address: str = ""
    town: str = ""
    representative: str = ""
    declaration_number: str = ""
    siret: str = ""


def organisation_of(config):
    """The Organisation of the gateway's settings (services/gateway/settings.py, ORGANISATION)."""
    return Organisation(
        address=config.get("ORGANISATION_ADDRESS", ""),
        town=config.get("ORGANISATION_TOWN", ""),
        representative=config.get("ORGANISATION_REPRESENTATIVE", ""),
        declaration_number=config.get("ORGANISATION_DECLARATION_NUMBER", ""),
        siret=config.get("ORGANISATION_SIRET", ""),
    )


def _letterhead(organisation):
    """The venue's name, then what identifies it as a training organisation, as far as it is set."""
    lines = [_p(invoice.VENUE, invoice._VENUE)]
    if organisation.address:
        lines.append(_p(organisation.address, invoice._SMALL))
    if organisation.declaration_number:
        lines.append(
            _p(
                f"Déclaration d'activité enregistrée sous le n° {organisation.declaration_number} "
                "(cet enregistrement ne vaut pas agrément de l'État)",
                invoice._SMALL,
            )
        )
    if organisation.siret:
        lines.append(_p(f"SIRET : {organisation.siret}", invoice._SMALL))
    return lines


# --- the attendance sheet -----------------------------------------------------------------------
def attendance_sheet_pdf(sheet, organisation=None, signatures=None):
    """The feuille d'émargement (bytes) of an attendance sheet: {session, half_days, trainer, rows}
    as the education service's `attendance_sheet` answers it; `signatures`: its
    `sheet_signatures` ([{participant_id, part_index, half_day, image (base64 PNG)}]), drawn in
    their half-day's box."""
    session = sheet["session"]
    organisation = organisation or Organisation()
    images = {(s["participant_id"], s["part_index"], s["half_day"]): s["image"] for s in signatures or []}
    buffer = BytesIO()
    heading = "Feuille d'émargement"
    doc = invoice.document(buffer, heading, subject=f"{heading} — {session.get('title', '')}")
    story = [*_letterhead(organisation), _p(heading, invoice._TITLE)]
    facts = [
        f"Formation (module) : {session.get('title', '')}",
        f"Formateur ou formatrice : {session.get('trainer', '')}",
        f"Salle : {session.get('room_name') or 'à confirmer'}",
        f"Dates : {_dates(session)} — durée {invoice.hours(session.get('hours') or 0)} (pause déjeuner non comptée)",
        f"Référence de la session : {session.get('id', '')}",
    ]
    story += [_p(line) for line in facts]
    story.append(
        _p(
            "Chaque participant·e et le formateur ou la formatrice signent pour chaque demi-journée "
            "(Code du travail, art. R6332-26). Cette feuille justifie les heures de formation auprès des financeurs.",
            invoice._SMALL,
        )
    )
    units = list(enumerate(sheet.get("half_days") or []))
    for position, part in enumerate(session.get("parts") or []):
        index = part.get("index", position)
        own = [(at, unit) for at, unit in units if unit["part_index"] == index]
        story.append(Spacer(1, 5 * mm))
        story.append(_part_block(session, part, index, own, sheet, images))
    doc.build(story, onFirstPage=invoice._footer, onLaterPages=invoice._footer)
    return buffer.getvalue()


def _box(mark, image, width):
    """What a half-day's box shows: the signature, « absent·e », the refusal and its reason, a
    presence noted without a signature, or an empty box to sign by hand."""
    if image:
        return _signature_image(image, width)
    if not mark:
        return _p(BOX, _BOX)
    if not mark.get("present"):
        return _p("absent·e", invoice._CELL)
    if mark.get("refusal_reason"):
        return _p(f"signature refusée : {mark['refusal_reason']}", invoice._CELL)
    return _p("présent·e (signature à recueillir)", invoice._CELL)


def _signature_image(encoded, width):
    """The PNG drawn at most `width` wide and 14 mm high, its proportions kept."""
    data = BytesIO(base64.b64decode(encoded))
    pixels_wide, pixels_high = ImageReader(data).getSize()
    scale = min(width / pixels_wide, 14 * mm / pixels_high)
    data.seek(0)
    return Image(data, width=pixels_wide * scale, height=pixels_high * scale)


def _part_block(session, part, index, units, sheet, images):
    title = (
        f"Partie {index + 1} — {long_day(part['starts_at'])}, {times(part)} ({invoice.hours(part.get('hours') or 0)})"
    )
    header = [Paragraph("Participant·e", invoice._HEAD), Paragraph("Statut", invoice._HEAD)]
    header += [Paragraph(f"{half_day_name(unit)} {times(unit)}", invoice._HEAD) for _, unit in units]
    box_width = 102 * mm / max(len(units), 1)  # the page's 174 mm: name, kind, then the boxes
    padding = 2 * 6  # the table's cell padding, left and right

    def boxes(participant_id, marks):
        return [
            _box(
                marks[at] if at < len(marks) else None,
                images.get((participant_id, unit["part_index"], unit["half_day"])),
                box_width - padding,
            )
            for at, unit in units
        ]

    rows = sheet.get("rows") or []
    table_rows = [header]
    for row in rows:
        table_rows.append(
            [
                _p(row.get("name", ""), invoice._CELL),
                _p(KINDS.get(row.get("participant_kind"), row.get("participant_kind") or ""), invoice._CELL),
            ]
            + boxes(row.get("participant_id"), row.get("marks") or [])
        )
    if not rows:
        table_rows.append([_p("Aucun·e participant·e inscrit·e.", invoice._CELL), ""] + ["" for _ in units])
    table_rows.append(
        [_p(session.get("trainer", ""), invoice._HEAD), _p("formateur ou formatrice", invoice._CELL)]
        + boxes(TRAINER, sheet.get("trainer") or [])
    )
    table = Table(table_rows, colWidths=[46 * mm, 26 * mm] + [box_width] * len(units), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, invoice._GRID),
                ("BACKGROUND", (0, 0), (-1, 0), invoice._SHADE),
                ("BACKGROUND", (0, -1), (-1, -1), invoice._SHADE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 1), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 12),  # room to sign by hand
            ]
        )
    )
    return KeepTogether([Paragraph(escape(title), _PART), Spacer(1, 2 * mm), table])


def half_day_name(unit):
    """« Matin » or « Après-midi »."""
    return HALF_DAY_NAMES.get(unit.get("half_day"), unit.get("half_day") or "").capitalize()


# --- the certificates ---------------------------------------------------------------------------
def certificate_pdf(certificate, organisation=None):
    """Two pages (bytes): the attestation de fin de formation and the certificat de réalisation of
    one participant, from CertificateOut (with its course and session)."""
    organisation = organisation or Organisation()
    buffer = BytesIO()
    heading = "Attestation de fin de formation et certificat de réalisation"
    doc = invoice.document(buffer, heading, subject=f"{heading} — {certificate.get('name', '')}")
    story = _attestation(certificate, organisation) + [PageBreak()] + _realisation(certificate, organisation)
    doc.build(story, onFirstPage=invoice._footer, onLaterPages=invoice._footer)
    return buffer.getvalue()


def _hours_of(certificate):
    return invoice.hours(certificate.get("hours_attended") or 0), invoice.hours(certificate.get("session_hours") or 0)


def assiduity_line(certificate):
    """The service's assiduity mention (the rate alone for an answer without one)."""
    return certificate.get("assiduity_mention") or f"Assiduité : {percent(certificate.get('rate') or 0)} des heures"


def evaluation_lines(certificate):
    """« objective : acquis » per objective, in the course's order, or « évaluation non renseignée »."""
    evaluation = certificate.get("evaluation") or {}
    found = [f"{r['objective']} : {RESULTS.get(r['result'], r['result'])}" for r in evaluation.get("results") or []]
    return found or [NOT_EVALUATED]


def _attestation(certificate, organisation):
    course, session = certificate.get("course") or {}, certificate.get("session") or {}
    attended, planned = _hours_of(certificate)
    employer = certificate.get("employer_name") or ""
    facts = [
        ("Intitulé", course.get("title") or session.get("title", "")),
        ("Objectifs", [line.strip() for line in (course.get("objectives") or "").splitlines() if line.strip()]),
        ("Nature de l'action", "action de formation (Code du travail, art. L6313-1)"),
        ("Public visé", course.get("audience", "")),
        *([("Employeur", employer)] if employer else []),
        ("Formateur ou formatrice", course.get("trainer") or session.get("trainer", "")),
        ("Dates", _dates(session) if session.get("starts_at") else ""),
        ("Durée de la formation", planned),
        ("Heures suivies", f"{attended} sur {planned}, selon la feuille d'émargement"),
        ("Assiduité", assiduity_line(certificate)),
        ("Modalité d'évaluation", course.get("evaluation_method") or "non précisée"),
        ("Résultats de l'évaluation", evaluation_lines(certificate)),
    ]
    return [
        *_letterhead(organisation),
        _p("Attestation de fin de formation", invoice._TITLE),
        _p(f"N° {certificate.get('attestation_number', '')}", _NUMBER),
        Spacer(1, 4 * mm),
        _p(
            f"{invoice.VENUE}, organisme de formation, atteste que {certificate.get('name', '')} "
            "a suivi l'action ci-dessous."
        ),
        Spacer(1, 3 * mm),
        _facts_table(facts),
        Spacer(1, 4 * mm),
        _p(
            "Attestation remise au ou à la participant·e à l'issue de la formation (Code du travail, art. L6353-1).",
            invoice._SMALL,
        ),
        Spacer(1, 8 * mm),
        _p(_made_at(organisation, certificate, "Fait")),
        Spacer(1, 3 * mm),
        _p(
            f"Pour {invoice.VENUE}, {organisation.representative}, signature :"
            if organisation.representative
            else f"Pour {invoice.VENUE}, nom, qualité et signature :"
        ),
    ]


def _facts_table(facts):
    rows = [
        [
            Paragraph(escape(label), invoice._HEAD),
            _lines(value, invoice._CELL) if isinstance(value, list) else _p(value, invoice._CELL),
        ]
        for label, value in facts
    ]
    table = Table(rows, colWidths=[50 * mm, 124 * mm])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, invoice._GRID),
                ("BACKGROUND", (0, 0), (0, -1), invoice._SHADE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _realisation(certificate, organisation):
    course, session = certificate.get("course") or {}, certificate.get("session") or {}
    attended, _planned = _hours_of(certificate)
    title = course.get("title") or session.get("title", "")
    natures = [_p(f"[{'X' if chosen else ' '}] {nature}") for nature, chosen in NATURES]
    employer = []
    if certificate.get("employer_name"):
        employer = [_p(f"salarié·e de l'entreprise : {certificate['employer_name']}")]
    elif certificate.get("participant_kind") in ("professional", "external"):
        employer = [_p("salarié·e de l'entreprise (nom et adresse) : ……………………………………………………")]
    return [
        *_letterhead(organisation),
        _p("Certificat de réalisation", invoice._TITLE),
        _p(f"N° {certificate.get('realisation_number', '')}", _NUMBER),
        Spacer(1, 4 * mm),
        _p(
            f"Je soussigné·e {organisation.representative or '……………………………………'}, représentant·e légal·e du "
            "dispensateur de l'action concourant "
            f"au développement des compétences {invoice.VENUE}, atteste que :"
        ),
        Spacer(1, 2 * mm),
        _p(certificate.get("name", ""), _CENTRED),
        *employer,
        Spacer(1, 2 * mm),
        _p(f"a suivi l'action « {title} »."),
        Spacer(1, 2 * mm),
        _p("Nature de l'action concourant au développement des compétences :"),
        *natures,
        Spacer(1, 2 * mm),
        _p(f"qui s'est déroulée {_dates(session)}" if session.get("starts_at") else "qui s'est déroulée"),
        _p(f"pour une durée de {attended} réalisées."),
        _p(assiduity_line(certificate)),
        Spacer(1, 4 * mm),
        _p(
            "Sans préjudice des délais imposés par les règles fiscales, comptables ou commerciales, je m'engage à "
            "conserver l'ensemble des pièces justificatives qui ont permis d'établir le présent certificat pendant "
            "une durée de 3 ans à compter de la fin de l'année du dernier paiement. En cas de cofinancement des "
            "fonds européens, la durée de conservation est étendue conformément aux obligations conventionnelles "
            "spécifiques.",
            invoice._SMALL,
        ),
        Spacer(1, 8 * mm),
        _p(f"Fait à : {organisation.town or '……………………………………'}"),
        _p(f"Le : {long_day(certificate['issued_on'])}" if certificate.get("issued_on") else "Le :"),
        Spacer(1, 3 * mm),
        _p("Cachet et signature du responsable du dispensateur de formation (nom, prénom, qualité du signataire) :"),
    ]


def _made_at(organisation, certificate, verb):
    """« Fait à Lyon, le mardi 8 décembre 2026. » with what is known."""
    place = f" à {organisation.town}," if organisation.town else ""
    when = f" le {long_day(certificate['issued_on'])}." if certificate.get("issued_on") else " le"
    return f"{verb}{place}{when}"
