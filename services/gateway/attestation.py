"""A trainee's attestation de stage as a PDF (A4, in French), drawn with ReportLab, and the hour
sheet as CSV for the school.

Presentation only: every figure comes from the placements service's answers (PlacementOut,
HourLogOut in services/placements/schemas.py). The attestation states the effective duration of
the placement (its validated hours and dates) and, where due, the total gratification (Code de
l'éducation D124-9 [unconfirmed article number], docs/placements-rules.md); the tutor's
evaluation follows when given. Same fonts and writing as the invoice (services/gateway/invoice.py).
"""

from datetime import date
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from services.gateway import invoice
from services.gateway.spreadsheet import Sheet
from shared.timeutil import in_venue_zone, venue_today

ENDED = ("completed", "interrupted")
RATINGS = {"acquired": "acquis", "in_progress": "en cours d'acquisition", "not_acquired": "non acquis"}
KINDS = {"on_site": "sur place", "training": "formation"}
STATUSES = {"submitted": "à valider", "validated": "validée", "rejected": "refusée"}
CREDITED_BY = "feuille d'émargement"  # who validated a training log (education's attendance sheet)
SHEET_COLUMNS = ("date", "début", "fin", "heures", "nature", "statut", "validé par", "le")


def filename(placement):
    return f"attestation-stage-{placement.get('id', 'stage')}.pdf"


def _day(value):
    return invoice.day_name(date.fromisoformat(value)) + f" {value[:4]}" if value else ""


def render(placement, tutor_name=""):
    """The PDF (bytes) of an ended placement (PlacementOut as a dict)."""
    buffer = BytesIO()
    heading = "Attestation de stage"
    doc = invoice.document(buffer, heading)
    text = invoice._TEXT
    name = placement.get("trainee_name", "")
    story = [Paragraph(escape(invoice.VENUE), invoice._VENUE), Paragraph(heading, invoice._TITLE)]
    lines = [
        f"{invoice.VENUE} atteste que {name} a effectué un stage dans ses locaux "
        f"du {_day(placement.get('starts_on'))} au {_day(placement.get('ends_on'))}, "
        f"envoyé·e par l'établissement « {placement.get('school', '')} ».",
        f"Durée effective du stage : {invoice.hours(placement.get('validated_hours') or 0)} de présence validées"
        + (f" (sur {invoice.hours(placement['required_hours'])} prévues)." if placement.get("required_hours") else "."),
    ]
    if placement.get("training_hours") not in (None, "0.00"):
        lines.append(f"Heures de formation suivies : {invoice.hours(placement['training_hours'])}.")
    if placement.get("gratification_due"):
        lines.append(f"Gratification versée au total : {invoice.money(placement.get('gratification_total') or 0)}.")
    else:
        lines.append("Aucune gratification n'était due pour ce stage.")
    if placement.get("status") == "interrupted":
        lines.append(f"Le stage a été interrompu. Motif : {placement.get('interruption_reason') or ''}")
    if tutor_name:
        lines.append(f"Tuteur ou tutrice : {tutor_name}.")
    story += [Paragraph(escape(line), text) for line in lines]
    evaluation = placement.get("evaluation") or []
    if evaluation:
        story += [Spacer(1, 6 * mm), Paragraph("Évaluation du tuteur ou de la tutrice", invoice._TITLE)]
        rows = [[Paragraph(h, invoice._HEAD) for h in ("Compétence", "Appréciation", "Commentaire")]]
        rows += [
            [
                Paragraph(escape(item.get("competence", "")), invoice._CELL),
                Paragraph(escape(RATINGS.get(item.get("rating"), "")), invoice._CELL),
                Paragraph(escape(item.get("comment", "")), invoice._CELL),
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
        story.append(table)
    today = venue_today()
    story += [Spacer(1, 10 * mm), Paragraph(f"Fait le {invoice.day_name(today)} {today:%Y}.", text)]
    doc.build(story)
    return buffer.getvalue()


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
