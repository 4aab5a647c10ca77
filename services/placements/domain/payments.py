"""The gratification actually paid, month by month (Code de l'éducation D124-9; the attestation
de stage's model, arrêté of 29 December 2014, prints « le montant total de la gratification
versée »: what was paid, not the computed minimum; legisocial.fr; docs/placements-rules.md).

One payment per month of the placement ("YYYY-MM", a month its dates touch), an amount in euros
≥ 0 with at most 2 decimals (0 records a month with nothing paid). A second payment for the same
month is a conflict (409), the others are refusals of the field (422).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

CENT = Decimal("0.01")
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MAX_AMOUNT = Decimal("1000000")  # a sanity bound on a month's payment [practice]


def placement_months(start: date, end: date) -> list[str]:
    """The months "YYYY-MM" the placement's dates touch, in order."""
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def parse_amount(value) -> Decimal | None:
    """The amount as an exact Decimal, or None when it is not ≥ 0 with at most 2 decimals (a float
    is refused: it is not exact)."""
    if isinstance(value, bool | float):
        return None
    try:
        amount = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT or amount != amount.quantize(CENT):
        return None
    return amount.quantize(CENT)


def payment_errors(month, amount, start: date, end: date) -> dict[str, str]:
    """French sentences by field (422) for a payment that cannot be recorded on the placement."""
    errors = {}
    if not isinstance(month, str) or not MONTH.match(month):
        errors["month"] = "Le mois s'écrit AAAA-MM, par exemple 2026-03."
    elif month not in placement_months(start, end):
        errors["month"] = f"Le mois {month} n'est pas un mois du stage (du {start:%d/%m/%Y} au {end:%d/%m/%Y})."
    if parse_amount(amount) is None:
        errors["amount"] = (
            "Le montant versé est un nombre d'euros positif ou nul, au centime près (par exemple 472,50)."
        )
    return errors


def duplicate(month: str, recorded_months: Iterable[str]) -> str | None:
    """The 409's sentence when the month already has its payment, else None (one per month)."""
    if month in set(recorded_months):
        return f"Le versement du mois {month} est déjà enregistré : un seul versement par mois."
    return None


def total_paid(amounts: Iterable[Decimal]) -> Decimal:
    """The total actually paid, printed on the attestation (D124-9)."""
    return sum((Decimal(a) for a in amounts), Decimal("0.00")).quantize(CENT)
