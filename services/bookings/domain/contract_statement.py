"""The month's statement of a regular contract (its contract, deduction and extra lines and their
totals), and a family's month: its occasional care and its contracts together.

Sources: CNAF circular of 26 March 2014 (mensualisation: the same hours every month); CNAF
"conditions particulières PSU" (2011: the only absences deducted, see absences); CNAF PSU
guide (hours beyond the contract billed on top, see overtime). Each line's amount is rounded
once, to the cent, half-up, and a total is the sum of its rounded lines (exact_numbers).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal
from fractions import Fraction

from .billing import DEFAULT_INCREMENT_MINUTES
from .care_pattern import PatternDay
from .contract_lines import contract_lines
from .covered_month import ContractLine, covered_month
from .deduction_lines import deduction_lines
from .exact_numbers import NO_AMOUNT, ZERO, shown_hours
from .extra_lines import extra_lines, presence

LINE_KINDS = ("contract", "deduction", "extra")


@dataclass(frozen=True)
class ContractMonth:
    lines: tuple[ContractLine, ...]
    contract_hours: Decimal
    contract_amount: Decimal
    deducted_hours: Decimal
    deductions: Decimal  # positive: what is taken off
    extra_hours: Decimal
    extra_amount: Decimal
    hours_billed: Decimal  # contract hours - deducted + extra
    hours_attended: Decimal
    amount: Decimal  # sum of the lines' rounded amounts, no second rounding


def contract_month(
    first_day: date,
    end_day: date,
    starts_on: date,
    ends_on: date,
    days: Iterable[PatternDay],
    hours_per_month,
    rate_periods: Sequence[tuple[date, Decimal]],
    absences: Iterable[tuple[str, date, date]] = (),
    attendances: Iterable[tuple[date, datetime | None, datetime | None]] = (),
    increment_minutes: int = DEFAULT_INCREMENT_MINUTES,
    *,
    closed_days: Collection[date] = (),
    tz: tzinfo | None = None,
) -> ContractMonth:
    """The statement of one calendar month [first_day, end_day) of a contract [starts_on, ends_on].

    - A month wholly inside the contract is billed `hours_per_month` (mensualisation, circular of
      26 March 2014); pass Mensualisation.exact_hours_per_month so the amount is the
      mensualisation's to the cent. When the rate changes inside the month, those hours are
      split between the rate periods in proportion to the contract's planned hours in each
      [practice]; the shares add up exactly to hours_per_month.
    - A first or last month the contract covers only partly (including a contract ended early)
      is billed `hours_per_month` in proportion to the planned hours it covers out of the
      month's planned hours (as if the contract covered it all), split between the rate periods
      as above [practice]: a contract beginning on the month's first planned day pays a whole
      month, never more.
    - rate_periods: (from date, hourly rate), sorted; a day's rate is the last period starting
      on or before it (CNAF: the rate is recomputed from the date resources or the scale change).
    - Deductions (CNAF "conditions particulières PSU" 2011, see absence_days): the deducted
      days' contracted hours at each day's rate, one line per absence (and per rate); a month's
      deducted hours never exceed its contract hours [practice]. An absence over the month's
      edge keeps its waiting period counted from its real first day.
    - Extra hours (extra_hours): the presence beyond the day's contract, one line per day.
      Attendance times are compared with the contract's times on that day in `tz` (default: the
      zone of the arrival).
    - hours_billed = contract hours - deducted + extra; hours_attended = the sum of presence
      (billing.attended_hours); amount = the sum of the lines' rounded amounts.
    """
    month = covered_month(first_day, end_day, starts_on, ends_on, days, hours_per_month, rate_periods, closed_days)
    contract, contract_hours = contract_lines(month)
    deductions, deducted, deducted_on = deduction_lines(month, absences, contract_hours)
    extra_by_day, attended = presence(month, attendances, deducted_on, increment_minutes, tz)
    extras, extra = extra_lines(month, extra_by_day)
    return _statement(contract + deductions + extras, contract_hours, deducted, extra, attended)


def _statement(
    lines: list[ContractLine], contract_hours: Fraction, deducted: Fraction, extra: Fraction, attended: Decimal
) -> ContractMonth:
    """The month's totals: each the sum of its rounded lines, never rounded again."""

    def total(kind: str) -> Decimal:
        return sum((line.amount for line in lines if line.kind == kind), NO_AMOUNT)

    return ContractMonth(
        lines=tuple(lines),
        contract_hours=shown_hours(contract_hours),
        contract_amount=total("contract"),
        deducted_hours=shown_hours(deducted),
        deductions=NO_AMOUNT - total("deduction"),
        extra_hours=shown_hours(extra),
        extra_amount=total("extra"),
        hours_billed=shown_hours(contract_hours - deducted + extra),
        hours_attended=attended,
        amount=sum((line.amount for line in lines), NO_AMOUNT),
    )


# --- a family's month: occasional care and contracts together -----------------------------------


@dataclass(frozen=True)
class FamilyMonth:
    """The totals of a family's monthly statement: its occasional bookings (billing.statement)
    and the months of its contracts (contract_month), each amount already rounded per line."""

    hours_booked: Decimal  # occasional care booked
    hours_attended: Decimal
    hours_billed: Decimal
    amount: Decimal
    contract_amount: Decimal
    deductions: Decimal
    extra_hours: Decimal


def family_month(occasional, months: Iterable[ContractMonth]) -> FamilyMonth:
    """Add the contracts' months to the occasional total (a billing.MonthlyStatement): no second
    rounding, the amount is the sum of every line."""
    months = list(months)
    return FamilyMonth(
        hours_booked=occasional.hours_booked,
        hours_attended=occasional.hours_attended + sum((m.hours_attended for m in months), ZERO),
        hours_billed=occasional.hours_billed + sum((m.hours_billed for m in months), ZERO),
        amount=occasional.amount + sum((m.amount for m in months), ZERO),
        contract_amount=sum((m.contract_amount for m in months), NO_AMOUNT),
        deductions=sum((m.deductions for m in months), NO_AMOUNT),
        extra_hours=sum((m.extra_hours for m in months), ZERO),
    )
