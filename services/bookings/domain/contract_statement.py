"""The month's statement of a regular contract (contract, deduction and extra lines), and a
family's month: its occasional care and its contracts together.

Sources: CNAF circular of 26 March 2014 (mensualisation: the same hours every month); CNAF
"conditions particulières PSU" (2011: the only absences deducted, see absences); CNAF PSU
guide (hours beyond the contract billed on top, see overtime). Each line's amount is rounded
once, to the cent, half-up, and a total is the sum of its rounded lines (exact_numbers).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from .absences import ILLNESS_CERTIFICATE, OTHER, REASON_LABELS, WAITING_DAYS, checked_absence, deducted_hours
from .billing import DEFAULT_INCREMENT_MINUTES, attended_hours, checked_increment
from .care_pattern import PatternDay, checked_pattern, hours_by_day, scheduled_days
from .day_rates import rate_lookup, rate_segments
from .exact_numbers import NO_AMOUNT, ZERO, exact_amount, exact_number, shown_hours, terminates
from .french_text import fr_dates, fr_days, fr_number
from .overtime import extra_hours
from .plain_dates import plain_date

LINE_KINDS = ("contract", "deduction", "extra")


class Absence(NamedTuple):
    reason: str
    starts_on: date
    ends_on: date


class Attendance(NamedTuple):
    day: date
    arrived: datetime | None
    left: datetime | None


@dataclass(frozen=True)
class ContractLine:
    """One line of a contract's monthly statement. amount is rounded to the cent; a deduction's
    is negative. starts_on/ends_on: the days the line is about (inclusive)."""

    kind: str  # "contract", "deduction" or "extra"
    label: str
    hours: Decimal
    hourly_rate: Decimal
    amount: Decimal
    starts_on: date
    ends_on: date


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


def _split(total: Fraction, weights: list[Fraction]) -> list[Fraction]:
    """`total` shared in proportion to `weights`; exact when the share terminates, else rounded
    to 0.01 h; the last weighted share takes the remainder, so the shares add up exactly to
    `total`, and a weight of 0 gets 0."""
    whole = sum(weights, Fraction(0))
    last = max(i for i, w in enumerate(weights) if w)
    shares = []
    for i, w in enumerate(weights):
        share = total * w / whole
        shares.append(share if i == last or terminates(share) else Fraction(shown_hours(share)))
    shares[last] = total - sum((s for i, s in enumerate(shares) if i != last), Fraction(0))
    return shares


def _line(kind, label, hours: Fraction, rate: Decimal, first: date, last: date, sign: int = 1) -> ContractLine:
    amount = exact_amount(rate, hours)
    return ContractLine(kind, label, shown_hours(hours), rate, -amount if sign < 0 and amount else amount, first, last)


def _checked_month(first_day: date, end_day: date) -> None:
    first_day, end_day = plain_date("first_day", first_day), plain_date("end_day", end_day)
    next_month = date(first_day.year + first_day.month // 12, first_day.month % 12 + 1, 1)
    if first_day.day != 1 or end_day != next_month:
        raise ValueError("first_day and end_day must be a calendar month: the 1st and the 1st of the next month")


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
    _checked_month(first_day, end_day)
    starts_on, ends_on = plain_date("starts_on", starts_on), plain_date("ends_on", ends_on)
    pattern = checked_pattern(days)
    per_month = exact_number("hours_per_month", hours_per_month)
    if per_month <= 0:
        raise ValueError(f"hours_per_month must be > 0, got {hours_per_month}")
    rate_of = rate_lookup(rate_periods)
    cover_first, cover_end = max(first_day, starts_on), min(end_day, ends_on + timedelta(days=1))
    if cover_end <= cover_first:
        raise ValueError("the contract does not cover this month")
    planned = scheduled_days(starts_on, ends_on, pattern, first_day, end_day, closed_days=closed_days)
    by_day = hours_by_day(planned)
    whole = cover_first == first_day and cover_end == end_day
    lines: list[ContractLine] = []

    # Contract lines.
    segments = rate_segments(cover_first, cover_end, rate_of)

    def planned_in(a: date, b: date, hours=by_day) -> Fraction:
        return sum((Fraction(h) for d, h in hours.items() if a <= d <= b), Fraction(0))

    if whole and len(segments) == 1:
        a, b, rate = segments[0]
        lines.append(
            _line(
                "contract",
                f"Contrat : {fr_number(shown_hours(per_month))} h au tarif de {fr_number(rate)} €/h",
                per_month,
                rate,
                a,
                b,
            )
        )
    elif whole:
        weights = [planned_in(a, b) for a, b, _ in segments]
        if not any(weights):  # every planned day closed: share by the pattern alone
            weights = [
                planned_in(a, b, hours_by_day(scheduled_days(starts_on, ends_on, pattern, a, b + timedelta(days=1))))
                for a, b, _ in segments
            ]
        for (a, b, rate), share in zip(segments, _split(per_month, weights), strict=True):
            if share:
                label = (
                    f"Contrat {fr_dates(a, b)} : {fr_number(shown_hours(share))} h sur "
                    f"{fr_number(shown_hours(per_month))} h du mois (au prorata des heures prévues) au tarif de "
                    f"{fr_number(rate)} €/h"
                )
                lines.append(_line("contract", label, share, rate, a, b))
    else:
        # the month's hours in proportion to the planned hours the contract covers in it, so a
        # month begun on its first Monday costs no more than a whole month [practice]
        month_plan = hours_by_day(
            scheduled_days(first_day, end_day - timedelta(days=1), pattern, first_day, end_day, closed_days=closed_days)
        )
        planned_month = sum((Fraction(h) for h in month_plan.values()), Fraction(0))
        covered = planned_in(cover_first, cover_end - timedelta(days=1))
        part = per_month * covered / planned_month if planned_month else Fraction(0)
        part = part if terminates(part) else Fraction(shown_hours(part))
        weights = [planned_in(a, b) for a, b, _ in segments]
        shares = _split(part, weights) if any(weights) else [Fraction(0)] * len(segments)
        for (a, b, rate), share in zip(segments, shares, strict=True):
            if share:
                n = sum(1 for d in by_day if a <= d <= b)
                label = (
                    f"Contrat {fr_dates(a, b)} (mois incomplet : {fr_days(n)} sur {len(month_plan)} prévus) : "
                    f"{fr_number(shown_hours(share))} h sur {fr_number(shown_hours(per_month))} h du mois au tarif de "
                    f"{fr_number(rate)} €/h"
                )
                lines.append(_line("contract", label, share, rate, a, b))
    contract_hours = per_month if whole else part

    # Deductions.
    checked = sorted((Absence(a[0], *checked_absence(*a)) for a in absences), key=lambda a: a.starts_on)
    for x, y in zip(checked, checked[1:], strict=False):
        if y.starts_on <= x.ends_on:
            raise ValueError(f"absences overlap on {y.starts_on.isoformat()}")
    deducted_on: set[date] = set()
    remaining = contract_hours
    for absence in checked:
        if absence.ends_on < cover_first or absence.starts_on >= cover_end:
            continue
        deduction = deducted_hours(absence.reason, absence.starts_on, absence.ends_on, by_day)
        deducted_on.update(d for d, _ in deduction.days)
        head = f"Absence pour {REASON_LABELS[absence.reason]} {fr_dates(absence.starts_on, absence.ends_on)}"
        if absence.reason == OTHER:
            why = none = "absence non déductible, facturée"
        elif absence.reason == ILLNESS_CERTIFICATE:
            why = f"après {WAITING_DAYS} jours de carence"
            none = f"les {WAITING_DAYS} premiers jours sont la carence, facturée"
        else:
            why, none = "dès le premier jour", "pas d'accueil prévu ces jours-là"
        if (
            absence.reason == ILLNESS_CERTIFICATE
            and deduction.waiting_days
            and not any(cover_first <= d < cover_end for d in deduction.waiting_days)
        ):
            why = f"(carence de {WAITING_DAYS} jours comptée le mois précédent)"
        by_rate: list[list] = []  # [rate, first, last, hours, days]
        for d, h in deduction.days:
            r = rate_of(d)
            if by_rate and by_rate[-1][0] == r:
                by_rate[-1][2], by_rate[-1][3], by_rate[-1][4] = d, by_rate[-1][3] + Fraction(h), by_rate[-1][4] + 1
            else:
                by_rate.append([r, d, d, Fraction(h), 1])
        if not by_rate:
            first_in = max(absence.starts_on, cover_first)
            last_in = min(absence.ends_on, cover_end - timedelta(days=1))
            label = f"{head} : aucun jour déduit ({none})"
            lines.append(_line("deduction", label, Fraction(0), rate_of(first_in), first_in, last_in, -1))
        for r, a, b, hours, n in by_rate:
            capped = min(hours, remaining)
            remaining -= capped
            label = f"{head} : {fr_days(n)} {'déduit' if n == 1 else 'déduits'} {why}"
            if len(by_rate) > 1:
                label += f" ({fr_dates(a, b)}, au tarif de {fr_number(r)} €/h)"
            if capped < hours:
                label += " (limité aux heures du contrat du mois)"
            lines.append(_line("deduction", label, capped, r, a, b, -1))
    deducted = contract_hours - remaining

    # Extra hours and attendance.
    inc = checked_increment(increment_minutes)
    extra_by_day: dict[date, Fraction] = {}
    attended = ZERO
    for day, arrived, left in (Attendance(*a) for a in attendances):
        day = plain_date("attendance day", day)
        if not cover_first <= day < cover_end:
            raise ValueError(f"attendance on {day.isoformat()} is outside the contract's month")
        if day in deducted_on:
            raise ValueError(f"attendance on {day.isoformat()}, a day deducted as an absence")
        attended += attended_hours(arrived, left)
        if arrived is None:
            continue
        zone = tz or arrived.tzinfo
        stretches = [
            (datetime.combine(day, s.start, tzinfo=zone), datetime.combine(day, s.end, tzinfo=zone))
            for s in planned
            if s.day == day
        ]
        extra = extra_hours(stretches or None, arrived, left, inc)
        extra_by_day[day] = extra_by_day.get(day, Fraction(0)) + Fraction(extra)
    extra_total = Fraction(0)
    for day in sorted(extra_by_day):
        hours = extra_by_day[day]
        if hours:
            extra_total += hours
            rate = rate_of(day)
            label = (
                f"Heures en plus du contrat {fr_dates(day, day)} : {fr_number(shown_hours(hours))} h "
                f"au tarif de {fr_number(rate)} €/h"
            )
            lines.append(_line("extra", label, hours, rate, day, day))

    def total(kind: str) -> Decimal:
        return sum((line.amount for line in lines if line.kind == kind), NO_AMOUNT)

    return ContractMonth(
        lines=tuple(lines),
        contract_hours=shown_hours(contract_hours),
        contract_amount=total("contract"),
        deducted_hours=shown_hours(deducted),
        deductions=NO_AMOUNT - total("deduction"),
        extra_hours=shown_hours(extra_total),
        extra_amount=total("extra"),
        hours_billed=shown_hours(contract_hours - deducted + extra_total),
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
