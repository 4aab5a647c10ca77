"""What invoicing answers and tells: invoices with what is paid and left to pay, a closed month,
a family's invoices and balance, the staff's balances, and the events' payloads."""

import json
from decimal import Decimal

from services.bookings.domain import invoicing
from services.bookings.presenting import Shown
from services.bookings.schemas.invoicing import (
    BalancesOut,
    ClosingOut,
    FamilyInvoicesOut,
    InvoiceOut,
    PaymentOut,
)
from shared.vocabulary import INVOICE_CREDITED


def shown_invoice(invoice, paid, payments):
    credited = invoice.status == INVOICE_CREDITED
    return Shown(
        invoice,
        paid=paid,
        balance=invoicing.balance(invoice.total, paid, credited),
        payments=[shown_payment(p, invoice) for p in payments],
    )


def shown_payment(payment, invoice):
    return Shown(payment, invoice_number=invoice.number)


def invoices(rows, paid, payments):
    """`paid`: store.paid_by_invoice; `payments`: store.payments_of."""
    return InvoiceOut(many=True).dump([shown_invoice(i, paid[i.id], payments[i.id]) for i in rows])


def invoice(row, paid, payments):
    return invoices([row], paid, payments)[0]


def payment(row, invoice_row):
    return PaymentOut().dump(shown_payment(row, invoice_row))


def closing(closing_row, rows, paid, payments):
    total = sum((i.total for i in rows), Decimal("0.00"))
    return ClosingOut().dump(
        Shown(closing_row, total=total, invoices=[shown_invoice(i, paid[i.id], payments[i.id]) for i in rows])
    )


def family_invoices(family, rows, paid, payments):
    shown = [shown_invoice(i, paid[i.id], payments[i.id]) for i in rows]
    balance = sum((s.balance for s in shown), Decimal("0.00"))
    return FamilyInvoicesOut().dump({"family_id": family.id, "balance": balance, "invoices": shown})


def balances(rows, paid):
    """Who owes what: one entry per family with something left to pay, the oldest debt first.
    `rows`: the invoices not settled, oldest due first (store.unsettled_invoices)."""
    by_family = {}
    for row in rows:
        left = invoicing.balance(row.total, paid[row.id], False)
        entry = by_family.setdefault(row.family_id, {"rows": [], "balance": Decimal("0.00"), "family": row.family})
        entry["balance"] += left
        if left > 0:
            entry["rows"].append(row)
    items = []
    for family_id, entry in by_family.items():
        if entry["balance"] <= 0 or not entry["rows"]:
            continue
        oldest = entry["rows"][0]
        items.append(
            {
                "family_id": family_id,
                "family_name": family_name(entry["family"]),
                "email": entry["family"].email,
                "balance": entry["balance"],
                "unpaid_invoices": len(entry["rows"]),
                "oldest_number": oldest.number,
                "oldest_month": oldest.month,
                "oldest_due_on": oldest.due_on,
            }
        )
    items.sort(key=lambda item: (item["oldest_due_on"], item["oldest_number"]))
    return BalancesOut().dump({"total": sum((i["balance"] for i in items), Decimal("0.00")), "items": items})


def family_name(family):
    """The guardians' names, « Anne Martin, Paul Martin »."""
    guardians = json.loads(family.guardians)
    return ", ".join(f"{g['first_name']} {g['last_name']}" for g in guardians)


def customer(family):
    """The family as its invoice names it (frozen at closing)."""
    return {"name": family_name(family), "address": family.postal_address or "", "email": family.email, "siret": ""}


def issuer(settings):
    """The venue as its invoices name it (frozen at closing)."""
    return {
        "name": settings.issuer_name,
        "address": settings.issuer_address,
        "siret": settings.issuer_siret,
        "email": "",
    }


# --- events ---------------------------------------------------------------------------------------
def month_closed(closing_row, rows, figures):
    """`figures`: the month's hours billed and attended and the places offered (month_figures)."""
    return {
        **figures,
        "month": closing_row.month,
        "invoices": len(rows),
        "total": f"{sum((i.total for i in rows), Decimal('0.00')):.2f}",
        "forced": closing_row.forced,
        "closed_by": closing_row.closed_by,
    }


def invoice_issued(row):
    return {
        "invoice_id": row.id,
        "number": row.number,
        "family_id": row.family_id,
        "month": row.month,
        "total": f"{row.total:.2f}",
        "issued_on": row.issued_on.isoformat(),
        "due_on": row.due_on.isoformat(),
    }


def credit_note_issued(row):
    return {
        "invoice_id": row.id,
        "number": row.number,
        "credit_note_number": row.credit_note_number,
        "family_id": row.family_id,
        "month": row.month,
        "amount": f"{row.total:.2f}",
        "reason": row.credit_reason,
        "credited_on": row.credited_on.isoformat(),
    }


def payment_recorded(row, invoice_row, left):
    return {
        "payment_id": row.id,
        "invoice_id": invoice_row.id,
        "number": invoice_row.number,
        "family_id": row.family_id,
        "amount": f"{row.amount:.2f}",
        "paid_on": row.paid_on.isoformat(),
        "method": row.method,
        "balance": f"{left:.2f}",
    }
