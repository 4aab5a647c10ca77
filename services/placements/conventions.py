"""A convention's rows turned into the domain's inputs, and the checks a convention must pass
when it is created or changed (docs/placements-rules.md): no two placements of a trainee at
once, the tutor's limit on the day the designation takes effect, the host's quota by civil week,
6 months per trainee per school year. Pure glue: the rules are in domain/; the rows come from
store.py, read under the locks the entrypoint took.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from services.placements.domain import host_quota, lifecycle, school_year, six_months, tutoring
from services.placements.domain.gratification import Stay
from shared.errors import Conflict

MINUTES = Decimal(60)


def schedule_hours(weekly_schedule) -> dict[int, Decimal]:
    """[{weekday, start "09:00", end "17:00", break_minutes}] -> {weekday: hours of presence}."""
    hours: dict[int, Decimal] = {}
    for period in weekly_schedule or ():
        minutes = _minutes(period["end"]) - _minutes(period["start"]) - int(period.get("break_minutes") or 0)
        day = period["weekday"]
        hours[day] = hours.get(day, Decimal(0)) + max(Decimal(minutes), Decimal(0)) / MINUTES
    return {day: value.quantize(Decimal("0.01")) for day, value in hours.items()}


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


@dataclass(frozen=True)
class Plan:
    """What a convention plans at this venue: its dates, schedule, hours as sent."""

    starts_on: date
    ends_on: date
    weekly_schedule: list
    required_hours: Decimal

    def hours_by_month(self, until: date | None = None) -> dict[str, Decimal]:
        """Planned hours by month: the dates x the schedule, else required_hours spread over the
        weekdays; `until`: an interrupted convention stops there."""
        end = min(self.ends_on, until) if until else self.ends_on
        if end < self.starts_on:
            return {}
        hours = schedule_hours(self.weekly_schedule)
        if any(hours.values()):
            return school_year.planned_hours_by_month(self.starts_on, end, hours)
        if end != self.ends_on:  # an interrupted convention without a schedule: its share of the days
            full = school_year.required_hours_by_month(self.starts_on, self.ends_on, self.required_hours)
            return {m: h for m, h in full.items() if m <= f"{end:%Y-%m}"}
        return school_year.required_hours_by_month(self.starts_on, end, self.required_hours)

    def planned_hours(self) -> Decimal:
        hours = schedule_hours(self.weekly_schedule)
        if any(hours.values()):
            return school_year.planned_hours(self.starts_on, self.ends_on, hours)
        return Decimal(self.required_hours)


def plan_of(row) -> Plan:
    return Plan(row.starts_on, row.ends_on, list(row.weekly_schedule or []), Decimal(row.required_hours))


def last_day(row, venue_day_of) -> date:
    """The convention's last day at the venue: its end, or the day it was interrupted."""
    if row.status == lifecycle.INTERRUPTED and row.ended_at is not None:
        return min(row.ends_on, venue_day_of(row.ended_at))
    return row.ends_on


def stay_of(row, venue_day_of) -> Stay:
    end = last_day(row, venue_day_of)
    return Stay(row.id, row.starts_on, end, plan_of(row).hours_by_month(until=end), bool(row.under_convention))


def tutored(row) -> tutoring.Tutored:
    return tutoring.Tutored(row.starts_on, row.ends_on, row.designated_on)


def hosted(row, venue_day_of) -> host_quota.Hosted:
    return host_quota.Hosted(row.trainee_id, row.starts_on, last_day(row, venue_day_of))


@dataclass(frozen=True)
class Candidate:
    """The convention as it would be: the trainee, the tutor and the day the designation takes
    effect, its plan, and whether it is under L124-1."""

    placement_id: str | None
    trainee_id: str
    tutor_id: str
    designated_on: date
    plan: Plan
    under_convention: bool


def refuse(candidate: Candidate, *, trainee_rows, tutor_rows, host_rows, staff_count, max_per_tutor, venue_day_of):
    """Raises Conflict (409, the field named) for the first rule the convention breaks.
    `trainee_rows`: the trainee's other placements; `tutor_rows`: the tutor's other live
    conventions; `host_rows`: the venue's other conventions under L124-1 not interrupted before
    they began; `staff_count`: the host's staff (None: the quota is not checked)."""
    plan = candidate.plan
    for other in trainee_rows:
        if other.status in lifecycle.LIVE and lifecycle.overlaps(
            plan.starts_on, plan.ends_on, other.starts_on, other.ends_on
        ):
            raise Conflict(
                f"Ce stagiaire a déjà un stage du {other.starts_on:%d/%m/%Y} au {other.ends_on:%d/%m/%Y}.",
                {"starts_on": ["Les dates chevauchent un autre stage."]},
            )
    if not candidate.under_convention:
        return  # observation stages and continuing training: neither the tutor's nor the host's quota
    new = tutoring.Tutored(plan.starts_on, plan.ends_on, candidate.designated_on)
    refusal = tutoring.designation_refusal(new, [tutored(r) for r in tutor_rows], max_per_tutor)
    if refusal:
        raise Conflict(refusal, {"tutor_id": ["Ce tuteur a déjà trop de stagiaires à ces dates."]})
    if staff_count is not None:
        me = host_quota.Hosted(candidate.trainee_id, plan.starts_on, plan.ends_on)
        refusal = host_quota.quota_refusal(me, [hosted(r, venue_day_of) for r in host_rows], staff_count)
        if refusal:
            raise Conflict(refusal, {"starts_on": ["La structure accueille déjà assez de stagiaires cette semaine."]})
    stays = [stay_of(r, venue_day_of) for r in trainee_rows]
    refusal = six_months.refusal(stays, plan.hours_by_month(), candidate.under_convention)
    if refusal:
        raise Conflict(refusal, {"ends_on": ["Plus de 6 mois de stage ici sur l'année scolaire."]})
