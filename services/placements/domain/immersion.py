"""A PMSMP immersion (période de mise en situation en milieu professionnel): the rules its
convention must follow before it is recorded, signed and started (docs/placements-rules.md,
"Immersions").

Sources:
- Code du travail L5135-1 (object: discover a trade, confirm a project, start a recruitment),
  L5135-2 (prescribed by France Travail, a Mission locale, Cap emploi, an SIAE, the conseil
  départemental, a CEP operator, or a body with delegated prescription), L5135-4 (a convention
  signed by the beneficiary, the host and the prescriber), L5135-7 (no pay from the host; the
  beneficiary keeps their status), D5135-2 (at most one month, presence continuous or not),
  D5135-3 (the host's working time, health and safety rules apply); décret n° 2023-1304 of
  27 December 2023 (the convention's contents); service-public F14102.
- "At most one month", measured calendar-wise [derived: the computation of a month in
  Code civil 641 and Code de procédure civile 641: a month from the 5th ends the 4th of the
  next month]: 5 January to 4 February is one month, 5 January to 5 February is not. When the
  next month has no such day (from 30 or 31 January), the month ends on its last day (28 or 29
  February).
- The schedule keeps the host's working-time limits (D5135-3): the venue's rules for trainees
  (working_time.py, the same limits as its employees), each week of the schedule laid over the
  immersion's dates; a period's break is taken in its middle [derived: the convention gives its
  length, not its hour].
- The attestation d'honorabilité (CASF L133-6, shared/honorability.py): every adult with the
  children, whatever the length of their work, so the immersion is signed and started only when
  an attestation verified before its first day is still valid on its last.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from services.placements.domain import working_time
from shared import honorability

ONE_MONTH = "one_month"
SIGNERS = ("beneficiary", "venue", "prescriber")  # L5135-4: the three parties who sign
# Statuses: agreed (recorded, signatures awaited) -> signed (all three) -> assessed; or cancelled.
AGREED, SIGNED, ASSESSED, CANCELLED = "agreed", "signed", "assessed", "cancelled"
STATUSES = (AGREED, SIGNED, ASSESSED, CANCELLED)


def last_allowed_day(starts_on: date) -> date:
    """The last day of the month that starts on `starts_on`: the day before the same day of the
    next month, or the next month's last day when it has no such day."""
    year, month = (starts_on.year + 1, 1) if starts_on.month == 12 else (starts_on.year, starts_on.month + 1)
    days_in_next = calendar.monthrange(year, month)[1]
    if starts_on.day > days_in_next:
        return date(year, month, days_in_next)
    return date(year, month, starts_on.day) - timedelta(days=1)


def dates_errors(starts_on: date, ends_on: date) -> dict[str, list[str]]:
    """What is wrong with the immersion's dates, by field; {} when they may be recorded."""
    if ends_on < starts_on:
        return {"ends_on": ["La fin de l'immersion doit être le jour de son début ou après."]}
    last = last_allowed_day(starts_on)
    if ends_on > last:
        return {
            "ends_on": [
                "Une immersion dure un mois au plus, présence continue ou non "
                f"(du {starts_on:%d/%m/%Y}, jusqu'au {last:%d/%m/%Y} au plus tard)."
            ]
        }
    return {}


def periods(schedule, starts_on: date, ends_on: date, zone: ZoneInfo) -> list[working_time.Period]:
    """The schedule's week laid over the immersion's dates, as periods of presence (a period with
    a break becomes two, the break in its middle)."""
    found = []
    day = starts_on
    while day <= ends_on:
        for slot in schedule or ():
            if slot["weekday"] == day.weekday():
                found.extend(_slot_periods(day, slot, zone))
        day += timedelta(days=1)
    return sorted(found, key=lambda p: p.starts_at)


def _slot_periods(day: date, slot, zone: ZoneInfo) -> list[working_time.Period]:
    start = datetime.combine(day, time.fromisoformat(slot["start"]), zone)
    end = datetime.combine(day, time.fromisoformat(slot["end"]), zone)
    pause = timedelta(minutes=int(slot.get("break_minutes") or 0))
    if end <= start:
        return []
    if not pause or pause >= end - start:
        return [working_time.Period(start, end)]
    half = (end - start - pause) / 2
    return [working_time.Period(start, start + half), working_time.Period(start + half + pause, end)]


def schedule_errors(schedule, starts_on: date, ends_on: date, birth_date: date, zone: ZoneInfo) -> dict[str, list[str]]:
    """Each working-time rule the schedule breaks over the immersion's dates (the beneficiary's
    age on each day), as sentences under "schedule"; {} when it keeps them all."""
    if not schedule:
        return {"schedule": ["Indiquez l'emploi du temps de l'immersion (au moins une période)."]}
    every = periods(schedule, starts_on, ends_on, zone)
    if not every:
        return {"schedule": ["L'emploi du temps ne tombe sur aucun jour de l'immersion."]}
    after_the_end = datetime.combine(ends_on + timedelta(days=2), time(0), zone)  # no "not yet passed" rule
    messages: list[str] = []
    for index, new in enumerate(every):
        limits = working_time.limits_for(birth_date, new.starts_at.astimezone(zone).date())
        for refusal in working_time.check(new, every[:index], limits, after_the_end, starts_on, ends_on, zone):
            if refusal.message not in messages:
                messages.append(refusal.message)
    return {"schedule": messages} if messages else {}


def planned_hours(schedule, starts_on: date, ends_on: date, zone: ZoneInfo) -> Decimal:
    """The schedule's hours of presence over the immersion's dates (breaks left out)."""
    seconds = sum((p.length.total_seconds() for p in periods(schedule, starts_on, ends_on, zone)), 0.0)
    return (Decimal(int(seconds)) / Decimal(3600)).quantize(Decimal("0.01"))


def objects_errors(objects, allowed) -> dict[str, list[str]]:
    """Exactly one object among the allowed ones (L5135-1): a list, even of one, is refused."""
    if isinstance(objects, str) and objects in allowed:
        return {}
    if isinstance(objects, list | tuple):
        return {"object": ["Une immersion a un seul objet : choisissez-en un."]}
    return {"object": ["Objet inconnu : découvrir un métier, confirmer un projet ou initier un recrutement."]}


def signed_on(signatures: dict) -> date | None:
    """The day the convention became binding: the last of the three signatures, None while one
    is missing."""
    days = [signatures.get(signer, {}).get("signed_on") for signer in SIGNERS]
    if any(day is None for day in days):
        return None
    return max(date.fromisoformat(day) if isinstance(day, str) else day for day in days)


def clearance_refusal(name: str, attestation, starts_on: date, ends_on: date) -> str | None:
    """Why the beneficiary may not begin (None: they may): an attestation d'honorabilité valid
    from the first day to the last (shared/honorability.py's Attestation, or None)."""
    for day in (starts_on, ends_on):
        sentence = honorability.refusal(name, attestation, day)
        if sentence:
            return sentence
    return None
