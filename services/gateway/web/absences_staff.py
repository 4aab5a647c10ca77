"""Staff's « Absences à valider »: the families' absence requests, each with its certificate, to
approve (once the certificate is seen) or to refuse with a reason the family reads. The rules
(which reasons need a proof, what is deducted) are the bookings service's; these views turn the
forms into its fields and show its refusals next to them."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.gateway import certificates
from services.gateway.service_calls import services
from services.gateway.web import form_errors
from services.gateway.web.guards import requires
from services.gateway.web.staff import bp
from shared.errors import ServiceError

REQUESTS_SHOWN = 200
CERTIFICATE_REASONS = ("illness_certificate", "hospitalisation")  # approved only on a certificate seen


def _queue(errors=None, absence_id=None, form=None, status=200):
    error = None
    waiting = []
    try:
        with services() as rpc:
            waiting = rpc.bookings.list_absences({"status": "requested", "limit": REQUESTS_SHOWN}).get("items", [])
    except ServiceError as exc:
        error = exc.message
    page = render_template(
        "web/staff/absences.html",
        absences=waiting,
        errors=errors or {},
        absence_id=absence_id,
        form=form or {},
        error=error,
        certificate_reasons=CERTIFICATE_REASONS,
    )
    return page, status


@bp.get("/absences")
@requires("educator")
def absences():
    return _queue()


@bp.post("/absences/<absence_id>/acceptation")
@requires("educator")
def approve_absence(absence_id):
    data = {"proof_seen": request.form.get("proof_seen") == "oui"}
    try:
        with services() as rpc:
            rpc.bookings.approve_absence(absence_id, data, g.account.id)
    except ServiceError as exc:
        return _queue(form_errors(exc), absence_id, request.form, exc.status)
    flash(_("Absence acceptée : ses heures sont déduites de la facture."))
    return redirect(url_for("staff.absences"))


@bp.post("/absences/<absence_id>/refus")
@requires("educator")
def reject_absence(absence_id):
    why = request.form.get("reason", "").strip()
    if not why:
        errors = {"reason": [_("Indiquez le motif du refus : la famille le lira.")]}
        return _queue(errors, absence_id, request.form, 422)
    try:
        with services() as rpc:
            rpc.bookings.reject_absence(absence_id, {"reason": why}, g.account.id)
    except ServiceError as exc:
        return _queue(form_errors(exc), absence_id, request.form, exc.status)
    flash(_("Demande d'absence refusée : la famille verra le motif."))
    return redirect(url_for("staff.absences"))


@bp.get("/absences/<absence_id>/justificatif")
@requires("educator")
def absence_certificate(absence_id):
    with services() as rpc:
        return certificates.download(rpc.bookings.get_certificate(absence_id))
