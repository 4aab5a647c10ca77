"""A volunteer's pages, for people who are often over 70: register in one short form, « mes
prochaines activités » and the activities that suit them as big plain cards, sign up or withdraw
in one tap, then a page that says what happens; their hours this year; the charte de bénévolat
to read and accept before a first sign-up. Every decision is the
volunteers service's: a refusal is its sentence."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.gateway import attempt_limits, people
from services.gateway.attempt_limits import TooManyAttempts
from services.gateway.errors import ApiError
from services.gateway.labels import kind_label
from services.gateway.service_calls import services
from services.gateway.sign_ups import account_of, register_account
from services.gateway.web import begin_session, form_errors, register_page_hooks, too_many
from services.gateway.web.guards import requires
from shared import timeutil
from shared.errors import ServiceError
from shared.vocabulary import ACTIVITY_KINDS

bp = Blueprint("volunteer", __name__, url_prefix="/benevole")
register_page_hooks(bp)
CONSENT_VERSION = "2025-01"  # the data-processing text shown on the registration page (its version)
WEEKDAYS = (0, 1, 2, 3, 4)  # the venue's open days


@bp.before_request
def _part():
    g.service_part = "volunteers"


def _me():
    return people.own("volunteer")


@bp.get("/")
@requires("volunteer")
def home():
    with services() as rpc:
        me = rpc.volunteers.my_record(_me())
        offered = rpc.volunteers.list_opportunities(_me(), {"limit": 20})["items"]
        hours = rpc.volunteers.my_hours(_me(), {})
    upcoming = [s for s in me.get("signups", []) if s["status"] == "confirmed"]
    ended = [s for s in me.get("signups", []) if s["status"] == "cancelled"]
    return render_template(
        "web/volunteer/home.html", me=me, upcoming=upcoming, ended=ended, offered=offered, hours=hours
    )


@bp.post("/activites/<activity_id>/inscription")
@requires("volunteer")
def sign_up(activity_id):
    try:
        with services() as rpc:
            signup = rpc.volunteers.sign_up(_me(), activity_id)
    except ServiceError as exc:
        with services() as rpc:
            me = rpc.volunteers.my_record(_me())
        return render_template("web/volunteer/refused.html", message=exc.message, me=me), exc.status
    return redirect(url_for("volunteer.done", signup_id=signup["id"]))


@bp.post("/inscriptions/<signup_id>/retrait")
@requires("volunteer")
def withdraw(signup_id):
    try:
        with services() as rpc:
            signup = rpc.volunteers.withdraw(signup_id, _me())
    except ServiceError as exc:
        with services() as rpc:
            me = rpc.volunteers.my_record(_me())
        return render_template("web/volunteer/refused.html", message=exc.message, me=me), exc.status
    return redirect(url_for("volunteer.done", signup_id=signup["id"]))


@bp.get("/inscriptions/<signup_id>")
@requires("volunteer")
def done(signup_id):
    """What happens now, after a sign-up or a withdrawal (only the volunteer's own sign-ups)."""
    with services() as rpc:
        me = rpc.volunteers.my_record(_me())
    signup = next((s for s in me.get("signups", []) if s["id"] == signup_id), None)
    if signup is None:
        return redirect(url_for("volunteer.home"))
    return render_template("web/volunteer/done.html", signup=signup)


@bp.route("/charte", methods=["GET", "POST"])
@requires("volunteer")
def charter():
    """The charte de bénévolat (its text is the template's; its version the service's setting)
    and « J'accepte la charte », which sends the version shown."""
    if request.method == "POST":
        try:
            with services() as rpc:
                rpc.volunteers.accept_charter(_me(), {"version": request.form.get("version", "")})
        except ServiceError as exc:
            with services() as rpc:
                me = rpc.volunteers.my_record(_me())
            return render_template("web/volunteer/refused.html", message=exc.message, me=me), exc.status
        flash(_("Merci : vous avez accepté la charte de bénévolat."))
        return redirect(url_for("volunteer.home"))
    with services() as rpc:
        me = rpc.volunteers.my_record(_me())
    return render_template("web/volunteer/charter.html", me=me)


@bp.get("/heures")
@requires("volunteer")
def hours():
    year = timeutil.venue_today().year
    with services() as rpc:
        found = rpc.volunteers.my_hours(_me(), {"year": year})
    return render_template("web/volunteer/hours.html", hours=found, year=year)


@bp.route("/inscription", methods=["GET", "POST"])
def register():
    if request.method == "GET":
        return render_template("web/volunteer/register.html", form={}, chosen=set(), errors={}, **_choices())
    form = request.form
    try:
        attempt_limits.registration()
    except TooManyAttempts as exc:
        return too_many("web/volunteer/register.html", exc, form=form, chosen=set(), **_choices())
    errors = {}
    if form.get("consent") != "oui":
        errors["consent"] = [_("Cochez la case pour accepter l'utilisation de vos données.")]
    data = {
        "email": form.get("email", "").strip(),
        "password": form.get("password", ""),
        "first_name": form.get("first_name", "").strip(),
        "last_name": form.get("last_name", "").strip(),
        "birth_date": form.get("birth_date", ""),
        "phone": form.get("phone", "").strip(),
        "emergency_name": form.get("emergency_name", "").strip() or None,
        "emergency_phone": form.get("emergency_phone", "").strip() or None,
        "interests": [k for k in form.getlist("interests") if k in ACTIVITY_KINDS],
        "availability": _availability(form.getlist("availability")),
        "consent_version": CONSENT_VERSION,
    }
    for name in ("emergency_name", "emergency_phone"):
        if not data[name]:
            errors[name] = [_("Indiquez qui prévenir en cas de besoin.")]
    chosen = set(form.getlist("interests")) | set(form.getlist("availability"))
    if errors:
        return render_template(
            "web/volunteer/register.html", form=form, chosen=chosen, errors=errors, **_choices()
        ), 422
    try:
        record = register_account("volunteer", lambda rpc, profile: rpc.volunteers.register_volunteer(profile), data)
    except (ApiError, ServiceError) as exc:
        errors = form_errors(exc)
        return render_template(
            "web/volunteer/register.html", form=form, chosen=chosen, errors=errors, **_choices()
        ), 422
    begin_session(account_of(record["id"]))
    return redirect(url_for("volunteer.home"))


def _availability(values):
    """ "1-morning" -> {"weekday": 1, "part": "morning"}; anything else is dropped."""
    found = []
    for value in values:
        weekday, _sep, part = value.partition("-")
        if weekday.isdecimal() and int(weekday) in WEEKDAYS and part in ("morning", "afternoon"):
            found.append({"weekday": int(weekday), "part": part})
    return found


def _choices():
    return {
        "kinds": [(kind, kind_label(kind)) for kind in ACTIVITY_KINDS],
        "days": [(d, DAY_LABELS()[d]) for d in WEEKDAYS],
        "consent_version": CONSENT_VERSION,
    }


def DAY_LABELS():  # a table, built per request so that it is translated
    return [_("Lundi"), _("Mardi"), _("Mercredi"), _("Jeudi"), _("Vendredi"), _("Samedi"), _("Dimanche")]
