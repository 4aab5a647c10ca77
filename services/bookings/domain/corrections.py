"""Corrections of a check-in or check-out by staff: which corrected times are accepted.

A wrong tap on the tablet bills extra half-hours (billing.py, overtime.py): staff correct the
arrival and departure afterwards, with a reason; the statement is computed from the times on
file, so it follows at once. What is accepted [practice]:

- a reason, always (3 to 500 characters): the history says why the times changed;
- both times on the day of the care (the slot's day, or the contract's day), in the venue's zone;
- neither time ahead of the clock (attendance.CLOCK_TOLERANCE, as when noting them);
- the departure after the arrival; a departure needs an arrival;
- no arrival and no departure removes the attendance (a child checked in by mistake);
- times that change something.

Standard library only.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from .attendance import departure_after_arrival, has_passed

REASON_MIN, REASON_MAX = 3, 500
REASON_REQUIRED = "Indiquez le motif de la correction (3 caractères au moins)."
REASON_TOO_LONG = f"Le motif tient en {REASON_MAX} caractères au plus."
NOT_THAT_DAY = "L'heure doit être le jour de l'accueil, le %s."
IN_THE_FUTURE = "Cette heure n'est pas encore passée."
LEFT_BEFORE_ARRIVAL = "Le départ doit être après l'arrivée."
LEFT_WITHOUT_ARRIVAL = "Indiquez aussi l'heure d'arrivée."
NOTHING_CHANGES = "Ces heures sont déjà celles notées : rien à corriger."


def reason_errors(reason: str | None) -> list[str]:
    """The reason's refusals (empty when it is fine): required, 3 to 500 characters once trimmed."""
    text = (reason or "").strip()
    if len(text) < REASON_MIN:
        return [REASON_REQUIRED]
    if len(text) > REASON_MAX:
        return [REASON_TOO_LONG]
    return []


def correction_errors(
    day: date, arrived_at: datetime | None, left_at: datetime | None, now: datetime, zone: tzinfo
) -> dict[str, list[str]]:
    """{field: [French message]} for corrected times of the care of `day` (aware datetimes or
    None), checked at `now`; the venue's calendar is read in `zone`."""
    errors: dict[str, list[str]] = {}
    for name, at in (("arrived_at", arrived_at), ("left_at", left_at)):
        if at is None:
            continue
        if at.astimezone(zone).date() != day:
            errors[name] = [NOT_THAT_DAY % f"{day:%d/%m/%Y}"]
        elif not has_passed(at, now):
            errors[name] = [IN_THE_FUTURE]
    if left_at is not None and "left_at" not in errors:
        if arrived_at is None:
            errors["left_at"] = [LEFT_WITHOUT_ARRIVAL]
        elif not departure_after_arrival(arrived_at, left_at):
            errors["left_at"] = [LEFT_BEFORE_ARRIVAL]
    return errors


def changes_anything(
    before: tuple[datetime | None, datetime | None], after: tuple[datetime | None, datetime | None]
) -> bool:
    """Do the corrected (arrival, departure) differ from those on file (aware datetimes or None)?"""
    return before != after
