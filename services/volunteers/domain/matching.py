"""Which open activities suit a volunteer best [practice]: the venue's own choice, no legal
source (docs/volunteers-rules.md). An interest weighs more than a free half-day."""

from dataclasses import dataclass
from datetime import datetime

PARTS_OF_DAY = ("morning", "afternoon")
NOON = 12
INTEREST_POINTS = 2
AVAILABILITY_POINTS = 1


def part_of_day(moment: datetime) -> str:
    """`moment` in the venue's zone: a volunteer's "Tuesday morning" is the venue's."""
    return "morning" if moment.hour < NOON else "afternoon"


@dataclass(frozen=True)
class Slot:
    weekday: int  # 0 = Monday, as datetime.weekday()
    part: str


@dataclass(frozen=True)
class Ranked:
    opportunity: object  # whatever the caller ranked
    match: int


def match_score(interests, availability, kind, starts_at):
    """2 points when the activity's kind is among the volunteer's interests, 1 when it falls in
    a part of the week they said they are free (`availability`: [{weekday, part}])."""
    score = INTEREST_POINTS if kind in set(interests) else 0
    if Slot(starts_at.weekday(), part_of_day(starts_at)) in {Slot(a["weekday"], a["part"]) for a in availability}:
        score += AVAILABILITY_POINTS
    return score


def rank(opportunities, interests, availability, local_start):
    """`opportunities` (each with a `kind`) best match first, then the earliest, as Ranked.
    `local_start(opportunity)` is its start in the venue's zone."""
    starts = [(local_start(o), o) for o in opportunities]
    scored = [(match_score(interests, availability, o.kind, start), start, o) for start, o in starts]
    scored.sort(key=lambda entry: (-entry[0], entry[1]))  # best match, then earliest
    return [Ranked(opportunity, score) for score, _, opportunity in scored]
