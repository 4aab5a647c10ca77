from datetime import datetime
from zoneinfo import ZoneInfo

from services.volunteers.domain import match_score, part_of_day, rank

PARIS = ZoneInfo("Europe/Paris")
TUESDAY_MORNING = datetime(2026, 12, 1, 9, 30, tzinfo=PARIS)
TUESDAY_AFTERNOON = datetime(2026, 12, 1, 14, 0, tzinfo=PARIS)
FRIDAY_MORNING = datetime(2026, 12, 4, 9, 0, tzinfo=PARIS)


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
        {"id": "late-garden", "kind": "gardening", "starts_at": FRIDAY_MORNING},
        {"id": "music", "kind": "music", "starts_at": TUESDAY_AFTERNOON},
        {"id": "early-garden", "kind": "gardening", "starts_at": TUESDAY_MORNING},
    ]
    ranked = rank(opportunities, interests=["gardening"], availability=[{"weekday": 4, "part": "morning"}])
    assert [o["id"] for o in ranked] == ["late-garden", "early-garden", "music"]
    assert [o["match"] for o in ranked] == [3, 2, 0]
