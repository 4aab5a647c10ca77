"""The PMSMP immersions' pages: the coordination's list and creation form (/equipe/immersions),
one immersion (its signatures, the beneficiary's attestation d'honorabilité, the tutor's
assessment, the convention's PDF), and the beneficiary's own page (/mon-immersion).

Every rule is the placements service's (one month, one object, the schedule's working time, the
attestation over the dates, who assesses): the views turn forms into its fields and its refusals
back into sentences next to those fields (form_errors)."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.gateway import immersions
from services.gateway.models import Account
from services.gateway.people import staff_names
from services.gateway.service_calls import services
from services.gateway.web import form_errors, register_page_hooks
from services.gateway.web.guards import requires
from services.gateway.web.placement_forms import day_names, form_days, schedule_from_form, schedule_lines
from shared.errors import ServiceError
from shared.vocabulary import IMMERSION_OBJECT_LABELS, PRESCRIBER_LABELS

bp = Blueprint("immersions_staff", __name__, url_prefix="/equipe/immersions")
register_page_hooks(bp)
beneficiary_bp = Blueprint("immersion_beneficiary", __name__)
register_page_hooks(beneficiary_bp)

SHOWN = 200
SIGNERS = ("beneficiary", "venue", "prescriber")


def _labels():
    return {
        "statuses": {
            "agreed": _("Convention à signer"),
            "signed": _("Signée"),
            "assessed": _("Bilan fait"),
            "cancelled": _("Annulée"),
        },
        "signers": {
            "beneficiary": _("Le ou la bénéficiaire"),
            "venue": _("La structure d'accueil"),
            "prescriber": _("La structure prescriptrice"),
        },
        "objects": {key: _(text) for key, text in IMMERSION_OBJECT_LABELS.items()},
        "prescribers": {key: _(text) for key, text in PRESCRIBER_LABELS.items()},
    }


def _render(template, status=200, **values):
    return render_template(template, **_labels(), **values), status


def _tutors():
    accounts = Account.select().where(Account.role == "staff").order_by(Account.last_name, Account.first_name)
    return [(a.id, a.display_name) for a in accounts]


# --- the list and the creation form --------------------------------------------------------------
@bp.route("", methods=["GET", "POST"])
@requires("coordinator")
def immersions_page():
    form, errors, status = {}, {}, 200
    if request.method == "POST":
        form = request.form
        data, errors = _request_of(form)
        status = 422
        if not errors:
            try:
                made = immersions.create(data, g.account)
            except ServiceError as exc:
                errors, status = form_errors(exc, renamed={"schedule": "weekly_schedule"}), exc.status
            else:
                flash(_("Immersion enregistrée pour %(name)s.", name=f"{made['first_name']} {made['last_name']}"))
                return redirect(url_for("immersions_staff.immersion", immersion_id=made["id"]))
    with services() as rpc:
        rows = rpc.placements.list_immersions({"limit": SHOWN}).get("items", [])
    return _render(
        "web/staff/immersions/list.html",
        status,
        immersions=rows,
        tutors=dict(_tutors()),
        tutor_choices=_tutors(),
        form=form,
        errors=errors,
        days=form_days(),
        day_names=day_names(),
    )


def _request_of(form):
    """(ImmersionRequestIn's fields, errors the page finds itself: the schedule's lines)."""
    schedule, errors = schedule_from_form(form, form_days())
    data = {
        "beneficiary_email": form.get("beneficiary_email", "").strip(),
        "first_name": form.get("first_name", "").strip(),
        "last_name": form.get("last_name", "").strip(),
        "birth_date": form.get("birth_date") or None,
        "prescriber": {
            "organisation": form.get("organisation", ""),
            "adviser_name": form.get("adviser_name", "").strip(),
            "adviser_email": form.get("adviser_email", "").strip(),
        },
        "object": form.get("object", ""),
        "objectives": form.get("objectives", "").strip(),
        "activities": form.get("activities", "").strip(),
        "starts_on": form.get("starts_on") or None,
        "ends_on": form.get("ends_on") or None,
        "tutor_id": form.get("tutor_id", ""),
        "schedule": schedule,
    }
    if form.get("gratification", "").strip():
        data["gratification"] = form["gratification"].strip().replace(",", ".")
    return data, errors


# --- one immersion ---------------------------------------------------------------------------------
@bp.get("/<immersion_id>")
@requires("coordinator", "educator")
def immersion(immersion_id):
    return _detail(immersion_id)


def _detail(immersion_id, status=200, errors=None, form=None, part=""):
    with services() as rpc:
        found = rpc.placements.get_immersion(immersion_id)
    tutor = staff_names([found.get("tutor_id")]).get(found.get("tutor_id"), "")
    return _render(
        "web/staff/immersions/detail.html",
        status,
        immersion=found,
        tutor=tutor,
        schedule=schedule_lines(found.get("schedule")),
        errors=errors or {},
        form=form or {},
        part=part,
        signer_keys=SIGNERS,
    )


@bp.post("/<immersion_id>/signature")
@requires("coordinator")
def sign(immersion_id):
    form = request.form
    data = {"signer": form.get("signer", ""), "signed_on": form.get("signed_on") or None, "name": form.get("name", "")}
    return _change(immersion_id, "signature", lambda rpc: rpc.placements.sign_immersion(immersion_id, data), form)


@bp.post("/<immersion_id>/attestation")
@requires("coordinator")
def honorability(immersion_id):
    form = request.form
    data = {"issued_on": form.get("issued_on") or None, "verified_on": form.get("verified_on") or None}
    return _change(
        immersion_id,
        "attestation",
        lambda rpc: rpc.placements.record_beneficiary_honorability(immersion_id, data, g.account.id),
        form,
    )


@bp.post("/<immersion_id>/bilan")
@requires("coordinator", "educator")
def assessment(immersion_id):
    form = request.form
    days = form.get("days_present", "").strip()
    data = {
        "days_present": int(days) if days.isdecimal() else days,
        "skills_observed": form.get("skills_observed", ""),
        "next_steps": form.get("next_steps", ""),
        "comment": form.get("comment", ""),
    }
    coordinates = immersions.coordinates(g.account)
    return _change(
        immersion_id,
        "bilan",
        lambda rpc: rpc.placements.assess_immersion(immersion_id, data, g.account.id, coordinates),
        form,
    )


@bp.post("/<immersion_id>/annulation")
@requires("coordinator")
def cancel(immersion_id):
    form = request.form
    data = {"reason": form.get("reason", "")}
    return _change(immersion_id, "annulation", lambda rpc: rpc.placements.cancel_immersion(immersion_id, data), form)


def _change(immersion_id, part, call, form):
    try:
        with services() as rpc:
            call(rpc)
    except ServiceError as exc:
        return _detail(immersion_id, exc.status, form_errors(exc), form, part)
    flash(_("Enregistré."))
    return redirect(url_for("immersions_staff.immersion", immersion_id=immersion_id))


@bp.get("/<immersion_id>/convention.pdf")
@requires("coordinator", "educator")
def convention(immersion_id):
    return immersions.convention_pdf(immersion_id)


@bp.errorhandler(ServiceError)
def _refused(exc):
    return render_template("web/error.html", title=_("Demande impossible"), message=exc.message), exc.status


# --- the beneficiary's own page -------------------------------------------------------------------
@beneficiary_bp.get("/mon-immersion")
@requires("beneficiary")
def my_immersion():
    scope = immersions.beneficiary_scope(g.account)
    with services() as rpc:
        rows = rpc.placements.list_immersions({"limit": SHOWN}, scope).get("items", [])
    tutors = staff_names([row.get("tutor_id") for row in rows])
    return _render(
        "web/beneficiary/immersion.html",
        immersions=rows,
        tutors=tutors,
        schedules={row["id"]: schedule_lines(row.get("schedule")) for row in rows},
    )


@beneficiary_bp.get("/mon-immersion/<immersion_id>/convention.pdf")
@requires("beneficiary")
def my_convention(immersion_id):
    return immersions.convention_pdf(immersion_id, immersions.beneficiary_scope(g.account))
