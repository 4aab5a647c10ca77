"""The pilot's bilan for the CAF and France Travail (défi innovation sociale), from the insights
service: what the JSON API (`/api/v1/insights/summary`) and the staff's pages (`/equipe/bilan`,
its CSV, its PDF and its charts) share.

- The period: `from` and `to`, ISO dates, both optional (the service's default period then),
  `from` not after `to`; refused with a French sentence under the field (422).
- The indicators' French titles and the order the bilan lists them in; their definitions are the
  service's (its `definitions`), shown with each figure.
- The CSV for the funders: every count from 1 to 4 written « < 5 » and the conversions derived
  from one masked (services/gateway/statistical_secrecy.py). The bilan holds counts only: no
  name ever reaches it (insights answers none in `summary` and `monthly`).

Rates (occupancy, billing ratio, conversions) come as ratios written as text ("0.85", like a
conversion's "0.50") and are shown as percentages (`percent`).
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from marshmallow import Schema, ValidationError, fields, validates_schema

from services.gateway import statistical_secrecy as secrecy
from services.gateway.bpf_sheet import FUNDING_NAMES
from services.gateway.errors import ApiError
from services.gateway.spreadsheet import Sheet
from shared.vocabulary import IMMERSION_OBJECT_LABELS, N_

COUNT, HOURS, RATE = "count", "hours", "rate"

# (name in the service's answer, French title, what it measures), in the bilan's order.
INDICATORS = (
    ("immersions", N_("Immersions (PMSMP)"), COUNT),
    ("hired", N_("Embauches dans la structure"), COUNT),
    ("back_to_work", N_("Retours à l'emploi"), COUNT),
    ("back_to_work_3_months", N_("En emploi 3 mois après"), COUNT),
    ("back_to_work_6_months", N_("En emploi 6 mois après"), COUNT),
    ("job_seeking_families_with_place", N_("Familles en recherche d'emploi accueillies"), COUNT),
    ("avip_places_used", N_("Places AVIP occupées"), COUNT),
    ("training_hours", N_("Heures de formation"), HOURS),
    ("validated_placement_hours", N_("Heures de stage validées"), HOURS),
    ("certificates", N_("Certificats de réalisation délivrés"), COUNT),
    ("volunteer_hours", N_("Heures de bénévolat"), HOURS),
    ("intergenerational_activities", N_("Activités intergénérationnelles"), COUNT),
    ("distinct_seniors", N_("Seniors différents venus"), COUNT),
    ("distinct_children", N_("Enfants différents accueillis"), COUNT),
    ("occupancy_rate", N_("Taux d'occupation de la crèche"), RATE),
    ("billing_ratio", N_("Taux de facturation"), RATE),
)
INDICATOR_NAMES = tuple(name for name, _title, _kind in INDICATORS)
INDICATOR_TITLES = {name: title for name, title, _kind in INDICATORS}
INDICATOR_KINDS = {name: kind for name, _title, kind in INDICATORS}
FUNNEL_STEPS = ("immersion", "training", "placement", "hired")
FUNNEL_STEP_LABELS = {
    "immersion": N_("Immersion"),
    "training": N_("Formation"),
    "placement": N_("Stage"),
    "hired": N_("Embauche"),
}
SECRECY_NOTE = "les effectifs de 1 à 4 sont écrits « < 5 », et les taux calculés sur eux masqués ; 0 reste 0"
BAD_DATE = "Indiquez une date au format AAAA-MM-JJ, par exemple 2026-11-30."
REVERSED = "La fin de la période doit être le jour de son début ou après."


class PeriodQuery(Schema):
    """The bilan's period: both days included, both optional."""

    from_date = fields.Date(
        data_key="from",
        error_messages={"invalid": BAD_DATE},
        metadata={"description": "Premier jour de la période (AAAA-MM-JJ, inclus) ; optional"},
    )
    to_date = fields.Date(
        data_key="to",
        error_messages={"invalid": BAD_DATE},
        metadata={"description": "Dernier jour de la période (AAAA-MM-JJ, inclus) ; optional"},
    )

    @validates_schema
    def _in_order(self, data, **kwargs):
        start, end = data.get("from_date"), data.get("to_date")
        if start and end and start > end:
            raise ValidationError(REVERSED, "to")


def period(query):
    """(from, to) as ISO dates or None, from the query parameters {"from", "to"} (text); 422 naming
    the field for a date not understood or a period that ends before it starts."""
    try:
        loaded = PeriodQuery().load({key: value for key, value in query.items() if value})
    except ValidationError as exc:
        raise ApiError(422, "validation_failed", "Certains champs ne sont pas valides.", exc.messages) from None
    start, end = loaded.get("from_date"), loaded.get("to_date")
    return (start.isoformat() if start else None, end.isoformat() if end else None)


def summary(rpc, start, end):
    return rpc.insights.summary(start, end)


def monthly(rpc, start, end):
    return rpc.insights.monthly(start, end)


# --- writing the figures ------------------------------------------------------------------------
def decimal_text(value):
    """ "12.50" -> « 12,5 », "4.00" -> « 4 »: a figure the French way, to the hundredth at most."""
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return "" if value is None else str(value)
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def percent(value):
    """A ratio written as text ("0.853") as a percentage: « 85,3 % »; « — » for none."""
    if value is None or value == "":
        return "—"
    try:
        number = (Decimal(str(value)) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    return f"{number:f}".replace(".", ",") + "\u00a0%"


def figure(name, value):
    """An indicator's value as the staff read it (exact): a count, hours « 12,5 h », a rate in %."""
    kind = INDICATOR_KINDS.get(name, COUNT)
    if value is None:
        return "—"
    if kind == RATE:
        return percent(value)
    if kind == HOURS:
        return decimal_text(value) + "\u00a0h"
    return str(value)


def shared_figure(name, value):
    """The same as it leaves the venue: a count from 1 to 4 written « < 5 »."""
    masked = secrecy.count(value)
    return masked if masked == secrecy.MASKED else figure(name, value)


def shared_conversion(steps, index):
    """The funnel's step `index` conversion as it leaves the venue: masked when this step's or the
    previous step's count is from 1 to 4 (statistical_secrecy.rate)."""
    step = steps[index]
    previous = steps[index - 1]["count"] if index else None
    masked = secrecy.rate(step.get("conversion"), step.get("count"), previous)
    return masked if masked in (None, secrecy.MASKED_RATE) else percent(masked)


def rows(found):
    """[(name, title, value, definition)] of the summary's indicators, in the bilan's order (an
    indicator the service adds later comes last, its name as title)."""
    indicators = found.get("indicators") or {}
    definitions = found.get("definitions") or {}
    names = [name for name in INDICATOR_NAMES if name in indicators]
    names += sorted(name for name in indicators if name not in INDICATOR_TITLES)
    return [(name, INDICATOR_TITLES.get(name, name), indicators[name], definitions.get(name, "")) for name in names]


def funnel_label(step):
    return FUNNEL_STEP_LABELS.get(step, step)


def object_label(code):
    return IMMERSION_OBJECT_LABELS.get(code, code)


def funder_label(code):
    """ "opco" -> « OPCO (opérateur de compétences) »: the BPF's names of the funding kinds."""
    return FUNDING_NAMES.get(code, code)


# --- the CSV for the funders --------------------------------------------------------------------
def bilan_csv(venue, found, months):
    """The bilan as a spreadsheet for the CAF and France Travail (`;`, UTF-8 with its BOM): the
    period, each indicator with its definition, the funnel, immersions by object, training hours
    by funder, then month by month; every count from 1 to 4 written « < 5 »."""
    sheet = Sheet()
    sheet.row(["Bilan de l'expérimentation", venue])
    sheet.row(["Période", f"du {found.get('from') or ''} au {found.get('to') or ''}"])
    sheet.row(["Secret statistique", SECRECY_NOTE])
    sheet.row()
    sheet.row(["Indicateur", "Valeur", "Définition"])
    for name, title, value, definition in rows(found):
        sheet.row([title, shared_figure(name, value), definition])
    _funnel_rows(sheet, found.get("funnel") or [])
    sheet.row()
    sheet.row(["Objet de l'immersion", "Immersions"])
    for code, count in (found.get("immersions_by_object") or {}).items():
        sheet.row([object_label(code), secrecy.count(count)])
    sheet.row()
    sheet.row(["Financeur de la formation", "Heures de formation"])
    for funder, hours in (found.get("training_hours_by_funder") or {}).items():
        sheet.row([funder_label(funder), decimal_text(hours)])
    _monthly_rows(sheet, months)
    return sheet.text()


def _funnel_rows(sheet, steps):
    sheet.row()
    sheet.row(["Étape du parcours", "Personnes", "Passage depuis l'étape précédente"])
    for index, step in enumerate(steps):
        conversion = shared_conversion(steps, index)
        sheet.row([funnel_label(step["step"]), secrecy.count(step["count"]), "" if conversion is None else conversion])


def _monthly_rows(sheet, months):
    names = [name for name in INDICATOR_NAMES if any(name in (m.get("indicators") or {}) for m in months)]
    if not names:
        return
    sheet.row()
    sheet.row(["Mois", *(INDICATOR_TITLES[name] for name in names)])
    for month in months:
        values = month.get("indicators") or {}
        sheet.row([month["month"], *(shared_figure(name, values.get(name)) for name in names)])


# --- the API's answer, as documented (the insights service's `summary`) ------------------------
class FunnelStepOut(Schema):
    step = fields.String(metadata={"enum": list(FUNNEL_STEPS)})
    count = fields.Integer()
    conversion = fields.String(
        allow_none=True,
        metadata={"description": 'Part de l\'étape précédente arrivée à celle-ci ("0.50") ; null pour la première'},
    )


class SummaryOut(Schema):
    from_date = fields.Date(
        data_key="from", allow_none=True, metadata={"description": "null : depuis le début (aucun premier jour donné)"}
    )
    to_date = fields.Date(data_key="to", allow_none=True, metadata={"description": "null : aucun dernier jour donné"})
    indicators = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(),
        metadata={"description": "Par nom d'indicateur : un effectif (entier) ou des heures, un taux (texte décimal)"},
    )
    definitions = fields.Dict(
        keys=fields.String(), values=fields.String(), metadata={"description": "La définition de chaque indicateur"}
    )
    funnel = fields.List(fields.Nested(FunnelStepOut))
    immersions_by_object = fields.Dict(keys=fields.String(), values=fields.Integer())
    training_hours_by_funder = fields.Dict(keys=fields.String(), values=fields.String())
