"""A trainee's working time at the edges of each rule (services/placements/domain/working_time.py)."""

from datetime import date, datetime, timedelta

import pytest

from services.placements.domain.working_time import (
    ADULT,
    MINOR_16_17,
    MINOR_UNDER_16,
    PARIS,
    Period,
    check,
    limits_for,
    per_day,
)

MONDAY = date(2026, 3, 2)  # a Monday, in winter time (UTC+1)
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=PARIS)
FIRST, LAST = date(2026, 1, 5), date(2026, 5, 29)


def at(day, hour, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def period(day, start, end, end_day=None):
    return Period(at(day, *start), at(end_day or day, *end))


def rules(new, others=(), limits=ADULT, now=NOW, first=FIRST, last=LAST):
    return [r.rule for r in check(new, list(others), limits, now, first, last)]


class TestWhoIsAMinor:
    def test_eighteen_on_the_day_is_an_adult(self):
        assert limits_for(date(2008, 3, 2), date(2026, 3, 2)) is ADULT

    def test_the_day_before_eighteen_is_a_minor_of_16_or_17(self):
        assert limits_for(date(2008, 3, 2), date(2026, 3, 1)) is MINOR_16_17

    def test_fifteen_has_the_under_16_limits(self):
        assert limits_for(date(2010, 6, 1), date(2026, 3, 1)) is MINOR_UNDER_16


class TestDailyLimit:
    def test_exactly_ten_hours_in_a_day_is_allowed_for_an_adult(self):
        assert rules(period(MONDAY, (8, 0), (18, 0))) == []

    def test_one_minute_more_than_ten_hours_is_refused(self):
        assert rules(period(MONDAY, (8, 0), (18, 1))) == ["daily"]

    def test_the_day_counts_every_period_of_that_day(self):
        morning = period(MONDAY, (7, 0), (12, 0))
        assert rules(period(MONDAY, (13, 0), (18, 0)), [morning]) == []
        assert rules(period(MONDAY, (13, 0), (18, 30)), [morning]) == ["daily"]

    def test_a_minor_of_16_may_do_eight_hours_not_more(self):
        morning = period(MONDAY, (8, 0), (12, 0))
        assert rules(period(MONDAY, (12, 30), (16, 30)), [morning], MINOR_16_17) == []
        assert rules(period(MONDAY, (12, 30), (16, 31)), [morning], MINOR_16_17) == ["daily"]

    def test_under_16_the_day_is_seven_hours(self):
        morning = period(MONDAY, (8, 0), (12, 0))
        assert rules(period(MONDAY, (12, 30), (15, 30)), [morning], MINOR_UNDER_16) == []
        assert rules(period(MONDAY, (12, 30), (15, 31)), [morning], MINOR_UNDER_16) == ["daily"]


class TestAcrossMidnight:
    def test_a_period_over_midnight_counts_on_each_day_for_its_part(self):
        night = period(MONDAY, (20, 0), (2, 0), MONDAY + timedelta(days=1))
        assert per_day([night]) == {MONDAY: timedelta(hours=4), MONDAY + timedelta(days=1): timedelta(hours=2)}

    def test_an_adult_may_log_over_midnight_within_each_days_limit(self):
        assert rules(period(MONDAY, (19, 0), (1, 0), MONDAY + timedelta(days=1))) == []

    def test_ending_exactly_at_midnight_stays_on_the_day(self):
        assert per_day([period(MONDAY, (14, 0), (0, 0), MONDAY + timedelta(days=1))]) == {MONDAY: timedelta(hours=10)}


class TestNight:
    def test_a_minor_until_22_00_is_allowed(self):
        assert rules(period(MONDAY, (18, 0), (22, 0)), limits=MINOR_16_17) == []

    def test_a_minor_from_21_59_to_22_01_is_refused(self):
        assert rules(period(MONDAY, (21, 59), (22, 1)), limits=MINOR_16_17) == ["night"]

    def test_a_minor_from_06_00_is_allowed_and_05_59_is_not(self):
        assert rules(period(MONDAY, (6, 0), (10, 0)), limits=MINOR_16_17) == []
        assert rules(period(MONDAY, (5, 59), (10, 0)), limits=MINOR_16_17) == ["night"]

    def test_under_16_the_night_begins_at_20_00(self):
        assert rules(period(MONDAY, (17, 0), (20, 0)), limits=MINOR_UNDER_16) == []
        assert rules(period(MONDAY, (17, 0), (20, 1)), limits=MINOR_UNDER_16) == ["night"]

    def test_an_adult_has_no_night_rule(self):
        assert rules(period(MONDAY, (21, 59), (22, 1))) == []


class TestBreak:
    def test_a_minor_may_stay_four_and_a_half_hours_without_a_break(self):
        assert rules(period(MONDAY, (8, 0), (12, 30)), limits=MINOR_16_17) == []

    def test_one_minute_more_without_a_break_is_refused(self):
        assert rules(period(MONDAY, (8, 0), (12, 31)), limits=MINOR_16_17) == ["break"]

    def test_a_thirty_minute_break_starts_a_new_stretch(self):
        morning = period(MONDAY, (8, 0), (12, 0))
        assert rules(period(MONDAY, (12, 30), (15, 0)), [morning], MINOR_16_17) == []

    def test_a_29_minute_break_does_not(self):
        morning = period(MONDAY, (8, 0), (12, 0))
        assert rules(period(MONDAY, (12, 29), (13, 0)), [morning], MINOR_16_17) == ["break"]


class TestWeek:
    def five_days(self, start=(8, 0), end=(17, 0)):
        return [period(MONDAY + timedelta(days=d), start, end) for d in range(5)]  # 5 x 9 h = 45 h

    def test_an_adult_may_reach_48_hours_in_a_week(self):
        saturday = MONDAY + timedelta(days=5)
        assert rules(period(saturday, (8, 0), (11, 0)), self.five_days()) == []  # 48 h

    def test_one_minute_beyond_48_hours_is_refused(self):
        saturday = MONDAY + timedelta(days=5)
        assert rules(period(saturday, (8, 0), (11, 1)), self.five_days()) == ["weekly"]

    def test_the_week_ends_on_sunday_night(self):
        sunday, next_monday = MONDAY + timedelta(days=6), MONDAY + timedelta(days=7)
        over = period(sunday, (20, 0), (2, 0), next_monday)  # 4 h this week, 2 h the next
        assert rules(over, self.five_days((8, 0), (16, 48))) == []  # 5 x 8 h 48 = 44 h, + 4 h = 48 h
        assert rules(over, self.five_days((8, 0), (16, 49))) == ["weekly"]

    def test_a_minor_stops_at_35_hours(self):
        days = [period(MONDAY + timedelta(days=d), (8, 0), (12, 0)) for d in range(4)]
        days += [period(MONDAY + timedelta(days=d), (12, 30), (16, 0)) for d in range(4)]  # 30 h
        friday = MONDAY + timedelta(days=4)
        assert rules(period(friday, (8, 0), (13, 0)), days, MINOR_16_17) != []  # 35 h but 5 h in a row
        assert rules(period(friday, (8, 0), (12, 0)), days + [period(friday, (12, 30), (13, 30))], MINOR_16_17) == []
        assert rules(
            period(friday, (13, 30), (13, 31)),
            days + [period(friday, (8, 0), (12, 0)), period(friday, (12, 30), (13, 30))],
            MINOR_16_17,
        ) == ["weekly"]

    def test_a_minor_keeps_two_rest_days_in_a_row(self):
        week = [period(MONDAY + timedelta(days=d), (9, 0), (11, 0)) for d in (0, 1, 2, 3, 4)]
        assert rules(period(MONDAY + timedelta(days=5), (9, 0), (11, 0)), week, MINOR_16_17) == ["rest_days"]
        assert rules(period(MONDAY + timedelta(days=4), (9, 0), (11, 0)), week[:4], MINOR_16_17) == []

    def test_an_adult_averages_at_most_44_hours_over_12_weeks(self):
        weeks = [
            period(MONDAY - timedelta(weeks=w) + timedelta(days=d), (8, 0), (17, 0))
            for w in range(1, 12)
            for d in range(5)
        ]  # 11 weeks of 45 h = 495 h; 12 x 44 = 528 h leaves 33 h this week
        monday_to_thursday = [period(MONDAY + timedelta(days=d), (8, 0), (16, 15)) for d in range(4)]  # 33 h
        assert rules(period(MONDAY + timedelta(days=4), (8, 0), (8, 1)), weeks + monday_to_thursday[:3]) == []
        assert rules(period(MONDAY + timedelta(days=4), (8, 0), (8, 1)), weeks + monday_to_thursday) == [
            "average_weekly"
        ]


class TestDaysInARow:
    def six_days(self, first=MONDAY):
        return [period(first + timedelta(days=d), (9, 0), (12, 0)) for d in range(6)]

    def test_an_adult_may_be_present_six_days_in_a_row(self):
        assert rules(self.six_days()[5], self.six_days()[:5]) == []

    def test_the_seventh_day_in_a_row_is_refused_for_an_adult(self):
        assert rules(period(MONDAY + timedelta(days=6), (9, 0), (12, 0)), self.six_days()) == ["days_in_a_row"]

    def test_a_day_off_in_between_starts_the_count_again(self):
        before = [period(MONDAY - timedelta(days=d), (9, 0), (12, 0)) for d in range(2, 8)]  # six days, then Sunday off
        assert rules(period(MONDAY, (9, 0), (12, 0)), before) == []

    def test_a_day_filling_the_gap_between_two_runs_is_refused(self):
        around = [
            p for p in self.six_days() + [period(MONDAY + timedelta(days=6), (9, 0), (12, 0))] if p.starts_at.day != 4
        ]
        assert rules(period(MONDAY + timedelta(days=2), (9, 0), (12, 0)), around) == ["days_in_a_row"]

    def test_the_seven_days_may_cross_two_civil_weeks(self):
        thursday_to_tuesday = self.six_days(MONDAY - timedelta(days=4))
        assert rules(period(MONDAY + timedelta(days=2), (9, 0), (12, 0)), thursday_to_tuesday) == ["days_in_a_row"]

    def test_a_night_over_midnight_counts_on_both_days(self):
        six = self.six_days()[:5] + [period(MONDAY + timedelta(days=5), (20, 0), (1, 0), MONDAY + timedelta(days=6))]
        assert "days_in_a_row" in rules(period(MONDAY + timedelta(days=6), (9, 0), (12, 0)), six)


class TestRestBetweenDays:
    def test_eleven_hours_between_two_days_is_enough_for_an_adult(self):
        evening = period(MONDAY, (12, 0), (20, 0))
        assert rules(period(MONDAY + timedelta(days=1), (7, 0), (12, 0)), [evening]) == []

    def test_ten_hours_59_is_not(self):
        evening = period(MONDAY, (12, 0), (20, 1))
        assert rules(period(MONDAY + timedelta(days=1), (7, 0), (12, 0)), [evening]) == ["daily_rest"]

    def test_the_rest_is_checked_before_a_day_logged_afterwards_too(self):
        tuesday = period(MONDAY + timedelta(days=1), (7, 0), (12, 0))
        assert rules(period(MONDAY, (12, 0), (20, 1)), [tuesday]) == ["daily_rest"]

    def test_a_minor_of_16_needs_twelve_hours_and_under_16_fourteen(self):
        evening = period(MONDAY, (15, 0), (19, 0))
        tuesday = MONDAY + timedelta(days=1)
        assert rules(period(tuesday, (7, 0), (11, 0)), [evening], MINOR_16_17) == []
        assert rules(period(tuesday, (6, 59), (11, 0)), [evening], MINOR_16_17) == ["daily_rest"]
        assert rules(period(tuesday, (9, 0), (13, 0)), [evening], MINOR_UNDER_16) == []
        assert rules(period(tuesday, (8, 59), (13, 0)), [evening], MINOR_UNDER_16) == ["daily_rest"]


class TestWhenAndWhere:
    def test_hours_not_yet_over_are_refused(self):
        now = at(MONDAY, 11, 59)
        assert rules(period(MONDAY, (8, 0), (12, 0)), now=now) == ["future"]
        assert rules(period(MONDAY, (8, 0), (12, 0)), now=at(MONDAY, 12, 0)) == []

    def test_hours_outside_the_placement_are_refused(self):
        assert rules(period(MONDAY, (8, 0), (12, 0)), first=MONDAY, last=MONDAY) == []
        assert rules(period(MONDAY, (8, 0), (12, 0)), first=MONDAY + timedelta(days=1)) == ["outside_placement"]
        late = period(MONDAY, (20, 0), (1, 0), MONDAY + timedelta(days=1))
        assert rules(late, first=MONDAY, last=MONDAY) == ["outside_placement"]

    def test_a_period_overlapping_another_is_refused_and_touching_is_not(self):
        morning = period(MONDAY, (8, 0), (12, 0))
        assert rules(period(MONDAY, (11, 59), (14, 0)), [morning]) == ["overlap"]
        assert rules(period(MONDAY, (12, 0), (14, 0)), [morning]) == []

    def test_an_end_before_the_start_is_refused_alone(self):
        assert rules(period(MONDAY, (12, 0), (8, 0))) == ["order"]

    @pytest.mark.parametrize("limits", [ADULT, MINOR_16_17, MINOR_UNDER_16])
    def test_every_refusal_is_a_french_sentence_on_a_form_field(self, limits):
        found = check(period(MONDAY, (5, 0), (23, 0)), [], limits, at(MONDAY, 8, 0), FIRST, LAST)
        assert found and all(r.field in ("starts_at", "ends_at") and r.message.endswith((".", ")")) for r in found)
