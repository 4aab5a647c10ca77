"""A volunteer's yearly hours (domain/hours.py)."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from services.volunteers.domain.hours import Recorded, hours_between, summary

T = datetime(2026, 5, 4, 14, 0, tzinfo=timezone.utc)


def test_hours_are_kept_to_the_hundredth():
    assert hours_between(T, T + timedelta(hours=1, minutes=20)) == Decimal("1.33")
    assert hours_between(T, T + timedelta(minutes=90)) == Decimal("1.50")


def test_a_year_counts_each_activity_once_per_volunteer_and_its_age_groups():
    records = [
        Recorded("v1", "a1", T, Decimal("1.50"), "walking"),
        Recorded("v1", "a1", T, Decimal("1.50"), "walking"),  # delivered twice
        Recorded("v1", "a2", T + timedelta(days=1), Decimal(2), "mixed"),
        Recorded("v1", "a3", T.replace(year=2025), Decimal(3), "mixed"),
    ]
    found = summary(records, 2026)
    assert (found.hours, found.activities, dict(found.age_groups)) == (Decimal("3.50"), 2, {"walking": 1, "mixed": 1})
