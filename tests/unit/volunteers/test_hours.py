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


def test_an_activity_without_an_age_group_counts_as_unknown_with_its_hours():
    records = [
        Recorded("v1", "a1", T, Decimal("1.50"), None),
        Recorded("v2", "a1", T, Decimal("1.50"), None),
        Recorded("v1", "a2", T, Decimal("2.00"), "walking"),
    ]
    found = summary(records, 2026)
    assert dict(found.age_groups) == {"unknown": 2, "walking": 1}
    assert dict(found.age_group_hours) == {"unknown": Decimal("3.00"), "walking": Decimal("2.00")}


def test_training_hours_count_apart_and_only_the_parts_attended():
    from services.volunteers.domain.hours import Trained

    records = [Recorded("v1", "a1", T, Decimal("1.50"), "walking")]
    trained = [
        Trained("v1", "s1", 0, T, Decimal("3.50"), True),
        Trained("v1", "s1", 1, T + timedelta(days=1), Decimal("3.00"), False),  # absent
        Trained("v1", "s2", 0, T.replace(year=2025), Decimal("7.00"), True),  # another year
    ]
    found = summary(records, 2026, trained)
    assert (found.hours, found.activities) == (Decimal("1.50"), 1)  # training is not added to them
    assert (found.training_hours, found.training_parts) == (Decimal("3.50"), 1)


def test_only_a_higher_revision_replaces_an_attendance_line():
    from services.volunteers.domain.hours import newer_revision

    assert newer_revision(None, 1) is True  # the first line received
    assert newer_revision(1, 2) is True
    assert newer_revision(2, 2) is False  # the same line again
    assert newer_revision(3, 2) is False  # an older correction arriving late


def test_each_volunteer_has_a_year_of_their_own_and_an_absent_one_none():
    from services.volunteers.domain.hours import Trained, per_volunteer

    records = [Recorded("v1", "a1", T, Decimal("1.50"), "walking"), Recorded("v2", "a1", T, Decimal("1.50"), "walking")]
    trained = [Trained("v2", "s1", 0, T, Decimal("3.00"), True), Trained("v3", "s1", 0, T, Decimal("3.00"), False)]
    each = per_volunteer(records, 2026, trained)
    assert set(each) == {"v1", "v2"}
    assert (each["v2"].hours, each["v2"].training_hours) == (Decimal("1.50"), Decimal("3.00"))
    assert each["v1"].training_hours == Decimal("0.00")
