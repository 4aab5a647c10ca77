"""The yearly statement a family needs for the tax credit on childcare expenses (attestation de
frais de garde): what it PAID in the year, per child under six on 1 January of that year.

Source: code général des impôts, art. 200 quater B; BOFiP BOI-IR-RICI-300 § 30: the credit is for
the care of children «âgés de moins de six ans au 1er janvier de l'année d'imposition», on the
expenses «effectivement supportées» in that year (sums paid, not invoiced: an invoice of December
paid in January counts in the next year), net of the aids received. In a PSU crèche the CAF pays
its part to the venue and the family pays the net fee (meals and nappies included in the PSU
hourly fee, nothing billed apart), so the sums paid are the basis as they are; the family declares
them, the tax office applies the ceiling (3,500 € per child since 2022 income) and the 50 %.

The age rule, exactly: a child born on 1 January six years before the year is six on 1 January
(the birthday is reached that day), so not under six: excluded. Born on 2 January six years
before: still five on 1 January: included. A child born during the year is included.

How a payment is split between children (the design, documented in docs/childcare-rules.md):
a payment pays an invoice, and an invoice's lines each belong to a child. The caller gives each
payment the invoice's total per child (`shares`, {child id: amount}); the payment is prorated on
them to the cent (half-up), the cent left over by rounding going to the largest share, so the parts
always add up to the payment. A partial payment is thus split like its invoice. A share of a child
who is not under six, or not the family's, counts for nobody; a payment whose shares add up to
zero or less (an invoice of adjustments only) is left out and returned as `unattributed`.
A rejected payment (a SEPA debit the bank returned, a bounced cheque) was not paid: left out. A
refund is a payment of a negative amount, counted in the year it is made.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
AGE_LIMIT_YEARS = 6


@dataclass(frozen=True)
class Child:
    id: str
    first_name: str
    birth_date: date


@dataclass(frozen=True)
class Payment:
    """A payment recorded on one of the family's invoices: `shares` is that invoice's total per
    child ({child id: Decimal}); `rejected` when the bank or the drawer refused it."""

    amount: Decimal
    paid_on: date
    shares: dict = field(default_factory=dict)
    rejected: bool = False


@dataclass(frozen=True)
class ChildPaid:
    child: Child
    paid: Decimal


@dataclass(frozen=True)
class Certificate:
    year: int
    children: tuple  # ChildPaid, eldest first, every child under six on 1 January (0.00 when nothing paid)
    total: Decimal
    unattributed: Decimal  # paid in the year but on no child's line (not on the certificate)


def under_six_on_first_january(birth_date, year):
    """CGI art. 200 quater B: «âgés de moins de six ans au 1er janvier de l'année d'imposition»."""
    first_january = date(year, 1, 1)
    sixth_birthday = _birthday(birth_date, AGE_LIMIT_YEARS)
    return sixth_birthday > first_january


def _birthday(born, years):
    """The day a person born on `born` turns `years` (29 February: 1 March in a common year)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return date(born.year + years, 3, 1)


def prorate(amount, shares):
    """{child id: part of `amount`} in proportion to `shares` ({child id: Decimal}), to the cent,
    the parts adding up to `amount` (the rounding's cent goes to the largest share, the first of equal
    ones). {} when the shares add up to zero or less."""
    positive = {child: Decimal(share) for child, share in shares.items() if Decimal(share) != 0}
    base = sum(positive.values(), Decimal(0))
    if base <= 0:
        return {}
    amount = Decimal(amount)
    parts = {child: (amount * share / base).quantize(CENT, ROUND_HALF_UP) for child, share in positive.items()}
    largest = max(positive, key=lambda child: positive[child])
    parts[largest] += amount.quantize(CENT, ROUND_HALF_UP) - sum(parts.values(), Decimal(0))
    return parts


def paid_in(payment, year):
    """Whether a payment counts for `year`: paid that year (1 January to 31 December) and not rejected."""
    return not payment.rejected and payment.paid_on.year == year


def certificate(year, children, payments):
    """The Certificate of `year`: for each child under six on 1 January, the sums paid in the year."""
    eligible = sorted(
        (c for c in children if under_six_on_first_january(c.birth_date, year)), key=lambda c: (c.birth_date, c.id)
    )
    paid = {child.id: Decimal("0.00") for child in eligible}
    unattributed = Decimal("0.00")
    for payment in payments:
        if not paid_in(payment, year):
            continue
        parts = prorate(payment.amount, payment.shares)
        if not parts:
            unattributed += Decimal(payment.amount).quantize(CENT, ROUND_HALF_UP)
        for child_id, part in parts.items():
            if child_id in paid:
                paid[child_id] += part
    rows = tuple(ChildPaid(child, paid[child.id]) for child in eligible)
    return Certificate(year, rows, sum((row.paid for row in rows), Decimal("0.00")), unattributed)
