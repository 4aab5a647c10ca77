"""The weekly care pattern of a regular contract (accueil régulier), its hours, its
mensualisation and the days of care it plans.

Sources: CNAF PSU guide (a regular contract states the days and hours of each week, the weeks
of attendance and its start and end); CNAF circular of 26 March 2014 (mensualisation: rate x
hours per week x weeks of attendance / months billed, the same amount every month).

Planned closures (the venue's annual closure weeks, public holidays) are not absences: they are
taken out of the weeks of attendance (the contract's `weeks_per_year`) and passed as `closed_days` so that
no care is planned on them (absences.CLOSURE is for an unplanned closure).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from shared.vocabulary import WEEKDAYS_FR

from .exact_numbers import ZERO, exact_amount, exact_decimal, exact_number, shown_hours, whole_number
from .french_text import clock
from .plain_dates import each_day, plain_date

WEEKS_PER_YEAR = 52
# [practice] A contract's times fall on a multiple of 3 minutes (0.05 h), so hours stay exact.
PATTERN_STEP_MINUTES = 3


# --- the weekly pattern -------------------------------------------------------------------------


@dataclass(frozen=True)
class PatternDay:
    """One stretch of care in the contract's week: weekday 0 (Monday) to 6, start and end times
    (the venue's wall clock). A weekday may have several stretches (e.g. morning and afternoon)."""

    weekday: int
    start: time
    end: time


def _day_errors(day) -> list[str]:
    if not isinstance(day, PatternDay):
        return [f"Chaque jour du contrat doit être un PatternDay, reçu {day!r}."]
    if isinstance(day.weekday, bool) or not isinstance(day.weekday, int) or not 0 <= day.weekday <= 6:
        return [f"Jour de la semaine inconnu : {day.weekday!r} (0 = lundi … 6 = dimanche)."]
    name = WEEKDAYS_FR[day.weekday]
    if not isinstance(day.start, time) or not isinstance(day.end, time):
        return [f"{name} : le début et la fin doivent être des heures."]
    errors = []
    for t in (day.start, day.end):
        if t.second or t.microsecond or t.minute % PATTERN_STEP_MINUTES:
            errors.append(
                f"{name} : {t.isoformat(timespec='seconds')} ne tombe pas sur un multiple de "
                f"{PATTERN_STEP_MINUTES} minutes (par exemple 08:00, 08:15, 08:30) : les heures du "
                "contrat doivent être un nombre décimal exact."
            )
    if day.end <= day.start:
        errors.append(f"{name} : la fin ({clock(day.end)}) doit être après le début ({clock(day.start)}).")
    return errors


def check_pattern(
    days: Iterable[PatternDay], opening: Mapping[int, tuple[time, time]] | None = None
) -> dict[str, list[str]]:
    """Errors of a contract's weekly pattern, in French, keyed "pattern"; {} when it is fine.

    A regular contract states the days and hours of care of each week (CNAF PSU guide): at
    least one day; weekday 0-6; end after start; times on a multiple of 3 minutes [practice:
    hours stay exact]; two stretches of one weekday must not overlap (touching is fine). With
    `opening` ({weekday: (opens, closes)}, the venue's hours), a stretch outside them, or on a
    day the venue is closed, is refused [practice].
    """
    days = list(days)
    errors: list[str] = []
    if not days:
        errors.append("Le contrat doit prévoir au moins un jour d'accueil par semaine.")
    valid = []
    for day in days:
        day_errors = _day_errors(day)
        errors.extend(day_errors)
        if not day_errors:
            valid.append(day)
    by_weekday: dict[int, list[PatternDay]] = {}
    for day in valid:
        by_weekday.setdefault(day.weekday, []).append(day)
    for weekday, stretches in sorted(by_weekday.items()):
        stretches.sort(key=lambda d: d.start)
        for a, b in zip(stretches, stretches[1:], strict=False):
            if b.start < a.end:
                errors.append(
                    f"{WEEKDAYS_FR[weekday]} : {clock(a.start)}–{clock(a.end)} et "
                    f"{clock(b.start)}–{clock(b.end)} se chevauchent."
                )
    if opening is not None:
        for day in valid:
            name = WEEKDAYS_FR[day.weekday]
            hours = opening.get(day.weekday)
            if hours is None:
                errors.append(f"La crèche est fermée le {name} : pas d'accueil possible ce jour-là.")
                continue
            opens, closes = hours
            if day.start < opens or day.end > closes:
                errors.append(
                    f"{name} : {clock(day.start)}–{clock(day.end)} sort des horaires d'ouverture "
                    f"du {name} ({clock(opens)}–{clock(closes)})."
                )
    return {"pattern": errors} if errors else {}


def checked_pattern(days: Iterable[PatternDay]) -> list[PatternDay]:
    """The pattern's days as a list; ValueError with check_pattern's errors when it has any."""
    days = list(days)
    errors = check_pattern(days)
    if errors:
        raise ValueError(" ".join(errors["pattern"]))
    return days


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _day_hours(day: PatternDay) -> Fraction:
    return Fraction(_minutes(day.end) - _minutes(day.start), 60)


def hours_per_week(days: Iterable[PatternDay]) -> Decimal:
    """Contracted hours of one week, exact (CNAF PSU guide: the contract states weekly hours).

    Raises ValueError when the pattern has errors (check_pattern).
    """
    return exact_decimal(sum((_day_hours(d) for d in checked_pattern(days)), Fraction(0)))


# --- mensualisation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Mensualisation:
    """The contract's monthly figures.

    hours_per_month: exact when it terminates, else rounded to 2 decimals for display;
    exact_hours_per_month keeps the exact value (pass it to contract_statement.contract_month).
    monthly_amount: computed from the exact value, rounded once to the cent, half-up.
    """

    hours_per_year: Decimal
    hours_per_month: Decimal
    monthly_amount: Decimal
    exact_hours_per_month: Fraction


def mensualisation(hourly_rate: Decimal, hours_per_week, weeks_per_year: int, months: int = 12) -> Mensualisation:
    """Monthly hours and amount of a regular contract (circular of 26 March 2014, CNAF PSU):
    hourly rate x hours per week x weeks of attendance / months billed, the same every month.

    E.g. 2.064 €/h x 36 h x 46 weeks / 12 = 138 h, 284.832 -> 284.83 €.
    """
    rate = exact_number("hourly_rate", hourly_rate)
    weekly = exact_number("hours_per_week", hours_per_week)
    weeks, n = whole_number("weeks_per_year", weeks_per_year), whole_number("months", months)
    if rate <= 0:
        raise ValueError(f"hourly_rate must be > 0, got {hourly_rate}")
    if weekly <= 0 or weekly > 7 * 24:
        raise ValueError(f"hours_per_week must be > 0 and at most 168, got {hours_per_week}")
    if not 1 <= weeks <= WEEKS_PER_YEAR:
        raise ValueError(f"weeks_per_year must be between 1 and 52, got {weeks}")
    if not 1 <= n <= 12:
        raise ValueError(f"months must be between 1 and 12, got {n}")
    per_year = weekly * weeks
    per_month = per_year / n
    return Mensualisation(
        hours_per_year=shown_hours(per_year),
        hours_per_month=shown_hours(per_month),
        monthly_amount=exact_amount(Decimal(hourly_rate), per_month),
        exact_hours_per_month=per_month,
    )


# --- planned days -------------------------------------------------------------------------------


class ScheduledDay(NamedTuple):
    day: date
    start: time
    end: time
    hours: Decimal


def scheduled_days(
    starts_on: date,
    ends_on: date,
    days: Iterable[PatternDay],
    first_day: date,
    end_day: date,
    *,
    closed_days: Collection[date] = (),
) -> list[ScheduledDay]:
    """The contract's planned stretches of care in [first_day, end_day), inside the contract
    [starts_on, ends_on] (both ends inclusive), by date then time.

    A day in `closed_days` (the venue's planned closures, public holidays) has no care planned
    [practice: they are already out of the weeks of attendance].
    """
    starts_on, ends_on = plain_date("starts_on", starts_on), plain_date("ends_on", ends_on)
    first_day, end_day = plain_date("first_day", first_day), plain_date("end_day", end_day)
    if ends_on < starts_on:
        raise ValueError("ends_on must be on or after starts_on")
    if end_day < first_day:
        raise ValueError("end_day must be on or after first_day")
    pattern = sorted(checked_pattern(days), key=lambda d: (d.weekday, d.start))
    closed = set(closed_days)
    out = []
    for d in each_day(max(first_day, starts_on), min(end_day, ends_on + timedelta(days=1))):
        if d in closed:
            continue
        for stretch in pattern:
            if stretch.weekday == d.weekday():
                out.append(ScheduledDay(d, stretch.start, stretch.end, exact_decimal(_day_hours(stretch))))
    return out


def hours_by_day(scheduled: Iterable[ScheduledDay]) -> dict[date, Decimal]:
    """{day: the contracted hours planned that day} (a day's stretches added up)."""
    out: dict[date, Decimal] = {}
    for s in scheduled:
        out[s.day] = out.get(s.day, ZERO) + s.hours
    return out
