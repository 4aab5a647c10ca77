"""Regular care contracts (accueil régulier): the weekly pattern, mensualisation, absences,
extra hours and the month of a contract.

Sources: CNAF PSU guide (three kinds of care; a regular contract states the days and hours of
each week, the weeks of attendance and its start and end); CNAF circular of 26 March 2014
(mensualisation: rate x hours per week x weeks of attendance / months billed, the same amount
every month); CNAF "conditions particulières PSU" (2011: the only absences deducted).

Exactness: hours are computed as fractions and given as Decimal. A contract's times fall on a
multiple of 3 minutes (0.05 h), so every day's and week's hours are an exact Decimal; only a
division by the number of months (e.g. 11) or a split between two rates may not terminate,
and is then shown rounded to 2 decimals while its amount is computed from the exact value.
Each amount is rounded once, to the cent, half-up (fees.amount); a month's total is the sum
of its rounded lines.

Planned closures (the venue's annual closure weeks, public holidays) are not absences: they
are taken out of the weeks of attendance (the contract's `weeks_per_year`) and passed as
`closed_days` so that no care is planned on them. The absence reason `closure` is for an
unplanned closure.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import NamedTuple

from shared.vocabulary import MONTHS_FR, WEEKDAYS_FR

from .billing import DEFAULT_INCREMENT_MINUTES, attended_hours, aware_utc, checked_increment, round_up_hours
from .fees import CENT
from .fees import amount as fee_amount

WEEKS_PER_YEAR = 52
# [practice] A contract's times fall on a multiple of 3 minutes (0.05 h), so hours stay exact.
PATTERN_STEP_MINUTES = 3
# [practice] Notice for a family ending a contract before its planned end (a venue setting).
DEFAULT_NOTICE_DAYS = 30

# Absence reasons (CNAF "conditions particulières PSU", 2011).
ILLNESS_CERTIFICATE = "illness_certificate"  # illness with a medical certificate: from the 4th day
HOSPITALISATION = "hospitalisation"  # hospital certificate: from the first day
EVICTION = "eviction"  # evicted by the crèche's doctor: from the first day
CLOSURE = "closure"  # unplanned closure of the crèche: from the first day
OTHER = "other"  # any other absence: never deducted
ABSENCE_REASONS = (ILLNESS_CERTIFICATE, HOSPITALISATION, EVICTION, CLOSURE, OTHER)
FROM_FIRST_DAY = (HOSPITALISATION, EVICTION, CLOSURE)
# The waiting period (carence) of an illness: the first day of absence and the two calendar
# days after it, which stay billed.
WAITING_DAYS = 3
REASON_LABELS = {
    ILLNESS_CERTIFICATE: "maladie (certificat)",
    HOSPITALISATION: "hospitalisation",
    EVICTION: "éviction par le médecin de la crèche",
    CLOSURE: "fermeture de la crèche",
    OTHER: "autre motif",
}

LINE_KINDS = ("contract", "deduction", "extra")
ZERO = Decimal("0")
NO_AMOUNT = Decimal("0.00")
_HOUR_DISPLAY = Decimal("0.01")


# --- small helpers ------------------------------------------------------------------------------


def _terminates(f: Fraction) -> bool:
    d = f.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def _decimal(f: Fraction) -> Decimal:
    """Exact Decimal of a fraction whose decimal expansion terminates."""
    return Decimal(f.numerator) / Decimal(f.denominator)


def _hours(f: Fraction) -> Decimal:
    """Hours shown: exact when the decimal terminates, else rounded to 2 decimals (display)."""
    if _terminates(f):
        return _decimal(f)
    return (Decimal(f.numerator) / Decimal(f.denominator)).quantize(_HOUR_DISPLAY, rounding=ROUND_HALF_UP)


def _fraction(name: str, value) -> Fraction:
    if isinstance(value, (bool, float)) or not isinstance(value, (Decimal, int, Fraction)):
        raise TypeError(f"{name} must be a Decimal (floats are not exact), got {value!r}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{name} must be a finite number, got {value}")
    return Fraction(value)


def _amount(hourly_rate: Decimal, hours: Fraction) -> Decimal:
    """hourly_rate x hours rounded once to the cent, half-up: fees.amount, exact for any hours."""
    if _terminates(hours):
        return fee_amount(hourly_rate, _decimal(hours))
    fee_amount(hourly_rate, Decimal(0))  # same checks on the rate
    if hours < 0:
        raise ValueError(f"hours must be >= 0, got {hours}")
    cents = Fraction(hourly_rate) * hours * 100
    return Decimal(int(cents + Fraction(1, 2))) * CENT  # half-up, for a non-negative amount


def _plain_date(name: str, d) -> date:
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(f"{name} must be a date")
    return d


def _int(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {value!r}")
    return value


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _clock(t: time) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


def _number(d: Decimal) -> str:
    """French display of a number: 2,064 ; 138 ; 0,5."""
    text = format(d.normalize(), "f") if d != 0 else "0"
    return text.replace(".", ",")


def _day(d: date, month: bool = True) -> str:
    text = "1er" if d.day == 1 else str(d.day)
    return f"{text} {MONTHS_FR[d.month - 1]}" if month else text


def _dates(first: date, last: date) -> str:
    """'le 3 mars', 'du 3 au 9 mars', 'du 28 février au 5 mars', with the years when they differ."""
    if first == last:
        return f"le {_day(first)}"
    if first.year != last.year:
        return f"du {_day(first)} {first.year} au {_day(last)} {last.year}"
    if first.month == last.month:
        return f"du {_day(first, month=False)} au {_day(last)}"
    return f"du {_day(first)} au {_day(last)}"


def _days(n: int) -> str:
    return f"{n} jour" if n == 1 else f"{n} jours"


def _each_day(first: date, end: date):
    d = first
    while d < end:
        yield d
        d += timedelta(days=1)


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
        errors.append(f"{name} : la fin ({_clock(day.end)}) doit être après le début ({_clock(day.start)}).")
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
                    f"{WEEKDAYS_FR[weekday]} : {_clock(a.start)}–{_clock(a.end)} et "
                    f"{_clock(b.start)}–{_clock(b.end)} se chevauchent."
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
                    f"{name} : {_clock(day.start)}–{_clock(day.end)} sort des horaires d'ouverture "
                    f"du {name} ({_clock(opens)}–{_clock(closes)})."
                )
    return {"pattern": errors} if errors else {}


def _checked_pattern(days: Iterable[PatternDay]) -> list[PatternDay]:
    days = list(days)
    errors = check_pattern(days)
    if errors:
        raise ValueError(" ".join(errors["pattern"]))
    return days


def _day_hours(day: PatternDay) -> Fraction:
    return Fraction(_minutes(day.end) - _minutes(day.start), 60)


def hours_per_week(days: Iterable[PatternDay]) -> Decimal:
    """Contracted hours of one week, exact (CNAF PSU guide: the contract states weekly hours).

    Raises ValueError when the pattern has errors (check_pattern).
    """
    return _decimal(sum((_day_hours(d) for d in _checked_pattern(days)), Fraction(0)))


# --- mensualisation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Mensualisation:
    """The contract's monthly figures.

    hours_per_month: exact when it terminates, else rounded to 2 decimals for display;
    exact_hours_per_month keeps the exact value (pass it to contract_month).
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
    rate = _fraction("hourly_rate", hourly_rate)
    weekly = _fraction("hours_per_week", hours_per_week)
    weeks, n = _int("weeks_per_year", weeks_per_year), _int("months", months)
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
        hours_per_year=_hours(per_year),
        hours_per_month=_hours(per_month),
        monthly_amount=_amount(Decimal(hourly_rate), per_month),
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
    starts_on, ends_on = _plain_date("starts_on", starts_on), _plain_date("ends_on", ends_on)
    first_day, end_day = _plain_date("first_day", first_day), _plain_date("end_day", end_day)
    if ends_on < starts_on:
        raise ValueError("ends_on must be on or after starts_on")
    if end_day < first_day:
        raise ValueError("end_day must be on or after first_day")
    pattern = sorted(_checked_pattern(days), key=lambda d: (d.weekday, d.start))
    closed = set(closed_days)
    out = []
    for d in _each_day(max(first_day, starts_on), min(end_day, ends_on + timedelta(days=1))):
        if d in closed:
            continue
        for stretch in pattern:
            if stretch.weekday == d.weekday():
                out.append(ScheduledDay(d, stretch.start, stretch.end, _decimal(_day_hours(stretch))))
    return out


def _hours_by_day(scheduled: Iterable[ScheduledDay]) -> dict[date, Decimal]:
    out: dict[date, Decimal] = {}
    for s in scheduled:
        out[s.day] = out.get(s.day, ZERO) + s.hours
    return out


# --- absences -----------------------------------------------------------------------------------


class AbsenceDay(NamedTuple):
    day: date
    deducted: bool
    why: str  # "déduit", "carence" (waiting period, billed) or "non déductible" (billed)


def _checked_absence(reason: str, starts_on: date, ends_on: date) -> tuple[date, date]:
    if reason not in ABSENCE_REASONS:
        raise ValueError(f"reason must be one of {ABSENCE_REASONS}, got {reason!r}")
    starts_on, ends_on = _plain_date("starts_on", starts_on), _plain_date("ends_on", ends_on)
    if ends_on < starts_on:
        raise ValueError("an absence's ends_on must be on or after its starts_on")
    return starts_on, ends_on


def absence_days(reason: str, starts_on: date, ends_on: date) -> list[AbsenceDay]:
    """Each calendar day of an absence [starts_on, ends_on], deducted or still billed, and why.

    CNAF "conditions particulières PSU" (2011): hospitalisation, eviction by the crèche's
    doctor and closure of the crèche are deducted from the first day; an illness with a
    medical certificate from the fourth: the first day of absence and the two calendar days
    after it (a weekend counts) are the waiting period and stay billed; any other absence stays
    billed.
    """
    first, last = _checked_absence(reason, starts_on, ends_on)
    out = []
    for i, d in enumerate(_each_day(first, last + timedelta(days=1))):
        if reason in FROM_FIRST_DAY:
            out.append(AbsenceDay(d, True, "déduit"))
        elif reason == ILLNESS_CERTIFICATE:
            out.append(AbsenceDay(d, i >= WAITING_DAYS, "déduit" if i >= WAITING_DAYS else "carence"))
        else:
            out.append(AbsenceDay(d, False, "non déductible"))
    return out


def deducted_days(reason: str, starts_on: date, ends_on: date) -> list[date]:
    """The calendar days of an absence that are deducted (rules of absence_days, CNAF 2011)."""
    return [a.day for a in absence_days(reason, starts_on, ends_on) if a.deducted]


@dataclass(frozen=True)
class Deduction:
    """What an absence takes off: the deducted days that had care planned, with their hours."""

    reason: str
    starts_on: date
    ends_on: date
    days: tuple[tuple[date, Decimal], ...]  # (day, contracted hours deducted), planned days only
    waiting_days: tuple[date, ...]  # the waiting period (illness), billed
    hours: Decimal


def deducted_hours(reason: str, starts_on: date, ends_on: date, scheduled: Mapping[date, Decimal]) -> Deduction:
    """Contracted hours deducted for an absence: the hours of `scheduled` (date -> contracted
    hours that day) on its deducted days (absence_days, CNAF "conditions particulières PSU"
    2011). A day with no care planned deducts nothing; the waiting period counts calendar days.
    """
    detail = absence_days(reason, starts_on, ends_on)
    days = tuple((a.day, Decimal(scheduled[a.day])) for a in detail if a.deducted and scheduled.get(a.day))
    return Deduction(
        reason=reason,
        starts_on=starts_on,
        ends_on=ends_on,
        days=days,
        waiting_days=tuple(a.day for a in detail if a.why == "carence"),
        hours=sum((h for _, h in days), ZERO),
    )


# --- extra hours --------------------------------------------------------------------------------


def extra_hours(
    day_contract,
    arrived: datetime | None,
    left: datetime | None,
    increment_minutes: int = DEFAULT_INCREMENT_MINUTES,
) -> Decimal:
    """Hours of presence beyond the day's contract, each started increment due.

    `day_contract`: the day's contracted stretch (start, end) as aware datetimes, a sequence of
    such stretches, or None when no care is planned that day. Each piece of presence outside
    the contract (before, in a gap, after) is rounded up on its own, as billing.billed_hours does
    for occasional care; with no contract the whole presence is rounded up. Presence inside the
    contract adds nothing; 0 while the arrival or the departure is missing. Source: CNAF PSU
    (hours beyond the contract billed on top, by the half-hour) [practice: the increment].
    """
    inc = checked_increment(increment_minutes)
    if day_contract is None:
        stretches = []
    elif len(day_contract) == 2 and all(isinstance(x, datetime) for x in day_contract):
        stretches = [tuple(day_contract)]
    else:
        stretches = [tuple(s) for s in day_contract]
    spans = []
    for start, end in stretches:
        s, e = aware_utc("contract start", start), aware_utc("contract end", end)
        if e <= s:
            raise ValueError("a contract stretch must end after it starts")
        spans.append((s, e))
    spans.sort()
    if arrived is None or left is None:
        return ZERO
    a, lft = aware_utc("arrived", arrived), aware_utc("left", left)
    if lft <= a:
        raise ValueError("left must be after arrived")
    total, cursor = ZERO, a
    for s, e in spans:
        if s > cursor:
            total += round_up_hours(min(s, lft) - cursor, inc)
        cursor = max(cursor, e)
        if cursor >= lft:
            return total
    return total + round_up_hours(lft - cursor, inc)


# --- the month of a contract --------------------------------------------------------------------


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


def _rates(rate_periods: Sequence[tuple[date, Decimal]]):
    periods = [(_plain_date("rate period start", d), r) for d, r in rate_periods]
    if not periods:
        raise ValueError("rate_periods must not be empty")
    for (a, _), (b, _) in zip(periods, periods[1:], strict=False):
        if b <= a:
            raise ValueError("rate_periods must be sorted by date, one period per date")
    for _, r in periods:
        fee_amount(r, Decimal(0))  # a Decimal >= 0

    def rate_of(d: date) -> Decimal:
        """The rate of the last period starting on or before `d`."""
        found = None
        for start, r in periods:
            if start <= d:
                found = r
            else:
                break
        if found is None:
            raise ValueError(f"no hourly rate in rate_periods for {d.isoformat()}")
        return found

    return rate_of


def _segments(first: date, end: date, rate_of) -> list[tuple[date, date, Decimal]]:
    """[first, end) cut where the rate changes: (first day, last day, rate)."""
    out: list[list] = []
    for d in _each_day(first, end):
        r = rate_of(d)
        if out and out[-1][2] == r:
            out[-1][1] = d
        else:
            out.append([d, d, r])
    return [tuple(s) for s in out]


def _split(total: Fraction, weights: list[Fraction]) -> list[Fraction]:
    """`total` shared in proportion to `weights`; exact when the share terminates, else rounded
    to 0.01 h; the last weighted share takes the remainder, so the shares add up exactly to
    `total`, and a weight of 0 gets 0."""
    whole = sum(weights, Fraction(0))
    last = max(i for i, w in enumerate(weights) if w)
    shares = []
    for i, w in enumerate(weights):
        share = total * w / whole
        shares.append(share if i == last or _terminates(share) else Fraction(_hours(share)))
    shares[last] = total - sum((s for i, s in enumerate(shares) if i != last), Fraction(0))
    return shares


def _line(kind, label, hours: Fraction, rate: Decimal, first: date, last: date, sign: int = 1) -> ContractLine:
    amount = _amount(rate, hours)
    return ContractLine(kind, label, _hours(hours), rate, -amount if sign < 0 and amount else amount, first, last)


def _checked_month(first_day: date, end_day: date) -> None:
    first_day, end_day = _plain_date("first_day", first_day), _plain_date("end_day", end_day)
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
    starts_on, ends_on = _plain_date("starts_on", starts_on), _plain_date("ends_on", ends_on)
    pattern = _checked_pattern(days)
    per_month = _fraction("hours_per_month", hours_per_month)
    if per_month <= 0:
        raise ValueError(f"hours_per_month must be > 0, got {hours_per_month}")
    rate_of = _rates(rate_periods)
    cover_first, cover_end = max(first_day, starts_on), min(end_day, ends_on + timedelta(days=1))
    if cover_end <= cover_first:
        raise ValueError("the contract does not cover this month")
    planned = scheduled_days(starts_on, ends_on, pattern, first_day, end_day, closed_days=closed_days)
    by_day = _hours_by_day(planned)
    whole = cover_first == first_day and cover_end == end_day
    lines: list[ContractLine] = []

    # Contract lines.
    segments = _segments(cover_first, cover_end, rate_of)

    def planned_in(a: date, b: date, hours=by_day) -> Fraction:
        return sum((Fraction(h) for d, h in hours.items() if a <= d <= b), Fraction(0))

    if whole and len(segments) == 1:
        a, b, rate = segments[0]
        lines.append(
            _line(
                "contract",
                f"Contrat : {_number(_hours(per_month))} h au tarif de {_number(rate)} €/h",
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
                planned_in(a, b, _hours_by_day(scheduled_days(starts_on, ends_on, pattern, a, b + timedelta(days=1))))
                for a, b, _ in segments
            ]
        for (a, b, rate), share in zip(segments, _split(per_month, weights), strict=True):
            if share:
                label = (
                    f"Contrat {_dates(a, b)} : {_number(_hours(share))} h sur {_number(_hours(per_month))} h du mois "
                    f"(au prorata des heures prévues) au tarif de {_number(rate)} €/h"
                )
                lines.append(_line("contract", label, share, rate, a, b))
    else:
        # the month's hours in proportion to the planned hours the contract covers in it, so a
        # month begun on its first Monday costs no more than a whole month [practice]
        month_plan = _hours_by_day(
            scheduled_days(first_day, end_day - timedelta(days=1), pattern, first_day, end_day, closed_days=closed_days)
        )
        planned_month = sum((Fraction(h) for h in month_plan.values()), Fraction(0))
        covered = planned_in(cover_first, cover_end - timedelta(days=1))
        part = per_month * covered / planned_month if planned_month else Fraction(0)
        part = part if _terminates(part) else Fraction(_hours(part))
        weights = [planned_in(a, b) for a, b, _ in segments]
        shares = _split(part, weights) if any(weights) else [Fraction(0)] * len(segments)
        for (a, b, rate), share in zip(segments, shares, strict=True):
            if share:
                n = sum(1 for d in by_day if a <= d <= b)
                label = (
                    f"Contrat {_dates(a, b)} (mois incomplet : {_days(n)} sur {len(month_plan)} prévus) : "
                    f"{_number(_hours(share))} h sur {_number(_hours(per_month))} h du mois au tarif de "
                    f"{_number(rate)} €/h"
                )
                lines.append(_line("contract", label, share, rate, a, b))
    contract_hours = per_month if whole else part

    # Deductions.
    checked = sorted((Absence(a[0], *_checked_absence(*a)) for a in absences), key=lambda a: a.starts_on)
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
        head = f"Absence pour {REASON_LABELS[absence.reason]} {_dates(absence.starts_on, absence.ends_on)}"
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
            label = f"{head} : {_days(n)} {'déduit' if n == 1 else 'déduits'} {why}"
            if len(by_rate) > 1:
                label += f" ({_dates(a, b)}, au tarif de {_number(r)} €/h)"
            if capped < hours:
                label += " (limité aux heures du contrat du mois)"
            lines.append(_line("deduction", label, capped, r, a, b, -1))
    deducted = contract_hours - remaining

    # Extra hours and attendance.
    inc = checked_increment(increment_minutes)
    extra_by_day: dict[date, Fraction] = {}
    attended = ZERO
    for day, arrived, left in (Attendance(*a) for a in attendances):
        day = _plain_date("attendance day", day)
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
                f"Heures en plus du contrat {_dates(day, day)} : {_number(_hours(hours))} h "
                f"au tarif de {_number(rate)} €/h"
            )
            lines.append(_line("extra", label, hours, rate, day, day))

    def total(kind: str) -> Decimal:
        return sum((line.amount for line in lines if line.kind == kind), NO_AMOUNT)

    return ContractMonth(
        lines=tuple(lines),
        contract_hours=_hours(contract_hours),
        contract_amount=total("contract"),
        deducted_hours=_hours(deducted),
        deductions=NO_AMOUNT - total("deduction"),
        extra_hours=_hours(extra_total),
        extra_amount=total("extra"),
        hours_billed=_hours(contract_hours - deducted + extra_total),
        hours_attended=attended,
        amount=sum((line.amount for line in lines), NO_AMOUNT),
    )


# --- ending a contract --------------------------------------------------------------------------


def earliest_end(requested_on: date, notice_days: int = DEFAULT_NOTICE_DAYS) -> date:
    """The earliest last day of a contract a family ends early: the notice runs the
    `notice_days` days after the day of the request, and the contract may end on the last of
    them (requested on 1 March, 30 days -> 31 March) [practice: the venue's rules set the notice].
    """
    requested_on = _plain_date("requested_on", requested_on)
    notice = _int("notice_days", notice_days)
    if notice < 0:
        raise ValueError(f"notice_days must be >= 0, got {notice}")
    return requested_on + timedelta(days=notice)


def check_early_end(
    requested_on: date,
    ends_on: date,
    starts_on: date,
    planned_end: date,
    notice_days: int = DEFAULT_NOTICE_DAYS,
) -> dict[str, list[str]]:
    """Errors of a requested end date, in French, keyed "ends_on"; {} when it is fine.

    Refused: before the contract's start, after its planned end (a contract is ended early,
    not extended here), before the end of the notice (earliest_end) [practice: the notice].
    """
    ends_on, starts_on = _plain_date("ends_on", ends_on), _plain_date("starts_on", starts_on)
    planned_end = _plain_date("planned_end", planned_end)
    errors = []
    if ends_on < starts_on:
        errors.append(f"La fin du contrat ne peut pas être avant son début ({_day(starts_on)} {starts_on.year}).")
    if ends_on > planned_end:
        errors.append(
            f"La fin du contrat ne peut pas être après sa fin prévue ({_day(planned_end)} {planned_end.year})."
        )
    earliest = earliest_end(requested_on, notice_days)
    if ends_on < earliest:
        errors.append(
            f"Avec un préavis de {_days(notice_days)}, le contrat peut finir au plus tôt le "
            f"{_day(earliest)} {earliest.year}."
        )
    return {"ends_on": errors} if errors else {}


# --- the rate of each day -----------------------------------------------------------------------


def rate_periods(first_day: date, end_day: date, bases: Sequence[tuple[date, object]], rate_on) -> list:
    """[(from_date, hourly_rate)] over the days [first_day, end_day), as contract_month takes them.

    `bases`: [(from_on, basis)] sorted by date, what the rate is computed from from that day on
    (the family's resources at signing, then at each change); `rate_on(basis, day)` gives the
    rate of one day (fees.quote on that day: the CNAF scale changes on 1 January and the ceiling
    on 1 September). Days before the first basis use the first one; consecutive days with the
    same rate are one period."""
    if not bases:
        raise ValueError("bases must not be empty")
    periods: list[tuple[date, Decimal]] = []
    for day in _each_day(_plain_date("first_day", first_day), _plain_date("end_day", end_day)):
        in_force = [basis for since, basis in bases if since <= day] or [bases[0][1]]
        rate = rate_on(in_force[-1], day)
        if not periods or periods[-1][1] != rate:
            periods.append((day, rate))
    return periods


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
