"""The deduction lines of a contract's month: one per absence (and per rate), negative, never
more in all than the month's contract hours.

Sources: CNAF "conditions particulières PSU" (2011: the absences deducted, see absences);
[practice] the deductions capped at the month's contract hours.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from .absences import (
    ILLNESS_CERTIFICATE,
    OTHER,
    REASON_LABELS,
    WAITING_DAYS,
    Deduction,
    checked_absence,
    deducted_hours,
)
from .covered_month import ContractLine, CoveredMonth, statement_line
from .french_text import fr_dates, fr_days, fr_number


class Absence(NamedTuple):
    reason: str
    starts_on: date
    ends_on: date


@dataclass
class _RateRun:
    """Deducted days of one absence in a row at one rate."""

    rate: Decimal
    first: date
    last: date
    hours: Fraction
    days: int = 1


def _checked_absences(absences: Iterable[tuple[str, date, date]]) -> list[Absence]:
    """The absences checked (absences.checked_absence), by their first day; they may not overlap."""
    checked = sorted((Absence(a[0], *checked_absence(*a)) for a in absences), key=lambda a: a.starts_on)
    for x, y in zip(checked, checked[1:], strict=False):
        if y.starts_on <= x.ends_on:
            raise ValueError(f"absences overlap on {y.starts_on.isoformat()}")
    return checked


def deduction_lines(
    month: CoveredMonth, absences: Iterable[tuple[str, date, date]], contract_hours: Fraction
) -> tuple[list[ContractLine], Fraction, set[date]]:
    """One line per absence in the month (and per rate); the hours deducted, never more than
    the month's contract hours [practice]; the days deducted."""
    lines: list[ContractLine] = []
    deducted_on: set[date] = set()
    remaining = contract_hours
    for absence in _checked_absences(absences):
        if absence.ends_on < month.cover_first or absence.starts_on >= month.cover_end:
            continue
        deduction = deducted_hours(absence.reason, absence.starts_on, absence.ends_on, month.by_day)
        deducted_on.update(d for d, _ in deduction.days)
        absence_lines, remaining = _absence_lines(month, absence, deduction, remaining)
        lines.extend(absence_lines)
    return lines, contract_hours - remaining, deducted_on


def _why(month: CoveredMonth, absence: Absence, deduction: Deduction) -> tuple[str, str]:
    """Why the absence's days are deducted, and why none is, as its line says it."""
    if absence.reason == OTHER:
        return "absence non déductible, facturée", "absence non déductible, facturée"
    if absence.reason != ILLNESS_CERTIFICATE:
        return "dès le premier jour", "pas d'accueil prévu ces jours-là"
    none = f"les {WAITING_DAYS} premiers jours sont la carence, facturée"
    if deduction.waiting_days and not any(month.cover_first <= d < month.cover_end for d in deduction.waiting_days):
        return f"(carence de {WAITING_DAYS} jours comptée le mois précédent)", none
    return f"après {WAITING_DAYS} jours de carence", none


def _runs_by_rate(days: Iterable[tuple[date, Decimal]], rate_of: Callable[[date], Decimal]) -> list[_RateRun]:
    """The deducted (day, hours) cut where the rate changes."""
    runs: list[_RateRun] = []
    for d, h in days:
        r = rate_of(d)
        if runs and runs[-1].rate == r:
            run = runs[-1]
            run.last, run.hours, run.days = d, run.hours + Fraction(h), run.days + 1
        else:
            runs.append(_RateRun(r, d, d, Fraction(h)))
    return runs


def _absence_lines(
    month: CoveredMonth, absence: Absence, deduction: Deduction, remaining: Fraction
) -> tuple[list[ContractLine], Fraction]:
    """The absence's lines (one per rate, or one at 0 saying why nothing is deducted), each
    capped at the contract hours still `remaining`; and what remains after them."""
    head = f"Absence pour {REASON_LABELS[absence.reason]} {fr_dates(absence.starts_on, absence.ends_on)}"
    why, none = _why(month, absence, deduction)
    runs = _runs_by_rate(deduction.days, month.rate_of)
    if not runs:
        return [_nothing_deducted_line(month, absence, f"{head} : aucun jour déduit ({none})")], remaining
    lines = []
    for run in runs:
        capped = min(run.hours, remaining)
        remaining -= capped
        label = f"{head} : {fr_days(run.days)} {'déduit' if run.days == 1 else 'déduits'} {why}"
        if len(runs) > 1:
            label += f" ({fr_dates(run.first, run.last)}, au tarif de {fr_number(run.rate)} €/h)"
        if capped < run.hours:
            label += " (limité aux heures du contrat du mois)"
        lines.append(statement_line("deduction", label, capped, run.rate, run.first, run.last, -1))
    return lines, remaining


def _nothing_deducted_line(month: CoveredMonth, absence: Absence, label: str) -> ContractLine:
    """A line at 0 over the absence's days in the month, so the statement still says why."""
    first_in = max(absence.starts_on, month.cover_first)
    last_in = min(absence.ends_on, month.cover_end - timedelta(days=1))
    return statement_line("deduction", label, Fraction(0), month.rate_of(first_in), first_in, last_in, -1)
