"""The pilot's bilan for the staff who report to the CAF and France Travail (director,
coordinator): /equipe/bilan (a period, the indicators with their definitions, four charts each
followed by its table), its CSV and its PDF for the funders (small counts masked:
services/gateway/statistical_secrecy.py), each chart as its own SVG file, and one person's path
from a crèche place to a hire (/equipe/personnes/<account id>/parcours). Every figure is the
insights service's; the views only choose the period and write."""

from flask import Response, abort, current_app, g, render_template, request
from flask_babel import gettext as _

from services.gateway import bilan, bilan_charts, bilan_pdf
from services.gateway.errors import ApiError
from services.gateway.models import Account
from services.gateway.security_headers import allow_inline
from services.gateway.service_calls import services
from services.gateway.web import form_errors
from services.gateway.web.guards import requires
from services.gateway.web.staff import bp
from shared.vocabulary import N_, PERSON_PATH_KIND_LABELS

BILAN = ("director", "coordinator")
FORM_FIELDS = {"from": "du", "to": "au"}  # the service's names -> the form's (the page's words)
SOURCES = {  # the service that knew of a step, as the page names it
    "bookings": N_("Crèche"),
    "placements": N_("Stages"),
    "education": N_("Formation"),
    "volunteers": N_("Bénévolat"),
    "team": N_("Équipe"),
}


def _asked():
    """The period the page was asked for (?du=&au=), as the service's parameters."""
    return {"from": request.args.get("du", "").strip(), "to": request.args.get("au", "").strip()}


def _period():
    """(from, to) of the request, or a 422 page naming what is wrong."""
    try:
        return bilan.period(_asked())
    except ApiError as exc:
        message = " ".join(sentence for sentences in form_errors(exc).values() for sentence in sentences)
        page = render_template("web/error.html", title=_("Période non valable"), message=message)
        abort(Response(page, 422))


@bp.get("/bilan")
@requires(*BILAN)
def bilan_page():
    asked = _asked()
    try:
        start, end = bilan.period(asked)
    except ApiError as exc:
        errors = form_errors(exc, renamed=FORM_FIELDS)
        return render_template("web/staff/bilan.html", errors=errors, asked=asked, found=None), 422
    g.service_part = "insights"
    with services() as rpc:
        found = bilan.summary(rpc, start, end)
        months = bilan.monthly(rpc, start, end)
    return render_template(
        "web/staff/bilan.html",
        errors={},
        asked={"from": found.get("from") or start or "", "to": found.get("to") or end or ""},
        found=found,
        rows=bilan.rows(found),
        charts=bilan_charts.charts(found, months),
        figure=bilan.figure,
    )


@bp.get("/bilan/graphiques/<name>.svg")
@requires(*BILAN)
def bilan_chart(name):
    """One chart as its own SVG file (shown with <img>; its table is on the page)."""
    if name not in bilan_charts.NAMES:
        abort(404)
    start, end = _period()
    g.service_part = "insights"
    with services() as rpc:
        found = bilan.summary(rpc, start, end) if name == "entonnoir" else {}
        months = bilan.monthly(rpc, start, end) if name != "entonnoir" else []
    text, styles = bilan_charts.svg(bilan_charts.by_name(name, found, months))
    return allow_inline(Response(text, mimetype="image/svg+xml"), styles=styles)


@bp.get("/bilan.csv")
@requires(*BILAN)
def bilan_csv():
    """The bilan for the funders, in a spreadsheet: small counts masked."""
    start, end = _period()
    g.service_part = "insights"
    with services() as rpc:
        found = bilan.summary(rpc, start, end)
        months = bilan.monthly(rpc, start, end)
    name = bilan_pdf.filename(found).replace(".pdf", ".csv")
    return Response(
        bilan.bilan_csv(current_app.config["VENUE_NAME"], found, months),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/bilan.pdf")
@requires(*BILAN)
def bilan_pdf_file():
    """« Bilan de l'expérimentation » for the funders, as a PDF: small counts masked."""
    start, end = _period()
    g.service_part = "insights"
    with services() as rpc:
        found = bilan.summary(rpc, start, end)
    return Response(
        bilan_pdf.render(current_app.config["VENUE_NAME"], found),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{bilan_pdf.filename(found)}"'},
    )


@bp.get("/personnes/<account_id>/parcours")
@requires(*BILAN)
def person_path(account_id):
    """A person's path, oldest first: their name from the gateway's accounts, the steps from
    insights (the services that knew them)."""
    person = Account.get_or_none(Account.id == account_id)
    if person is None:
        message = _("Compte introuvable.")
        return render_template("web/error.html", title=_("Demande impossible"), message=message), 404
    g.service_part = "insights"
    with services() as rpc:
        steps = rpc.insights.person_path(account_id)
    return render_template(
        "web/staff/person_path.html",
        person=person,
        steps=sorted(steps or [], key=lambda step: step.get("on") or ""),
        step_label=lambda kind: _(PERSON_PATH_KIND_LABELS[kind]) if kind in PERSON_PATH_KIND_LABELS else kind,
        source_label=lambda source: _(SOURCES[source]) if source in SOURCES else source,
    )
