"""Volunteers' rules: which opportunities suit a volunteer best (more rules come with issue [5/8])."""
from dataclasses import dataclass
from datetime import datetime

PARTS_OF_DAY = ("morning", "afternoon")
NOON = 12


def part_of_day(moment: datetime) -> str:
    return "morning" if moment.hour < NOON else "afternoon"


@dataclass(frozen=True)
class Slot:
    weekday: int  # 0 = Monday, as datetime.weekday()
    part: str


def match_score(interests, availability, kind, starts_at):
    """2 points when the activity's kind is among the volunteer's interests, 1 when it falls in
    a part of the week they said they are free. Higher first; ties by date (the caller sorts)."""
    score = 2 if kind in set(interests) else 0
    if Slot(starts_at.weekday(), part_of_day(starts_at)) in {Slot(a["weekday"], a["part"]) for a in availability}:
        score += 1
    return score


def rank(opportunities, interests, availability):
    """Opportunities (dicts with kind and starts_at in the venue's zone) ordered by match, then date."""
    scored = [(match_score(interests, availability, o["kind"], o["starts_at"]), o) for o in opportunities]
    scored.sort(key=lambda pair: (-pair[0], pair[1]["starts_at"]))
    return [dict(o, match=score) for score, o in scored]
