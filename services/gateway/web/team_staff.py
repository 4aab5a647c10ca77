"""The staff's pages about the venue's staff (/equipe/personnel): the list with each member's
diplomas, référent santé and clearance in words, a member's file (job title, diplomas, référent,
still here, and recording the attestation d'honorabilité), and the attestations to renew for
every adult with the children (staff, trainees, volunteers). Views call the same RPCs as the JSON
API and hold no rule: a refusal is the team service's French sentence, next to its field."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.gateway import renewals, staff_leaving, staff_roles
from services.gateway.models import Account
from services.gateway.service_calls import services
from services.gateway.web import form_errors, register_page_hooks
from services.gateway.web.guards import requires
from shared.diplomas import DIPLOMAS, STATE_DIPLOMAS
from shared.errors import ServiceError

bp = Blueprint("team_staff", __name__, url_prefix="/equipe/personnel")
register_page_hooks(bp)
SHOWN = 500  # staff members on the page (a venue has a few dozen)
YES = "oui"


@bp.before_request
def _part():
    g.service_part = "team"


@bp.app_context_processor
def _diplomas():
    return {"diploma_labels": DIPLOMAS, "state_diplomas": STATE_DIPLOMAS}


# --- the list ---------------------------------------------------------------------------------
@bp.get("/")
@requires("director")
def members():
    with services() as rpc:
        found = rpc.team.list_staff({"limit": SHOWN})["items"]
        referent_missing = rpc.team.referent_missing()
    known = {m["id"] for m in found}
    without_profile = [a for a in Account.select().where(Account.role == "staff") if a.id not in known]
    return render_template(
        "web/staff/team/list.html",
        members=found,
        referent_missing=referent_missing,
        without_profile=sorted(without_profile, key=lambda a: (a.last_name, a.first_name, a.email)),
    )


@bp.post("/comptes/<account_id>/fiche")
@requires("director")
def create_profile(account_id):
    """The profile of a staff account made before the team service (the bootstrap account)."""
    account = Account.get_or_none((Account.id == account_id) & (Account.role == "staff"))
    if account is None:
        return render_template("web/error.html", title=_("Demande impossible"), message=_("Compte introuvable.")), 404
    with services() as rpc:
        registered = rpc.team.register_staff(staff_roles.profile_of(account))
    staff_roles.keep(account.id, registered)
    flash(_("Fiche créée pour %(name)s : indiquez ses diplômes et son attestation.", name=account.display_name))
    return redirect(url_for("team_staff.member", staff_id=account.id))


# --- the attestations to renew, for every adult with the children --------------------------
@bp.get("/attestations-a-renouveler")
@requires("coordinator")
def renewals_page():
    with services() as rpc:
        found = renewals.combined(rpc)
    return render_template("web/staff/team/renewals.html", renewals=found.items, unavailable=found.unavailable)


# --- a member's file ---------------------------------------------------------------------------
@bp.get("/<staff_id>")
@requires("director")
def member(staff_id):
    return _file(staff_id)


@bp.post("/<staff_id>/profil")
@requires("director")
def update_profile(staff_id):
    form = request.form
    data = {
        "job_title": form.get("job_title", "").strip(),
        "diplomas": form.getlist("diplomas"),
        "health_referent": form.get("health_referent") == YES,
        "active": form.get("active") == YES,
        "staff_roles": form.getlist("staff_roles"),
    }
    if staff_leaving.leaving_yourself(staff_id, data, g.account):
        refusal = _("Vous ne pouvez pas noter votre propre départ : demandez à un autre membre de l'équipe.")
        return _file(staff_id, profile_form=form, profile_errors={"active": [refusal]}, status=409)
    try:
        with services() as rpc:
            updated = rpc.team.update_staff(staff_id, data)
    except ServiceError as exc:
        return _file(staff_id, profile_form=form, profile_errors=form_errors(exc), status=exc.status)
    staff_roles.keep(staff_id, updated)  # open or closed on their next request
    staff_leaving.close_account_if_left(updated, g.account)  # a member who left can no longer sign in
    flash(_("Fiche de %(name)s enregistrée.", name=_name(updated)))
    return redirect(url_for("team_staff.member", staff_id=staff_id))


@bp.post("/<staff_id>/attestation")
@requires("director")
def attestation(staff_id):
    """The attestation as staff checked it on the national platform; who checked is the signed-in
    staff member."""
    form = request.form
    errors = {}
    if not form.get("issued_on"):
        errors["issued_on"] = [_("Indiquez la date d'émission écrite sur l'attestation.")]
    if not form.get("verified_on"):
        errors["verified_on"] = [_("Indiquez le jour où vous avez vérifié l'attestation sur la plateforme.")]
    if errors:
        return _file(staff_id, attestation_form=form, attestation_errors=errors, status=422)
    data = {"issued_on": form["issued_on"], "verified_on": form["verified_on"]}
    try:
        with services() as rpc:
            rpc.team.record_honorability(staff_id, data, g.account.id)
    except ServiceError as exc:
        return _file(staff_id, attestation_form=form, attestation_errors=form_errors(exc), status=exc.status)
    flash(_("Attestation d'honorabilité enregistrée."))
    return redirect(url_for("team_staff.member", staff_id=staff_id))


def _file(staff_id, status=200, **forms):
    with services() as rpc:
        found = rpc.team.get_staff(staff_id)
    context = {
        "profile_form": None,
        "profile_errors": {},
        "attestation_form": {},
        "attestation_errors": {},
        **forms,
    }
    return render_template("web/staff/team/member.html", member=found, **context), status


def _name(member):
    return f"{member['first_name']} {member['last_name']}"


@bp.errorhandler(ServiceError)
def _refused(exc):
    """A refusal no form shows (an unknown staff member): the service's sentence."""
    return render_template("web/error.html", title=_("Demande impossible"), message=exc.message), exc.status
