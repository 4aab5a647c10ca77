"""When staff may note a child's arrival and departure (pure, no I/O)."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from services.bookings.domain.attendance import (
    CLOCK_TOLERANCE,
    departure_after_arrival,
    has_passed,
    is_attendable,
    on_slot_day,
)

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=PARIS)
MICROSECOND = timedelta(microseconds=1)


class TestClockTolerance:
    def test_a_time_that_has_passed_may_be_noted(self):
        assert has_passed(NOW - timedelta(hours=2), NOW)
        assert has_passed(NOW, NOW)

    def test_a_time_up_to_fifteen_minutes_ahead_of_the_clock_may_be_noted(self):
        assert CLOCK_TOLERANCE == timedelta(minutes=15)
        assert has_passed(NOW + CLOCK_TOLERANCE, NOW)

    def test_a_time_just_beyond_the_tolerance_may_not(self):
        assert not has_passed(NOW + CLOCK_TOLERANCE + MICROSECOND, NOW)
        assert not has_passed(NOW + timedelta(hours=3), NOW)

    def test_the_clock_may_be_in_any_zone(self):
        assert has_passed(NOW + CLOCK_TOLERANCE, NOW.astimezone(timezone.utc))

    def test_the_tolerance_can_be_narrowed(self):
        assert not has_passed(NOW + MICROSECOND, NOW, tolerance=timedelta(0))


class TestOnSlotDay:
    SLOT = datetime(2026, 12, 1, 8, 0, tzinfo=PARIS)

    @pytest.mark.parametrize(
        "at, expected",
        [
            (datetime(2026, 12, 1, 0, 0, tzinfo=PARIS), True),  # the first instant of the day
            (datetime(2026, 12, 1, 23, 59, 59, tzinfo=PARIS), True),
            (datetime(2026, 11, 30, 23, 59, 59, tzinfo=PARIS), False),
            (datetime(2026, 12, 2, 0, 0, tzinfo=PARIS), False),
        ],
    )
    def test_the_day_is_the_venues_calendar_day(self, at, expected):
        assert on_slot_day(at, self.SLOT, PARIS) is expected

    def test_a_utc_time_late_in_the_evening_is_already_the_next_day_in_paris(self):
        late = datetime(2026, 11, 30, 23, 30, tzinfo=timezone.utc)  # 00:30 on 1 December in Paris
        assert on_slot_day(late, self.SLOT.astimezone(timezone.utc), PARIS)


class TestDepartureAfterArrival:
    ARRIVAL = datetime(2026, 12, 1, 8, 30, tzinfo=PARIS)

    def test_a_departure_after_the_arrival_is_accepted(self):
        assert departure_after_arrival(self.ARRIVAL, self.ARRIVAL + MICROSECOND)

    def test_a_departure_at_the_arrival_instant_is_refused(self):
        assert not departure_after_arrival(self.ARRIVAL, self.ARRIVAL)

    def test_a_departure_before_the_arrival_is_refused(self):
        assert not departure_after_arrival(self.ARRIVAL, self.ARRIVAL - timedelta(minutes=1))

    def test_the_same_instant_written_in_another_zone_is_still_the_same_instant(self):
        assert not departure_after_arrival(self.ARRIVAL, self.ARRIVAL.astimezone(timezone.utc))


@pytest.mark.parametrize("status, expected", [("confirmed", True), ("waitlisted", False), ("cancelled", False)])
def test_only_a_confirmed_booking_is_checked_in_or_out(status, expected):
    assert is_attendable(status) is expected
