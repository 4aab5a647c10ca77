from datetime import datetime, timedelta, timezone

import pytest

from services.bookings.domain.calendar import (
    Occupation,
    check_capacity,
    check_times,
    first_clash,
    is_changeable,
    may_complete,
    overlaps,
    real_times_ordered,
    trainee_clash,
    trainee_slot_left,
)

UTC = timezone.utc


def at(hour, minute=0):
    return datetime(2026, 12, 1, hour, minute, tzinfo=UTC)


def test_back_to_back_bookings_do_not_clash():
    assert not overlaps(at(9), at(10), at(10), at(11))
    assert overlaps(at(9), at(10), at(9, 59), at(11))
    assert overlaps(at(9), at(12), at(10), at(11))  # one inside the other


def test_first_clash_names_the_earliest_overlap():
    busy = [
        Occupation(at(11), at(12), "music"),
        Occupation(at(9), at(10), "story"),
        Occupation(at(13), at(14), "garden"),
    ]
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


class TestWhatMayStillChange:
    @pytest.mark.parametrize("status, expected", [("scheduled", True), ("cancelled", False), ("completed", False)])
    def test_only_a_scheduled_activity_changes(self, status, expected):
        assert is_changeable(status) is expected

    def test_an_activity_cannot_complete_before_it_starts(self):
        assert not may_complete(at(9), now=at(9) - timedelta(microseconds=1))
        assert not may_complete(at(9), now=at(8))

    def test_an_activity_can_complete_from_the_minute_it_starts(self):
        assert may_complete(at(9), now=at(9))
        assert may_complete(at(9), now=at(9, 30))  # still running: staff may close it early

    def test_real_times_must_end_after_they_start(self):
        assert real_times_ordered(at(9), at(9, 1))
        assert not real_times_ordered(at(9), at(9))
        assert not real_times_ordered(at(10), at(9))


class TestTrainees:
    @pytest.mark.parametrize(
        "assigned, slots, expected",
        [
            (0, 1, True),
            (1, 1, False),  # the last slot is taken
            (1, 2, True),
            (0, 0, False),  # an activity without trainee slots takes none
            (3, 2, False),  # slots lowered below those assigned: no more
        ],
    )
    def test_a_trainee_joins_while_a_trainee_slot_is_left(self, assigned, slots, expected):
        assert trainee_slot_left(assigned, slots) is expected

    def test_a_trainee_is_not_on_two_activities_at_once(self):
        elsewhere = [Occupation(at(9, 30), at(10, 30), "Potager")]
        assert trainee_clash(at(9), at(10), elsewhere).label == "Potager"
        assert trainee_clash(at(10, 29), at(11), elsewhere).label == "Potager"  # one minute in common

    def test_a_trainee_may_go_from_one_activity_to_the_next_back_to_back(self):
        elsewhere = [Occupation(at(9), at(10), "Conte")]
        assert trainee_clash(at(10), at(11), elsewhere) is None
        assert trainee_clash(at(8), at(9), elsewhere) is None

    def test_the_clash_named_is_the_trainees_earliest_overlapping_activity(self):
        elsewhere = [Occupation(at(11), at(12), "Musique"), Occupation(at(9), at(10), "Conte")]
        assert trainee_clash(at(9, 30), at(11, 30), elsewhere).label == "Conte"
        assert trainee_clash(at(9), at(12), []) is None
