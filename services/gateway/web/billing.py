"""The billing pages: staff's «Facturation» (close a month, its invoices, an invoice with its
payments and credit note) and «Soldes» (who owes what), and the family's «Mes factures». They
call the same RPCs as the JSON API (services/gateway/api/billing.py) and hold no rule."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.gateway import documents, people
from services.gateway.service_calls import services
from services.gateway.web import form_errors
from services.gateway.web.family import bp as family_bp
from services.gateway.web.guards import requires
from services.gateway.web.staff import bp as staff_bp
from shared import timeutil
from shared.errors import ServiceError
from shared.vocabulary import INVOICE_STATUS_LABELS, PAYMENT_METHOD_LABELS


def _labels():
    return {
        "status_label": lambda status: _(INVOICE_STATUS_LABELS.get(status, status)),
        "method_label": lambda method: _(PAYMENT_METHOD_LABELS.get(method, method)),
        "methods": [(key, _(text)) for key, text in PAYMENT_METHOD_LABELS.items()],
    }


def _last_month():
    today = timeutil.now_utc().astimezone(timeutil.VENUE_TZ).date()
    return f"{today.year - 1}-12" if today.month == 1 else f"{today.year}-{today.month - 1:02d}"


# --- staff: a month ------------------------------------------------------------------------------
@staff_bp.get("/facturation")
@requires("accounting")
def billing():
    return _month_page(request.args.get("mois") or _last_month(), {}, {})


def _month_page(month, form, errors, status=200, pending=None):
    closing, error = None, None
    try:
        with services() as rpc:
            closing = rpc.bookings.get_closing(month)
            if closing is None and pending is None:
                pending = rpc.bookings.pending_absences(month)
    except ServiceError as exc:
        error = exc.message
    page = render_template(
        "web/staff/billing.html",
        month=month,
        closing=closing,
        pending=pending or [],
        form=form,
        errors=errors,
        error=error,
        **_labels(),
    )
    return page, status


@staff_bp.post("/facturation/cloture")
@requires("accounting")
def close_month():
    month = request.form.get("mois", "")
    force = request.form.get("force") == "oui"
    try:
        with services() as rpc:
            closed = rpc.bookings.close_month(month, {"force": force}, g.account.id)
    except ServiceError as exc:
        waiting = exc.fields.get("absences") or []
        errors = {"force": [exc.message]} if waiting else form_errors(exc, renamed={"month": "mois"})
        pending = [{"text": text} for text in waiting] or None
        return _month_page(month, request.form, errors, exc.status, pending=pending)
    flash(_("Mois clos : %(count)s facture(s) émise(s).", count=len(closed["invoices"])))
    return redirect(url_for("staff.billing", mois=month))


# --- staff: an invoice ---------------------------------------------------------------------------
@staff_bp.get("/factures/<invoice_id>")
@requires("accounting")
def invoice(invoice_id, form=None, errors=None, status=200):
    with services() as rpc:
        found = rpc.bookings.get_invoice(invoice_id)
    page = render_template("web/staff/invoice.html", invoice=found, form=form or {}, errors=errors or {}, **_labels())
    return page, status


@staff_bp.post("/factures/<invoice_id>/paiements")
@requires("accounting")
def record_payment(invoice_id):
    form = request.form
    data = {"amount": form.get("amount", "").replace(",", "."), "paid_on": form.get("paid_on", "")}
    data["method"] = form.get("method", "")
    try:
        with services() as rpc:
            rpc.bookings.record_payment(invoice_id, data, g.account.id)
    except ServiceError as exc:
        return invoice(invoice_id, form, form_errors(exc), exc.status)
    flash(_("Paiement enregistré."))
    return redirect(url_for("staff.invoice", invoice_id=invoice_id))


@staff_bp.post("/factures/<invoice_id>/avoir")
@requires("accounting")
def credit_note(invoice_id):
    form = request.form
    try:
        with services() as rpc:
            credited = rpc.bookings.issue_credit_note(invoice_id, {"reason": form.get("reason", "")}, g.account.id)
    except ServiceError as exc:
        return invoice(invoice_id, form, form_errors(exc), exc.status)
    flash(_("Avoir %(number)s émis : la facture est annulée.", number=credited["credit_note_number"]))
    return redirect(url_for("staff.invoice", invoice_id=invoice_id))


@staff_bp.post("/paiements/<payment_id>/rejet")
@requires("accounting")
def reject_payment(payment_id):
    form = request.form
    invoice_id = form.get("invoice_id", "")
    try:
        with services() as rpc:
            rpc.bookings.reject_payment(payment_id, {"reason": form.get("reject_reason", "")}, g.account.id)
    except ServiceError as exc:
        return invoice(invoice_id, form, form_errors(exc, renamed={"reason": "reject_reason"}), exc.status)
    flash(_("Paiement marqué impayé."))
    return redirect(url_for("staff.invoice", invoice_id=invoice_id))


@staff_bp.get("/factures/<invoice_id>.pdf")
@requires("accounting")
def invoice_pdf(invoice_id):
    return documents.invoice_pdf(invoice_id)


@staff_bp.get("/factures/<invoice_id>/avoir.pdf")
@requires("accounting")
def credit_note_pdf(invoice_id):
    return documents.credit_note_pdf(invoice_id)


@staff_bp.get("/facturation/<mois>/prelevements.xml")
@requires("accounting")
def sepa_file(mois):
    """The closed month's SEPA file; a refusal (nothing to debit) is shown on the month's page."""
    try:
        return documents.sepa_file(mois)
    except ServiceError as exc:
        flash(exc.message, "error")
        return redirect(url_for("staff.billing", mois=mois))


@staff_bp.get("/soldes")
@requires("accounting")
def balances():
    error, found = None, {"items": [], "total": "0.00"}
    try:
        with services() as rpc:
            found = rpc.bookings.balances()
    except ServiceError as exc:
        error = exc.message
    return render_template("web/staff/balances.html", balances=found, error=error)


# --- the family ------------------------------------------------------------------------------------
@family_bp.get("/factures")
@requires("family")
def invoices():
    with services() as rpc:
        found = rpc.bookings.family_invoices(people.own("family"))
    this_year = timeutil.now_utc().astimezone(timeutil.VENUE_TZ).year
    years = (this_year - 1, this_year)  # last year's certificate, and this year's so far
    return render_template("web/family/invoices.html", found=found, certificate_years=years, **_labels())


@family_bp.get("/factures/<invoice_id>.pdf")
@requires("family")
def invoice_pdf_of_family(invoice_id):
    return documents.invoice_pdf(invoice_id, people.own("family"))


@family_bp.get("/factures/<invoice_id>/avoir.pdf")
@requires("family")
def credit_note_pdf_of_family(invoice_id):
    return documents.credit_note_pdf(invoice_id, people.own("family"))


@family_bp.get("/attestations-fiscales/<int:year>.pdf")
@requires("family")
def tax_certificate_pdf(year):
    return documents.tax_certificate_pdf(people.own("family"), year)
