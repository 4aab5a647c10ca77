"""The gratification de stage (Code de l'éducation L124-6, D124-6, D124-8; docs/placements-rules.md).

Due when the trainee's stays at this host last more than two months in the same school year,
counted in hours of presence: from the 309th hour (D124-6: 7 h make a day, 22 days a month;
44 days x 7 h = 308 h). L124-6 counts « le ou les stages » at the same host in the same school
year, consecutive or not (urssaf.fr, « le recours encadré aux stages »): `due_by_placement`
adds up the planned hours of all the trainee's placements here, by school year. Absences and
leave the convention provides count as presence, which planned hours (the convention's dates ×
its schedule) already do. Once due, it is owed for every hour from the first, of every placement
of that school year here, paid monthly, at least 15 % of the hourly social security ceiling of
the calendar year (D124-8). Adults in continuing vocational training are not under L124-1: a
placement says whether its agreement is a convention de stage under L124-1 (`under_convention`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from services.placements.domain.school_year import school_year_of_month

THRESHOLD_HOURS = Decimal(308)  # due beyond this: the 309th hour
CENT = Decimal("0.01")
# Minimum hourly amount by calendar year (15 % of the hourly ceiling), sources in docs/placements-rules.md.
HOURLY_MINIMUM = {2024: Decimal("4.35"), 2025: Decimal("4.35"), 2026: Decimal("4.50")}


class UnknownRate(LookupError):
    """No minimum hourly amount known for that year: the venue's setting must give it."""


def hourly_minimum(year: int, overrides: dict[int, Decimal] | None = None) -> Decimal:
    """The year's minimum hourly amount; `overrides` (the venue's setting) win over the table."""
    table = {**HOURLY_MINIMUM, **(overrides or {})}
    if year not in table:
        raise UnknownRate(f"no minimum hourly gratification known for {year}")
    return table[year]


@dataclass(frozen=True)
class MonthDue:
    month: str  # "2026-03"
    hours: Decimal
    hourly_rate: Decimal
    amount: Decimal


def monthly(hours_by_month: dict[str, Decimal], due: bool, overrides=None) -> list[MonthDue]:
    """What is owed each month for its validated hours (nothing while not due), to the cent."""
    if not due:
        return []
    months = []
    for month in sorted(hours_by_month):
        rate = hourly_minimum(int(month[:4]), overrides)
        hours = Decimal(hours_by_month[month])
        months.append(MonthDue(month, hours, rate, (hours * rate).quantize(CENT, rounding=ROUND_HALF_UP)))
    return months


def total(months: list[MonthDue]) -> Decimal:
    return sum((m.amount for m in months), Decimal("0.00"))


@dataclass(frozen=True)
class Stay:
    """One placement of the trainee at this venue, with its planned hours by month
    (`school_year.planned_hours_by_month`, or `required_hours_by_month` without a schedule)."""

    placement_id: str
    start: date
    end: date
    hours_by_month: Mapping[str, Decimal]
    under_convention: bool = True  # a convention de stage under L124-1 (not continuing training)


@dataclass(frozen=True)
class Owed:
    """What one placement owes: `due` when one of its school years passes 308 h at this host
    (or its own hours do); `due_school_years` those years;
    `months` its due months at their year's rate; `minimum` their total, None when a year's rate
    is unknown (the venue's setting must give it)."""

    placement_id: str
    due: bool
    due_school_years: tuple[int, ...]
    months: tuple[MonthDue, ...]
    minimum: Decimal | None


def hours_by_school_year(stays: Iterable[Stay]) -> dict[int, Decimal]:
    """The planned hours at this host by school year, across the placements under L124-1."""
    years: dict[int, Decimal] = {}
    for stay in stays:
        if not stay.under_convention:
            continue
        for month, hours in stay.hours_by_month.items():
            year = school_year_of_month(month)
            years[year] = years.get(year, Decimal(0)) + Decimal(hours)
    return years


def due_school_years(stays: Iterable[Stay]) -> set[int]:
    """School years whose planned hours at this host pass 308 h (L124-6: the 309th hour)."""
    return {year for year, hours in hours_by_school_year(stays).items() if hours > THRESHOLD_HOURS}


def due_by_placement(stays: Iterable[Stay], overrides: dict[int, Decimal] | None = None) -> dict[str, Owed]:
    """For each placement of the trainee at this host: due or not, and the minimum owed for its
    planned hours of the due school years, month by month at the calendar year's rate (`monthly`).
    A placement straddling 31 August is due for the months of a due school year, or whole when
    its own planned hours pass 308 h (L124-6's « deux mois consécutifs », whatever the school
    year: **[unconfirmed]**, the article's wording as we recall it). A placement outside L124-1
    (`under_convention` False) neither counts nor owes."""
    stays = list(stays)
    due_years = due_school_years(stays)
    return {stay.placement_id: _owed(stay, due_years, overrides) for stay in stays}


def _owed(stay: Stay, due_years: set[int], overrides) -> Owed:
    years = _due_years_of(stay, due_years)
    hours = {m: h for m, h in stay.hours_by_month.items() if school_year_of_month(m) in years}
    try:
        months = tuple(monthly(hours, bool(years), overrides))
        minimum = total(list(months)) if years else Decimal("0.00")
    except UnknownRate:
        months, minimum = (), None
    return Owed(stay.placement_id, bool(years), tuple(sorted(years)), months, minimum)


def _due_years_of(stay: Stay, due_years: set[int]) -> set[int]:
    if not stay.under_convention:
        return set()
    own = {school_year_of_month(m) for m in stay.hours_by_month}
    if sum((Decimal(h) for h in stay.hours_by_month.values()), Decimal(0)) > THRESHOLD_HOURS:
        return own
    return own & due_years
