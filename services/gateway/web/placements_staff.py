"""The staff's placement pages (/equipe/stages): the hour logs waiting for MY validation (as the
tutor), validated several at once or refused one at a time with a reason; the placements list
and one placement (progress by week, its logs, the hour sheet and the attestation, the trainee's
clearance); the tutor's evaluation grid; a new placement, with the trainee's account when they
have none yet; a trainee's attestation d'honorabilité (its state, and the form to record it).

Every rule is the placements service's (only the placement's tutor validates, the working-time
limits, the programmes' default hours): the views turn forms into its fields and its refusals
back into sentences next to those fields.
"""

import uuid
from decimal import Decimal, InvalidOperation

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.gateway import documents
from services.gateway.errors import ApiError
from services.gateway.models import Account, AccountRole
from services.gateway.people import staff_names
from services.gateway.schemas import AccountIn
from services.gateway.service_calls import services
from services.gateway.sign_ups import register_account
from services.gateway.web import form_errors, hours_text, register_page_hooks
from services.gateway.web.guards import requires
from services.gateway.web.placement_forms import (
    day_names,
    first_unpaid_month,
    form_days,
    history_rows,
    month_options,
    people_ids,
    placement_months,
    refusal_errors,
    schedule_errors_by_day,
    schedule_from_form,
    schedule_lines,
    school_year_of_month,
)
from services.placements.schemas import PlacementIn, TraineeIn
from shared.errors import ServiceError

bp = Blueprint("placements_staff", __name__, url_prefix="/equipe/stages")
register_page_hooks(bp)

SHOWN = 200  # logs and placements on one page (a tutor follows a few trainees)
STATUSES = ("planned", "active", "completed", "interrupted")
RATINGS = ("acquired", "in_progress", "not_acquired")
BLANK_ROWS = 5  # empty lines under the grid's items, for the school's next competences
NEW_TRAINEE = ""  # the trainee choice that means « a new trainee, whose file follows »


@bp.before_request
def _part():
    g.service_part = "placements"


def _me():
    return g.account.id


def _labels():
    return {
        "statuses": {
            "planned": _("À venir"),
            "active": _("En cours"),
            "completed": _("Terminé"),
            "interrupted": _("Interrompu"),
        },
        "log_statuses": {"submitted": _("À valider"), "validated": _("Validée"), "rejected": _("Refusée")},
        "ratings": {
            "acquired": _("Acquis"),
            "in_progress": _("En cours d'acquisition"),
            "not_acquired": _("Non acquis"),
        },
        "kinds": {"on_site": _("Sur place"), "training": _("Formation")},
    }


def _render(template, status=200, **values):
    return render_template(template, **_labels(), **values), status


# --- the logs waiting for my validation -------------------------------------------------------
def _waiting():
    with services() as rpc:
        return rpc.placements.list_tutor_hour_logs(_me(), {"limit": SHOWN}).get("items", [])


@bp.get("/heures")
@requires("educator", "coordinator")
def waiting(results=None, errors=None, status=200):
    return _render(
        "web/staff/placements/hours.html", status, logs=_waiting(), results=results or [], errors=errors or {}
    )


def _log_key(log_id):
    """One Idempotency-Key per log, fixed by the form's key: a resent form replays each answer,
    and the service never sees one key for two different logs."""
    form_key = g.get("idempotency_key")
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{form_key}\n{log_id}").hex if form_key else None


@bp.post("/heures/validation")
@requires("educator", "coordinator")
def validate_many():
    chosen = list(dict.fromkeys(request.form.getlist("log_id")))
    if not chosen:
        return waiting(errors={"log_id": [_("Cochez au moins une période à valider.")]}, status=422)
    known = {log["id"]: log for log in _waiting()}
    form_key, results = g.get("idempotency_key"), []
    for log_id in chosen:
        log = known.get(log_id) or {"id": log_id}
        g.idempotency_key = _log_key(log_id)
        try:
            with services() as rpc:
                rpc.placements.validate_hours(log_id, _me())
        except ServiceError as exc:
            results.append({"log": log, "ok": False, "message": exc.message})
        else:
            results.append({"log": log, "ok": True, "message": ""})
    g.idempotency_key = form_key
    return waiting(results=results)


@bp.route("/heures/<log_id>/refus", methods=["GET", "POST"])
@requires("educator", "coordinator")
def reject(log_id):
    log = next((item for item in _waiting() if item["id"] == log_id), None)
    if log is None:
        flash(_("Ces heures ne sont plus en attente de votre validation."), "error")
        return redirect(url_for("placements_staff.waiting"))
    if request.method == "GET":
        return _render("web/staff/placements/reject.html", log=log, form={}, errors={})
    reason = request.form.get("reason", "").strip()
    if not reason:
        errors = {"reason": [_("Indiquez le motif du refus : le ou la stagiaire le lira pour corriger ses heures.")]}
        return _render("web/staff/placements/reject.html", 422, log=log, form=request.form, errors=errors)
    try:
        with services() as rpc:
            rpc.placements.reject_hours(log_id, _me(), {"reason": reason})
    except ServiceError as exc:
        errors = form_errors(exc)
        return _render("web/staff/placements/reject.html", exc.status, log=log, form=request.form, errors=errors)
    flash(_("Heures refusées. %(name)s voit votre motif et peut les corriger.", name=log.get("trainee_name", "")))
    return redirect(url_for("placements_staff.waiting"))


# --- placements -------------------------------------------------------------------------------
@bp.get("/")
@requires("educator", "coordinator")
def placements():
    status = request.args.get("statut", "")
    mine = request.args.get("mes_stages") == "oui"
    query = {"limit": SHOWN}
    if status in STATUSES:
        query["status"] = status
    if mine:
        query["tutor_id"] = _me()
    with services() as rpc:
        rows = rpc.placements.list_placements(query).get("items", [])
    tutors = staff_names(row.get("tutor_id") for row in rows)
    return _render(
        "web/staff/placements/list.html",
        placements=rows,
        tutors=tutors,
        chosen_status=status if status in STATUSES else "",
        mine=mine,
    )


@bp.get("/<placement_id>")
@requires("educator", "coordinator")
def placement(placement_id):
    return placement_page(placement_id)


GRATIFICATION_HOURS = Decimal(308)  # the service's threshold, named here only to say why it is due


def _gratification_years(found):
    """The school years of the placement with the planned hours of all the trainee's placements
    here that year, and whether the service found the gratification due for it (the trainee's
    other school years here are left out)."""
    due = set(found.get("gratification_school_years") or ())
    own = {school_year_of_month(m) for m in placement_months(found.get("starts_on"), found.get("ends_on"))}
    return [
        {"year": year, "hours": hours, "due": year in due}
        for year, hours in sorted((found.get("school_year_planned_hours") or {}).items())
        if year in own or year in due or not own
    ]


def _gratification_reason(found, years):
    """Why it is due or not, as a key of the page's sentences."""
    if found.get("under_convention") is False:
        return "not_convention"
    if not found.get("gratification_due"):
        return "not_due"
    try:
        over = any(Decimal(str(y["hours"])) > GRATIFICATION_HOURS for y in years if y["due"])
    except (InvalidOperation, ValueError):
        over = True
    return "school_year" if over else "own_hours"


def placement_page(placement_id, status=200, payment_form=None, payment_errors=None):
    """The placement's page; after a payment refused, with the payment form as sent and its errors."""
    with services() as rpc:
        found = rpc.placements.get_placement(placement_id)
        logs = rpc.placements.list_hour_logs(placement_id, {"limit": SHOWN}).get("items", [])
        trainee = rpc.placements.get_trainee(found["trainee_id"])
    names = staff_names(people_ids(found, logs))
    years = _gratification_years(found)
    return _render(
        "web/staff/placements/placement.html",
        status,
        placement=found,
        trainee=trainee,
        logs=logs,
        names=names,
        tutor=names.get(found.get("tutor_id"), ""),
        is_tutor=found.get("tutor_id") == _me(),
        schedule=schedule_lines(found.get("weekly_schedule")),
        school_years=years,
        gratification_reason=_gratification_reason(found, years),
        history=history_rows(found.get("history"), names),
        months=month_options(found),
        payment_form=payment_form or {"month": first_unpaid_month(found)},
        errors=payment_errors or {},
    )


@bp.get("/<placement_id>/heures.csv")
@requires("coordinator")
def hour_sheet(placement_id):
    return documents.hour_sheet_csv(placement_id)


@bp.get("/<placement_id>/attestation.pdf")
@requires("coordinator")
def attestation(placement_id):
    return documents.placement_attestation_pdf(placement_id)


# --- the evaluation grid ----------------------------------------------------------------------
def _grid_rows(form):
    """The grid's lines as typed: competence_N, rating_N, comment_N for N = 0, 1, …"""
    rows, n = [], 0
    while f"competence_{n}" in form:
        rows.append(
            {
                "competence": form.get(f"competence_{n}", "").strip(),
                "rating": form.get(f"rating_{n}", ""),
                "comment": form.get(f"comment_{n}", "").strip(),
            }
        )
        n += 1
    return rows


def _grid_errors(exc, sent_rows):
    """The service's item errors (items.<i>.<field>) onto the form's line numbers."""
    errors = {}
    items = (getattr(exc, "fields", None) or {}).get("items")
    if isinstance(items, dict):
        for index, problems in items.items():
            line = sent_rows[int(index)] if str(index).isdecimal() and int(index) < len(sent_rows) else 0
            for name, messages in (problems or {}).items():
                errors.setdefault(f"{name}_{line}", []).extend(messages if isinstance(messages, list) else [messages])
    elif isinstance(items, list):
        errors["competence_0"] = list(items)
    return errors or {"_schema": [exc.message]}


@bp.route("/<placement_id>/evaluation", methods=["GET", "POST"])
@requires("educator", "coordinator")
def evaluation(placement_id):
    with services() as rpc:
        found = rpc.placements.get_placement(placement_id)
    if request.method == "GET":
        rows = [dict(item) for item in found.get("evaluation") or []]
        rows += [{"competence": "", "rating": "", "comment": ""} for _n in range(BLANK_ROWS)]
        return _render("web/staff/placements/evaluation.html", placement=found, rows=rows, errors={})
    rows = _grid_rows(request.form)
    errors, items, lines = {}, [], []
    for line, row in enumerate(rows):
        if not row["competence"]:
            if row["rating"] or row["comment"]:
                errors[f"competence_{line}"] = [_("Indiquez la compétence de la grille que vous évaluez.")]
            continue
        if row["rating"] not in RATINGS:
            errors[f"rating_{line}"] = [_("Choisissez acquis, en cours d'acquisition ou non acquis.")]
            continue
        items.append(row)
        lines.append(line)
    if not items and not errors:
        errors["competence_0"] = [_("Indiquez au moins une compétence de la grille de l'école, avec son appréciation.")]
    if errors:
        return _render("web/staff/placements/evaluation.html", 422, placement=found, rows=rows, errors=errors)
    try:
        with services() as rpc:
            rpc.placements.evaluate(placement_id, _me(), {"items": items})
    except ServiceError as exc:
        return _render(
            "web/staff/placements/evaluation.html",
            exc.status,
            placement=found,
            rows=rows,
            errors=_grid_errors(exc, lines),
        )
    flash(_("L'évaluation est enregistrée : elle figure sur l'attestation de stage."))
    return redirect(url_for("placements_staff.placement", placement_id=placement_id))


# --- a new placement --------------------------------------------------------------------------
def _people(role):
    """(account id or subject id, "First Last") of the gateway's accounts of a role, by name."""
    rows = (
        AccountRole.select(AccountRole, Account)
        .join(Account)
        .where(AccountRole.role == role)
        .order_by(Account.last_name, Account.first_name)
    )  # every account holding the role, whatever its primary one
    key = (lambda r: r.account.id) if role == "staff" else (lambda r: r.subject_id)
    return [(key(r), r.account.display_name) for r in rows if key(r)]


def _creation(form, errors, status=200, created_trainee=None):
    with services() as rpc:
        programmes = [
            (
                p["key"],
                _("%(label)s — %(hours)s h par défaut", label=p["label"], hours=hours_text(p["default_hours"]))
                if p.get("default_hours")
                else _("%(label)s — heures de la convention", label=p["label"]),
            )
            for p in rpc.placements.list_programmes()
        ]
    return _render(
        "web/staff/placements/new.html",
        status,
        form=form,
        errors=errors,
        programmes=programmes,
        trainees=_people("trainee"),
        tutors=_people("staff"),
        created_trainee=created_trainee,
        days=form_days(),
        day_names=day_names(),
    )


def _trainee_data(form):
    data = {
        name: form.get(name, "").strip()
        for name in ("email", "first_name", "last_name", "birth_date", "programme", "school")
    }
    data["password"] = form.get("password", "")
    for name in ("phone", "referent_name", "referent_email"):
        data[name] = form.get(name, "").strip() or None
    return data


def _placement_data(form, trainee_id):
    return {
        "trainee_id": trainee_id,
        "tutor_id": form.get("tutor_id", ""),
        "starts_on": form.get("starts_on", ""),
        "ends_on": form.get("ends_on", ""),
        "required_hours": form.get("required_hours", "").strip().replace(",", ".") or None,
        "under_convention": form.get("under_convention") == "oui",
    }


def MISSING():  # a table, built per request so that it is translated
    """What to write in a required field left empty."""
    return {
        "email": _("Indiquez l'adresse e-mail du ou de la stagiaire : elle lui sert à se connecter."),
        "password": _("Choisissez un mot de passe d'au moins 10 caractères, à lui remettre."),
        "first_name": _("Indiquez le prénom."),
        "last_name": _("Indiquez le nom."),
        "birth_date": _("Indiquez la date de naissance : les limites d'horaires des mineurs en dépendent."),
        "programme": _("Choisissez la formation suivie."),
        "school": _("Indiquez l'école ou l'organisme de formation."),
        "starts_on": _("Indiquez le premier jour du stage."),
        "ends_on": _("Indiquez le dernier jour du stage."),
    }


def _checked(schema, data):
    """The schema's sentences by field, before anything is created (all of them at once); an
    empty required field gets the sentence that says what to write."""
    missing = {name: [text] for name, text in MISSING().items() if name in data and not data[name]}
    problems = schema.validate({name: value for name, value in data.items() if name not in missing})
    by_day = schedule_errors_by_day(problems.pop("weekly_schedule", None), data.get("weekly_schedule") or [])
    found = {name: messages if isinstance(messages, list) else [str(messages)] for name, messages in problems.items()}
    return {**found, **by_day, **missing}


FORM_ORDER = (
    "_schema",  # a refusal's own sentence first: it says why the fields below are marked
    "trainee_id",
    "first_name",
    "last_name",
    "email",
    "password",
    "birth_date",
    "phone",
    "programme",
    "school",
    "referent_name",
    "referent_email",
    "tutor_id",
    "starts_on",
    "ends_on",
    "weekly_schedule",
    *(f"{name}_{weekday}" for weekday in range(7) for name in ("start", "end", "break")),
    "required_hours",
)


def _in_form_order(errors):
    """The summary at the top lists the problems in the order of the fields below it."""
    rank = {name: n for n, name in enumerate(FORM_ORDER)}
    return dict(sorted(errors.items(), key=lambda item: rank.get(item[0], len(rank))))


@bp.route("/nouveau", methods=["GET", "POST"])
@requires("coordinator")
def new():
    if request.method == "GET":
        return _creation({"tutor_id": _me(), "under_convention": "oui", "trainee_id": NEW_TRAINEE}, {})
    form = request.form
    trainee_id = form.get("trainee_id", NEW_TRAINEE)
    new_trainee = trainee_id == NEW_TRAINEE
    errors = {}
    if new_trainee:
        trainee = _trainee_data(form)
        account = {name: trainee[name] for name in ("email", "password", "first_name", "last_name")}
        errors.update(_checked(AccountIn(), account))  # the password policy reads the names too
        errors.update(_checked(TraineeIn(), {k: v for k, v in trainee.items() if k != "password"}))
    elif trainee_id not in {key for key, _name in _people("trainee")}:
        errors["trainee_id"] = [_("Choisissez un stagiaire de la liste, ou « Nouveau stagiaire ».")]
    placement = _placement_data(form, trainee_id)
    placement["weekly_schedule"], schedule_errors = schedule_from_form(form)
    errors.update(_checked(PlacementIn(), dict(placement, trainee_id=trainee_id or "nouveau")))
    errors.update(schedule_errors)
    if placement["tutor_id"] not in {key for key, _name in _people("staff")}:
        errors["tutor_id"] = [_("Choisissez le tuteur ou la tutrice parmi les membres de l'équipe.")]
    if errors:
        return _creation(form, _in_form_order(errors), 422)
    created_trainee = None
    if new_trainee:
        try:
            record = register_account("trainee", lambda rpc, profile: rpc.placements.register_trainee(profile), trainee)
        except (ApiError, ServiceError) as exc:
            return _creation(form, form_errors(exc), exc.status)
        trainee_id = placement["trainee_id"] = record["id"]
        created_trainee = f"{record['first_name']} {record['last_name']}"
    try:
        with services() as rpc:
            made = rpc.placements.create_placement(placement)
    except ServiceError as exc:
        # The trainee's account is made: the form now names them, so a new try does not make a second.
        shown = dict(form.items(), trainee_id=trainee_id)
        errors = refusal_errors(exc, placement["weekly_schedule"])
        return _creation(shown, _in_form_order(errors), exc.status, created_trainee)
    flash(_("La convention de stage de %(name)s est enregistrée.", name=made["trainee_name"]))
    return redirect(url_for("placements_staff.placement", placement_id=made["id"]))


# --- a trainee's attestation d'honorabilité --------------------------------------------------
@bp.route("/stagiaires/<trainee_id>/attestation", methods=["GET", "POST"])
@requires("coordinator")
def trainee_attestation(trainee_id):
    """The trainee's clearance in words and the form to record the attestation as staff checked
    it on the national platform (who checked: the signed-in staff member). The rule (6 months at
    the verification, 3 years from it) is the placements service's, through shared/honorability.py."""
    with services() as rpc:
        trainee = rpc.placements.get_trainee(trainee_id)
    back = request.values.get("stage", "")
    if request.method == "GET":
        return _render("web/staff/placements/attestation.html", trainee=trainee, form={}, errors={}, back=back)
    form, errors = request.form, {}
    if not form.get("issued_on"):
        errors["issued_on"] = [_("Indiquez la date d'émission écrite sur l'attestation.")]
    if not form.get("verified_on"):
        errors["verified_on"] = [_("Indiquez le jour où vous avez vérifié l'attestation sur la plateforme.")]
    status = 422
    if not errors:
        data = {"issued_on": form["issued_on"], "verified_on": form["verified_on"]}
        try:
            with services() as rpc:
                recorded = rpc.placements.record_trainee_honorability(trainee_id, data, _me())
        except ServiceError as exc:
            errors, status = form_errors(exc), exc.status
        else:
            name = f"{recorded['first_name']} {recorded['last_name']}"
            flash(_("Attestation d'honorabilité enregistrée pour %(name)s.", name=name))
            return redirect(url_for("placements_staff.trainee_attestation", trainee_id=trainee_id, stage=back or None))
    return _render(
        "web/staff/placements/attestation.html", status, trainee=trainee, form=form, errors=errors, back=back
    )


@bp.errorhandler(ServiceError)
def _refused(exc):
    """A refusal no form shows (an unknown placement): a page with the service's sentence."""
    return render_template("web/error.html", title=_("Demande impossible"), message=exc.message), exc.status


@bp.errorhandler(ApiError)
def _api_refused(exc):
    """The attestation of a placement still running (409), from the API's view."""
    return render_template("web/error.html", title=_("Document indisponible"), message=exc.message), exc.status
