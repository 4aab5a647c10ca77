"""The documents the JSON API and the pages both serve, each asked of its service and drawn here:
a family's monthly statement (PDF), a placement's hour sheet (CSV) and attestation (PDF), the
venue's volunteer hours of a year (CSV), a closed month's SEPA debits (XML), a family's tax
certificate (PDF). Who may ask is the caller's business: the API's `roles=`
and scopes, the pages' `@requires`."""

from flask import current_app

from services.gateway import (
    attestation,
    downloads,
    invoice,
    invoice_document,
    training_documents,
    volunteer_hours,
)
from services.gateway import tax_certificate_pdf as certificate_pdf
from services.gateway.errors import ApiError
from services.gateway.people import staff_names
from services.gateway.service_calls import services
from shared import timeutil


def statement_pdf(family_id, month):
    """The statement drawn as a PDF (invoice.py), to download as releve-AAAA-MM.pdf; the month is
    the one the service checked and answered."""
    with services() as rpc:
        statement = rpc.bookings.monthly_statement(family_id, month)  # 404 for an unknown family
        family = rpc.bookings.get_family(family_id)
    return downloads.pdf(invoice.render(statement, family), invoice.filename(statement["month"]))


def invoice_pdf(invoice_id, family_id=None):
    """A closed month's invoice as a PDF, drawn from the frozen invoice only (invoice_document.py);
    `family_id`: a family's own invoice (404 for another's)."""
    with services() as rpc:
        shown = rpc.bookings.get_invoice(invoice_id, family_id)
    return downloads.pdf(invoice_document.render(shown), invoice_document.filename(shown))


def credit_note_pdf(invoice_id, family_id=None):
    """The credit note that cancelled an invoice, as a PDF; 404 when the invoice has none."""
    with services() as rpc:
        shown = rpc.bookings.get_invoice(invoice_id, family_id)
    if not shown.get("credit_note_number"):
        raise ApiError(404, "not_found", "Cette facture n'a pas d'avoir.")
    return downloads.pdf(invoice_document.render_credit_note(shown), invoice_document.credit_note_filename(shown))


def hour_sheet_csv(placement_id, trainee_id=None):
    """The placement's hour logs for the school; `trainee_id`: only that trainee's placement (404 otherwise)."""
    with services() as rpc:
        sheet = rpc.placements.hour_sheet(placement_id, trainee_id)
    logs = sheet.get("logs") or []
    text = attestation.hour_sheet(logs, staff_names(log.get("validated_by") for log in logs))
    return downloads.csv(text, f"heures-stage-{placement_id}.csv")


def placement_attestation_pdf(placement_id, trainee_id=None):
    """The attestation de stage (the arrêté of 29 December 2014's model), once the placement is
    completed or interrupted (409 before): the venue as its settings name it, signed today."""
    with services() as rpc:
        placement = rpc.placements.get_placement(placement_id, trainee_id)
    if placement.get("status") not in attestation.ENDED:
        raise ApiError(409, "conflict", "L'attestation est disponible une fois le stage terminé ou interrompu.")
    tutor = staff_names([placement.get("tutor_id")]).get(placement.get("tutor_id"), "")
    organisation = training_documents.organisation_of(current_app.config)
    drawn = attestation.render(placement, tutor, organisation, timeutil.venue_today())
    return downloads.pdf(drawn, attestation.filename(placement))


def volunteer_hours_csv(year):
    """The venue's volunteer hours of `year` (the service checks the year)."""
    with services() as rpc:
        found = rpc.volunteers.venue_hours({"year": year})
    return downloads.csv(volunteer_hours.hours_csv(found), f"heures-benevoles-{year}.csv")


def sepa_file(month, collection_date=None):
    """A closed month's SEPA direct debit file (pain.008 XML), to send the bank as
    prelevements-AAAA-MM.xml; the service checks the month (409 while open, or with nothing to
    debit) and the collection date (422 before tomorrow)."""
    with services() as rpc:
        found = rpc.bookings.sepa_file(month, collection_date)
    return downloads.xml(found["xml"], found["filename"])


def tax_certificate_pdf(family_id, year):
    """A family's «Attestation de frais de garde» of `year` (what it paid, per child under six on
    1 January), drawn on the day it is asked; the service checks the family (404) and the year."""
    with services() as rpc:
        found = rpc.bookings.tax_certificate(family_id, year)
    organisation = training_documents.organisation_of(current_app.config)
    drawn = certificate_pdf.render(found, found["family"], organisation, timeutil.venue_today())
    return downloads.pdf(drawn, certificate_pdf.filename(found["year"]))
