from collections import namedtuple
from datetime import datetime
from operator import attrgetter
from zoneinfo import ZoneInfo

from services.volunteers.domain.matching import match_score, part_of_day, rank

PARIS = ZoneInfo("Europe/Paris")
TUESDAY_MORNING = datetime(2026, 12, 1, 9, 30, tzinfo=PARIS)
TUESDAY_AFTERNOON = datetime(2026, 12, 1, 14, 0, tzinfo=PARIS)
FRIDAY_MORNING = datetime(2026, 12, 4, 9, 0, tzinfo=PARIS)

Opening = namedtuple("Opening", "id kind starts_at")


def test_part_of_day_splits_at_noon():
    assert part_of_day(datetime(2026, 12, 1, 11, 59)) == "morning"
    assert part_of_day(datetime(2026, 12, 1, 12, 0)) == "afternoon"


def test_interest_weighs_more_than_availability():
    free_tuesday_morning = [{"weekday": 1, "part": "morning"}]
    assert match_score(["music"], free_tuesday_morning, "music", TUESDAY_MORNING) == 3
    assert match_score(["music"], free_tuesday_morning, "music", FRIDAY_MORNING) == 2
    assert match_score([], free_tuesday_morning, "music", TUESDAY_MORNING) == 1
    assert match_score([], [], "music", TUESDAY_MORNING) == 0


def test_rank_orders_by_match_then_date():
    opportunities = [
        Opening("late-garden", "gardening", FRIDAY_MORNING),
        Opening("music", "music", TUESDAY_AFTERNOON),
        Opening("early-garden", "gardening", TUESDAY_MORNING),
    ]
    ranked = rank(
        opportunities,
        interests=["gardening"],
        availability=[{"weekday": 4, "part": "morning"}],
        local_start=attrgetter("starts_at"),
    )
    assert [r.opportunity.id for r in ranked] == ["late-garden", "early-garden", "music"]
    assert [r.match for r in ranked] == [3, 2, 0]


def test_rank_reads_parts_of_the_day_on_the_venues_clock():
    # 12:30 in Paris is 11:30 UTC: an afternoon for the venue, a morning in UTC
    stored_in_utc = Opening("workshop", "music", datetime(2026, 12, 1, 11, 30, tzinfo=ZoneInfo("UTC")))
    free_tuesday_afternoon = [{"weekday": 1, "part": "afternoon"}]
    [ranked] = rank([stored_in_utc], [], free_tuesday_afternoon, local_start=lambda o: o.starts_at.astimezone(PARIS))
    assert ranked.match == 1
