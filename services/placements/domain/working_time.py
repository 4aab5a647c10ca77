"""A trainee's working time: which logged periods the law allows (Code de l'éducation L124-14:
a trainee keeps the host's employees' limits; Code du travail L3121-18 and following for adults,
L3162-1 and following for young workers; docs/placements-rules.md).

Adults: 10 h a day, 48 h a week, 44 h a week on average over 12 weeks, 11 h rest between days.
Under 18: 8 h a day (7 h at 14-15), 35 h a week, a 30-minute break after 4 h 30, 12 h rest
between days (14 h under 16), no presence from 22:00 to 06:00 (20:00 under 16), two
consecutive rest days a week.
Everyone, adults included: not 7 days in a row (weekly rest, the host's rules through L124-14
[from memory, unconfirmed]; Code du travail L3132-1 forbids more than 6 days a week: we read
it as any 7 consecutive days [practice], stricter than the civil week).

Times are aware datetimes; the days, the weeks (Monday to Sunday) and the night are the
venue's local ones (`zone`). A period crossing midnight counts on each day for its part.
`check` gives every rule a new period breaks, each as a French sentence a trainee can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
AVERAGE_WEEKS = 12  # adults: the 44 h average is over any 12 consecutive weeks


@dataclass(frozen=True)
class Limits:
    """What one trainee may do, by age on the day of the period (limits_for)."""

    label: str  # "adulte", "mineur de 16 ou 17 ans", "mineur de moins de 16 ans"
    daily: timedelta
    weekly: timedelta
    rest_between_days: timedelta
    average_weekly: timedelta | None = None  # adults only
    night_from: time | None = None  # no presence from night_from to NIGHT_UNTIL (minors)
    continuous_max: timedelta | None = None  # then a break of `break_length` (minors)
    break_length: timedelta = timedelta(minutes=30)
    consecutive_rest_days: int = 0  # in each week (minors)
    max_days_in_a_row: int = 6  # then a day without presence (weekly rest)


NIGHT_UNTIL = time(6, 0)
ADULT = Limits(
    "adulte",
    daily=timedelta(hours=10),
    weekly=timedelta(hours=48),
    rest_between_days=timedelta(hours=11),
    average_weekly=timedelta(hours=44),
)
MINOR_16_17 = Limits(
    "mineur de 16 ou 17 ans",
    daily=timedelta(hours=8),
    weekly=timedelta(hours=35),
    rest_between_days=timedelta(hours=12),
    night_from=time(22, 0),
    continuous_max=timedelta(hours=4, minutes=30),
    consecutive_rest_days=2,
)
MINOR_UNDER_16 = Limits(
    "mineur de moins de 16 ans",
    daily=timedelta(hours=7),
    weekly=timedelta(hours=35),
    rest_between_days=timedelta(hours=14),
    night_from=time(20, 0),
    continuous_max=timedelta(hours=4, minutes=30),
    consecutive_rest_days=2,
)


@dataclass(frozen=True)
class Period:
    starts_at: datetime
    ends_at: datetime

    def __post_init__(self) -> None:
        for moment in (self.starts_at, self.ends_at):
            if moment.tzinfo is None or moment.utcoffset() is None:
                raise ValueError("a period's times must be timezone-aware")

    @property
    def length(self) -> timedelta:
        return self.ends_at - self.starts_at


@dataclass(frozen=True)
class Refusal:
    field: str  # the form field the sentence is about: "starts_at", "ends_at"
    rule: str  # a stable name: "future", "daily", "weekly", "night", …
    message: str


def age_on(birth_date: date, day: date) -> int:
    years = day.year - birth_date.year
    return years - ((day.month, day.day) < (birth_date.month, birth_date.day))


def limits_for(birth_date: date, day: date) -> Limits:
    """The limits of a trainee born on `birth_date`, on `day`: 18 on the day is an adult."""
    age = age_on(birth_date, day)
    if age >= 18:
        return ADULT
    return MINOR_16_17 if age >= 16 else MINOR_UNDER_16


def hours(delta: timedelta) -> str:
    """« 7 h 30 », « 10 h »: how a trainee reads a duration."""
    minutes = round(delta.total_seconds() / 60)
    h, m = divmod(minutes, 60)
    return f"{h}\u00a0h" + (f"\u00a0{m:02d}" if m else "")


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone)


def per_day(periods: list[Period], zone: ZoneInfo = PARIS) -> dict[date, timedelta]:
    """Time present on each local day; a period over midnight is split at midnight."""
    days: dict[date, timedelta] = {}
    for p in periods:
        start, end = _local(p.starts_at, zone), _local(p.ends_at, zone)
        while start < end:
            midnight = datetime.combine(start.date() + timedelta(days=1), time(0), zone)
            part_end = min(end, midnight)
            days[start.date()] = days.get(start.date(), timedelta()) + (part_end - start)
            start = part_end
    return days


def week_of(day: date) -> date:
    """The Monday of the day's week."""
    return day - timedelta(days=day.weekday())


def _week_total(days: dict[date, timedelta], monday: date) -> timedelta:
    return sum((t for d, t in days.items() if week_of(d) == monday), timedelta())


def _night_overlap(period: Period, night_from: time, zone: ZoneInfo) -> bool:
    """Whether the period is present at any moment from night_from to 06:00 (local)."""
    start, end = _local(period.starts_at, zone), _local(period.ends_at, zone)
    day = start.date() - timedelta(days=1)
    while day <= end.date():
        night_start = datetime.combine(day, night_from, zone)
        night_end = datetime.combine(day + timedelta(days=1), NIGHT_UNTIL, zone)
        if start < night_end and night_start < end:
            return True
        day += timedelta(days=1)
    return False


def _continuous_stretches(periods: list[Period], break_length: timedelta) -> list[timedelta]:
    """Time present without a break of `break_length`: periods less than a break apart chain."""
    stretches: list[timedelta] = []
    last_end = None
    for p in sorted(periods, key=lambda p: p.starts_at):
        if last_end is not None and p.starts_at - last_end < break_length:
            stretches[-1] += p.length
        else:
            stretches.append(p.length)
        last_end = p.ends_at if last_end is None else max(last_end, p.ends_at)
    return stretches


def _rests(periods: list[Period], zone: ZoneInfo) -> list[tuple[timedelta, Period, Period]]:
    """Each rest between two days present: (the gap, the day's last period, the next day's first)."""
    by_day: dict[date, list[Period]] = {}
    for p in periods:
        by_day.setdefault(_local(p.starts_at, zone).date(), []).append(p)
    days = sorted(by_day)
    rests = []
    for before, after in zip(days, days[1:], strict=False):
        last = max(by_day[before], key=lambda p: p.ends_at)
        first = min(by_day[after], key=lambda p: p.starts_at)
        rests.append((first.starts_at - last.ends_at, last, first))
    return rests


def _has_consecutive_rest_days(days_worked: set[date], monday: date, needed: int) -> bool:
    free = 0
    for offset in range(7):
        free = 0 if monday + timedelta(days=offset) in days_worked else free + 1
        if free >= needed:
            return True
    return False


def days_in_a_row(days_worked: set[date], day: date) -> int:
    """How many days with presence in a row `day` belongs to (0 when none that day)."""
    if day not in days_worked:
        return 0
    before = after = day
    while before - timedelta(days=1) in days_worked:
        before -= timedelta(days=1)
    while after + timedelta(days=1) in days_worked:
        after += timedelta(days=1)
    return (after - before).days + 1


def check(
    new: Period,
    others: list[Period],
    limits: Limits,
    now: datetime,
    first_day: date,
    last_day: date,
    zone: ZoneInfo = PARIS,
) -> list[Refusal]:
    """Every rule `new` breaks, given the trainee's other live periods (submitted or validated,
    not rejected ones), the limits of their age, the moment it is logged and the placement's
    dates. An empty list: the period may be logged."""
    if new.ends_at <= new.starts_at:
        return [Refusal("ends_at", "order", "L'heure de fin doit être après l'heure de début.")]
    refusals = _when_refusals(new, now, first_day, last_day, zone)
    overlap = _overlap_refusal(new, others, zone)
    if overlap:
        return [*refusals, overlap]  # the totals below would count the same time twice
    every = others + [new]
    days = per_day(every, zone)
    refusals += _daily_refusals(new, days, limits, zone)
    for monday in sorted({week_of(d) for d in per_day([new], zone)}):
        refusals += _week_refusals(days, monday, limits)
    for refusal in (
        _days_in_a_row_refusal(new, days, limits, zone),
        _night_refusal(new, limits, zone),
        _break_refusal(new, every, limits),
        _daily_rest_refusal(new, every, limits, zone),
    ):
        if refusal:
            refusals.append(refusal)
    return refusals


def _when_refusals(new: Period, now: datetime, first_day: date, last_day: date, zone: ZoneInfo) -> list[Refusal]:
    """A period not over yet, or outside the placement's dates."""
    refusals = []
    if new.ends_at > now:
        refusals.append(Refusal("ends_at", "future", "Ces heures ne sont pas encore passées : notez-les après."))
    start_day = _local(new.starts_at, zone).date()
    end_day = _local(new.ends_at - timedelta(microseconds=1), zone).date()  # ending at midnight: the day before
    if start_day < first_day or end_day > last_day:
        refusals.append(
            Refusal(
                "starts_at",
                "outside_placement",
                f"Ces heures sont en dehors du stage (du {first_day:%d/%m/%Y} au {last_day:%d/%m/%Y}).",
            )
        )
    return refusals


def _overlap_refusal(new: Period, others: list[Period], zone: ZoneInfo) -> Refusal | None:
    """The first other period the new one overlaps, named."""
    overlapping = [p for p in others if p.starts_at < new.ends_at and new.starts_at < p.ends_at]
    if not overlapping:
        return None
    o = overlapping[0]
    return Refusal(
        "starts_at",
        "overlap",
        f"Ces heures chevauchent une période déjà notée "
        f"({_local(o.starts_at, zone):%d/%m %H:%M} – {_local(o.ends_at, zone):%H:%M}).",
    )


def _daily_refusals(new: Period, days: dict[date, timedelta], limits: Limits, zone: ZoneInfo) -> list[Refusal]:
    """Each day of the new period whose total would pass the daily limit."""
    return [
        Refusal(
            "ends_at",
            "daily",
            f"Le {day:%d/%m} compterait {hours(days[day])} de présence : au plus {hours(limits.daily)} "
            f"par jour ({limits.label}).",
        )
        for day in sorted(per_day([new], zone))
        if days[day] > limits.daily
    ]


def _week_refusals(days: dict[date, timedelta], monday: date, limits: Limits) -> list[Refusal]:
    """The week's total, the 12 weeks' average up to it, and its rest days."""
    found = (
        _weekly_refusal(days, monday, limits),
        _average_weekly_refusal(days, monday, limits),
        _rest_days_refusal(days, monday, limits),
    )
    return [refusal for refusal in found if refusal]


def _weekly_refusal(days: dict[date, timedelta], monday: date, limits: Limits) -> Refusal | None:
    total = _week_total(days, monday)
    if total <= limits.weekly:
        return None
    return Refusal(
        "ends_at",
        "weekly",
        f"La semaine du {monday:%d/%m} compterait {hours(total)} : au plus {hours(limits.weekly)} "
        f"par semaine ({limits.label}).",
    )


def _average_weekly_refusal(days: dict[date, timedelta], monday: date, limits: Limits) -> Refusal | None:
    if limits.average_weekly is None:
        return None
    window = [monday - timedelta(weeks=w) for w in range(AVERAGE_WEEKS)]
    twelve = sum((_week_total(days, m) for m in window), timedelta())
    if twelve <= limits.average_weekly * AVERAGE_WEEKS:
        return None
    return Refusal(
        "ends_at",
        "average_weekly",
        f"Sur les 12 semaines jusqu'à celle du {monday:%d/%m}, la moyenne dépasserait "
        f"{hours(limits.average_weekly)} par semaine.",
    )


def _rest_days_refusal(days: dict[date, timedelta], monday: date, limits: Limits) -> Refusal | None:
    if not limits.consecutive_rest_days:
        return None
    worked = {d for d in days if week_of(d) == monday}
    if _has_consecutive_rest_days(worked, monday, limits.consecutive_rest_days):
        return None
    return Refusal(
        "starts_at",
        "rest_days",
        f"La semaine du {monday:%d/%m} doit garder {limits.consecutive_rest_days} jours de repos "
        f"de suite ({limits.label}).",
    )


def _days_in_a_row_refusal(new: Period, days: dict[date, timedelta], limits: Limits, zone: ZoneInfo) -> Refusal | None:
    """The new period's days would make more than `max_days_in_a_row` days with presence in a row."""
    worked = {d for d, t in days.items() if t > timedelta()}
    longest = max(days_in_a_row(worked, d) for d in per_day([new], zone))
    if longest <= limits.max_days_in_a_row:
        return None
    return Refusal(
        "starts_at",
        "days_in_a_row",
        f"Ces heures feraient {longest} jours de présence de suite : au plus {limits.max_days_in_a_row}, "
        f"puis un jour de repos.",
    )


def _night_refusal(new: Period, limits: Limits, zone: ZoneInfo) -> Refusal | None:
    if limits.night_from is None or not _night_overlap(new, limits.night_from, zone):
        return None
    return Refusal(
        "ends_at",
        "night",
        f"Pas de présence entre {limits.night_from:%H:%M} et {NIGHT_UNTIL:%H:%M} ({limits.label}).",
    )


def _break_refusal(new: Period, every: list[Period], limits: Limits) -> Refusal | None:
    """Presence without the break due, over the periods within a day of the new one."""
    if limits.continuous_max is None:
        return None
    same_days = [p for p in every if abs(p.starts_at - new.starts_at) < timedelta(days=1)]
    if not any(s > limits.continuous_max for s in _continuous_stretches(same_days, limits.break_length)):
        return None
    return Refusal(
        "ends_at",
        "break",
        f"Après {hours(limits.continuous_max)} de présence, une pause de "
        f"{round(limits.break_length.total_seconds() / 60)} minutes est due ({limits.label}) : "
        f"notez deux périodes de part et d'autre de la pause.",
    )


def _daily_rest_refusal(new: Period, every: list[Period], limits: Limits, zone: ZoneInfo) -> Refusal | None:
    """The shortest rest next to the new period's day, when below the limit."""
    short = [gap for gap, last, first in _rests(every, zone) if gap < limits.rest_between_days and new in (last, first)]
    if not short:
        return None
    return Refusal(
        "starts_at",
        "daily_rest",
        f"Entre deux journées, {hours(limits.rest_between_days)} de repos au moins ({limits.label}) : "
        f"ici {hours(max(min(short), timedelta()))}.",
    )
