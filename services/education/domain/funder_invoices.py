"""The invoice a funder gets for a session: one per funding source present among the session's
confirmed participants, for the hours each of them actually did (docs/education-rules.md).

- Funders pay the hours done, never the hours planned: «seules les heures de formation qui ont
  été réalisées peuvent … être financées» (opcoep.fr); the attendance sheet proves them
  (Code du travail R6332-26).
- A funder is the funding kind plus, when the enrolment names one, the funder's name (two
  employers are two invoices); a self-funded learner pays themselves: no funder's invoice.
- The hourly price is the course's price over its duration; a participant's line is their hours
  done at that price, never more than the course's price (hours beyond the course's duration
  are not billed) [practice]; amounts rounded half up to the cent, the total is the sum of the
  lines.
- Numbers: the series "FF" of shared/numbering.py, continuous per year (CGI, annexe II,
  art. 242 nonies A, I, 7°: «la numérotation peut être établie […] par séries distinctes»).
- An issued invoice never changes (a later correction of the sheet does not touch it): a
  credit note and a new invoice are how a correction is billed, and are out of scope here
  [practice].
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from services.education.domain.enrolment import FUNDING

SERIES = "FF"  # shared/numbering.py: FF-2026-000001
SELF_FUNDED = "self_funded"
CENT = Decimal("0.01")
RATE_PLACES = Decimal("0.0001")  # the hourly price as printed (the amounts are computed exactly)
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Participant:
    """A confirmed participant of the session, with the hours done from the attendance sheet."""

    enrolment_id: str
    participant_id: str
    participant_kind: str
    name: str
    funding: str
    funder_name: str
    hours: Decimal


@dataclass(frozen=True)
class Line:
    participant: Participant
    hours: Decimal  # billed: the hours done, at most the course's duration
    amount: Decimal


def funder_of(participant: Participant) -> tuple[str, str]:
    """(funding kind, funder's name or "")."""
    return participant.funding, (participant.funder_name or "").strip()


def groups(participants: list[Participant]) -> dict[tuple[str, str], list[Participant]]:
    """The funders present among the participants, self-funded learners left out, in the order
    of FUNDING then by name; each funder's participants by name."""
    found: dict[tuple[str, str], list[Participant]] = {}
    for participant in participants:
        if participant.funding == SELF_FUNDED:
            continue
        found.setdefault(funder_of(participant), []).append(participant)
    order = {kind: n for n, kind in enumerate(FUNDING)}
    keys = sorted(found, key=lambda key: (order.get(key[0], len(order)), key[1].lower(), key[1]))
    return {key: sorted(found[key], key=lambda p: (p.name.lower(), p.enrolment_id)) for key in keys}


def hourly_price(price: Decimal, duration_hours: Decimal) -> Decimal:
    """The course's price over its duration, to the ten-thousandth (as printed)."""
    if duration_hours <= 0:
        raise ValueError("a course lasts more than 0 h")
    return (Decimal(price) / Decimal(duration_hours)).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def line(participant: Participant, price: Decimal, duration_hours: Decimal) -> Line:
    """The participant's hours done (at most the course's duration) at the course's hourly price,
    computed from the price itself so that a whole course is billed exactly its price."""
    if duration_hours <= 0:
        raise ValueError("a course lasts more than 0 h")
    billed = min(Decimal(participant.hours), Decimal(duration_hours))
    if billed < 0:
        raise ValueError("hours done cannot be negative")
    amount = (Decimal(price) * billed / Decimal(duration_hours)).quantize(CENT, rounding=ROUND_HALF_UP)
    return Line(participant, billed.quantize(CENT), amount)


def lines(participants: list[Participant], price: Decimal, duration_hours: Decimal) -> list[Line]:
    return [line(p, price, duration_hours) for p in participants]


def total(invoice_lines: list[Line]) -> Decimal:
    return sum((item.amount for item in invoice_lines), ZERO)


def can_invoice(last_part_day: date, today: date) -> bool:
    """A session is invoiced once its last part's day has come, as the certificates are (the hours
    are those of the whole session) [practice]."""
    return today >= last_part_day
