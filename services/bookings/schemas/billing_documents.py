"""The documents drawn from invoices and payments: a closed month's SEPA direct debit file
(pain.008) and a family's yearly tax certificate (invoicing/sepa_file.py, invoicing/tax_certificates.py)."""

from marshmallow import Schema, fields

from services.bookings.schemas.values import Money


class SepaFileQuery(Schema):
    """`collection_date`: the day the bank debits the families (tomorrow at the earliest); the
    invoices' due date when not given."""

    collection_date = fields.Date(
        load_default=None, error_messages={"invalid": "Date attendue au format AAAA-MM-JJ, ex. 2026-04-16."}
    )


class SepaFileOut(Schema):
    """A month's pain.008 file (`xml`, UTF-8 text) and what it holds: one debit per invoice with
    something left to pay of a family with an active mandate."""

    month = fields.String()
    collection_date = fields.Date()
    filename = fields.String()  # prelevements-2026-03.xml
    xml = fields.String()
    debits = fields.Integer()
    first = fields.Integer()  # FRST: the mandate's first collected debit
    recurrent = fields.Integer()  # RCUR
    total = Money()
    without_mandate = fields.Integer()  # invoices left to pay of families without an active mandate


class CertificateFamilyOut(Schema):
    name = fields.String()  # the guardians, « Anne Brun, Paul Brun »
    address = fields.String()  # Family.postal_address, lines separated by newlines


class CertificateChildOut(Schema):
    child_id = fields.String()
    first_name = fields.String()
    birth_date = fields.Date()
    paid = Money()


class TaxCertificateOut(Schema):
    """What a family paid in `year` per child under six on 1 January (domain/tax_certificate.py),
    with the family as the certificate names it. `paid_until`: the last day counted (31 December,
    or today while the year is not over: then `complete` is false)."""

    family_id = fields.String()
    year = fields.Integer()
    complete = fields.Boolean()
    paid_until = fields.Date()
    family = fields.Nested(CertificateFamilyOut)
    children = fields.List(fields.Nested(CertificateChildOut))
    total = Money()
    unattributed = Money()  # paid in the year on no child's line (an invoice of adjustments only)
