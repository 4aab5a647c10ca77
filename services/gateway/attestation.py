"""A trainee's attestation de stage as a PDF (A4, in French), drawn with ReportLab, and the hour
sheet as CSV for the school.

Presentation only: every figure comes from the placements service's answers (PlacementOut,
HourLogOut in services/placements/schemas.py). The attestation follows the model of the arrêté of
29 December 2014 (Code de l'éducation D124-9, docs/placements-rules.md): the host organisation
(the venue's name, address, SIRET and representative: training_documents.Organisation, the
COCOON_ORGANISATION_* settings; a part not set is left to fill in by hand), the trainee (name,
birth date), the programme and the school, the dates and the total effective duration (the
validated hours of presence; an observation stage, whose hours are not validated, states its
planned hours), and the total gratification ACTUALLY PAID (`gratification_paid`, never the
computed minimum `gratification_total`); then the interruption's reason, the tutor, the tutor's
evaluation when given, « Fait à …, le … » and the representative's signature. Same fonts and
writing as the invoice (services/gateway/invoice.py).
"""

from datetime import date
from decimal import Decimal
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from services.gateway import invoice
from services.gateway.spreadsheet import Sheet
from services.gateway.training_documents import Organisation, long_day
from shared.timeutil import in_venue_zone, venue_today
from shared.vocabulary import MONTHS_FR

ENDED = ("completed", "interrupted")
RATINGS = {"acquired": "acquis", "in_progress": "en cours d'acquisition", "not_acquired": "non acquis"}
KINDS = {"on_site": "sur place", "training": "formation"}
STATUSES = {"submitted": "à valider", "validated": "validée", "rejected": "refusée"}
CREDITED_BY = "feuille d'émargement"  # who validated a training log (education's attendance sheet)
SHEET_COLUMNS = ("date", "début", "fin", "heures", "nature", "statut", "validé par", "le")
TO_FILL = "à compléter"
BLANK = "……………………………………"  # a line to write on by hand
# The model's equivalences: 7 hours of presence, consecutive or not, make a day; 22 days a month.
HOURS_A_DAY, DAYS_A_MONTH = 7, 22
_SECTION = ParagraphStyle(
    "section", parent=invoice._TEXT, fontName=invoice.BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4
)
PENSION_NOTE = (
    "La durée totale du stage tient compte de la présence effective du ou de la stagiaire dans "
    "l'organisme, congés et autorisations d'absence prévus par l'article L124-13 du code de "
    "l'éducation compris : 7 heures de présence, consécutives ou non, valent un jour de stage et "
    "22 jours de présence, consécutifs ou non, valent un mois. Cette attestation permet au ou à la "
    "stagiaire dont le stage a été gratifié de demander, dans les deux ans suivant la fin du stage "
    "et moyennant une cotisation, la prise en compte de ce stage dans ses droits à retraite, dans la "
    "limite de deux trimestres (code de la sécurité sociale, art. L351-17 ; code de l'éducation, "
    "art. D124-9) : la sécurité sociale en précise les conditions."
)


def filename(placement):
    return f"attestation-stage-{placement.get('id', 'stage')}.pdf"


def render(placement, tutor_name="", organisation=None, issued_on=None):
    """The PDF (bytes) of an ended placement (PlacementOut as a dict). `organisation`: the venue's
    identity (training_documents.Organisation; none set: lines to fill in by hand); `issued_on`:
    the day it is signed (today in the venue's zone when not given)."""
    organisation = organisation or Organisation()
    issued_on = issued_on or venue_today()
    buffer = BytesIO()
    heading = "Attestation de stage"
    name = placement.get("trainee_name", "")
    doc = invoice.document(buffer, heading, subject=f"{heading} — {name}", invariant=1)
    story = [
        _p(invoice.VENUE, invoice._VENUE),
        _p(heading, invoice._TITLE),
        _p("à remettre au ou à la stagiaire à l'issue du stage", invoice._SMALL),
        Spacer(1, 4 * mm),
        _section("Organisme d'accueil"),
        _facts(_host(organisation)),
        _p("certifie que"),
        _section("Le ou la stagiaire"),
        _facts(_trainee(placement)),
        _p(_done(placement)),
        _section("Durée du stage"),
        _facts(_duration(placement)),
        _section("Montant de la gratification versée au ou à la stagiaire"),
        _p(_gratification(placement)),
    ]
    others = _others(placement, tutor_name)
    if others:
        story += [_section("Déroulement du stage"), _facts(others)]
    story += _evaluation(placement.get("evaluation") or [])
    story += [
        Spacer(1, 4 * mm),
        _p(PENSION_NOTE, invoice._SMALL),
        Spacer(1, 8 * mm),
        *_signature(organisation, issued_on),
    ]
    doc.build(story, onFirstPage=invoice._footer, onLaterPages=invoice._footer)
    return buffer.getvalue()


# --- the attestation's parts ------------------------------------------------------------------------
def _p(text, style=None):
    return Paragraph(escape(text or ""), style or invoice._TEXT)


def _section(title):
    return Paragraph(escape(title), _SECTION)


def _facts(facts):
    rows = [[_p(label, invoice._HEAD), _p(value, invoice._CELL)] for label, value in facts]
    table = Table(rows, colWidths=[56 * mm, 118 * mm])
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


def _host(organisation):
    return [
        ("Nom ou dénomination sociale", invoice.VENUE),
        ("Adresse", organisation.address or TO_FILL),
        ("SIRET", organisation.siret or TO_FILL),
        ("Représenté par", organisation.representative or TO_FILL),
    ]


def _trainee(placement):
    born = placement.get("trainee_birth_date")
    return [
        ("Nom et prénom", placement.get("trainee_name", "")),
        ("Né·e le", plain_day(born) if born else TO_FILL),
        ("Formation suivie", placement.get("programme_label") or placement.get("programme") or ""),
        ("Établissement d'enseignement", placement.get("school") or ""),
    ]


def _observation(placement):
    """An observation stage (collège, seconde): no hours to validate, its planned hours stand."""
    return placement.get("hours_to_validate") is False


def _done(placement):
    if _observation(placement):
        return "a effectué un stage d'observation en milieu professionnel prévu dans le cadre de sa scolarité."
    return "a effectué un stage prévu dans le cadre de ses études."


def _duration(placement):
    starts, ends = placement.get("starts_on"), placement.get("ends_on")
    ended = in_venue_zone(placement.get("ended_at"))
    if placement.get("status") == "interrupted" and ended and ends and ended.date() < date.fromisoformat(ends):
        dates = f"du {long_day(starts)} au {long_day(ended.date())} (stage interrompu ; fin prévue le {long_day(ends)})"
    else:
        dates = f"du {long_day(starts)} au {long_day(ends)}" if starts and ends else ""
    if _observation(placement):
        planned = placement.get("planned_hours") or 0
        total = f"{invoice.hours(planned)} de présence prévues par la convention{_in_days(planned)}"
        total += " (stage d'observation : les heures ne sont pas relevées)"
    else:
        validated = placement.get("validated_hours") or 0
        total = f"{invoice.hours(validated)} de présence effective validées{_in_days(validated)}"
    return [("Dates du stage", dates), ("Durée totale", total)]


def _in_days(hours):
    """« , soit 27 jours de stage » (« 1 mois et 5 jours ») by the model's equivalences; nothing under 7 h."""
    days = int(Decimal(str(hours)) // HOURS_A_DAY)
    if not days:
        return ""
    months, rest = divmod(days, DAYS_A_MONTH)
    parts = ([f"{months} mois"] if months else []) + ([_count(rest, "jour")] if rest else [])
    return ", soit " + " et ".join(parts) + " de stage"


def _count(number, word):
    return f"{number} {word}{'s' if number > 1 else ''}"


def _gratification(placement):
    """What was actually paid (the payments recorded), « 0,00 € » when nothing was; never the minimum owed."""
    paid = Decimal(str(placement.get("gratification_paid") or 0))
    if paid:
        return f"Le ou la stagiaire a perçu une gratification de stage pour un montant total de {invoice.money(paid)}."
    if placement.get("gratification_due"):
        return f"Montant total de la gratification versée : {invoice.money(paid)}."
    return f"Aucune gratification n'était due pour ce stage : montant total versé {invoice.money(paid)}."


def _others(placement, tutor_name):
    facts = []
    if placement.get("status") == "interrupted":
        facts.append(("Stage interrompu", f"Motif : {placement.get('interruption_reason') or 'non précisé'}"))
    if placement.get("training_hours") not in (None, "0.00", "0"):
        facts.append(
            ("Heures de formation suivies", f"{invoice.hours(placement['training_hours'])} (en plus du stage)")
        )
    if tutor_name:
        facts.append(("Tuteur ou tutrice de stage", tutor_name))
    return facts


def _evaluation(evaluation):
    if not evaluation:
        return []
    rows = [[Paragraph(h, invoice._HEAD) for h in ("Compétence", "Appréciation", "Commentaire")]]
    rows += [
        [
            _p(item.get("competence", ""), invoice._CELL),
            _p(RATINGS.get(item.get("rating"), ""), invoice._CELL),
            _p(item.get("comment", ""), invoice._CELL),
        ]
        for item in evaluation
    ]
    table = Table(rows, colWidths=[70 * mm, 35 * mm, 69 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, invoice._GRID),
                ("BACKGROUND", (0, 0), (-1, 0), invoice._SHADE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return [Spacer(1, 6 * mm), _p("Évaluation du tuteur ou de la tutrice", invoice._TITLE), table]


def _signature(organisation, issued_on):
    return [
        _p(f"Fait à {organisation.town or BLANK}, le {long_day(issued_on)}."),
        Spacer(1, 3 * mm),
        _p(
            "Nom, fonction et signature du représentant ou de la représentante de l'organisme d'accueil : "
            + (organisation.representative or BLANK)
        ),
    ]


def plain_day(value):
    """An ISO date as « 4 mai 2008 », « 1er mars 2026 » (a birth date needs no weekday)."""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS_FR[day.month - 1]} {day.year}"


def hour_sheet(logs, names=None):
    """The hour sheet as CSV text (UTF-8 with BOM for spreadsheets, « ; » as French spreadsheets expect):
    date, start, end, hours, kind (« sur place » or « formation »), status, validated by (`names`:
    account id -> name; « feuille d'émargement » for a training session credited by education), on."""
    names = names or {}
    sheet = Sheet(SHEET_COLUMNS)
    for log in logs:
        starts, ends = _moment(log.get("starts_at")), _moment(log.get("ends_at"))
        on = _moment(log.get("validated_at")) if log.get("status") == "validated" else None
        sheet.row(
            [
                f"{starts:%d/%m/%Y}" if starts else "",
                f"{starts:%H:%M}" if starts else "",
                f"{ends:%H:%M}" if ends else "",
                (log.get("hours") or "").replace(".", ","),
                KINDS.get(log.get("kind"), log.get("kind") or ""),
                STATUSES.get(log.get("status"), log.get("status") or ""),
                _validated_by(log, names) if on else "",
                f"{on:%d/%m/%Y %H:%M}" if on else "",
            ]
        )
    return sheet.text()


def _validated_by(log, names):
    """The tutor's name; a training session's hours are validated by its attendance sheet."""
    if log.get("source") == "education":
        return CREDITED_BY
    return names.get(log.get("validated_by"), log.get("validated_by") or "")


def _moment(value):
    return in_venue_zone(value)
