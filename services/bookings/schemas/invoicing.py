"""Invoicing's published interface: closing a month, invoices, credit notes, payments, balances."""

from marshmallow import Schema, fields, validate

from services.bookings.schemas.values import MONEY_PATTERN, Money
from shared.pagination import cursor_field, limit_field
from shared.vocabulary import INVOICE_STATUSES, PAYMENT_METHODS

MONTH = validate.Regexp(r"^(19|20|21)\d{2}-(0[1-9]|1[0-2])$", error="Mois attendu au format AAAA-MM.")
REASON = validate.Length(min=3, max=500, error="Un motif de 3 à 500 caractères.")
_MONEY_TEXT = {"type": "string", "pattern": MONEY_PATTERN}
_ANY_OBJECT = {"type": "object"}


class CloseIn(Schema):
    """Close a month; `force`: even with absence requests still pending in it."""

    force = fields.Boolean(load_default=False)


class CreditNoteIn(Schema):
    reason = fields.String(required=True, validate=REASON)


class PaymentIn(Schema):
    amount = fields.Decimal(
        required=True,
        places=None,
        validate=validate.Range(min=0, min_inclusive=False, error="Montant positif attendu."),
    )
    paid_on = fields.Date(required=True)
    method = fields.String(
        required=True,
        validate=validate.OneOf(
            PAYMENT_METHODS, error="Moyen attendu : transfer, card, cheque, cesu, cash ou sepa_debit."
        ),
    )


class RejectIn(Schema):
    reason = fields.String(required=True, validate=REASON)


class InvoiceQuery(Schema):
    """A page of invoices, by month then number: of one month, one status or one family."""

    month = fields.String(load_default=None, validate=MONTH)
    status = fields.String(load_default=None, validate=validate.OneOf(INVOICE_STATUSES))
    family_id = fields.String(load_default=None)
    limit = limit_field()
    cursor = cursor_field()


class PartySchema(Schema):
    """Who issues or receives an invoice, as frozen into it."""

    name = fields.String()
    address = fields.String()
    siret = fields.String(load_default="")  # the issuer's
    email = fields.String(load_default="")  # the family's


class PaymentOut(Schema):
    """Dumps a Payment shown with its invoice's `invoice_number`."""

    id = fields.String()
    invoice_id = fields.String()
    invoice_number = fields.String()
    family_id = fields.String()
    amount = Money()
    paid_on = fields.Date()
    method = fields.String()
    status = fields.String()  # recorded | rejected
    recorded_by = fields.String(allow_none=True)
    rejected_on = fields.Date(allow_none=True)
    reject_reason = fields.String(allow_none=True)


class InvoiceOut(Schema):
    """Dumps an Invoice shown with `paid` and `balance` (what is left to pay; negative: owed to the
    family) and its `payments`. `statement`: the month as frozen (StatementOut, its adjustment
    lines included: kind "adjustment", `corrects_month`)."""

    id = fields.String()
    number = fields.String()
    family_id = fields.String()
    month = fields.String()
    issued_on = fields.Date()
    due_on = fields.Date()
    total = Money()
    paid = Money()
    balance = Money()
    status = fields.String()  # issued | paid | credited
    credit_note_number = fields.String(allow_none=True)
    credited_on = fields.Date(allow_none=True)
    credit_reason = fields.String(allow_none=True)
    issuer = fields.Nested(PartySchema)
    customer = fields.Nested(PartySchema)
    payment_terms = fields.String()
    statement = fields.Dict(metadata=_ANY_OBJECT)
    lines = fields.List(fields.Dict(), attribute="statement.lines", metadata={"type": "array", "items": _ANY_OBJECT})
    payments = fields.List(fields.Nested(PaymentOut))


class ClosingOut(Schema):
    """Dumps a MonthClosing shown with its `invoices` (InvoiceOut) and their `total`."""

    month = fields.String()
    closed_at = fields.DateTime(attribute="created_at")
    closed_by = fields.String(allow_none=True)
    forced = fields.Boolean()
    total = Money()
    invoices = fields.List(fields.Nested(InvoiceOut))


class FamilyInvoicesOut(Schema):
    """A family's invoices, oldest first, and its `balance` (what it owes in all)."""

    family_id = fields.String()
    balance = Money()
    invoices = fields.List(fields.Nested(InvoiceOut))


class BalanceOut(Schema):
    """One family's balance: what it owes in all, its oldest invoice not settled."""

    family_id = fields.String()
    family_name = fields.String()
    email = fields.String()
    balance = Money()
    unpaid_invoices = fields.Integer()
    oldest_number = fields.String()
    oldest_month = fields.String()
    oldest_due_on = fields.Date()


class BalancesOut(Schema):
    total = Money()
    items = fields.List(fields.Nested(BalanceOut))
