"""Emergency care (accueil d'urgence): the rate of a family whose resources are unknown.

Source: CNAF PSU guide (2021): for emergency care, when the family's resources are not known,
the venue applies either the floor rate (tarif plancher: the effort rate for the household
applied to the floor of resources of the year) or the venue's average hourly participation of
the previous year (total family participations ÷ hours billed), as it chooses in its rules. The
choice is the venue's setting (COCOON_EMERGENCY_RATE, and COCOON_EMERGENCY_AVERAGE_RATE for the
average). Every amount priced so is marked « Tarif d'urgence : ressources inconnues » on the
statement (and so on the invoice) and on the quote.

How "unknown" is recorded: `resources_known` false on the family (and on the figures a contract
is priced on, ContractResources); `monthly_resources` is then not read [practice: the least
change to the tables; the amount on file stays what it was, shown in the history].

Standard library only.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import replace
from datetime import date
from decimal import Decimal

from . import fees

FLOOR, AVERAGE = "floor", "average"
MODES = (FLOOR, AVERAGE)
LABEL = "Tarif d'urgence : ressources inconnues"


def emergency_quote(
    dependent_children: int, aeeh_children: int, on: date, mode: str = FLOOR, average_hourly_rate: Decimal | None = None
) -> fees.FeeQuote:
    """The hourly rate of care on `on` for a family whose resources are unknown: the floor rate
    (the floor of the year × the household's effort rate, AEEH included), or the venue's
    average hourly rate of the previous year (`average_hourly_rate`, exact). The quote keeps the
    floor, ceiling and effort rate of the day; `emergency` says which rule priced it."""
    if mode not in MODES:
        raise ValueError(f"emergency rate must be one of {MODES}, got {mode!r}")
    floor_rate = fees.quote(Decimal(0), dependent_children, aeeh_children, on)  # 0 is clamped up to the floor
    if mode == FLOOR:
        return replace(floor_rate, emergency=FLOOR)
    if average_hourly_rate is None or not Decimal(average_hourly_rate).is_finite() or average_hourly_rate < 0:
        raise ValueError("the average hourly rate must be a Decimal >= 0")
    return replace(floor_rate, hourly_rate=Decimal(average_hourly_rate), emergency=AVERAGE)


def marked(label: str) -> str:
    """A statement line's label, marked as priced at the emergency rate."""
    return f"{label} — {LABEL}"


def marked_lines(lines: Iterable, unknown_days: Collection[date]) -> tuple:
    """The contract lines (covered_month.ContractLine) with the label of each line about a day
    priced while the resources were unknown marked (emergency.LABEL)."""
    out = []
    for line in lines:
        touched = any(line.starts_on <= d <= line.ends_on for d in unknown_days)
        out.append(replace(line, label=marked(line.label)) if touched else line)
    return tuple(out)
