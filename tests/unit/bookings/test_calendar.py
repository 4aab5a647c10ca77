from datetime import datetime, timedelta, timezone

from services.bookings.domain.calendar import Occupation, check_capacity, check_times, first_clash, overlaps

UTC = timezone.utc


def at(hour, minute=0):
    return datetime(2026, 12, 1, hour, minute, tzinfo=UTC)


def test_back_to_back_bookings_do_not_clash():
    assert not overlaps(at(9), at(10), at(10), at(11))
    assert overlaps(at(9), at(10), at(9, 59), at(11))
    assert overlaps(at(9), at(12), at(10), at(11))  # one inside the other


def test_first_clash_names_the_earliest_overlap():
    busy = [Occupation(at(11), at(12), "music"), Occupation(at(9), at(10), "story"),
            Occupation(at(13), at(14), "garden")]
    assert first_clash(at(9, 30), at(11, 30), busy).label == "story"
    assert first_clash(at(10), at(11), busy) is None


def test_times_must_be_aware_ordered_and_reasonable():
    assert check_times(at(9), at(10)) == {}
    assert "ends_at" in check_times(at(10), at(10))
    assert "ends_at" in check_times(at(9), at(9) + timedelta(hours=13))
    assert "starts_at" in check_times(datetime(2026, 12, 1, 9), at(10))


def test_children_capacity_is_capped_by_the_room():
    assert check_capacity(12, 12) == {}
    assert "children_capacity" in check_capacity(13, 12)
