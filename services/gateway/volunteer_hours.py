"""The venue's volunteer hours of a year as the association's activity report (CSV), the same file
for the JSON API and the staff's page (services/gateway/documents.py serves it)."""

from services.gateway.spreadsheet import Sheet
from shared.timeutil import in_venue_zone
from shared.vocabulary import ACTIVITY_KIND_LABELS, AGE_GROUP_LABELS, AGE_GROUP_UNKNOWN_LABEL

CSV_COLUMNS = ("Bénévole", "Activité", "Type", "Début", "Fin", "Heures", "Âge des enfants")
AGE_GROUP_NAMES = {**AGE_GROUP_LABELS, "unknown": AGE_GROUP_UNKNOWN_LABEL}
TRAINING = "Formation"


def _decimal(value):
    """ "12.50" -> "12,50": the decimal comma of a French spreadsheet."""
    return str(value or "0.00").replace(".", ",")


def _moment(iso):
    """ "2026-12-03T09:30:00+01:00" -> "03/12/2026 09:30" (the venue's time)."""
    try:
        moment = in_venue_zone(iso)
    except (TypeError, ValueError):
        return iso or ""
    return moment.strftime("%d/%m/%Y %H:%M") if moment else ""


def _activities(n):
    return f"{n} activité" if n == 1 else f"{n} activités"


def _parts(n):
    return f"{n} partie de formation" if n == 1 else f"{n} parties de formation"


def _groups_text(groups):
    return ", ".join(f"{AGE_GROUP_NAMES.get(g['age_group'], g['age_group'])} : {g['activities']}" for g in groups)


def hours_csv(found):
    """The venue's year (rpc.volunteers.venue_hours) as the association's activity report: one
    line per volunteer and activity with the children's age group, one per training part
    attended (type « Formation »); then the venue's totals (with the children, by age group,
    training apart); then each volunteer's. `;`, decimal comma, UTF-8 with its BOM."""
    sheet = Sheet(CSV_COLUMNS)
    for line in found.get("lines", []):
        sheet.row(
            [
                line.get("volunteer") or "",
                line.get("title") or "",
                ACTIVITY_KIND_LABELS.get(line.get("kind"), line.get("kind") or ""),
                _moment(line.get("starts_at")),
                _moment(line.get("ends_at")),
                _decimal(line.get("hours")),
                AGE_GROUP_NAMES.get(line.get("age_group") or "unknown"),
            ]
        )
    for line in found.get("training_lines", []):
        sheet.row(
            [
                line.get("volunteer") or "",
                line.get("title") or "",
                TRAINING,
                _moment(line.get("starts_at")),
                _moment(line.get("ends_at")),
                _decimal(line.get("hours")),
                "",
            ]
        )
    sheet.row([])
    sheet.row(["Total", _activities(found.get("activities", 0)), "", "", "", _decimal(found.get("hours")), ""])
    for group in found.get("age_groups", []):
        name = AGE_GROUP_NAMES.get(group["age_group"], group["age_group"])
        sheet.row(["Total", _activities(group["activities"]), "", "", "", _decimal(group["hours"]), name])
    parts = found.get("training_parts", 0)
    sheet.row(["Total", _parts(parts), TRAINING, "", "", _decimal(found.get("training_hours")), ""])
    if found.get("volunteers"):
        sheet.row([])
    for each in found.get("volunteers", []):
        row = [each["volunteer"], _activities(each["activities"]), "", "", "", _decimal(each["hours"])]
        sheet.row(row + [_groups_text(each["age_groups"])])
        if each.get("training_parts"):
            sheet.row(
                [
                    each["volunteer"],
                    _parts(each["training_parts"]),
                    TRAINING,
                    "",
                    "",
                    _decimal(each["training_hours"]),
                    "",
                ]
            )
    return sheet.text()
