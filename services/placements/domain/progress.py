"""A placement's progress: validated hours against the required hours, by week, and the validated
hours of each month (what the gratification is computed on). [practice]

On-site hours and training hours (a training session attended, credited by the education
service) are kept apart: only validated on-site hours count toward the required hours and the
gratification; submitted ones are shown, not counted. A week is Monday to Sunday and a month
the calendar month, both of the venue's local date where the period starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from services.placements.domain.working_time import PARIS, week_of

ON_SITE, TRAINING = "on_site", "training"
LOG_KINDS = (ON_SITE, TRAINING)
SUBMITTED, VALIDATED, REJECTED = "submitted", "validated", "rejected"  # a log: submitted -> validated | rejected
LOG_STATUSES = (SUBMITTED, VALIDATED, REJECTED)
LIVE_LOGS = (SUBMITTED, VALIDATED)  # counted by the working-time rules (a rejected one is not)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Logged:
    starts_at: datetime  # aware
    ends_at: datetime
    kind: str  # on_site | training
    status: str  # submitted | validated | rejected


@dataclass(frozen=True)
class Week:
    week: date  # its Monday
    validated_hours: Decimal
    cumulative_hours: Decimal


@dataclass(frozen=True)
class Progress:
    validated_hours: Decimal
    submitted_hours: Decimal
    training_hours: Decimal
    weeks: list[Week]
    hours_by_month: dict[str, Decimal]


def hours_between(starts_at: datetime, ends_at: datetime) -> Decimal:
    """A period's length in hours, to the cent of an hour: 7 h 30 -> 7.50."""
    seconds = Decimal(int((ends_at - starts_at).total_seconds()))
    return (seconds / 3600).quantize(CENT, rounding=ROUND_HALF_UP)


def progress(logs: list[Logged], zone: ZoneInfo = PARIS) -> Progress:
    validated = submitted = training = Decimal("0.00")
    weeks: dict[date, Decimal] = {}
    months: dict[str, Decimal] = {}
    for log in logs:
        h = hours_between(log.starts_at, log.ends_at)
        if log.kind == TRAINING:
            if log.status == VALIDATED:
                training += h
            continue
        if log.status == SUBMITTED:
            submitted += h
        elif log.status == VALIDATED:
            validated += h
            local = log.starts_at.astimezone(zone)
            monday = week_of(local.date())
            weeks[monday] = weeks.get(monday, Decimal("0.00")) + h
            month = f"{local:%Y-%m}"
            months[month] = months.get(month, Decimal("0.00")) + h
    cumulative = Decimal("0.00")
    by_week = []
    for monday in sorted(weeks):
        cumulative += weeks[monday]
        by_week.append(Week(monday, weeks[monday], cumulative))
    return Progress(validated, submitted, training, by_week, dict(sorted(months.items())))
