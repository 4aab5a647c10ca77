from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from services.bookings.domain.waitlist import (
    Candidate,
    decide,
    kept_in_slot,
    next_to_promote,
    positions,
    reservation_released,
    reserved_places,
)

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


def cand(booking_id, avip, minutes, walks=True):
    return Candidate(booking_id, avip, T0 + timedelta(minutes=minutes), walks)


class TestReservedPlaces:
    @pytest.mark.parametrize(
        "places, expected",
        [
            (0, 0),
            (1, 1),  # 0.2 -> 1 ("at least 20 %")
            (5, 1),  # 1.0 exactly
            (10, 2),  # 2.0 exactly, no float drift to 3
            (12, 3),  # 2.4 -> 3
            (15, 3),  # 3.0
            (16, 4),  # 3.2 -> 4
        ],
    )
    def test_default_share(self, places, expected):
        assert reserved_places(places) == expected

    def test_custom_share(self):
        assert reserved_places(12, Decimal("0.30")) == 4  # 3.6 -> 4
        assert reserved_places(12, Decimal("0")) == 0

    def test_invalid(self):
        with pytest.raises(ValueError):
            reserved_places(-1)
        with pytest.raises(ValueError):
            reserved_places(10, Decimal("1.5"))
        with pytest.raises(TypeError):
            reserved_places(10, 0.2)


class TestDecide:
    # 12 places, 3 kept for AVIP -> other children limited to 9
    def test_other_child_until_reserved_places_only_remain(self):
        assert decide(12, 0, 8, avip=False, kept=3) == "confirmed"  # 9th other child
        assert decide(12, 0, 9, avip=False, kept=3) == "waitlisted"  # 3 free places are reserved

    def test_avip_takes_any_free_place(self):
        assert decide(12, 0, 9, avip=True, kept=3) == "confirmed"
        assert decide(12, 5, 6, avip=True, kept=3) == "confirmed"  # beyond its share, still free place

    def test_full(self):
        assert decide(12, 3, 9, avip=True, kept=3) == "waitlisted"
        assert decide(12, 6, 6, avip=False, kept=3) == "waitlisted"

    def test_avip_beyond_share_does_not_reopen_other_places(self):
        # 5 AVIP confirmed (more than 3 reserved), 6 others: 1 free place; others cap is 9 -> ok
        assert decide(12, 5, 6, avip=False, kept=3) == "confirmed"
        # 2 AVIP, 9 others: 1 free place but it is the last reserved one
        assert decide(12, 2, 9, avip=False, kept=3) == "waitlisted"

    def test_the_places_kept_come_from_the_caller(self):
        assert decide(10, 0, 8, avip=False, kept=2) == "waitlisted"
        assert decide(10, 0, 8, avip=False, kept=1) == "confirmed"
        assert decide(10, 0, 9, avip=False) == "confirmed"  # nothing kept: first come first served

    def test_more_kept_than_places_keeps_every_place(self):
        assert decide(2, 0, 0, avip=False, kept=5) == "waitlisted"
        assert decide(2, 0, 0, avip=True, kept=5) == "confirmed"

    def test_invalid(self):
        with pytest.raises(ValueError):
            decide(12, -1, 0, avip=False)


class TestNextToPromote:
    def test_avip_first_while_share_not_filled(self):
        waiting = [cand("a", False, 0), cand("b", True, 30), cand("c", True, 10)]
        # 12 places, 2 AVIP (< 3 reserved), 9 others -> 1 free place
        assert next_to_promote(waiting, 12, 2, 9, kept=3).booking_id == "c"  # earliest AVIP

    def test_avip_first_even_when_others_could_enter(self):
        waiting = [cand("a", False, 0), cand("b", True, 30)]
        assert next_to_promote(waiting, 12, 0, 5, kept=3).booking_id == "b"

    def test_first_come_first_served_once_share_filled(self):
        waiting = [cand("b", True, 30), cand("a", False, 0)]
        # 3 AVIP fill the reserve, 8 others < 9 -> the earliest request wins
        assert next_to_promote(waiting, 12, 3, 8, kept=3).booking_id == "a"

    def test_other_child_skipped_when_only_reserved_places_remain(self):
        waiting = [cand("a", False, 0)]
        assert next_to_promote(waiting, 12, 2, 9, kept=3) is None

    def test_no_free_place(self):
        assert next_to_promote([cand("b", True, 0)], 12, 3, 9, kept=3) is None

    def test_eligible_filter(self):
        waiting = [cand("c", True, 0, walks=False), cand("b", True, 5), cand("a", False, 1)]

        def walkers_only(c):  # e.g. the ratio cannot take one more non-walking child
            return c.walks

        assert next_to_promote(waiting, 12, 0, 5, kept=3, eligible=walkers_only).booking_id == "b"

    def test_tie_broken_by_booking_id(self):
        waiting = [cand("z", False, 0), cand("m", False, 0)]
        assert next_to_promote(waiting, 12, 3, 0, kept=3).booking_id == "m"

    def test_empty(self):
        assert next_to_promote([], 12, 0, 0) is None

    def test_naive_request_time_rejected(self):
        with pytest.raises(ValueError):
            Candidate("x", False, datetime(2026, 3, 1, 9), True)


class TestPlacesKeptInASlot:
    """The venue's reserved places (ceil(12 x 20 %) = 3) shared among slots by the places they open."""

    @pytest.mark.parametrize(
        "places, expected",
        [
            (12, 3),  # the whole venue open: its 3 reserved places
            (10, 2),  # 2.5 -> 2
            (8, 2),  # 2.0 exactly
            (7, 1),  # 1.75 -> 1
            (4, 1),  # 1.0 exactly
            (3, 0),  # 0.75 -> 0: a 3-place slot is no longer a third reserved
            (1, 0),  # a 1-place slot is no longer wholly reserved
            (0, 0),
        ],
    )
    def test_a_slot_keeps_its_part_of_the_venue_reservation_rounded_down(self, places, expected):
        assert kept_in_slot(3, 12, places) == expected

    def test_a_slot_larger_than_the_venue_keeps_the_venue_reservation_at_most(self):
        assert kept_in_slot(3, 12, 20) == 3

    def test_a_venue_without_places_keeps_nothing(self):
        assert kept_in_slot(0, 0, 5) == 0

    def test_negative_counts_are_refused(self):
        with pytest.raises(ValueError):
            kept_in_slot(-1, 12, 5)


class TestReleaseNotice:
    START = datetime(2026, 12, 10, 8, tzinfo=timezone.utc)

    def test_places_are_still_kept_until_the_notice_begins(self):
        assert not reservation_released(self.START, self.START - timedelta(hours=48, microseconds=1), 48)

    def test_places_are_released_from_the_instant_the_notice_begins(self):
        assert reservation_released(self.START, self.START - timedelta(hours=48), 48)
        assert reservation_released(self.START, self.START - timedelta(hours=1), 48)

    def test_a_zero_notice_releases_at_the_start(self):
        assert not reservation_released(self.START, self.START - timedelta(seconds=1), 0)
        assert reservation_released(self.START, self.START, 0)

    def test_a_negative_notice_is_refused(self):
        with pytest.raises(ValueError):
            reservation_released(self.START, self.START, -1)


class TestPositions:
    def test_the_queue_is_first_come_first_served_from_one(self):
        waiting = [cand("late", False, 5), cand("early", True, 1), cand("middle", False, 3)]
        assert positions(waiting) == {"early": 1, "middle": 2, "late": 3}

    def test_requests_at_the_same_moment_are_ordered_by_booking_id(self):
        assert positions([cand("b", False, 0), cand("a", False, 0)]) == {"a": 1, "b": 2}

    def test_an_empty_waiting_list_gives_no_position(self):
        assert positions([]) == {}
