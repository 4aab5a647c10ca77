"""The children in care as several areas ask about them: whether a child walks on a day, the hours
a contract's weekly pattern gives, who a slot already holds (its bookings and the contract
children there), and what care costs (a slot's rate for a family, a contract's months, contracts
repriced when the family's figures change).

Plain functions, given what they need (settings, now): childcare, contracts, the family file and
the board import them from here, and no area's entrypoints import another's.
"""

import json
from datetime import datetime, time, timedelta, timezone

from services.bookings.calendar import store as calendar_store
from services.bookings.childcare import store as childcare_store
from services.bookings.contracts import store as contracts_store
from services.bookings.domain import care_pattern, childcare, closures, contract_statement, day_rates, fees
from services.bookings.domain.walking import walking_status
from services.bookings.models import ContractResources, MonthClosing
from shared import timeutil
from shared.errors import Conflict
from shared.timeutil import as_utc, from_db

GROUP_NAMES = {"walking": "des enfants qui marchent", "non_walking": "des enfants qui ne marchent pas encore"}


# --- a child's walking, for the ratio ------------------------------------------------------------
def walks_on(child, day, settings):
    """Whether the child counts as walking on `day`, for the ratio (domain/walking.py)."""
    return walking_status(
        child.birth_date, day, child.walking_override, child.walking_declared, settings.walking_age_months
    ).walks


def walks_on_slot_day(child, slot, settings):
    return walks_on(child, from_db(slot.starts_at).date(), settings)


# --- the hours of a contract ---------------------------------------------------------------------
def pattern_days(pattern_in):
    """[care_pattern.PatternDay] of a pattern as the schemas and the stored contract write it."""
    return [
        care_pattern.PatternDay(p["weekday"], time.fromisoformat(p["start"]), time.fromisoformat(p["end"]))
        for p in pattern_in
    ]


def contract_pattern(contract):
    return pattern_days(json.loads(contract.pattern))


def contract_spans(first_day, last_day, pattern):
    """{day: [(start, end) aware UTC]} of the pattern's days in [first_day, last_day]."""
    zone = timeutil.VENUE_TZ
    spans = {}
    for d in care_pattern.scheduled_days(first_day, last_day, pattern, first_day, last_day + timedelta(days=1)):
        start, end = (datetime.combine(d.day, t, tzinfo=zone).astimezone(timezone.utc) for t in (d.start, d.end))
        spans.setdefault(d.day, []).append((start, end))
    return spans


# --- the venue's closures ------------------------------------------------------------------------
def venue_closures(first_day, last_day):
    """[closures.Closure] with a day in [first_day, last_day] (planned or not), by first day."""
    return [
        closures.Closure(c.starts_on, c.ends_on, c.planned, c.label)
        for c in calendar_store.closures_between(first_day, last_day)
    ]


def closed_days_between(first_day, last_day):
    """The days of the planned closures in [first_day, last_day]: no contract care planned."""
    return closures.closed_days(venue_closures(first_day, last_day), first_day, last_day)


def refuse_closed_day(day):
    """A Conflict naming the closure when the venue is closed on `day` (planned or not)."""
    closure = closures.closure_on(venue_closures(day, day), day)
    if closure:
        raise Conflict(
            f"La crèche est fermée le {day:%d/%m/%Y} (« {closure.label} », du "
            f"{closure.starts_on:%d/%m/%Y} au {closure.ends_on:%d/%m/%Y}) : pas de créneau ce jour-là.",
            {"starts_at": [f"Fermeture « {closure.label} »."]},
        )


# --- who a slot holds ----------------------------------------------------------------------------
def contract_children_in(slot, settings):
    """The children of active contracts present during `slot` whose group it takes, as
    childcare.Placed: a booking counts them in the slot's places and ratio."""
    day = timeutil.from_db(slot.starts_at).date()
    starts, ends = timeutil.as_utc(slot.starts_at), timeutil.as_utc(slot.ends_at)
    placed = []
    for contract in contracts_store.active_contracts_between(day, day):
        spans = contract_spans(day, day, contract_pattern(contract)).get(day, [])
        if not any(s < ends and starts < e for s, e in spans):
            continue
        walks = walks_on(contract.child, day, settings)
        if childcare.fits_age_group(slot.age_group, walks):
            placed.append(childcare.Placed(walks, contract.avip))
    return placed


def slot_state(slot, now, settings):
    """The slot as admission decides on it: its confirmed bookings and the children of regular
    contracts there at that time, with the places it keeps for AVIP children at `now`."""
    state = childcare_store.slot_state(slot)
    for placed in contract_children_in(slot, settings):
        state.place(placed)
    state.kept_for_avip = childcare.kept_for_avip(slot.places, as_utc(slot.starts_at), now, settings)
    return state


# --- what care costs -----------------------------------------------------------------------------
def quote_on_slot_day(family, slot):
    """The family's CNAF rate on the slot's day, or a Conflict when the scale does not cover that day yet."""
    try:
        return fees.quote(
            family.monthly_resources, family.dependent_children, family.aeeh_children, from_db(slot.starts_at).date()
        )
    except ValueError:
        raise Conflict(
            "Le barème CNAF de cette date n'est pas encore connu : la réservation ne peut pas "
            "être tarifée. L'équipe doit mettre le barème à jour."
        ) from None


def contracts_priced_from(family, day):
    """The family's figures changed: its contracts in force are priced on them from `day` on
    (the months before keep their rate)."""
    for contract in contracts_store.family_contracts_between(family, day, day):
        row, _ = ContractResources.get_or_create(
            contract=contract,
            from_on=max(day, contract.starts_on),
            defaults={"monthly_resources": 0, "dependent_children": 1},
        )
        row.monthly_resources, row.dependent_children = family.monthly_resources, family.dependent_children
        row.aeeh_children, row.aeeh = family.aeeh_children, family.aeeh_children > 0
        row.save()


def contract_months(family, first_day, end_day, settings):
    """[(contract, contract_statement.ContractMonth)] of the family's accepted contracts in the month
    [first_day, end_day): the mensualisation, its deductions and extra hours."""
    accepted = contracts_store.family_contracts_between(family, first_day, end_day - timedelta(days=1))
    return accepted_contract_months(accepted, first_day, end_day, settings)


def accepted_contract_months(accepted, first_day, end_day, settings):
    """[(contract, contract_statement.ContractMonth)] of these accepted contracts in [first_day, end_day)."""
    months = []
    for contract in accepted:
        pattern = contract_pattern(contract)
        exact = care_pattern.mensualisation(
            contract.hourly_rate, care_pattern.hours_per_week(pattern), contract.weeks_per_year
        ).exact_hours_per_month
        days = (max(first_day, contract.starts_on), min(end_day, contract.last_day + timedelta(days=1)))
        try:
            rates = day_rates.rate_periods(*days, contracts_store.resources_of(contract), _rate_on)
        except ValueError:
            raise Conflict(
                "Le barème CNAF de ce mois n'est pas encore connu : le relevé ne peut pas être établi."
            ) from None
        absences = [(a.reason, a.starts_on, a.ends_on) for a in contracts_store.approved_absences_of(contract)]
        attendances = [
            (a.day, timeutil.as_utc(a.arrived_at), timeutil.as_utc(a.left_at))
            for a in contracts_store.attendances_of(contract, first_day, end_day)
        ]
        shut = venue_closures(first_day, end_day - timedelta(days=1))
        absences += _closure_absences(contract, shut, absences, attendances)
        month = contract_statement.contract_month(
            first_day,
            end_day,
            contract.starts_on,
            contract.last_day,
            pattern,
            exact,
            rates,
            [a for a in absences if a[1] < end_day and a[2] >= first_day],
            attendances,
            settings.billing_increment_minutes,
            closed_days=closures.closed_days(shut, first_day, end_day - timedelta(days=1)),
            tz=timeutil.VENUE_TZ,
        )
        months.append((contract, month))
    return months


def _closure_absences(contract, shut, absences, attendances):
    """The month's unplanned closures as absences of reason `closure` (deducted from the first
    day), around the days the child's own absences or attendances already cover."""
    taken = {day for day, _, _ in attendances}
    for _, starts_on, ends_on in absences:
        taken.update(starts_on + timedelta(days=i) for i in range((ends_on - starts_on).days + 1))
    return closures.closure_absences(shut, contract.starts_on, contract.last_day, taken)


def _rate_on(resources, day):
    """The hourly rate of one day of care from a contract's resources (fees.quote raises
    ValueError when the scale does not cover the day)."""
    return fees.quote(
        resources.monthly_resources, resources.dependent_children, resources.aeeh_children, day
    ).hourly_rate


def month_is_open(family_id, day):
    """Whether the family's month holding `day` may still change (an approved absence withdrawn,
    a deduction added): until staff close it into invoices (invoicing/), for every family at once.
    A change to a closed month reaches the family as an adjustment on its next open month."""
    return not MonthClosing.select().where(MonthClosing.month == f"{day:%Y-%m}").exists()
