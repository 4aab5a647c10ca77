"""The bilan pédagogique et financier (BPF) of a year as a spreadsheet: what the JSON API's CSV
and the staff page's download both serve. Every figure is the education service's (`bpf_report`,
BpfOut): the cerfa's lines (cadre C, the income by origin; cadre F-1, the trainees by type), then
the same totals by our funding kinds and by our participant kinds, then the total."""

from services.gateway.spreadsheet import Sheet

COLUMNS = ("Partie", "Ligne", "Libellé", "Stagiaires", "Heures-stagiaires", "Produits (€)")
FUNDING_NAMES = {
    "opco": "OPCO (opérateur de compétences)",
    "cpf": "CPF (compte personnel de formation)",
    "france_travail": "France Travail",
    "employer": "Employeur",
    "self_funded": "Financement personnel",
}
KIND_NAMES = {
    "professional": "Professionnel·le de la petite enfance",
    "trainee": "Stagiaire",
    "volunteer": "Bénévole",
    "external": "Personne extérieure",
}
INCOME_PART = "Cadre C — origine des produits"
TRAINEES_PART = "Cadre F-1 — type de stagiaires"
FUNDING_PART = "Par financement"
KIND_PART = "Par qualité du participant"


def filename(year):
    return f"bpf-{year}.csv"


def bpf_csv(report):
    """`;` between columns, a decimal comma, UTF-8 with its BOM (services/gateway/spreadsheet.py)."""
    sheet = Sheet(COLUMNS)
    for line in report.get("income_lines", []):
        sheet.row(_row(INCOME_PART, line["code"], line["label"], line))
    for line in report.get("trainee_lines", []):
        sheet.row(_row(TRAINEES_PART, line["code"], line["label"], line))
    for group in report.get("by_funding", []):
        sheet.row(_row(FUNDING_PART, group["key"], FUNDING_NAMES.get(group["key"], group["key"]), group))
    for group in report.get("by_kind", []):
        sheet.row(_row(KIND_PART, group["key"], KIND_NAMES.get(group["key"], group["key"]), group))
    sheet.row(_row("Total", "", f"Total {report.get('year', '')}".strip(), report.get("total") or {}))
    return sheet.text()


def _row(part, code, label, figures):
    return [
        part,
        code,
        label,
        figures.get("trainees", 0),
        _decimal(figures.get("hours")),
        _decimal(figures.get("income")),
    ]


def _decimal(value):
    return "" if value is None else str(value).replace(".", ",")
