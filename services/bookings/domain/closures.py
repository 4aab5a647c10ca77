"""The venue's closures: planned ones (the annual closure weeks, a bridge day) and unplanned ones
(a burst pipe, a strike), and what each means for the regular contracts.

Sources: CNAF circular of 26 March 2014 (mensualisation: the venue's closure weeks are taken out
of the weeks of attendance, so a planned closure is neither billed nor deducted: it is passed as
`closed_days`, care_pattern.scheduled_days); CNAF "conditions particulières PSU" (2011: a closure
of the crèche is deducted from the first day: an unplanned closure deducts every contract
child's planned hours those days, absences.CLOSURE). [practice]: a closure lasts at most a year,
two closures never overlap, and the closure and the eviction are facts staff declare (a family
cannot declare them itself).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, timedelta
from typing import NamedTuple

from .absences import CLOSURE, EVICTION
from .plain_dates import each_day, plain_date

MAX_CLOSURE_DAYS = 366  # [practice] a closure lasts at most a year (366 days, ends included)
LABEL_MAX = 200
# [practice] reasons only staff record: the venue decides its closures, its doctor an eviction
STAFF_ONLY_REASONS = {
    CLOSURE: (
        "La fermeture de la crèche est déclarée par l'équipe, pour toutes les familles : vous n'avez rien à déclarer."
    ),
    EVICTION: (
        "L'éviction est décidée par le médecin de la crèche et déclarée par l'équipe : vous n'avez rien à déclarer."
    ),
}


class Closure(NamedTuple):
    starts_on: date
    ends_on: date  # included
    planned: bool
    label: str = ""


def check_closure(starts_on: date, ends_on: date, label: str) -> dict[str, list[str]]:
    """French errors of a closure, by field; {} when it is fine: an end on or after the start,
    a label, at most a year long [practice]."""
    errors: dict[str, list[str]] = {}
    if not (label or "").strip():
        errors["label"] = ["Indiquez le motif de la fermeture (par exemple « Fermeture annuelle d'été »)."]
    elif len(label.strip()) > LABEL_MAX:
        errors["label"] = [f"Le motif fait au plus {LABEL_MAX} caractères."]
    starts_on, ends_on = plain_date("starts_on", starts_on), plain_date("ends_on", ends_on)
    if ends_on < starts_on:
        errors["ends_on"] = ["La fin de la fermeture est avant son début."]
    elif (ends_on - starts_on).days + 1 > MAX_CLOSURE_DAYS:
        errors["ends_on"] = ["Une fermeture dure au plus un an : déclarez-en plusieurs."]
    return errors


def overlaps(closure: Closure, starts_on: date, ends_on: date) -> bool:
    """Whether the closure has a day in [starts_on, ends_on] (both included)."""
    return closure.starts_on <= ends_on and starts_on <= closure.ends_on


def closed_days(closures: Iterable[Closure], first_day: date, last_day: date) -> set[date]:
    """The days of the planned closures in [first_day, last_day] (both included): no care is
    planned on them, nothing is billed or deducted (care_pattern.scheduled_days)."""
    out: set[date] = set()
    for c in closures:
        if c.planned and overlaps(c, first_day, last_day):
            out.update(each_day(max(c.starts_on, first_day), min(c.ends_on, last_day) + timedelta(days=1)))
    return out


def closure_absences(
    closures: Iterable[Closure], starts_on: date, last_day: date, taken: Collection[date] = ()
) -> list[tuple[str, date, date]]:
    """The unplanned closures inside a contract [starts_on, last_day] as absences of reason
    CLOSURE (deducted from the first day, CNAF 2011), cut around the `taken` days (the child's
    own absences, its attendances), so that two absences never cover one day."""
    out = []
    for c in sorted(closures, key=lambda c: c.starts_on):
        if c.planned or not overlaps(c, starts_on, last_day):
            continue
        run: list[date] = []
        for d in each_day(max(c.starts_on, starts_on), min(c.ends_on, last_day) + timedelta(days=1)):
            if d in taken:
                if run:
                    out.append((CLOSURE, run[0], run[-1]))
                run = []
            else:
                run.append(d)
        if run:
            out.append((CLOSURE, run[0], run[-1]))
    return out


def closure_on(closures: Iterable[Closure], day: date) -> Closure | None:
    """The closure (planned or not) that covers `day`, or None."""
    return next((c for c in closures if c.starts_on <= day <= c.ends_on), None)
