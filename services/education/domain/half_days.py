"""Half-days: the unit of attendance and of signatures (Code du travail R6332-26: the participants
and the trainer sign « par demi-journée »; docs/education-rules.md).

A part is split at the venue's lunch break (a setting, 12:30–13:30 by default [practice]), in the
venue's local time: a part that covers the whole break is a morning (its start to the break's
start) and an afternoon (the break's end to its end), the break counted in neither; a part
entirely before the break is one morning, entirely after it one afternoon. A part that only
overlaps the break (10:00–13:00) was planned to be taught then: one half-day with its own times,
the morning if it starts before the break [practice]. Hours exclude the lunch break (funders pay
the hours actually done: opcoep.fr).

A half-day's QR code (the phone signature) is valid only from the half-day's start to its end
[practice]: `qr_refusal`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, tzinfo
from decimal import Decimal

MORNING, AFTERNOON = "morning", "afternoon"
HALF_DAYS = (MORNING, AFTERNOON)
LABELS = {MORNING: "matin", AFTERNOON: "après-midi"}
DEFAULT_LUNCH_BREAK = "12:30-13:30"
HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class LunchBreak:
    starts: time
    ends: time


@dataclass(frozen=True)
class HalfDay:
    name: str  # MORNING | AFTERNOON
    starts_at: datetime  # aware
    ends_at: datetime

    @property
    def hours(self) -> Decimal:
        return (Decimal(int((self.ends_at - self.starts_at).total_seconds())) / 3600).quantize(HUNDREDTH)


def parse_lunch_break(text: str) -> LunchBreak:
    """ "12:30-13:30" -> LunchBreak; ValueError with a sentence when not understood."""
    try:
        start, end = (time.fromisoformat(piece.strip()) for piece in text.split("-"))
    except ValueError:
        raise ValueError(f"{text!r} is not a lunch break such as 12:30-13:30") from None
    if end <= start:
        raise ValueError(f"{text!r}: the lunch break must end after it starts")
    return LunchBreak(start, end)


def split(starts_at: datetime, ends_at: datetime, lunch: LunchBreak, zone: tzinfo) -> list[HalfDay]:
    """The half-days of a part (aware times, within one day of the venue), in time order."""
    local_start, local_end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    break_start = datetime.combine(local_start.date(), lunch.starts, tzinfo=zone)
    break_end = datetime.combine(local_start.date(), lunch.ends, tzinfo=zone)
    if local_start <= break_start and local_end >= break_end:
        halves = []
        if local_start < break_start:
            halves.append(HalfDay(MORNING, starts_at, break_start.astimezone(starts_at.tzinfo)))
        if local_end > break_end:
            halves.append(HalfDay(AFTERNOON, break_end.astimezone(starts_at.tzinfo), ends_at))
        if halves:
            return halves
    return [HalfDay(MORNING if local_start < break_start else AFTERNOON, starts_at, ends_at)]


def choose(halves: list[HalfDay], asked: str | None) -> HalfDay | str:
    """The half-day `asked` of a part (None: the part's only one), else a French sentence."""
    if asked is None:
        if len(halves) == 1:
            return halves[0]
        return "Cette partie a un matin et un après-midi : précisez la demi-journée (morning ou afternoon)."
    for half in halves:
        if half.name == asked:
            return half
    if asked not in HALF_DAYS:
        return "Demi-journée inconnue : morning (matin) ou afternoon (après-midi)."
    only = LABELS[halves[0].name]
    return f"Cette partie n'a pas de {LABELS[asked]} : elle est d'une seule demi-journée ({only})."


def total_hours(halves: list[HalfDay]) -> Decimal:
    return sum((h.hours for h in halves), Decimal("0.00"))


def qr_refusal(half: HalfDay, now: datetime, zone: tzinfo) -> str | None:
    """None while the half-day runs (its start to its end, both included), else why the QR code
    is refused, in French."""
    if now < half.starts_at:
        return (
            f"Ce QR code n'est pas encore valable : la demi-journée commence {_when(half.starts_at, now, zone)}. "
            "Scannez-le à nouveau à ce moment-là."
        )
    if now > half.ends_at:
        return (
            f"Ce QR code n'est plus valable : la demi-journée s'est terminée {_when(half.ends_at, now, zone)}. "
            "Demandez au formateur ou à la formatrice de noter votre présence."
        )
    return None


def _when(moment: datetime, now: datetime, zone: tzinfo) -> str:
    """ "à 13 h 30" on the same day, "le 12/03/2026 à 13 h 30" another day."""
    local = moment.astimezone(zone)
    clock = f"{local.hour} h {local.minute:02d}" if local.minute else f"{local.hour} h"
    if local.date() == now.astimezone(zone).date():
        return f"à {clock}"
    return f"le {local:%d/%m/%Y} à {clock}"
