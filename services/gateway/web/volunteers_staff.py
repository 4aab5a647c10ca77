"""The staff's pages about volunteers (/equipe/benevoles): the list with each one's clearance in
words, a volunteer's file, recording the attestation d'honorabilité and the insurance, the
attestations that expire soon, and the venue's yearly hours with its CSV. Views call the same
RPCs as the JSON API and hold no rule: a refusal is the volunteers service's French sentence,
shown next to its field."""

from datetime import datetime

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.gateway import documents
from services.gateway.models import Account
from services.gateway.service_calls import services
from services.gateway.web import field_errors, form_errors, register_page_hooks
from services.gateway.web.guards import requires
from services.gateway.web.volunteer import DAY_LABELS
from shared import timeutil
from shared.errors import ServiceError

bp = Blueprint("volunteers_staff", __name__, url_prefix="/equipe/benevoles")
register_page_hooks(bp)
PAGE = 100  # volunteers per page of the list
EXPIRING_SHOWN = 500


@bp.before_request
def _part():
    g.service_part = "volunteers"


def _this_year():
    return datetime.now(timeutil.VENUE_TZ).year


def _staff_name(account_id):
    """Who recorded something, as staff know each other (the gateway keeps the staff accounts)."""
    if not account_id:
        return ""
    account = Account.get_or_none(Account.id == account_id)
    if account is None:
        return _("un membre de l'équipe")
    return account.display_name


# --- the list ---------------------------------------------------------------------------------
@bp.get("/")
@requires("coordinator")
def volunteers():
    query = {"limit": PAGE}
    if request.args.get("suite"):
        query["cursor"] = request.args["suite"]
    with services() as rpc:
        found = rpc.volunteers.list_volunteers(query)
    return render_template(
        "web/staff/volunteers/list.html", volunteers=found["items"], next_cursor=found.get("next_cursor")
    )


# --- the attestations that expire soon ------------------------------------------------------
@bp.get("/attestations-a-renouveler")
@requires("coordinator")
def expiring():
    with services() as rpc:
        found = rpc.volunteers.list_expiring({"limit": EXPIRING_SHOWN})
    return render_template("web/staff/volunteers/expiring.html", expiring=found["items"])


# --- the venue's year -------------------------------------------------------------------------
@bp.get("/heures")
@requires("coordinator")
def hours():
    typed = request.args.get("annee", "").strip()
    errors = {}
    if typed and not typed.isdecimal():
        errors["annee"] = [_("Indiquez une année en chiffres, par exemple %(year)s.", year=_this_year())]
    year = int(typed) if typed.isdecimal() else _this_year()
    found, status = None, 422 if errors else 200
    if not errors:
        try:
            with services() as rpc:
                found = rpc.volunteers.venue_hours({"year": year})
        except ServiceError as exc:
            errors, status = {"annee": field_errors(exc).get("year") or [exc.message]}, exc.status
    page = render_template("web/staff/volunteers/hours.html", hours=found, year=year, typed=typed, errors=errors)
    return page, status


@bp.get("/heures/<int:year>.csv")
@requires("coordinator")
def hours_csv(year):
    """The same file as GET /api/v1/volunteers/hours/{year}.csv, for a signed-in page."""
    return documents.volunteer_hours_csv(year)  # the year is checked by the service


# --- a volunteer's file -----------------------------------------------------------------------
@bp.get("/<volunteer_id>")
@requires("coordinator")
def file(volunteer_id):
    with services() as rpc:
        found = rpc.volunteers.volunteer_file(volunteer_id)
    return render_template(
        "web/staff/volunteers/file.html",
        volunteer=found,
        verified_by=_staff_name(found.get("honorability_verified_by")),
        insured_by=_staff_name(found.get("insurance_recorded_by")),
        days=DAY_LABELS(),
    )


@bp.route("/<volunteer_id>/attestation", methods=["GET", "POST"])
@requires("coordinator")
def attestation(volunteer_id):
    """The attestation d'honorabilité as staff checked it on the national platform; who checked
    is the signed-in staff member."""
    with services() as rpc:
        found = rpc.volunteers.volunteer_file(volunteer_id)
    if request.method == "GET":
        return render_template("web/staff/volunteers/attestation.html", volunteer=found, form={}, errors={})
    form = request.form
    errors = {}
    if not form.get("issued_on"):
        errors["issued_on"] = [_("Indiquez la date d'émission écrite sur l'attestation.")]
    if not form.get("verified_on"):
        errors["verified_on"] = [_("Indiquez le jour où vous avez vérifié l'attestation sur la plateforme.")]
    status = 422
    if not errors:
        data = {"issued_on": form["issued_on"], "verified_on": form["verified_on"]}
        try:
            with services() as rpc:
                recorded = rpc.volunteers.record_honorability(volunteer_id, data, g.account.id)
        except ServiceError as exc:
            errors, status = form_errors(exc), exc.status
        else:
            flash(_("Attestation d'honorabilité enregistrée pour %(name)s.", name=_name(recorded)))
            return redirect(url_for("volunteers_staff.file", volunteer_id=volunteer_id))
    page = render_template("web/staff/volunteers/attestation.html", volunteer=found, form=form, errors=errors)
    return page, status


@bp.route("/<volunteer_id>/assurance", methods=["GET", "POST"])
@requires("coordinator")
def insurance(volunteer_id):
    """The venue's insurance that covers the volunteer (CSP R2324-33 II)."""
    with services() as rpc:
        found = rpc.volunteers.volunteer_file(volunteer_id)
    if request.method == "GET":
        form = {
            "insurer": found.get("insurer") or "",
            "policy": found.get("insurance_policy") or "",
            "valid_from": found.get("insurance_valid_from") or "",
            "valid_until": found.get("insurance_valid_until") or "",
        }
        return render_template("web/staff/volunteers/insurance.html", volunteer=found, form=form, errors={})
    form = request.form
    errors = _insurance_form_errors(form)
    status = 422
    if not errors:
        data = {name: form[name].strip() for name in ("insurer", "policy", "valid_from", "valid_until")}
        try:
            with services() as rpc:
                recorded = rpc.volunteers.record_insurance(volunteer_id, data, g.account.id)
        except ServiceError as exc:
            errors, status = form_errors(exc), exc.status
        else:
            flash(_("Assurance enregistrée pour %(name)s.", name=_name(recorded)))
            return redirect(url_for("volunteers_staff.file", volunteer_id=volunteer_id))
    page = render_template("web/staff/volunteers/insurance.html", volunteer=found, form=form, errors=errors)
    return page, status


def _insurance_form_errors(form):
    """The fields the form must send before the service decides (the dates' rules are its)."""
    errors = {}
    if not form.get("insurer", "").strip():
        errors["insurer"] = [_("Indiquez l'assureur, par exemple MAIF.")]
    if not form.get("policy", "").strip():
        errors["policy"] = [_("Indiquez le nom ou le numéro du contrat qui couvre les bénévoles.")]
    if not form.get("valid_from", "").strip():
        errors["valid_from"] = [_("Indiquez le premier jour où le contrat couvre les bénévoles.")]
    if not form.get("valid_until", "").strip():
        errors["valid_until"] = [_("Indiquez le dernier jour couvert par le contrat (son échéance).")]
    return errors


def _name(volunteer):
    return f"{volunteer['first_name']} {volunteer['last_name']}"


@bp.errorhandler(ServiceError)
def _refused(exc):
    """A refusal no form shows (an unknown volunteer, a year out of range): the service's sentence."""
    return render_template("web/error.html", title=_("Demande impossible"), message=exc.message), exc.status
