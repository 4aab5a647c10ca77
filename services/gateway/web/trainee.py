"""A trainee's pages: their placement and its progress, logging hours on a phone in a few taps
(every refusal said next to its field, with the rule it breaks), their logs (a rejected one
corrected and sent again), the hour sheet and the attestation. Every rule is the placements
service's: the views turn a date and two times into the service's fields and back."""

from datetime import date, datetime, timedelta

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.gateway import documents, people
from services.gateway.people import staff_names
from services.gateway.service_calls import services
from services.gateway.web import field_errors, register_page_hooks
from services.gateway.web.guards import requires
from shared.errors import ServiceError
from shared.timeutil import in_venue_zone, venue_today, venue_zone

bp = Blueprint("trainee", __name__, url_prefix="/stagiaire")
register_page_hooks(bp)
LOGS_SHOWN = 100


@bp.before_request
def _part():
    g.service_part = "placements"


def _trainee_id():
    return people.own("trainee")


def current_placement(rpc):
    """The placement the trainee works on: the active one, else the next planned, else the last."""
    rows = rpc.placements.list_placements({"trainee_id": _trainee_id(), "limit": 50}).get("items", [])
    for status in ("active", "planned"):
        found = [p for p in rows if p.get("status") == status]
        if found:
            return rpc.placements.get_placement(found[0]["id"], _trainee_id())
    return rpc.placements.get_placement(rows[-1]["id"], _trainee_id()) if rows else None


def _venue_today():
    """The venue's date (a UTC machine's date is a day behind after midnight at the venue)."""
    return venue_today()


def to_confirm(logs):
    """The logs pre-filled from an activity that wait for the trainee's « it is right »."""
    waiting = [log for log in logs if log.get("source") == "activity" and log.get("status") == "submitted"]
    return [log for log in waiting if not log.get("confirmed_by_trainee_at")]


def correctable(log):
    """A rejected log, or one pre-filled from an activity the tutor has not decided on yet."""
    return log.get("status") == "rejected" or (log.get("source") == "activity" and log.get("status") == "submitted")


def _page(form=None, errors=None, status=200):
    with services() as rpc:
        placement = current_placement(rpc)
        logs = []
        if placement:
            logs = rpc.placements.list_hour_logs(placement["id"], {"limit": LOGS_SHOWN}, _trainee_id()).get("items", [])
    tutor = staff_names([placement.get("tutor_id")]) if placement else {}
    return (
        render_template(
            "web/trainee/home.html",
            placement=placement,
            logs=sorted(logs, key=lambda log: log.get("starts_at", ""), reverse=True),
            prefilled=sorted(to_confirm(logs), key=lambda log: log.get("starts_at", "")),
            tutor=tutor.get(placement.get("tutor_id"), "") if placement else "",
            form=form or {"day": _venue_today().isoformat()},
            errors=errors or {},
        ),
        status,
    )


@bp.get("/")
@requires("trainee")
def home():
    return _page()


def hour_fields(form):
    """{starts_at, ends_at, tasks} from the form's day and times, in the venue's zone; a time
    before the start means the period ends the next day (a night)."""
    data = {"tasks": form.get("tasks", "").strip(), "starts_at": "", "ends_at": ""}
    try:
        day = date.fromisoformat(form.get("day", ""))
    except ValueError:
        return data
    zone = venue_zone()
    times = {}
    for name in ("start", "end"):
        try:
            hours, minutes = form.get(name, "").split(":")
            times[name] = datetime(day.year, day.month, day.day, int(hours), int(minutes), tzinfo=zone)
        except ValueError:
            times[name] = None
    if times["start"]:
        data["starts_at"] = times["start"].isoformat()
    if times["end"]:
        end = times["end"]
        if times["start"] and end <= times["start"]:
            after = day + timedelta(days=1)
            end = datetime(after.year, after.month, after.day, end.hour, end.minute, tzinfo=zone)
        data["ends_at"] = end.isoformat()
    return data


def hour_errors(exc):
    """The service's sentences by form field: starts_at → start, ends_at → end."""
    found = field_errors(exc)
    errors = {"start": found.pop("starts_at", []), "end": found.pop("ends_at", [])}
    errors = {k: v for k, v in errors.items() if v}
    for name, sentences in found.items():
        errors.setdefault("_schema" if name not in ("tasks", "day") else name, []).extend(sentences)
    return errors or {"_schema": [exc.message]}


@bp.post("/heures")
@requires("trainee")
def log_hours():
    form = request.form
    data = hour_fields(form)
    errors = {}
    if not form.get("day"):
        errors["day"] = [_("Indiquez le jour.")]
    if not data["starts_at"] and form.get("day"):
        errors["start"] = [_("Indiquez l'heure d'arrivée, par exemple 08:30.")]
    if not data["ends_at"] and form.get("day"):
        errors["end"] = [_("Indiquez l'heure de départ, par exemple 12:00.")]
    if errors:
        return _page(form, errors, 422)
    try:
        with services() as rpc:
            rpc.placements.log_hours(form.get("placement_id", ""), _trainee_id(), data)
    except ServiceError as exc:
        return _page(form, hour_errors(exc), exc.status)
    flash(_("Heures envoyées à votre tuteur ou tutrice pour validation."))
    return redirect(url_for("trainee.home"))


@bp.route("/heures/<log_id>/correction", methods=["GET", "POST"])
@requires("trainee")
def correct(log_id):
    with services() as rpc:
        placement = current_placement(rpc)
        logs = rpc.placements.list_hour_logs(placement["id"], {"limit": LOGS_SHOWN}, _trainee_id()) if placement else {}
    log = next((item for item in logs.get("items", []) if item["id"] == log_id), None)
    if log is not None and not correctable(log):
        log = None  # the service corrects only these: the page offers no form it would refuse
    if log is None:
        flash(_("Cette période n'est pas dans votre stage."), "error")
        return redirect(url_for("trainee.home"))
    if request.method == "GET":
        start, end = in_venue_zone(log["starts_at"]), in_venue_zone(log["ends_at"])
        form = {
            "day": start.date().isoformat(),
            "start": f"{start:%H:%M}",
            "end": f"{end:%H:%M}",
            "tasks": log["tasks"],
        }
        return render_template("web/trainee/correct.html", log=log, form=form, errors={})
    data = hour_fields(request.form)
    try:
        with services() as rpc:
            rpc.placements.correct_hours(log_id, _trainee_id(), data)
    except ServiceError as exc:
        return render_template(
            "web/trainee/correct.html", log=log, form=request.form, errors=hour_errors(exc)
        ), exc.status
    flash(_("Période corrigée et renvoyée pour validation."))
    return redirect(url_for("trainee.home"))


@bp.post("/heures/<log_id>/confirmation")
@requires("trainee")
def confirm(log_id):
    try:
        with services() as rpc:
            rpc.placements.confirm_hours(log_id, _trainee_id())
    except ServiceError as exc:
        flash(exc.message, "error")
        return redirect(url_for("trainee.home", _anchor="a-confirmer"))
    flash(_("Merci : ces heures sont confirmées. Votre tuteur ou tutrice les validera."))
    return redirect(url_for("trainee.home", _anchor="a-confirmer"))


@bp.get("/stage/<placement_id>/heures.csv")
@requires("trainee")
def hour_sheet(placement_id):
    return documents.hour_sheet_csv(placement_id, _trainee_id())


@bp.get("/stage/<placement_id>/attestation.pdf")
@requires("trainee")
def attestation(placement_id):
    return documents.placement_attestation_pdf(placement_id, _trainee_id())
