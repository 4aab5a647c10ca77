"""A family's yearly tax certificate (attestation de frais de garde): what it PAID in the year per
child under six on 1 January (domain/tax_certificate.py), with its name and postal address; the
gateway draws the PDF (services/gateway/tax_certificate_pdf.py). A read: no event.

How a payment is split between the children: in proportion to its invoice's frozen lines per child.
A line names its child by first name only, so the child is found from the line's `contract_id` (the
contract's child) or `booking_id` (the booking's child), else from its `child_first_name` when one
child of the family has it. Adjustment lines (a closed month corrected) name no child: they are left
out of the shares, so a payment is split on the invoice's own lines (a payment on an invoice of
adjustments only counts for nobody: `unattributed`).

The year: a year over is counted to 31 December; the current year may be asked too, counted to
today (`complete: false`, `paid_until` today: the PDF says so); a year not begun is refused (422).
A year before the family's first payment gives a certificate of 0.00.
"""

from datetime import date

from services.bookings.childcare import store as childcare_store
from services.bookings.domain import invoicing
from services.bookings.domain import tax_certificate as rules
from services.bookings.invoicing import store
from services.bookings.invoicing.presenters import family_name
from services.bookings.schemas.billing_documents import TaxCertificateOut
from services.bookings.schemas.contracts import YearIn
from shared import timeutil
from shared.broker_loss import rpc
from shared.errors import Invalid, load
from shared.vocabulary import PAYMENT_REJECTED


class TaxCertificateRpc:
    @rpc
    def tax_certificate(self, family_id, year):
        """The family's certificate of `year` (TaxCertificateOut): 404 for an unknown family, 422 for
        a year not begun."""
        year = load(YearIn(), {"year": year})["year"]
        today = timeutil.now_utc().astimezone(timeutil.VENUE_TZ).date()
        if year > today.year:
            raise Invalid(
                f"L'année {year} n'a pas commencé : aucune somme n'a encore été payée.",
                {"year": [f"Année {today.year} au plus tard."]},
            )
        family = childcare_store.family(family_id)
        children = [rules.Child(c.id, c.first_name, c.birth_date) for c in family.children]
        paid_until = min(date(year, 12, 31), today)
        payments = store.all_payments_of_family_between(family.id, date(year, 1, 1), paid_until)
        found = rules.certificate(year, children, _payments(payments, children))
        return TaxCertificateOut().dump(
            {
                "family_id": family.id,
                "year": year,
                "complete": paid_until == date(year, 12, 31),
                "paid_until": paid_until,
                "family": {"name": family_name(family), "address": family.postal_address or ""},
                "children": [
                    {"child_id": row.child.id, "first_name": row.child.first_name, "birth_date": row.child.birth_date}
                    | {"paid": row.paid}
                    for row in found.children
                ],
                "total": found.total,
                "unattributed": found.unattributed,
            }
        )


def _payments(payments, children):
    """The domain's Payments: each with its invoice's total per child (`shares`)."""
    statements = {p.invoice.id: p.invoice.statement for p in payments}
    contracts, bookings = store.children_of_lines(statements.values())
    shares = {invoice_id: _shares(s, contracts, bookings, children) for invoice_id, s in statements.items()}
    return [
        rules.Payment(p.amount, p.paid_on, shares[p.invoice.id], rejected=p.status == PAYMENT_REJECTED)
        for p in payments
    ]


def _shares(statement, contracts, bookings, children):
    """{child id: the sum of the statement's lines that are that child's}; a line of no known child
    (an adjustment) counts for none."""
    by_first_name = {}
    for child in children:
        by_first_name.setdefault(child.first_name, []).append(child.id)
    shares = {}
    for line in statement.get("lines") or []:
        child_id = _child_of(line, contracts, bookings, by_first_name)
        if child_id is not None:
            shares[child_id] = shares.get(child_id, invoicing.ZERO) + invoicing.money(line.get("amount") or 0)
    return shares


def _child_of(line, contracts, bookings, by_first_name):
    if line.get("kind") == invoicing.ADJUSTMENT:
        return None
    if line.get("contract_id") in contracts:
        return contracts[line["contract_id"]]
    if line.get("booking_id") in bookings:
        return bookings[line["booking_id"]]
    named = by_first_name.get(line.get("child_first_name"), [])
    return named[0] if len(named) == 1 else None
