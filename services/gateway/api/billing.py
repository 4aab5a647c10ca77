"""Billing: months closed into invoices, invoices and their PDF, credit notes, payments and
balances (bookings service, invoicing area)."""

from flask import jsonify, request

from services.bookings.schemas import (
    BalancesOut,
    CloseIn,
    ClosingOut,
    CreditNoteIn,
    FamilyInvoicesOut,
    InvoiceOut,
    InvoiceQuery,
    MonthIn,
    PaymentIn,
    RejectIn,
    SepaFileQuery,
)
from services.gateway import auth, documents, people, request_checks
from services.gateway.api import bp, created, services
from services.gateway.errors import ApiError
from services.gateway.pagination import page_response
from services.gateway.routing import api_route, json_body, validated


def family_scope():
    """A family reads its own invoices only; staff read everyone's (None)."""
    return people.scope("family")


def _month(month):
    month = validated(MonthIn(), {"month": month})["month"]
    request_checks.check_month(month)
    return month


@api_route(
    bp,
    "/billing/<month>/close",
    "POST",
    "Clore un mois : une facture numérotée par famille (AAAA-MM ; force : malgré des demandes d'absence en attente)",
    roles=("accounting",),
    body=CloseIn,
    response=ClosingOut,
    tag="facturation",
)
def close_month(month):
    month = _month(month)
    data = json_body() if request.get_data() else {}  # the body is optional: {} is no force
    with services() as rpc:
        return jsonify(rpc.bookings.close_month(month, data, auth.current_account().id))


@api_route(
    bp,
    "/billing/balances",
    "GET",
    "Soldes : ce que chaque famille doit encore, la dette la plus ancienne d'abord",
    roles=("accounting",),
    response=BalancesOut,
    tag="facturation",
)
def balances():
    with services() as rpc:
        return jsonify(rpc.bookings.balances())


@api_route(
    bp,
    "/billing/<month>",
    "GET",
    "Un mois clos et ses factures (404 tant qu'il est ouvert)",
    roles=("accounting",),
    response=ClosingOut,
    tag="facturation",
)
def get_closing(month):
    month = _month(month)
    with services() as rpc:
        closing = rpc.bookings.get_closing(month)
    if closing is None:
        raise ApiError(404, "not_found", "Ce mois n'est pas clos.")
    return jsonify(closing)


@api_route(
    bp,
    "/invoices",
    "GET",
    "Factures (paramètres month, status, family_id, limit, cursor)",
    roles=("accounting",),
    many=True,
    query=InvoiceQuery,
    response=InvoiceOut,
    tag="facturation",
)
def list_invoices(query):
    with services() as rpc:
        return page_response(rpc.bookings.list_invoices(query), query)


# "<invoice_id>.pdf" wins over "<invoice_id>" for ".../abc.pdf" (its static suffix), as for statements.
@api_route(
    bp,
    "/invoices/<invoice_id>.pdf",
    "GET",
    "Une facture en PDF (la même à chaque téléchargement)",
    roles=("accounting", "family"),
    tag="facturation",
    content_type="application/pdf",
)
def invoice_pdf(invoice_id):
    return documents.invoice_pdf(invoice_id, family_scope())


@api_route(
    bp,
    "/invoices/<invoice_id>",
    "GET",
    "Une facture : lignes, total, payé, reste à payer, statut",
    roles=("accounting", "family"),
    response=InvoiceOut,
    tag="facturation",
)
def get_invoice(invoice_id):
    with services() as rpc:
        return jsonify(rpc.bookings.get_invoice(invoice_id, family_scope()))


@api_route(
    bp,
    "/invoices/<invoice_id>/credit-note.pdf",
    "GET",
    "L'avoir d'une facture en PDF",
    roles=("accounting", "family"),
    tag="facturation",
    content_type="application/pdf",
)
def credit_note_pdf(invoice_id):
    return documents.credit_note_pdf(invoice_id, family_scope())


@api_route(
    bp,
    "/invoices/<invoice_id>/credit-note",
    "POST",
    "Annuler une facture en totalité par un avoir (A-AAAA-NNNNNN), avec un motif",
    roles=("accounting",),
    body=CreditNoteIn,
    response=InvoiceOut,
    status=201,
    tag="facturation",
)
def issue_credit_note(invoice_id):
    data = json_body()
    with services() as rpc:
        return created(rpc.bookings.issue_credit_note(invoice_id, data, auth.current_account().id))


@api_route(
    bp,
    "/invoices/<invoice_id>/payments",
    "POST",
    "Enregistrer un paiement (au plus le reste à payer)",
    roles=("accounting",),
    body=PaymentIn,
    response=InvoiceOut,
    status=201,
    tag="facturation",
)
def record_payment(invoice_id):
    data = json_body()
    with services() as rpc:
        return created(rpc.bookings.record_payment(invoice_id, data, auth.current_account().id))


@api_route(
    bp,
    "/payments/<payment_id>/reject",
    "POST",
    "Marquer un paiement impayé (prélèvement rejeté, chèque sans provision), avec un motif",
    roles=("accounting",),
    body=RejectIn,
    response=InvoiceOut,
    tag="facturation",
)
def reject_payment(payment_id):
    data = json_body()
    with services() as rpc:
        return jsonify(rpc.bookings.reject_payment(payment_id, data, auth.current_account().id))


@api_route(
    bp,
    "/families/me/invoices",
    "GET",
    "Mes factures et mon solde",
    roles=("family",),
    response=FamilyInvoicesOut,
    tag="familles",
)
def my_invoices():
    with services() as rpc:
        return jsonify(rpc.bookings.family_invoices(family_scope()))


@api_route(
    bp,
    "/families/<family_id>/invoices",
    "GET",
    "Les factures d'une famille et son solde",
    roles=("accounting",),
    response=FamilyInvoicesOut,
    tag="familles",
)
def family_invoices(family_id):
    with services() as rpc:
        return jsonify(rpc.bookings.family_invoices(family_id))


# --- the documents drawn from invoices and payments ----------------------------------------------------
@api_route(
    bp,
    "/billing/<month>/sepa.xml",
    "GET",
    "Le fichier de prélèvements SEPA (pain.008) d'un mois clos : ses factures à payer des familles "
    "ayant un mandat (paramètre collection_date : demain au plus tôt ; l'échéance par défaut)",
    roles=("accounting",),
    query=SepaFileQuery,
    tag="facturation",
    content_type="application/xml",
)
def sepa_file(month, query):
    return documents.sepa_file(_month(month), query.get("collection_date"))


@api_route(
    bp,
    "/families/me/tax-certificates/<year>.pdf",
    "GET",
    "Mon attestation fiscale de frais de garde d'une année (PDF) : les sommes payées par enfant de moins de six ans",
    roles=("family",),
    tag="familles",
    content_type="application/pdf",
)
def my_tax_certificate(year):
    return documents.tax_certificate_pdf(family_scope(), year)


@api_route(
    bp,
    "/families/<family_id>/tax-certificates/<year>.pdf",
    "GET",
    "L'attestation fiscale de frais de garde d'une famille pour une année (PDF)",
    roles=("accounting",),
    tag="familles",
    content_type="application/pdf",
)
def family_tax_certificate(family_id, year):
    return documents.tax_certificate_pdf(family_id, year)
