"""The trainer's page for the evaluation of what was learned (staff): for each confirmed
participant of a session, one form (a fieldset) with a choice per objective of the course
(acquis, en cours d'acquisition, non acquis), sent to the education service's
`record_evaluation`; the results are printed on the attestation de fin de formation. Views hold no
rule: a refusal is the service's French sentence, shown by the participant's form."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.gateway.service_calls import services
from services.gateway.web import field_errors, register_page_hooks
from services.gateway.web.guards import requires
from shared.errors import ServiceError

bp = Blueprint("training_evaluations", __name__, url_prefix="/equipe/formations")
register_page_hooks(bp)

RESULT_KEYS = ("acquis", "en_cours", "non_acquis")


@bp.before_request
def _part():
    g.service_part = "education"


def RESULT_LABELS():  # built per request so that it is translated
    return {"acquis": _("Acquis"), "en_cours": _("En cours d'acquisition"), "non_acquis": _("Non acquis")}


@bp.get("/sessions/<session_id>/evaluations")
@requires("trainer")
def evaluations(session_id):
    return _page(session_id)


@bp.post("/sessions/<session_id>/evaluations/<participant_id>")
@requires("trainer")
def record(session_id, participant_id):
    with services() as rpc:
        sheet = rpc.education.evaluation_sheet(session_id)
    n = next((i for i, row in enumerate(sheet["rows"]) if row["participant_id"] == participant_id), None)
    if n is None:
        return _page(session_id, sheet=sheet, errors={"_schema": [_("Cette personne n'est pas inscrite.")]}, status=404)
    chosen = {k: request.form.get(f"objectif-{k}", "") for k in range(len(sheet["objectives"]))}
    errors = {
        f"p{n}-{k}": [_("Choisissez un résultat pour « %(objective)s ».", objective=objective)]
        for k, objective in enumerate(sheet["objectives"])
        if chosen[k] not in RESULT_KEYS
    }
    if not errors:
        results = [{"objective": o, "result": chosen[k]} for k, o in enumerate(sheet["objectives"])]
        try:
            with services() as rpc:
                rpc.education.record_evaluation(session_id, {"participant_id": participant_id, "results": results})
        except ServiceError as exc:
            errors = {f"p{n}": sum(field_errors(exc).values(), []) or [exc.message]}
    name = sheet["rows"][n]["name"]
    if errors:
        return _page(session_id, sheet=sheet, errors=errors, chosen={n: chosen}, status=422)
    flash(_("L'évaluation de %(name)s est enregistrée.", name=name))
    return redirect(url_for("training_evaluations.evaluations", session_id=session_id, _anchor=f"p{n}"))


def _page(session_id, sheet=None, errors=None, chosen=None, status=200):
    if sheet is None:
        with services() as rpc:
            sheet = rpc.education.evaluation_sheet(session_id)
    chosen = chosen or {}
    for n, row in enumerate(sheet["rows"]):  # what each form shows checked: what was sent, else what is kept
        if n not in chosen:
            kept = {r["objective"]: r["result"] for r in (row["evaluation"] or {}).get("results", [])}
            chosen[n] = {k: kept.get(o, "") for k, o in enumerate(sheet["objectives"])}
    page = render_template(
        "web/staff/training/evaluations.html",
        sheet=sheet,
        session=sheet["session"],
        errors=errors or {},
        chosen=chosen,
        results=list(RESULT_LABELS().items()),
        result_label=lambda key: RESULT_LABELS().get(key, key),
    )
    return page, status


@bp.errorhandler(ServiceError)
def _refused(exc):
    """An unknown session: a page with the service's sentence."""
    return render_template("web/error.html", title=_("Demande impossible"), message=exc.message), exc.status
