"""Training hours a trainee attended at one of the venue's training sessions, credited to the
placement that covers that day from the education service's attendance sheet. [practice]

The attendance sheet (feuille d'émargement, Code du travail R6332-26, docs/education-rules.md)
is the proof of presence, so the credit needs no tutor's validation. Each (session, part,
trainee) has one credit, which follows the sheet's latest `revision` only: a delivery with a
revision not above the one kept is late or repeated and changes nothing, so a correction
(present → absent) takes the credit back whatever the order and the number of deliveries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from services.placements.domain.working_time import PARIS

KEEP, CREDIT, WITHDRAW = "keep", "credit", "withdraw"  # what an attendance record does to the credit


@dataclass(frozen=True)
class Attendance:
    revision: int  # 1, 2… per session, part and participant
    present: bool
    starts_at: datetime  # aware: the part's
    ends_at: datetime


def supersedes(revision: int, kept: int | None) -> bool:
    """An attendance record replaces the kept one only with a higher revision (none kept: any)."""
    return kept is None or revision > kept


def decide(attendance: Attendance, kept_revision: int | None) -> str:
    """KEEP a late or repeated record; else CREDIT the part's hours (present) or WITHDRAW them (absent)."""
    if not supersedes(attendance.revision, kept_revision):
        return KEEP
    return CREDIT if attendance.present else WITHDRAW


def day_of(attendance: Attendance, zone: ZoneInfo = PARIS) -> date:
    """The venue's local day of the part: the placement covering it gets the credit."""
    return attendance.starts_at.astimezone(zone).date()
