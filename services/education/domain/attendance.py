"""Attendance (émargement, Code du travail R6332-26) and who gets a certificate
(L6353-1; docs/education-rules.md).

One record per participant per part (a half-day or a day); the rate is the hours of the parts
attended over the session's hours. Who gets a certificate and the assiduity mention from the
venue's threshold: domain/certificates.py (`eligible` below is no longer used by the service)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

DEFAULT_THRESHOLD = Decimal("0.80")
HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class Part:
    starts_at: datetime
    ends_at: datetime

    @property
    def hours(self) -> Decimal:
        return (Decimal(int((self.ends_at - self.starts_at).total_seconds())) / 3600).quantize(HUNDREDTH)


def session_hours(parts: list[Part]) -> Decimal:
    return sum((p.hours for p in parts), Decimal("0.00"))


def hours_attended(parts: list[Part], present: set[int]) -> Decimal:
    """`present`: the indexes of the parts the participant attended."""
    return sum((p.hours for i, p in enumerate(parts) if i in present), Decimal("0.00"))


def rate(parts: list[Part], present: set[int]) -> Decimal:
    """Attended hours over the session's hours, as a fraction rounded to the hundredth."""
    total = session_hours(parts)
    if total == 0:
        return Decimal("0.00")
    return (hours_attended(parts, present) / total).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def eligible(parts: list[Part], present: set[int], threshold: Decimal = DEFAULT_THRESHOLD) -> bool:
    """At or above the threshold (compared exactly, before rounding)."""
    total = session_hours(parts)
    return total > 0 and hours_attended(parts, present) >= total * threshold


def attestation_number(year: int, sequence: int) -> str:
    """« AFF-2026-0042 »: the attestation de fin de formation's number (L6353-1), unique per year
    from the service's own sequence [practice]."""
    return _numbered("AFF", year, sequence)


def realisation_number(year: int, sequence: int) -> str:
    """« CR-2026-0042 »: the certificat de réalisation's number, issued with the attestation and
    from the same sequence [practice]."""
    return _numbered("CR", year, sequence)


def _numbered(prefix: str, year: int, sequence: int) -> str:
    if sequence < 1:
        raise ValueError("sequence starts at 1")
    return f"{prefix}-{year}-{sequence:04d}"


def day_has_come(part_day: date, today: date) -> bool:
    """A part's attendance is recorded from its own day (the venue's calendar day) onwards, never
    ahead: the émargement is signed on the day (R6332-26) [practice]."""
    return today >= part_day


def can_certify(last_part_day: date, today: date) -> bool:
    """The certificates are issued once the session's last part's day has come (the end of the
    training, L6353-1) [practice]."""
    return today >= last_part_day
