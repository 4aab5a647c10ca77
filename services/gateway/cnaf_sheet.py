"""The CNAF report as a spreadsheet for the CAF: what the JSON API's CSV and the staff page's
download both serve."""

from services.gateway.spreadsheet import Sheet

CNAF_COLUMNS = (
    ("month", "Mois"),
    ("occasional_hours_billed", "Heures facturées (occasionnel)"),
    ("occasional_hours_attended", "Heures réalisées (occasionnel)"),
    ("contract_hours_billed", "Heures facturées (contrats)"),
    ("contract_hours_attended", "Heures réalisées (contrats)"),
    ("hours_billed", "Heures facturées"),
    ("hours_attended", "Heures réalisées"),
    ("amount", "Participations familiales (€)"),
    ("billing_ratio", "Taux de facturation (%)"),
)


def cnaf_csv(report):
    """The report as a spreadsheet opens it in France: `;` between columns, a decimal comma,
    UTF-8 with its BOM, one line per month and a total."""
    sheet = Sheet([title for _, title in CNAF_COLUMNS])
    total = dict(report, month=f"Total {report.get('year', '')}".strip())
    for row in [*report.get("months", []), total]:
        sheet.row([_cell(row.get(name)) for name, _ in CNAF_COLUMNS])
    return sheet.text()


def _cell(value):
    """A figure as the sheet shows it: a decimal comma; nothing for a missing one (no ratio)."""
    return "" if value is None else str(value).replace(".", ",")
