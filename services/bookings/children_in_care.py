"""The children in care as several areas ask about them: whether a child walks on a day, the hours
a contract's weekly pattern gives, who a slot already holds (its bookings and the contract
children there), and what care costs (a slot's rate for a family, a contract's months, contracts
repriced when the family's figures change).

Plain functions, given what they need (settings, now): childcare, contracts, the family file and
the board import them from here, and no area's entrypoints import another's.
"""

import json
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from types import SimpleNamespace

from services.bookings.calendar import store as calendar_store
from services.bookings.childcare import store as childcare_store
from services.bookings.contracts import store as contracts_store
from services.bookings.domain import care_pattern, childcare, closures, contract_statement, day_rates, emergency, fees
from services.bookings.domain.walking import walking_status
from services.bookings.models import ContractResources, MonthClosing
from shared import timeutil
from shared.errors import Conflict
from shared.timeutil import as_utc, from_db

# what a contract's rate is computed from (models.ContractResources, as on the Family)
FIGURES = ("monthly_resources", "dependent_children", "aeeh_children", "resources_known")
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
    return contract_children_of(slot, contracts_store.active_contracts_between(day, day), settings)


def contract_children_of(slot, contracts, settings):
    """contract_children_in among `contracts`: active ones with their child (a Contract, or what
    childcare/store.py's booking read gives: the same attributes), of the slot's day or around it
    (their days are checked here)."""
    day = timeutil.from_db(slot.starts_at).date()
    starts, ends = timeutil.as_utc(slot.starts_at), timeutil.as_utc(slot.ends_at)
    placed = []
    for contract in contracts:
        if not contract.starts_on <= day <= contract.ends_on or (contract.ended_on and contract.ended_on < day):
            continue
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
    return held_state(slot, childcare_store.slot_state(slot), contract_children_in(slot, settings), now, settings)


def held_state(slot, state, contract_children, now, settings):
    """slot_state from what was read: `state` (its confirmed bookings counted, a
    childcare.SlotState) and the contract children there (contract_children_of)."""
    for placed in contract_children:
        state.place(placed)
    state.kept_for_avip = childcare.kept_for_avip(slot.places, as_utc(slot.starts_at), now, settings)
    return state


# --- what care costs -----------------------------------------------------------------------------
def figures_quote(figures, on, settings):
    """The rate of care on `on` from a family's figures (a Family or a ContractResources row):
    the CNAF scale on the resources, or the emergency rate when they are unknown
    (domain/emergency.py, the venue's COCOON_EMERGENCY_RATE). ValueError when the scale does
    not cover the day."""
    if getattr(figures, "resources_known", True) is False:
        return emergency.emergency_quote(
            figures.dependent_children,
            figures.aeeh_children,
            on,
            settings.emergency_rate,
            settings.emergency_average_rate,
        )
    return fees.quote(figures.monthly_resources, figures.dependent_children, figures.aeeh_children, on)


def quote_of(query, settings):
    """The rate a quote asks for (QuoteQuery: resources, or resources_known false), on its day
    (`on`, default today); ValueError when the scale does not cover the day."""
    figures = SimpleNamespace(
        monthly_resources=query["monthly_resources"],
        dependent_children=query["dependent_children"],
        aeeh_children=query["aeeh_children"],
        resources_known=query["resources_known"],
    )
    return figures_quote(figures, query["on"] or date.today(), settings)


def quote_on_slot_day(family, slot, settings):
    """The family's CNAF rate on the slot's day, or a Conflict when the scale does not cover that day yet."""
    try:
        return figures_quote(family, from_db(slot.starts_at).date(), settings)
    except ValueError:
        raise Conflict(
            "Le barème CNAF de cette date n'est pas encore connu : la réservation ne peut pas "
            "être tarifée. L'équipe doit mettre le barème à jour."
        ) from None


def contracts_priced_from(family, day, changed=FIGURES):
    """The family's figures changed: its accepted contracts are priced on them from `day` on
    (clamped to each contract's start; the days before keep their figures). A row starts on that
    day (with the figures in force then), and the `changed` figures of every row from that day
    on take the family's values: a later row keeps what the correction did not touch."""
    for contract in contracts_store.family_contracts_from(family, day):
        since = max(day, contract.starts_on)
        rows = [row for _, row in contracts_store.resources_of(contract)]
        in_force = ([r for r in rows if r.from_on <= since] or rows[:1] or [family])[-1]
        row, _ = ContractResources.get_or_create(
            contract=contract,
            from_on=since,
            defaults={name: getattr(in_force, name) for name in FIGURES},
        )
        for later in [row, *(r for r in rows if r.from_on > since)]:
            for name in changed:
                setattr(later, name, getattr(family, name))
            later.aeeh = later.aeeh_children > 0
            later.save()


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
            bases = contracts_store.resources_of(contract)
            rates = day_rates.rate_periods(
                *days, bases, lambda figures, day: figures_quote(figures, day, settings).hourly_rate
            )
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
        unknown = _unknown_resources_days(bases, *days)
        if unknown:
            month = replace(month, lines=emergency.marked_lines(month.lines, unknown))
        months.append((contract, month))
    return months


def _unknown_resources_days(bases, first_day, end_day):
    """The days of [first_day, end_day) priced on figures whose resources were unknown."""
    days = set()
    for i, (since, figures) in enumerate(bases):
        if figures.resources_known is False:
            until = bases[i + 1][0] if i + 1 < len(bases) else end_day
            start = first_day if i == 0 else max(since, first_day)
            days.update(start + timedelta(days=n) for n in range(max(0, (min(until, end_day) - start).days)))
    return days


def _closure_absences(contract, shut, absences, attendances):
    """The month's unplanned closures as absences of reason `closure` (deducted from the first
    day), around the days the child's own absences or attendances already cover."""
    taken = {day for day, _, _ in attendances}
    for _, starts_on, ends_on in absences:
        taken.update(starts_on + timedelta(days=i) for i in range((ends_on - starts_on).days + 1))
    return closures.closure_absences(shut, contract.starts_on, contract.last_day, taken)


def month_is_open(family_id, day):
    """Whether the family's month holding `day` may still change (an approved absence withdrawn,
    a deduction added): until staff close it into invoices (invoicing/), for every family at once.
    A change to a closed month reaches the family as an adjustment on its next open month."""
    return not MonthClosing.select().where(MonthClosing.month == f"{day:%Y-%m}").exists()
