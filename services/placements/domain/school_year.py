"""The school year and a convention's planned hours at this venue (docs/placements-rules.md).

- The school year runs from 1 September to 31 August (issue 23 and the shared notes; Code de
  l'éducation L124-5 and L124-6 count « au cours d'une même année scolaire ou universitaire » without
  giving its dates: the 1 September – 31 August bounds are **[unconfirmed]** as a legal
  definition). It is named by the year it starts: 2026 is 1 September 2026 – 31 August 2027.
- The planned hours are the convention's hours at this host: its dates × the weekly schedule it
  gives (hours per weekday, Monday = 0), minus the venue's closure days (shared notes,
  "Corrections and additions": not the course's total, CAP AEPE 490 h, AP 770 h and EJE 2,100 h
  being totals over several placements). A placement created without a schedule plans its
  `required_hours` as sent (issue 23), spread over its weekdays **[practice]**.

Every school year starts on the first of a month, so hours by month ("YYYY-MM") split exactly by
school year (gratification, 6 months) and by calendar year (the hourly minimum's year).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal, InvalidOperation

SCHOOL_YEAR_FIRST_MONTH = 9  # 1 September
CENT = Decimal("0.01")
DAY_HOURS = Decimal(24)
WEEKDAYS = range(7)  # Monday = 0 … Sunday = 6
WORKING_WEEKDAYS = range(5)  # Monday to Friday: where a placement without a schedule is spread [practice]


def school_year_of(day: date) -> int:
    """The school year `day` belongs to, named by the year it starts (31 Aug 2027 -> 2026)."""
    return day.year if day.month >= SCHOOL_YEAR_FIRST_MONTH else day.year - 1


def school_year_bounds(year: int) -> tuple[date, date]:
    """First and last day of school year `year`: 1 September `year` – 31 August `year + 1`."""
    return date(year, SCHOOL_YEAR_FIRST_MONTH, 1), date(year + 1, SCHOOL_YEAR_FIRST_MONTH - 1, 31)


def school_year_of_month(month: str) -> int:
    """The school year of a month "YYYY-MM" (a school year never cuts a month)."""
    year, number = int(month[:4]), int(month[5:7])
    return year if number >= SCHOOL_YEAR_FIRST_MONTH else year - 1


def school_year_label(year: int) -> str:
    """« 2026-2027 », as the year is written in French."""
    return f"{year}-{year + 1}"


def schedule_errors(raw: Mapping) -> list[str]:
    """French sentences for a weekly schedule that cannot be used (empty is refused: a schedule
    plans something). Keys are weekdays 0–6 (int or digit string), values hours as text or
    Decimal, 0 to 24 with at most 2 decimals (a float would not be exact: refused)."""
    errors = []
    for key, value in raw.items():
        day = _weekday(key)
        if day is None:
            errors.append(f"« {key} » n'est pas un jour de la semaine (0 = lundi … 6 = dimanche).")
            continue
        hours = _hours(value)
        if hours is None:
            errors.append(f"Les heures du jour {day} doivent être un nombre de 0 à 24, au centième près.")
    if not errors and not any(_hours(v) for v in raw.values()):
        errors.append("L'emploi du temps ne prévoit aucune heure : indiquez les heures d'au moins un jour.")
    return errors


def parse_schedule(raw: Mapping) -> dict[int, Decimal]:
    """The schedule as {weekday: Decimal hours}; call `schedule_errors` first (ValueError otherwise)."""
    if schedule_errors(raw):
        raise ValueError(f"unusable schedule {raw!r}")
    return {_weekday(k): _hours(v) for k, v in raw.items()}


def days(start: date, end: date) -> Iterable[date]:
    for offset in range((end - start).days + 1):
        yield start + timedelta(days=offset)


def planned_hours_by_month(
    start: date, end: date, schedule: Mapping[int, Decimal], closures: Iterable[date] = ()
) -> dict[str, Decimal]:
    """Hours the schedule plans each month from `start` to `end` (both included), closure days
    excepted; months with none are left out."""
    closed = frozenset(closures)
    months: dict[str, Decimal] = {}
    for day in days(start, end):
        hours = Decimal(schedule.get(day.weekday(), 0))
        if hours and day not in closed:
            key = f"{day:%Y-%m}"
            months[key] = months.get(key, Decimal(0)) + hours
    return months


def planned_hours(start: date, end: date, schedule: Mapping[int, Decimal], closures: Iterable[date] = ()) -> Decimal:
    """The convention's hours at this venue: its dates × its weekly schedule, closures excepted."""
    return sum(planned_hours_by_month(start, end, schedule, closures).values(), Decimal(0))


def required_hours_by_month(start: date, end: date, required_hours: Decimal) -> dict[str, Decimal]:
    """A placement without a schedule plans its `required_hours` (issue 23), spread evenly over
    its weekdays (Monday–Friday) **[practice]**, to the cent, the last month taking what
    rounding left so the months add up exactly. No weekday in its dates: all on its first month."""
    required = Decimal(required_hours)
    working = [d for d in days(start, end) if d.weekday() in WORKING_WEEKDAYS]
    if not working:
        return {f"{start:%Y-%m}": required} if required else {}
    counts: dict[str, int] = {}
    for day in working:
        counts[f"{day:%Y-%m}"] = counts.get(f"{day:%Y-%m}", 0) + 1
    months = {m: (required * n / len(working)).quantize(CENT, rounding=ROUND_DOWN) for m, n in counts.items()}
    last = max(months)
    months[last] += required - sum(months.values(), Decimal(0))
    return {m: h for m, h in months.items() if h}


def by_school_year(hours_by_month: Mapping[str, Decimal]) -> dict[int, Decimal]:
    """Hours by month added up by school year (a placement straddling 31 August splits here)."""
    years: dict[int, Decimal] = {}
    for month, hours in hours_by_month.items():
        year = school_year_of_month(month)
        years[year] = years.get(year, Decimal(0)) + Decimal(hours)
    return years


def _weekday(key) -> int | None:
    if isinstance(key, bool):
        return None
    if isinstance(key, str) and key.strip().isdigit():
        key = int(key)
    return key if isinstance(key, int) and key in WEEKDAYS else None


def _hours(value) -> Decimal | None:
    if isinstance(value, bool | float):
        return None
    try:
        hours = Decimal(str(value).strip()) if isinstance(value, str) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    if not hours.is_finite() or hours < 0 or hours > DAY_HOURS or hours != hours.quantize(CENT):
        return None
    return hours
