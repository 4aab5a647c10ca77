"""A family's month as childcare and invoicing both read it: computed now from its bookings and
contracts, with the adjustment lines its closed months bring to an open month, or frozen in its
invoice once the month is closed (domain/invoicing.py).

Plain functions given the settings, as children_in_care.py: childcare's `monthly_statement` and
invoicing's `close_month` call them, and neither imports the other's entrypoints.
"""

from services.bookings.childcare import presenters as childcare_presenters
from services.bookings.childcare import store as childcare_store
from services.bookings.children_in_care import contract_months
from services.bookings.domain import billing, invoicing
from services.bookings.invoicing import store
from shared.vocabulary import INVOICE_CREDITED


def computed(family, month, settings):
    """The month as its bookings and contracts give it now (StatementOut as a dict), no adjustment."""
    first_day, end_day = billing.month_days(month)
    bookings = childcare_store.billed_bookings(family, first_day, end_day)
    months = contract_months(family, first_day, end_day, settings)
    return childcare_presenters.statement(family, month, bookings, months, settings)


def adjustments_for(family, month, settings, closed_months=None):
    """[invoicing.Adjustment] the family's closed months before `month` bring to it: each closed
    month recomputed now, less what its invoice asked (nothing when credited) and what later
    invoices already carried for it. From the family's first invoiced month on."""
    invoices = store.family_invoices(family)
    if not invoices:
        return []
    closed = closed_months if closed_months is not None else store.closed_months()
    first = invoices[0].month
    by_month = {i.month: i for i in invoices}
    adjustments = []
    for closed_month in sorted(m for m in closed if first <= m < month):
        invoice = by_month.get(closed_month)
        carried = sum(
            (
                invoicing.carried_for(i.statement, closed_month)
                for i in invoices
                if i.month > closed_month and i.status != INVOICE_CREDITED
            ),
            invoicing.ZERO,
        )
        credited = invoice is not None and invoice.status == INVOICE_CREDITED
        found = invoicing.adjustment(
            closed_month,
            computed(family, closed_month, settings),
            invoice.statement if invoice is not None else None,
            invoice.credit_note_number if credited else None,
            carried,
        )
        if found:
            adjustments.append(found)
    return adjustments


def open_statement(family, month, settings, closed_months=None):
    """An open month: computed now, with the adjustments of the closed months before it."""
    return invoicing.with_adjustments(
        computed(family, month, settings), adjustments_for(family, month, settings, closed_months)
    )


def statement_of(family, month, settings):
    """The month as the family is asked to pay it: its invoice's frozen statement once the month
    is closed (computed now when the family had no invoice that month), else the open statement."""
    if store.closing_of(month) is not None:
        invoice = store.family_invoice(family, month)
        return (
            invoice.statement
            if invoice is not None
            else invoicing.with_adjustments(computed(family, month, settings), [])
        )
    return open_statement(family, month, settings)
