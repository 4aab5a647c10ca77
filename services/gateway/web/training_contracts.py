"""Learners' contracts in pages (education service): a trainee or a volunteer who pays for their
own training reads their contrat de formation, accepts it, and may withdraw (« Je me rétracte »)
during the 10 days that follow; staff see each enrolment's contract, its withdrawal period and
its payments, record a payment, accept for a person without an account, record a retraction
received by letter, and download the contract or the convention. Every decision is the education
service's: a refusal is its sentence (docs/education-rules.md, "Learners' contracts")."""

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.gateway import downloads, people, training_contracts, training_documents
from services.gateway.service_calls import services
from services.gateway.web import form_errors, register_page_hooks
from services.gateway.web.guards import requires
from services.gateway.web.training import _decimal
from shared.errors import ServiceError

bp = Blueprint("training_contracts", __name__, url_prefix="/formations/inscriptions")
staff_bp = Blueprint("training_contracts_staff", __name__, url_prefix="/equipe/formations/inscriptions")
register_page_hooks(bp)
register_page_hooks(staff_bp)
PARTICIPANTS = ("trainee", "volunteer")


@bp.before_request
@staff_bp.before_request
def _part():
    g.service_part = "education"


def CONTRACT_LABELS():
    return {
        "not_needed": _("Pas de contrat (financement par un tiers)"),
        "to_accept": _("Contrat à accepter"),
        "withdrawal_period": _("Contrat accepté, délai de rétractation en cours"),
        "in_force": _("Contrat accepté, délai de rétractation terminé"),
        "retracted": _("Rétractation"),
    }


@bp.app_context_processor
def _labels():
    return {"contract_status": lambda key: CONTRACT_LABELS().get(key, key)}


def _organisation():
    return training_documents.organisation_of(current_app.config)


def _contract_pdf(detail):
    if detail.get("funding") != "self_funded":
        message = _("Seule une personne qui finance elle-même sa formation a un contrat de formation.")
        return render_template("web/error.html", title=_("Contrat indisponible"), message=message), 404
    return downloads.pdf(
        training_contracts.contract_pdf(detail, _organisation()), training_contracts.contract_filename(detail["id"])
    )


def _convention_pdf(detail):
    if not detail.get("convention"):
        message = _("Une convention de formation se signe avec un employeur, un OPCO ou France Travail.")
        return render_template("web/error.html", title=_("Convention indisponible"), message=message), 404
    return downloads.pdf(
        training_contracts.convention_pdf(detail, _organisation()), training_contracts.convention_filename(detail["id"])
    )


# --- the learner --------------------------------------------------------------------------------------
def _me():
    return people.participant()[1]


def _mine(enrolment_id):
    with services() as rpc:
        return rpc.education.get_enrolment(enrolment_id, _me())


@bp.get("/<enrolment_id>/contrat")
@requires(*PARTICIPANTS, with_profile=True)
def contract(enrolment_id, errors=None, status=200):
    """The contract in plain French, the PDF to read in full, the acceptance; then the withdrawal."""
    detail = _mine(enrolment_id)
    if detail.get("funding") != "self_funded":
        return redirect(url_for("training_public.enrolment", enrolment_id=enrolment_id))
    price, share = training_contracts.price_and_share(detail)
    page = render_template(
        "web/training/contract.html",
        enrolment=detail,
        session=detail["session"],
        course=detail["course"],
        price=price,
        share=share,
        errors=errors or {},
    )
    return page, status


@bp.post("/<enrolment_id>/contrat")
@requires(*PARTICIPANTS, with_profile=True)
def accept(enrolment_id):
    if request.form.get("read") != "oui":
        errors = {"read": [_("Cochez la case pour dire que vous avez lu le contrat et que vous l'acceptez.")]}
        return contract(enrolment_id, errors=errors, status=422)
    try:
        with services() as rpc:
            rpc.education.accept_contract(enrolment_id, _me())
    except ServiceError as exc:
        return contract(enrolment_id, errors=form_errors(exc), status=exc.status)
    flash(_("Votre contrat est accepté. Vous pouvez encore vous rétracter pendant 10 jours, sans frais."))
    return redirect(url_for("training_contracts.contract", enrolment_id=enrolment_id))


@bp.get("/<enrolment_id>/contrat.pdf")
@requires(*PARTICIPANTS, with_profile=True)
def contract_pdf(enrolment_id):
    return _contract_pdf(_mine(enrolment_id))


@bp.get("/<enrolment_id>/convention.pdf")
@requires(*PARTICIPANTS, with_profile=True)
def convention_pdf(enrolment_id):
    return _convention_pdf(_mine(enrolment_id))


@bp.get("/<enrolment_id>/retractation")
@requires(*PARTICIPANTS, with_profile=True)
def confirm_retract(enrolment_id):
    """What withdrawing does, before it is done."""
    detail = _mine(enrolment_id)
    if detail["contract_status"] != "withdrawal_period":
        return redirect(url_for("training_contracts.contract", enrolment_id=enrolment_id))
    return render_template("web/training/retract.html", enrolment=detail, session=detail["session"])


@bp.post("/<enrolment_id>/retractation")
@requires(*PARTICIPANTS, with_profile=True)
def retract(enrolment_id):
    try:
        with services() as rpc:
            rpc.education.retract_enrolment(enrolment_id, _me())
    except ServiceError as exc:
        flash(exc.message, "error")
        return redirect(url_for("training_contracts.contract", enrolment_id=enrolment_id))
    return redirect(url_for("training_public.enrolment", enrolment_id=enrolment_id))


@bp.errorhandler(ServiceError)
def _refused(exc):
    return render_template("web/error.html", title=_("Demande impossible"), message=exc.message), exc.status


# --- staff ------------------------------------------------------------------------------------------------
@staff_bp.get("/<enrolment_id>")
@requires("trainer", "accounting")
def enrolment(enrolment_id, form=None, errors=None, status=200):
    with services() as rpc:
        detail = rpc.education.get_enrolment(enrolment_id)
    price, share = training_contracts.price_and_share(detail)
    page = render_template(
        "web/staff/training/enrolment.html",
        price=price,
        share=share,
        account_kinds=PARTICIPANTS,
        enrolment=detail,
        session=detail["session"],
        course=detail["course"],
        form=form or {},
        errors=errors or {},
    )
    return page, status


@staff_bp.post("/<enrolment_id>/paiements")
@requires("accounting")
def record_payment(enrolment_id):
    form = request.form
    data = {"amount": _decimal(form.get("amount")), "paid_on": form.get("paid_on", "").strip()}
    try:
        with services() as rpc:
            rpc.education.record_payment(enrolment_id, data)
    except ServiceError as exc:
        errors = form_errors(exc)
        if "_schema" in errors and exc.status == 409:
            errors = {"amount": errors.pop("_schema"), **errors}
        return enrolment(enrolment_id, form=form, errors=errors, status=exc.status)
    flash(_("Le paiement est enregistré."))
    return redirect(url_for("training_contracts_staff.enrolment", enrolment_id=enrolment_id, _anchor="paiements"))


@staff_bp.post("/<enrolment_id>/contrat")
@requires("trainer")
def accept_for(enrolment_id):
    try:
        with services() as rpc:
            rpc.education.accept_contract(enrolment_id)
    except ServiceError as exc:
        flash(exc.message, "error")
    else:
        flash(_("Le contrat est enregistré comme accepté : le délai de rétractation de 10 jours commence."))
    return redirect(url_for("training_contracts_staff.enrolment", enrolment_id=enrolment_id))


@staff_bp.post("/<enrolment_id>/retractation")
@requires("trainer")
def retract_for(enrolment_id):
    try:
        with services() as rpc:
            rpc.education.retract_enrolment(enrolment_id)
    except ServiceError as exc:
        flash(exc.message, "error")
    else:
        flash(_("La rétractation est enregistrée : la place est libérée, rien n'est dû."))
    return redirect(url_for("training_contracts_staff.enrolment", enrolment_id=enrolment_id))


@staff_bp.get("/<enrolment_id>/contrat.pdf")
@requires("trainer")
def staff_contract_pdf(enrolment_id):
    with services() as rpc:
        return _contract_pdf(rpc.education.get_enrolment(enrolment_id))


@staff_bp.get("/<enrolment_id>/convention.pdf")
@requires("trainer")
def staff_convention_pdf(enrolment_id):
    with services() as rpc:
        return _convention_pdf(rpc.education.get_enrolment(enrolment_id))


@staff_bp.errorhandler(ServiceError)
def _staff_refused(exc):
    return render_template("web/error.html", title=_("Demande impossible"), message=exc.message), exc.status
