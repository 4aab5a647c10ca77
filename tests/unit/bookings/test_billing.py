from datetime import date, datetime, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from services.bookings.domain.billing import (
    BillingLine,
    MonthlyStatement,
    attended_hours,
    billed_hours,
    billing_line,
    cancellation_in_time,
    cancelled_in_time,
    line_so_far,
    month_days,
    statement,
)

PARIS = ZoneInfo("Europe/Paris")


def at(day, hh, mm=0, month=3):
    return datetime(2026, month, day, hh, mm, tzinfo=PARIS)


START, END = at(10, 8, 30), at(10, 12, 30)  # booked 4 h


class TestBilledHours:
    def test_attended_as_booked(self):
        assert billed_hours(START, END, at(10, 8, 30), at(10, 12, 30)) == Decimal("4")

    def test_booked_duration_rounded_up(self):
        # booked 8:30-12:40 = 4 h 10 -> 9 started half-hours = 4.5 h
        assert billed_hours(START, at(10, 12, 40), None, None) == Decimal("4.5")

    def test_no_show_not_cancelled_billed_as_booked(self):
        assert billed_hours(START, END, None, None) == Decimal("4")

    def test_cancelled_in_time_is_free(self):
        assert billed_hours(START, END, None, None, cancelled_in_time=True) == Decimal("0")

    def test_leaving_early_is_not_refunded(self):
        assert billed_hours(START, END, at(10, 9), at(10, 11)) == Decimal("4")

    def test_arrived_early_each_started_half_hour(self):
        # 8:20 for 8:30: 10 min early -> 1 started half-hour
        assert billed_hours(START, END, at(10, 8, 20), at(10, 12, 30)) == Decimal("4.5")
        # 7:59 -> 31 min early -> 2 half-hours
        assert billed_hours(START, END, at(10, 7, 59), at(10, 12, 30)) == Decimal("5")
        # exactly 30 min early -> 1 half-hour
        assert billed_hours(START, END, at(10, 8), at(10, 12, 30)) == Decimal("4.5")

    def test_left_late(self):
        # 12:31 -> 1 minute late -> 1 half-hour
        assert billed_hours(START, END, at(10, 8, 30), at(10, 12, 31)) == Decimal("4.5")

    def test_early_and_late_rounded_separately(self):
        # 10 min early + 10 min late -> 2 started half-hours, not one
        assert billed_hours(START, END, at(10, 8, 20), at(10, 12, 40)) == Decimal("5")

    def test_presence_entirely_after_booking(self):
        # booked 8:30-12:30, came 13:00-14:10 -> 1 h 10 outside = 3 half-hours, not 12:30-14:10
        assert billed_hours(START, END, at(10, 13), at(10, 14, 10)) == Decimal("5.5")

    def test_missing_checkout_only_counts_early_arrival(self):
        assert billed_hours(START, END, at(10, 8), None) == Decimal("4.5")

    def test_configurable_increment(self):
        # quarter-hours: 8:20 is 10 min early -> 0.25 h
        quarter = billed_hours(START, END, at(10, 8, 20), at(10, 12, 30), increment_minutes=15)
        assert quarter == Decimal("4.25")
        # hourly: booked 4 h 10 -> 5 h
        assert billed_hours(START, at(10, 12, 40), None, None, increment_minutes=60) == Decimal("5")

    def test_increment_must_give_exact_hours(self):
        with pytest.raises(ValueError):
            billed_hours(START, END, None, None, increment_minutes=20)  # 1/3 h
        with pytest.raises(ValueError):
            billed_hours(START, END, None, None, increment_minutes=0)

    def test_naive_and_inverted_rejected(self):
        with pytest.raises(ValueError):
            billed_hours(datetime(2026, 3, 10, 8), END, None, None)
        with pytest.raises(ValueError):
            billed_hours(START, END, datetime(2026, 3, 10, 8), None)
        with pytest.raises(ValueError):
            billed_hours(END, START, None, None)
        with pytest.raises(ValueError):
            billed_hours(START, START, None, None)
        with pytest.raises(ValueError):
            billed_hours(START, END, at(10, 12), at(10, 9))


class TestAttendedHours:
    def test_exact(self):
        assert attended_hours(at(10, 8, 30), at(10, 12, 45)) == Decimal("4.25")

    def test_missing_is_zero(self):
        assert attended_hours(None, at(10, 12)) == 0
        assert attended_hours(at(10, 8), None) == 0

    def test_non_decimal_fraction_kept_to_micro_hour(self):
        # 20 min = 0.333... h
        assert attended_hours(at(10, 8), at(10, 8, 20)) == Decimal("0.333333")

    def test_mixed_offsets(self):
        utc_in = datetime(2026, 3, 10, 7, 30, tzinfo=timezone.utc)  # 8:30 in Paris
        assert attended_hours(utc_in, at(10, 9, 30)) == Decimal("1")

    def test_invalid(self):
        with pytest.raises(ValueError):
            attended_hours(at(10, 9), at(10, 9))
        with pytest.raises(ValueError):
            attended_hours(datetime(2026, 3, 10, 8), at(10, 9))


class TestCancelledInTime:
    def test_exactly_48_hours_is_in_time(self):
        assert cancelled_in_time(at(8, 8, 30), at(10, 8, 30)) is True
        assert cancelled_in_time(at(8, 8, 31), at(10, 8, 30)) is False

    def test_configurable_notice(self):
        assert cancelled_in_time(at(9, 8, 30), at(10, 8, 30), notice_hours=24) is True
        with pytest.raises(ValueError):
            cancelled_in_time(at(9, 8), at(10, 8), notice_hours=-1)

    def test_dst_uses_real_elapsed_time(self):
        # Clocks go forward on Sun 29 Mar 2026. Cancelled Sat 28 at 07:45 for Mon 30 at 08:00:
        # 48 h 15 on the wall clock, but only 47 h 15 really elapsed -> too late.
        assert cancelled_in_time(at(28, 7, 45), at(30, 8)) is False
        assert cancelled_in_time(at(28, 7), at(30, 8)) is True  # exactly 48 h

    def test_naive_rejected(self):
        with pytest.raises(ValueError):
            cancelled_in_time(datetime(2026, 3, 8, 8), at(10, 8))


class TestDecliningAPromotion:
    """A place given from the waiting list inside the 48 h notice may be declined without charge."""

    SLOT = at(10, 8, 30)

    def test_a_promotion_given_inside_the_notice_is_declined_without_charge(self):
        assert cancellation_in_time(at(10, 8), self.SLOT, promoted_at=at(8, 8, 31)) is True

    def test_a_promotion_given_exactly_at_the_notice_is_billed_like_a_booking(self):
        assert cancellation_in_time(at(10, 8), self.SLOT, promoted_at=at(8, 8, 30)) is False

    def test_a_promotion_given_long_before_leaves_the_notice_as_it_is(self):
        assert cancellation_in_time(at(8, 8, 30), self.SLOT, promoted_at=at(1, 9)) is True
        assert cancellation_in_time(at(9, 9), self.SLOT, promoted_at=at(1, 9)) is False

    def test_a_booking_never_waitlisted_follows_the_notice(self):
        assert cancellation_in_time(at(8, 8, 30), self.SLOT) is True
        assert cancellation_in_time(at(8, 8, 31), self.SLOT) is False


class TestStatement:
    def test_line_and_month(self):
        rate = Decimal("2.064")
        lines = [
            billing_line(START, END, at(10, 8, 20), at(10, 12, 30), rate),  # billed 4.5
            billing_line(at(11, 8, 30), at(11, 12, 30), None, None, rate),  # no-show, billed 4
            billing_line(at(12, 8, 30), at(12, 12, 30), None, None, rate, cancelled_in_time=True),
        ]
        assert lines[0] == BillingLine(
            hours_booked=Decimal("4"),
            hours_attended=Decimal("4.166667"),  # 4 h 10
            hours_billed=Decimal("4.5"),
            amount=Decimal("9.29"),  # 4.5 x 2.064 = 9.288
        )
        assert lines[1].amount == Decimal("8.26")  # 4 x 2.064 = 8.256
        assert lines[2] == BillingLine(Decimal(0), Decimal(0), Decimal(0), Decimal("0.00"))
        month = statement(lines)
        assert month == MonthlyStatement(
            hours_booked=Decimal("8"),
            hours_attended=Decimal("4.166667"),
            hours_billed=Decimal("8.5"),
            amount=Decimal("17.55"),  # 9.29 + 8.26
        )

    def test_total_is_sum_of_rounded_lines(self):
        # three lines of 0.005 each would round to 0.02 if summed first; per line it is 0.01 x 3
        lines = [BillingLine(Decimal("1"), Decimal("1"), Decimal("1"), Decimal("0.01"))] * 3
        assert statement(lines).amount == Decimal("0.03")

    def test_empty_month(self):
        assert statement([]) == MonthlyStatement(Decimal(0), Decimal(0), Decimal(0), Decimal(0))


class TestLineSoFar:
    RATE = Decimal("2")

    def test_a_child_checked_in_but_not_out_is_billed_as_booked(self):
        early = line_so_far(START, END, at(10, 7, 30), None, self.RATE)  # arrived an hour early
        assert early == billing_line(START, END, None, None, self.RATE)
        assert (early.hours_billed, early.hours_attended) == (Decimal("4"), Decimal("0"))

    def test_once_the_departure_is_noted_the_real_presence_counts(self):
        line = line_so_far(START, END, at(10, 7, 30), at(10, 12, 30), self.RATE)
        assert line == billing_line(START, END, at(10, 7, 30), at(10, 12, 30), self.RATE)
        assert line.hours_billed == Decimal("5")

    def test_a_booking_cancelled_in_time_stays_free(self):
        assert line_so_far(START, END, None, None, self.RATE, cancelled_in_time=True).amount == Decimal("0")


class TestMonthDays:
    @pytest.mark.parametrize(
        "month, expected",
        [
            ("2026-03", (date(2026, 3, 1), date(2026, 4, 1))),
            ("2026-12", (date(2026, 12, 1), date(2027, 1, 1))),  # the year turns
            ("2028-02", (date(2028, 2, 1), date(2028, 3, 1))),
        ],
    )
    def test_a_month_runs_from_its_first_day_to_the_first_day_of_the_next(self, month, expected):
        assert month_days(month) == expected

    @pytest.mark.parametrize("month", ["2026-13", "2026-00", "mars"])
    def test_a_month_that_does_not_exist_is_refused(self, month):
        with pytest.raises(ValueError):
            month_days(month)
