from datetime import datetime, timezone
from decimal import Decimal

import pytest

from services.bookings.domain.overtime import extra_hours
from tests.unit.bookings.contract_examples import DAY, at

CONTRACT_DAY = (at(DAY, 8, 30), at(DAY, 15, 42))


class TestExtraHours:
    @pytest.mark.parametrize(
        "left, expected",
        [((15, 42), "0"), ((15, 52), "0.5"), ((16, 12), "0.5"), ((16, 13), "1.0"), ((16, 42), "1.0")],
    )
    def test_each_started_half_hour_after_the_contract_is_due(self, left, expected):
        assert extra_hours(CONTRACT_DAY, at(DAY, 8, 30), at(DAY, *left), 30) == Decimal(expected)

    def test_presence_within_the_contract_adds_nothing(self):
        assert extra_hours(CONTRACT_DAY, at(DAY, 9), at(DAY, 14), 30) == 0

    def test_before_and_after_are_rounded_up_separately(self):
        # 10 min before + 10 min after: two started half-hours, not one
        assert extra_hours(CONTRACT_DAY, at(DAY, 8, 20), at(DAY, 15, 52), 30) == Decimal("1.0")

    def test_a_day_without_contract_rounds_up_the_whole_presence(self):
        assert extra_hours(None, at(DAY, 9), at(DAY, 11, 10), 30) == Decimal("2.5")
        assert extra_hours(None, at(DAY, 9), at(DAY, 11), 30) == Decimal("2")

    def test_the_gap_between_two_stretches_is_extra(self):
        stretches = [(at(DAY, 8), at(DAY, 12)), (at(DAY, 14), at(DAY, 17))]
        assert extra_hours(stretches, at(DAY, 8), at(DAY, 17), 30) == Decimal("2")

    def test_a_presence_wholly_before_the_contract_counts_only_the_presence(self):
        assert extra_hours(CONTRACT_DAY, at(DAY, 7), at(DAY, 7, 20), 30) == Decimal("0.5")

    def test_the_increment_is_the_venues(self):
        assert extra_hours(CONTRACT_DAY, at(DAY, 8, 30), at(DAY, 15, 52), 15) == Decimal("0.25")
        with pytest.raises(ValueError):
            extra_hours(CONTRACT_DAY, at(DAY, 8, 30), at(DAY, 15, 52), 20)

    def test_a_missing_departure_adds_nothing_yet(self):
        assert extra_hours(CONTRACT_DAY, at(DAY, 7), None, 30) == 0

    def test_a_departure_before_the_arrival_or_a_naive_time_is_refused(self):
        with pytest.raises(ValueError):
            extra_hours(CONTRACT_DAY, at(DAY, 9), at(DAY, 8), 30)
        with pytest.raises(ValueError):
            extra_hours(CONTRACT_DAY, datetime(2026, 3, 10, 8), at(DAY, 9), 30)

    def test_times_in_another_zone_are_compared_in_utc(self):
        left = datetime(2026, 3, 10, 14, 52, tzinfo=timezone.utc)  # 15:52 in Paris
        assert extra_hours(CONTRACT_DAY, at(DAY, 8, 30), left, 30) == Decimal("0.5")
