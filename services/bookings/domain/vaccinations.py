"""The vaccinations a child needs to be cared for in the crèche, and the provisional admission.

- **Which vaccinations.** A child born on or after 1 January 2018 must have the eleven
  vaccinations of Code de la santé publique art. L3111-2 (diphtheria, tetanus, poliomyelitis,
  pertussis, Haemophilus influenzae b, hepatitis B, pneumococcus, meningococcus C, measles, mumps,
  rubella: loi n° 2017-1836 du 30 décembre 2017, art. 49); a child born before only the three of
  the former L3111-2 and L3111-3 (diphtheria, tetanus, poliomyelitis) (`required_vaccinations`).
- **Admission.** Collective care admits a child whose vaccinations are up to date for its age;
  one who is not is admitted provisionally, and the missing vaccinations must be done within
  three months of that admission; staying is then subject to them (CSP art. R3111-8)
  (`provisional_until`, `may_be_cared_for`).
- **Counting the three months** [derived]: as the Code de procédure civile counts a period in
  months (art. 641): it ends on the day of the third month that bears the admission's number,
  or on that month's last day when it has no such day (admitted 30 November → 28 or 29
  February). The child may be cared for up to and including that day, not the day after.
- **Care stops after it** (R3111-8: staying is subject to the vaccinations): from the day after
  the provisional admission's last day, every care of a child still not up to date is refused,
  a regular-care contract signed earlier included: its check-in is refused and the board says
  why (`care_refused_from`) [practice: the venue applies the rule to care already agreed].
- **Admission day** [practice]: the first day the child is booked (a booking not cancelled) or
  under a contract (its first day), whichever comes first (`admission_day`).

Whether a child is up to date is what the family or staff record in the child's health file
(`vaccinations_up_to_date`, with the day it was checked); a child with no health file yet counts
as not up to date: the provisional admission applies to it.

Standard library only.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

ELEVEN_FROM = date(2018, 1, 1)  # loi n° 2017-1836, art. 49: children born from that day
ELEVEN = (
    "diphtérie",
    "tétanos",
    "poliomyélite",
    "coqueluche",
    "Haemophilus influenzae de type b",
    "hépatite B",
    "pneumocoque",
    "méningocoque C",
    "rougeole",
    "oreillons",
    "rubéole",
)
BEFORE_2018 = ("diphtérie", "tétanos", "poliomyélite")
GRACE_MONTHS = 3  # CSP R3111-8
SOURCE = "Code de la santé publique, art. L3111-2 et R3111-8"


def required_vaccinations(birth_date: date) -> tuple[str, ...]:
    """The mandatory vaccinations for a child born on `birth_date` (L3111-2)."""
    return ELEVEN if birth_date >= ELEVEN_FROM else BEFORE_2018


def provisional_until(admitted_on: date, months: int = GRACE_MONTHS) -> date:
    """The last day a child admitted provisionally on `admitted_on` may be cared for without its
    vaccinations: `months` later, on the same day number or the month's last day (CPC art. 641)."""
    month_index = admitted_on.month - 1 + months
    year, month = admitted_on.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(admitted_on.day, calendar.monthrange(year, month)[1]))


def admission_day(*days: date | None) -> date | None:
    """The child's admission: the earliest of the days it is booked or under contract (None: never)."""
    known = [day for day in days if day is not None]
    return min(known) if known else None


def may_be_cared_for(up_to_date: bool, admitted_on: date | None, day: date) -> bool:
    """Whether a child may be cared for on `day`: up to date, or within its provisional admission
    (`admitted_on` None: `day` is its admission)."""
    if up_to_date:
        return True
    return day <= provisional_until(admitted_on or day)


def care_refused_from(up_to_date: bool, admitted_on: date | None) -> date | None:
    """The first day a child is no longer cared for: the day after its provisional admission's last
    day; None when it is up to date or was never admitted (R3111-8)."""
    if up_to_date or admitted_on is None:
        return None
    return provisional_until(admitted_on) + timedelta(days=1)
