"""Training for people with an account (trainees and volunteers): the sessions open to them, enrol
with a funding source, cancel after a page that says what happens, their enrolments with their
status or place on the waiting list, their certificates to download. Every decision is the
education service's: a refusal is its sentence; a person only ever acts on their own enrolments."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.gateway import people
from services.gateway.service_calls import services
from services.gateway.web import form_errors, register_page_hooks
from services.gateway.web.guards import requires
from services.gateway.web.training import FUNDING_LABELS, FUNDINGS, certificate_response
from shared.errors import ServiceError

bp = Blueprint("training_public", __name__, url_prefix="/formations")
register_page_hooks(bp)
PARTICIPANTS = ("trainee", "volunteer")  # the participant kind is the account's role
SHOWN = 100


@bp.before_request
def _part():
    g.service_part = "education"


def _me():
    return people.participant()[1]


@bp.get("/")
@requires(*PARTICIPANTS, with_profile=True)
def home(errors=None, chosen=None, status=200):
    with services() as rpc:
        offered = rpc.education.list_sessions({"open_to": people.participant()[0], "limit": SHOWN}).get("items", [])
        mine = rpc.education.list_participant_enrolments(_me())
        certificates = rpc.education.participant_certificates(_me())
        courses = {s["course_id"]: None for s in offered}
        for course_id in courses:
            courses[course_id] = rpc.education.get_course(course_id)
    current = [e for e in mine if e["status"] in ("confirmed", "waitlisted")]  # not cancelled nor retracted
    taken = {e["session_id"] for e in current}
    page = render_template(
        "web/training/home.html",
        offered=[s for s in offered if s["id"] not in taken],
        courses=courses,
        mine=current,
        certificates=certificates,
        errors=errors or {},
        chosen=chosen or {},
    )
    return page, status


@bp.app_context_processor
def _labels():
    return {"funding_choices": lambda keys: [(key, FUNDING_LABELS().get(key, key)) for key in (keys or FUNDINGS)]}


@bp.post("/sessions/<session_id>/inscription")
@requires(*PARTICIPANTS, with_profile=True)
def enrol(session_id):
    funding = request.form.get("funding", "")
    data = {
        "participant_kind": people.participant()[0],
        "participant_id": _me(),
        "name": g.account.display_name,
        "email": g.account.email,
        "funding": funding,
    }
    try:
        with services() as rpc:
            enrolment = rpc.education.enrol(session_id, data)
    except ServiceError as exc:
        errors = form_errors(exc)
        sentences = [sentence for messages in errors.values() for sentence in messages]
        return home(errors={session_id: sentences}, chosen={session_id: funding}, status=exc.status)
    return redirect(url_for("training_public.enrolment", enrolment_id=enrolment["id"]))


def _mine(enrolment_id):
    with services() as rpc:
        mine = rpc.education.list_participant_enrolments(_me())
    return next((e for e in mine if e["id"] == enrolment_id), None)


@bp.get("/inscriptions/<enrolment_id>")
@requires(*PARTICIPANTS, with_profile=True)
def enrolment(enrolment_id):
    """What happens now, after enrolling or cancelling (only the person's own enrolments)."""
    found = _mine(enrolment_id)
    if found is None:
        return redirect(url_for("training_public.home"))
    return render_template("web/training/enrolment.html", enrolment=found, session=found["session"])


@bp.get("/inscriptions/<enrolment_id>/annulation")
@requires(*PARTICIPANTS, with_profile=True)
def confirm_cancel(enrolment_id):
    """The confirmation: what cancelling does, before it is done."""
    found = _mine(enrolment_id)
    if found is None or found["status"] not in ("confirmed", "waitlisted"):
        return redirect(url_for("training_public.home"))
    return render_template("web/training/cancel.html", enrolment=found, session=found["session"])


@bp.post("/inscriptions/<enrolment_id>/annulation")
@requires(*PARTICIPANTS, with_profile=True)
def cancel(enrolment_id):
    try:
        with services() as rpc:
            cancelled = rpc.education.cancel_enrolment(enrolment_id, _me())
    except ServiceError as exc:
        flash(exc.message, "error")
        return redirect(url_for("training_public.home"))
    return redirect(url_for("training_public.enrolment", enrolment_id=cancelled["id"]))


@bp.get("/certificats/<session_id>.pdf")
@requires(*PARTICIPANTS, with_profile=True)
def certificate(session_id):
    with services() as rpc:
        found = rpc.education.participant_certificates(_me())
    mine = next((c for c in found if c["session_id"] == session_id), None)
    if mine is None:
        message = _("Vous n'avez pas de certificat pour cette session.")
        return render_template("web/error.html", title=_("Certificat indisponible"), message=message), 404
    return certificate_response(mine)


@bp.errorhandler(ServiceError)
def _refused(exc):
    return render_template("web/error.html", title=_("Demande impossible"), message=exc.message), exc.status
