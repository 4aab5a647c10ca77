"""The staff's pages: today (activities, slots, occupancy, the ratio status), the evacuation
register, the check-in list, a room's week, scheduling activities and opening slots, the family
files. Views call the same RPCs as the JSON API and hold no rule: a refusal is the service's
French sentence, shown next to its field."""

import logging
from datetime import date, datetime, timedelta

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import format_date, format_timedelta
from flask_babel import gettext as _

from services.gateway import access, documents, evacuation, register_copy
from services.gateway.models import Account
from services.gateway.service_calls import services
from services.gateway.web import form_errors, register_page_hooks
from services.gateway.web.guards import requires
from shared import timeutil
from shared.errors import ServiceError

log = logging.getLogger(__name__)
bp = Blueprint("staff", __name__, url_prefix="/equipe")
register_page_hooks(bp)

ROOMS_SHOWN = 200
STAFF_SHOWN = 200
TIME_FIELDS = {"starts_at": "start", "ends_at": "end"}  # the service's names -> the form's


@bp.app_context_processor
def _labels():
    return {
        "choices": lambda rows, key="id", text="name": [(row[key], row[text]) for row in rows],
        "long_day": _long_day,
        "long_date": _long_date,
    }


def _long_day(iso_date):
    """« lundi 30 novembre » from "2026-11-30"."""
    try:
        return format_date(date.fromisoformat(iso_date), "EEEE d MMMM")
    except (TypeError, ValueError):
        return ""


def _long_date(iso_date):
    """« vendredi 20 août 2027 » from "2027-08-20"."""
    try:
        return format_date(date.fromisoformat(iso_date), "EEEE d MMMM y")
    except (TypeError, ValueError):
        return ""


def _now():
    return datetime.now(timeutil.VENUE_TZ)


def _moment(day, hour):
    """ "2026-12-01" + "09:00" -> ISO 8601 with the venue's offset; the text as typed when it is not a time
    (the service then says which field is wrong)."""
    try:
        return datetime.combine(date.fromisoformat(day), datetime.strptime(hour, "%H:%M").time(), timeutil.VENUE_TZ)
    except ValueError:
        return None


def _times(form, errors):
    """starts_at and ends_at from the form's day and hours, or errors next to the fields."""
    day = form.get("day", "")
    starts, ends = _moment(day, form.get("start", "")), _moment(day, form.get("end", ""))
    if not day or _moment(day, "00:00") is None:
        errors["day"] = [_("Indiquez le jour, par exemple 01/12/2026.")]
    else:
        if starts is None:
            errors["start"] = [_("Indiquez l'heure de début, par exemple 09:00.")]
        if ends is None:
            errors["end"] = [_("Indiquez l'heure de fin, par exemple 10:30.")]
    return (starts.isoformat() if starts else None), (ends.isoformat() if ends else None)


def _time_fields(activity):
    """The form's day, start and end of an activity, at the venue's clock."""
    starts, ends = timeutil.in_venue_zone(activity.get("starts_at")), timeutil.in_venue_zone(activity.get("ends_at"))
    return {
        "day": starts.date().isoformat() if starts else "",
        "start": f"{starts:%H:%M}" if starts else "",
        "end": f"{ends:%H:%M}" if ends else "",
    }


def _number(text):
    text = (text or "").strip()
    return int(text) if text.isdecimal() else text


def _rooms(rpc):
    return rpc.bookings.list_rooms({"limit": ROOMS_SHOWN}).get("items", [])


def _staff_members(rpc, day=None):
    """The staff members one may name, each with whether they count and are cleared on `day`."""
    query = {"limit": STAFF_SHOWN, **({"date": day} if day else {})}
    return rpc.bookings.list_staff_members(query).get("items", [])


# --- today, the register, the check-in list -----------------------------------------------------
DAY_BOARD = ("educator",)  # who sees the children of the day on the home page


@bp.get("/")
@requires("staff")
def today():
    """Every staff member's home: the day with the children for those who may open it (the
    educators, the director), else their name and roles, their places being in the menu."""
    if access.refusal(g.account, DAY_BOARD) is not None:
        return render_template("web/staff/home.html")
    with services() as rpc:
        board = rpc.bookings.day_board({})
        waiting = rpc.bookings.count_absence_requests().get("requested", 0)
    return render_template("web/staff/today.html", board=board, absence_requests=waiting)


@bp.get("/registre")
@requires("educator")
def register():
    copy = register_copy.last()
    try:
        with services() as rpc:
            found = evacuation.register_now(rpc)
    except register_copy.UNREACHABLE as exc:  # bookings or the broker down: the last copy instead
        log.warning("evacuation register unavailable: the last copy is offered", extra={"error": repr(exc)})
        return render_template("web/staff/register_unavailable.html", copy=copy, **_copy_age(copy)), 503
    return render_template(
        "web/staff/register.html",
        register=found.children,
        adults=found.adults,
        missing=found.missing,
        health=evacuation.has_health(found.children),
        health_text=evacuation.health_text,
        copy=copy,
        **_copy_age(copy),
    )


def _copy_age(copy):
    """The last copy's moment in words and how long ago, for the pages that offer it."""
    if copy is None:
        return {}
    return {
        "copy_when": register_copy.in_words(copy.made_at),
        # « il y a 12 minutes » (Babel writes a negative duration in the past; at least a second ago)
        "copy_age": format_timedelta(min(copy.made_at - timeutil.now_utc(), -timedelta(seconds=1)), add_direction=True),
    }


@bp.get("/registre/copie")
@requires("educator")
def register_copy_page():
    """The last copy of the register, from the gateway's disk (no service asked): to open, print or keep."""
    return register_copy.serve("html", download=request.args.get("telecharger") == "1") or _no_copy()


@bp.get("/registre/copie.pdf")
@requires("educator")
def register_copy_pdf():
    return register_copy.serve("pdf", download=request.args.get("telecharger") == "1") or _no_copy()


def _no_copy():
    message = _(
        "Aucune copie du registre n'a encore été faite : elle est écrite à chaque arrivée ou départ noté. "
        "Comptez les enfants avec le cahier de présence."
    )
    return render_template("web/error.html", title=_("Pas encore de copie du registre"), message=message), 404


@bp.get("/pointage")
@requires("educator")
def attendance():
    chosen = request.args.get("jour", "").strip()
    with services() as rpc:
        found = rpc.bookings.day_children({"date": chosen} if chosen else {})
    today_shown = found.get("date") == _now().date().isoformat()
    return render_template(
        "web/staff/attendance.html", day=found, error=request.args.get("erreur"), today_shown=today_shown
    )


@bp.post("/pointage")
@requires("educator")
def mark():
    form = request.form
    kind, target, move = form.get("kind"), form.get("id", ""), form.get("move")
    calls = {
        ("booking", "arrivee"): "check_in",
        ("contract", "arrivee"): "contract_check_in",
    }  # a departure says who collects the child: its own page (children_staff.py, checkout)
    method = calls.get((kind, move))
    if method is None:
        return redirect(url_for("staff.attendance", erreur=_("Pointage inconnu.")))
    try:
        with services() as rpc:
            getattr(rpc.bookings, method)(target, {"at": _now().isoformat()})
    except ServiceError as exc:
        return redirect(url_for("staff.attendance", erreur=exc.message, _anchor="enfant-" + form.get("child", "")))
    register_copy.refresh()  # the register's copy for when the system is down
    flash(_("Arrivée de %(name)s notée.", name=form.get("name", "")))
    return redirect(url_for("staff.attendance", _anchor="enfant-" + form.get("child", "")))


# --- a room's week -----------------------------------------------------------------------------
@bp.get("/semaine")
@requires("educator")
def week():
    error, found = None, None
    with services() as rpc:
        rooms = _rooms(rpc)
        room_id = request.args.get("salle") or (rooms[0]["id"] if rooms else None)
        if room_id:
            query = {"week": request.args["semaine"]} if request.args.get("semaine") else {}
            try:
                found = rpc.bookings.room_week(room_id, query)
            except ServiceError as exc:
                error = exc.message
    return render_template("web/staff/week.html", rooms=rooms, room_id=room_id, week=found, error=error)


# --- activities -------------------------------------------------------------------------------
@bp.route("/activites/nouvelle", methods=["GET", "POST"])
@requires("educator")
def new_activity():
    with services() as rpc:
        rooms, members = _rooms(rpc), _staff_members(rpc)
    if request.method == "GET":
        form = {"room_id": request.args.get("salle", ""), "day": request.args.get("jour", "")}
        return render_template("web/staff/activity_new.html", rooms=rooms, members=members, form=form, errors={})
    form = request.form
    errors = {}
    starts_at, ends_at = _times(form, errors)
    data = {
        "title": form.get("title", "").strip(),
        "kind": form.get("kind", ""),
        "room_id": form.get("room_id", ""),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "children_capacity": _number(form.get("children_capacity")),
        "volunteer_slots": _number(form.get("volunteer_slots")),
        "trainee_slots": _number(form.get("trainee_slots")),
        "age_group": form.get("age_group") or None,  # the children's, optional
        "lead_staff_id": form.get("lead_staff_id") or None,  # required with children: the service says so
        "staff_ids": [i for i in form.getlist("staff_ids") if i != form.get("lead_staff_id")],
        "outing": form.get("outing") == "oui",
    }
    if not errors:
        try:
            with services() as rpc:
                activity = rpc.bookings.schedule_activity(data)
        except ServiceError as exc:
            errors = form_errors(exc, TIME_FIELDS)
            status = exc.status
        else:
            flash(_("« %(title)s » est programmée.", title=activity["title"]))
            return redirect(url_for("staff.week", salle=activity["room_id"], semaine=activity["starts_at"][:10]))
    else:
        status = 422
    page = render_template("web/staff/activity_new.html", rooms=rooms, members=members, form=form, errors=errors)
    return page, status


@bp.get("/activites/<activity_id>")
@requires("educator")
def activity(activity_id, form=None, errors=None, status=200, staff_errors=None):
    with services() as rpc:
        found = rpc.bookings.get_activity(activity_id)
        rooms, members = _rooms(rpc), _staff_members(rpc, (found.get("starts_at") or "")[:10] or None)
    if form is None:
        form = dict(_time_fields(found), room_id=found.get("room_id"))
    page = render_template(
        "web/staff/activity.html",
        activity=found,
        rooms=rooms,
        members=members,
        form=form,
        errors=errors or {},
        cancel_errors={},
        staff_errors=staff_errors or {},
    )
    return page, status


@bp.post("/activites/<activity_id>/equipe")
@requires("educator")
def activity_staff(activity_id):
    """The activity's lead and staff now (a sick call): checked as when it was scheduled."""
    form = request.form
    data = {
        "lead_staff_id": form.get("lead_staff_id") or None,
        "staff_ids": [i for i in form.getlist("staff_ids") if i != form.get("lead_staff_id")],
    }
    try:
        with services() as rpc:
            changed = rpc.bookings.change_activity_staff(activity_id, data)
    except ServiceError as exc:
        return activity(activity_id, staff_errors=form_errors(exc), status=exc.status)
    flash(_("L'équipe de « %(title)s » est changée.", title=changed["title"]))
    return redirect(url_for("staff.activity", activity_id=activity_id))


@bp.post("/activites/<activity_id>/deplacer")
@requires("educator")
def reschedule(activity_id):
    form = request.form
    errors = {}
    starts_at, ends_at = _times(form, errors)
    if not errors:
        data = {"starts_at": starts_at, "ends_at": ends_at, "room_id": form.get("room_id") or None}
        try:
            with services() as rpc:
                moved = rpc.bookings.reschedule_activity(activity_id, data)
        except ServiceError as exc:
            return activity(activity_id, form=form, errors=form_errors(exc, TIME_FIELDS), status=exc.status)
        flash(_("« %(title)s » est déplacée.", title=moved["title"]))
        return redirect(url_for("staff.activity", activity_id=activity_id))
    return activity(activity_id, form=form, errors=errors, status=422)


@bp.post("/activites/<activity_id>/annulation")
@requires("educator")
def cancel_activity(activity_id):
    reason = request.form.get("reason", "").strip()
    try:
        with services() as rpc:
            cancelled = rpc.bookings.cancel_activity(activity_id, {"reason": reason})
    except ServiceError as exc:
        with services() as rpc:
            found = rpc.bookings.get_activity(activity_id)
            rooms = _rooms(rpc)
        form = _time_fields(found)
        page = render_template(
            "web/staff/activity.html",
            activity=found,
            rooms=rooms,
            members=[],
            form=dict(form, room_id=found.get("room_id"), reason=reason),
            errors={},
            cancel_errors=form_errors(exc),
            staff_errors={},
        )
        return page, exc.status
    flash(_("« %(title)s » est annulée.", title=cancelled["title"]))
    return redirect(url_for("staff.activity", activity_id=activity_id))


# --- childcare slots --------------------------------------------------------------------------
@bp.route("/creneaux/nouveau", methods=["GET", "POST"])
@requires("educator")
def new_slot():
    with services() as rpc:
        rooms, members = _rooms(rpc), _staff_members(rpc)
    if request.method == "GET":
        return render_template("web/staff/slot_new.html", rooms=rooms, members=members, form={}, errors={})
    form = request.form
    errors = {}
    starts_at, ends_at = _times(form, errors)
    data = {
        "room_id": form.get("room_id", ""),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "age_group": form.get("age_group", ""),
        "staff_ids": form.getlist("staff_ids"),
        "staff_on_duty": _number(form.get("staff_on_duty")) if form.get("staff_on_duty", "").strip() else None,
    }
    status = 422
    if not errors:
        try:
            with services() as rpc:
                slot = rpc.bookings.create_slot(data)
        except ServiceError as exc:
            errors, status = form_errors(exc, TIME_FIELDS), exc.status
        else:
            flash(_("Le créneau est ouvert : %(places)s place(s).", places=slot["places"]))
            return redirect(url_for("staff.week", salle=slot["room_id"], semaine=slot["starts_at"][:10]))
    page = render_template("web/staff/slot_new.html", rooms=rooms, members=members, form=form, errors=errors)
    return page, status


@bp.route("/creneaux/<slot_id>/equipe", methods=["GET", "POST"])
@requires("educator")
def slot_staff(slot_id):
    """« Modifier l'équipe » of a slot: a sick call, a replacement, at any time. Accepted even when
    the ratio no longer holds: the day's board then says it in red; nothing is cancelled."""
    with services() as rpc:
        slot = rpc.bookings.get_slot(slot_id)
        members = _staff_members(rpc, slot["starts_at"][:10])
    form, errors, status = {}, {}, 200
    if request.method == "POST":
        form = request.form
        data = {"staff_ids": form.getlist("staff_ids")}
        if form.get("staff_on_duty", "").strip():
            data["staff_on_duty"] = _number(form.get("staff_on_duty"))
        try:
            with services() as rpc:
                changed = rpc.bookings.change_slot_staff(slot_id, data)
        except ServiceError as exc:
            errors, status = form_errors(exc), exc.status
        else:
            flash(
                _(
                    "L'équipe du créneau est changée : %(n)s professionnel(s) compté(s), %(places)s place(s).",
                    n=changed["staff_on_duty"],
                    places=changed["places"],
                )
            )
            return redirect(url_for("staff.today"))
    chosen = form.getlist("staff_ids") if form else [member["staff_id"] for member in slot["staff"]]
    page = render_template(
        "web/staff/slot_staff.html", slot=slot, members=members, chosen=chosen, form=form, errors=errors
    )
    return page, status


# --- the venue's closures ---------------------------------------------------------------------
CLOSURES_SHOWN = 200


def _closure_page(form, errors, status=200):
    error = None
    found = []
    try:
        with services() as rpc:
            found = rpc.bookings.list_closures({"limit": CLOSURES_SHOWN}).get("items", [])
    except ServiceError as exc:
        error = exc.message
    page = render_template("web/staff/closures.html", closures=found, form=form, errors=errors, error=error)
    return page, status


@bp.get("/fermetures")
@requires("director")
def closures():
    return _closure_page({"planned": "oui"}, {})


@bp.post("/fermetures")
@requires("director")
def declare_closure():
    form = request.form
    data = {
        "starts_on": form.get("starts_on", ""),
        "ends_on": form.get("ends_on", ""),
        "label": form.get("label", ""),
        "planned": form.get("planned", "oui") != "non",
    }
    try:
        with services() as rpc:
            closure = rpc.bookings.declare_closure(data, g.account.id)
    except ServiceError as exc:
        return _closure_page(form, form_errors(exc), exc.status)
    flash(_("Fermeture « %(label)s » enregistrée.", label=closure["label"]))
    return redirect(url_for("staff.closures"))


# --- families ---------------------------------------------------------------------------------
@bp.get("/familles")
@requires("educator", "accounting")
def families():
    q = request.args.get("q", "").strip()
    error, found = None, []
    try:
        with services() as rpc:
            found = rpc.bookings.list_families({"q": q} if q else {}).get("items", [])
    except ServiceError as exc:
        error = exc.message
    return render_template("web/staff/families.html", families=found, q=q, error=error)


@bp.get("/familles/<family_id>")
@requires("educator", "accounting")
def family(family_id, form=None, errors=None, status=200):
    with services() as rpc:
        found = rpc.bookings.get_family(family_id)
        mandate = rpc.bookings.mandate_terms(family_id).get("mandate")  # the IBAN masked
    page = render_template(
        "web/staff/family.html",
        family=found,
        form=form if form is not None else found,
        errors=errors or {},
        mandate=mandate,
        parent_account=_family_account(family_id),
    )
    return page, status


def _family_account(family_id):
    """The id of the family's account (its path: the outcomes recorded for the parent), or None."""
    row = Account.select(Account.id).where(Account.role == "family", Account.subject_id == family_id).first()
    return row.id if row else None


@bp.post("/familles/<family_id>/correction")
@requires("accounting")
def correct_family(family_id):
    form = request.form
    data = {
        "monthly_resources": form.get("monthly_resources", "").strip().replace(",", ".").replace(" ", ""),
        "dependent_children": _number(form.get("dependent_children")),
        "aeeh_children": _number(form.get("aeeh_children")) if (form.get("aeeh_children") or "").strip() else 0,
        "job_seeker": form.get("job_seeker") == "oui",
        "resources_known": form.get("resources_unknown") != "oui",
        "postal_address": "\n".join(
            line.strip() for line in form.get("postal_address", "").splitlines() if line.strip()
        ),
    }
    for name in ("resources_checked_on", "resources_source", "job_seeker_checked_on", "effective_on"):
        if form.get(name):
            data[name] = form[name]
    try:
        with services() as rpc:
            corrected = rpc.bookings.correct_family(family_id, data, g.account.id)
    except ServiceError as exc:
        shown = dict(form, job_seeker=form.get("job_seeker") == "oui", resources_known=data["resources_known"])
        return family(family_id, form=shown, errors=form_errors(exc), status=exc.status)
    repriced = len(corrected.get("bookings_repriced") or [])
    flash(_("Le dossier est corrigé (%(n)s réservation(s) à venir recalculée(s)).", n=repriced))
    return redirect(url_for("staff.family", family_id=family_id))


@bp.post("/familles/<family_id>/enfants/<child_id>/marche")
@requires("educator")
def set_walking(family_id, child_id):
    walking = {"oui": True, "non": False, "age": None}.get(request.form.get("walking"), None)
    try:
        with services() as rpc:
            child = rpc.bookings.set_child_walking(child_id, {"walking": walking}, g.account.id)
    except ServiceError as exc:
        flash(exc.message, "error")
        return redirect(url_for("staff.family", family_id=family_id))
    flash(_("La marche de %(name)s est notée.", name=child["first_name"]))
    for review in child.get("bookings_to_review") or []:
        flash(review["message"], "error")
    return redirect(url_for("staff.family", family_id=family_id))


@bp.get("/familles/<family_id>/historique")
@requires("educator", "accounting")
def history(family_id):
    with services() as rpc:
        found = rpc.bookings.get_family(family_id)
        changes = rpc.bookings.list_family_history(family_id, {"limit": 500}).get("items", [])
    return render_template("web/staff/history.html", family=found, changes=changes)


@bp.get("/familles/<family_id>/releve")
@requires("accounting")
def statement(family_id):
    month = request.args.get("mois") or timeutil.venue_today().strftime("%Y-%m")
    error = None
    with services() as rpc:
        found = rpc.bookings.get_family(family_id)
        try:
            shown = rpc.bookings.monthly_statement(family_id, month)
        except ServiceError as exc:
            shown, error = None, exc.message
    return render_template("web/staff/statement.html", family=found, statement=shown, month=month, error=error)


@bp.get("/familles/<family_id>/releve/<month>.pdf")
@requires("accounting")
def statement_pdf(family_id, month):
    """The same invoice as GET /api/v1/families/{id}/statements/{month}.pdf, for a signed-in page."""
    try:
        return documents.statement_pdf(family_id, month)  # the month is checked by the service
    except ServiceError as exc:
        return render_template("web/error.html", title=_("Relevé indisponible"), message=exc.message), exc.status


@bp.errorhandler(ServiceError)
def _refused(exc):
    """A refusal no form shows (an unknown family or activity): a page with the service's sentence."""
    return render_template("web/error.html", title=_("Demande impossible"), message=exc.message), exc.status
