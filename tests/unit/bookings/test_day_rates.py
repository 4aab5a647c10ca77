from datetime import date
from decimal import Decimal

import pytest

from services.bookings.domain.day_rates import rate_periods


class TestRatePeriods:
    """The rate of each day from the figures in force that day (day_rates.rate_periods)."""

    FIRST, END = date(2027, 3, 1), date(2027, 4, 1)

    @staticmethod
    def rate_on(resources, day):
        # a stand-in for fees.quote: 0.0516 % of the resources, the scale "changing" on 16 March
        return resources * (Decimal("0.000516") if day < date(2027, 3, 16) else Decimal("0.000600"))

    def test_one_basis_and_one_scale_make_one_period(self):
        assert rate_periods(self.FIRST, self.END, [(self.FIRST, Decimal(4000))], lambda r, d: Decimal("2.064")) == [
            (self.FIRST, Decimal("2.064"))
        ]

    def test_a_change_of_the_scale_inside_the_month_starts_a_period_that_day(self):
        periods = rate_periods(self.FIRST, self.END, [(self.FIRST, Decimal(4000))], self.rate_on)
        assert periods == [(self.FIRST, Decimal("2.064000")), (date(2027, 3, 16), Decimal("2.400000"))]

    def test_a_change_of_resources_applies_from_its_date(self):
        bases = [(date(2026, 12, 1), Decimal(4000)), (date(2027, 3, 10), Decimal(3000))]
        periods = rate_periods(self.FIRST, date(2027, 3, 16), bases, lambda r, d: r / 1000)
        assert periods == [(self.FIRST, Decimal(4)), (date(2027, 3, 10), Decimal(3))]

    def test_days_before_the_first_basis_use_it(self):
        assert rate_periods(self.FIRST, date(2027, 3, 3), [(date(2027, 3, 2), Decimal(1))], lambda r, d: r) == [
            (self.FIRST, Decimal(1))
        ]

    def test_no_basis_is_refused(self):
        with pytest.raises(ValueError):
            rate_periods(self.FIRST, self.END, [], lambda r, d: r)
