"""The bilan's charts, drawn on the server as SVG files (pygal), each with the table of its
figures for whoever does not see it (a screen reader reads the table, the chart is its picture).

One `Chart` holds a chart's figures once: the SVG and the page's table are both drawn from it, so
they never disagree. The figures are exact (the staff's own page, not a file that leaves the venue).

The SVG is served as its own file and shown with `<img src alt>`: no script (pygal adds its
configuration as an inline <script> even without its scripts: it is taken out), nothing loaded
from another site (no font, no stylesheet), and its one inline <style>, which the site's CSP
allows by its hash on the file's own answer (`security_headers.allow_inline`).
"""

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from services.gateway import bilan
from shared.vocabulary import MONTHS_FR

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"


def _register_svg_prefixes():
    """The SVG written back unprefixed (ElementTree's default_namespace refuses unprefixed
    attributes). ElementTree keeps one global map, and another library in the process (sepaxml
    for the SEPA files) registers its own default namespace, which drops ours: so the map is
    set again right before each write (no green switch can come between the two)."""
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)


# Dark enough on white for WCAG AA's 3:1 of graphics (1.4.11), told apart by more than colour:
# each series' figures are also in the table.
COLOURS = ("#1d4f91", "#b3401a", "#2f6b2f", "#6b3fa0")
STYLE = dict(
    background="white",
    plot_background="white",
    foreground="#1f1f1f",
    foreground_strong="#1f1f1f",
    foreground_subtle="#555555",
    colors=COLOURS,
    font_family="sans-serif",
    title_font_size=20,
    label_font_size=14,
    major_label_font_size=14,
    legend_font_size=14,
    value_font_size=14,
    value_colors=("#ffffff",) * len(COLOURS),  # printed inside the bars: white on the dark colours
)


@dataclass
class Chart:
    """A chart's figures: `columns` (the table's headings, the first one heading the rows),
    `rows` [(row heading, [values as the table writes them])], and `series` [(name, [numbers])]
    drawn against `labels`."""

    name: str
    title: str
    alt: str
    columns: list
    rows: list = field(default_factory=list)
    labels: list = field(default_factory=list)
    series: list = field(default_factory=list)
    kind: str = "bar"  # or "line"
    percent: bool = False


NAMES = ("entonnoir", "immersions-embauches", "heures-benevoles", "occupation")


def charts(found, months):
    """The page's four charts, in order, from the summary and the monthly figures."""
    return [funnel(found), immersions_and_hires(months), volunteer_hours(months), occupancy(months)]


def by_name(name, found, months):
    return {chart.name: chart for chart in charts(found, months)}.get(name)


def funnel(found):
    steps = found.get("funnel") or []
    labels = [_(bilan.funnel_label(step["step"])) for step in steps]
    counts = [step.get("count") or 0 for step in steps]
    return Chart(
        name="entonnoir",
        title=_("Le parcours, de l'immersion à l'embauche"),
        alt=_(
            "Graphique en barres : nombre de personnes à chaque étape du parcours, détaillé dans le tableau qui suit."
        ),
        columns=[_("Étape"), _("Personnes"), _("Passage depuis l'étape précédente")],
        rows=[
            (label, [str(count), bilan.percent(step.get("conversion")) if step.get("conversion") else "—"])
            for label, count, step in zip(labels, counts, steps, strict=True)
        ],
        labels=labels,
        series=[(_("Personnes"), counts)],
    )


def immersions_and_hires(months):
    labels = [month_label(m["month"]) for m in months]
    immersions = [_count(m, "immersions") for m in months]
    hires = [_count(m, "hired") for m in months]
    return Chart(
        name="immersions-embauches",
        title=_("Immersions et embauches, mois par mois"),
        alt=_("Graphique en barres : immersions et embauches de chaque mois, détaillées dans le tableau qui suit."),
        columns=[_("Mois"), _("Immersions"), _("Embauches")],
        rows=[(label, [str(i), str(h)]) for label, i, h in zip(labels, immersions, hires, strict=True)],
        labels=labels,
        series=[(_("Immersions"), immersions), (_("Embauches"), hires)],
    )


def volunteer_hours(months):
    labels = [month_label(m["month"]) for m in months]
    hours = [_number(m, "volunteer_hours") for m in months]
    return Chart(
        name="heures-benevoles",
        title=_("Heures de bénévolat, mois par mois"),
        alt=_("Graphique en barres : heures de bénévolat de chaque mois, détaillées dans le tableau qui suit."),
        columns=[_("Mois"), _("Heures de bénévolat")],
        rows=[(label, [bilan.decimal_text(h) + "\u00a0h"]) for label, h in zip(labels, hours, strict=True)],
        labels=labels,
        series=[(_("Heures de bénévolat"), [float(h) for h in hours])],
    )


def occupancy(months):
    labels = [month_label(m["month"]) for m in months]
    rates = [(m.get("indicators") or {}).get("occupancy_rate") for m in months]
    return Chart(
        name="occupation",
        title=_("Taux d'occupation de la crèche, mois par mois"),
        alt=_(
            "Graphique en courbe : taux d'occupation de la crèche de chaque mois, détaillé dans le tableau qui suit."
        ),
        columns=[_("Mois"), _("Taux d'occupation")],
        rows=[(label, [bilan.percent(rate)]) for label, rate in zip(labels, rates, strict=True)],
        labels=labels,
        series=[(_("Taux d'occupation (%)"), [_as_percent(rate) for rate in rates])],
        kind="line",
        percent=True,
    )


def month_label(iso_month):
    """ "2026-11" -> « nov. 2026 »'s long form: « novembre 2026 »."""
    try:
        year, number = iso_month.split("-")
        return f"{MONTHS_FR[int(number) - 1]} {year}"
    except (ValueError, IndexError, AttributeError):
        return str(iso_month)


def _count(month, name):
    value = (month.get("indicators") or {}).get(name)
    return value if isinstance(value, int) else 0


def _number(month, name):
    try:
        return Decimal(str((month.get("indicators") or {}).get(name) or 0))
    except InvalidOperation:
        return Decimal(0)


def _as_percent(rate):
    try:
        return None if rate is None else float(Decimal(str(rate)) * 100)
    except InvalidOperation:
        return None


# --- drawing ------------------------------------------------------------------------------------
def svg(chart):
    """(the chart's SVG text, the text of its inline <style>): no script, no address elsewhere."""
    import pygal  # only for the bilan's charts: not in every gateway worker from its start
    from pygal.style import Style

    kind = pygal.Line if chart.kind == "line" else pygal.Bar
    drawing = kind(
        js=[],
        disable_xml_declaration=True,
        style=Style(**STYLE),
        title=chart.title,
        show_legend=len(chart.series) > 1,
        legend_at_bottom=True,
        print_values=chart.kind == "bar",
        x_label_rotation=0 if len(chart.labels) <= 6 else 30,
        width=800,
        height=420,
        tooltip_border_radius=0,
        range=(0, 100) if chart.percent else None,
        include_x_axis=True,
        margin_right=60,  # the last month's label whole under a line chart's last point
        no_data_text=_("Aucune donnée sur la période"),
        value_formatter=_french_number,
    )
    drawing.x_labels = chart.labels
    for name, values in chart.series:
        drawing.add(name, values)
    return cleaned(drawing.render(is_unicode=True))


def _french_number(value):
    if value is None:
        return ""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def cleaned(text):
    """pygal's SVG without its <script> (its configuration, for interactive tooltips), its
    comments (addresses of pygal's site) and the tooltips' inline style attributes; with the
    text of its <style> block, for the CSP's hash."""
    root = ET.fromstring(text)  # comments are dropped by the parser
    for parent in root.iter():
        for child in list(parent):
            if child.tag == f"{{{SVG_NS}}}script" or "tooltip" in (child.get("class") or "").split():
                parent.remove(child)
    for element in root.iter():
        element.attrib.pop("style", None)
    styles = [element.text or "" for element in root.iter(f"{{{SVG_NS}}}style")]
    _register_svg_prefixes()
    return ET.tostring(root, encoding="unicode"), styles
