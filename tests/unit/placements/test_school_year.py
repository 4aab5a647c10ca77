"""The school year and a convention's planned hours at this venue (domain/school_year.py)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from services.placements.domain.school_year import (
    by_school_year,
    parse_schedule,
    planned_hours,
    planned_hours_by_month,
    required_hours_by_month,
    schedule_errors,
    school_year_bounds,
    school_year_label,
    school_year_of,
    school_year_of_month,
)

WEEKDAYS_7H = {0: Decimal(7), 1: Decimal(7), 2: Decimal(7), 3: Decimal(7), 4: Decimal(7)}


class TestTheSchoolYear:
    def test_31_august_ends_the_school_year_that_started_the_september_before(self):
        assert school_year_of(date(2027, 8, 31)) == 2026

    def test_1_september_starts_a_new_school_year(self):
        assert school_year_of(date(2027, 9, 1)) == 2027

    def test_january_belongs_to_the_school_year_that_started_the_september_before(self):
        assert school_year_of(date(2027, 1, 15)) == 2026

    def test_its_bounds_are_1_september_and_31_august(self):
        assert school_year_bounds(2026) == (date(2026, 9, 1), date(2027, 8, 31))

    def test_a_month_falls_in_one_school_year(self):
        assert school_year_of_month("2027-08") == 2026
        assert school_year_of_month("2027-09") == 2027

    def test_it_is_written_with_both_years(self):
        assert school_year_label(2026) == "2026-2027"


class TestPlannedHours:
    def test_six_weeks_of_7_hours_on_weekdays_plan_210_hours(self):
        assert planned_hours(date(2026, 9, 7), date(2026, 10, 16), WEEKDAYS_7H) == Decimal(210)

    def test_a_closure_day_on_a_working_day_takes_its_hours_off(self):
        closures = {date(2026, 11, 11)}  # a Wednesday
        assert planned_hours(date(2026, 11, 9), date(2026, 11, 13), WEEKDAYS_7H, closures) == Decimal(28)

    def test_a_closure_day_on_a_day_off_changes_nothing(self):
        closures = {date(2026, 11, 14)}  # a Saturday
        assert planned_hours(date(2026, 11, 9), date(2026, 11, 15), WEEKDAYS_7H, closures) == Decimal(35)

    def test_each_weekday_plans_its_own_exact_hours(self):
        schedule = parse_schedule({"0": "7.5", "1": "7.5", "2": "0", "3": "8.25", "4": "4"})
        assert planned_hours(date(2026, 11, 9), date(2026, 11, 15), schedule) == Decimal("27.25")

    def test_the_hours_are_counted_by_month(self):
        months = planned_hours_by_month(date(2026, 9, 28), date(2026, 10, 2), WEEKDAYS_7H)
        assert months == {"2026-09": Decimal(21), "2026-10": Decimal(14)}

    def test_a_placement_straddling_31_august_splits_its_hours_by_school_year(self):
        months = planned_hours_by_month(date(2026, 8, 3), date(2026, 9, 11), WEEKDAYS_7H)
        assert by_school_year(months) == {2025: Decimal(147), 2026: Decimal(63)}


class TestASchedule:
    def test_a_usable_schedule_has_no_error(self):
        assert schedule_errors({0: "7", 1: Decimal("7.5"), "6": "0"}) == []

    @pytest.mark.parametrize("raw", [{7: "7"}, {"lundi": "7"}, {-1: "7"}, {True: "7"}])
    def test_a_day_outside_0_to_6_is_refused(self, raw):
        assert "n'est pas un jour de la semaine" in schedule_errors(raw)[0]

    @pytest.mark.parametrize("hours", ["24.01", "-1", "7.005", "sept", 7.5, "NaN"])
    def test_hours_outside_0_to_24_or_finer_than_the_hundredth_or_floats_are_refused(self, hours):
        assert "doivent être un nombre de 0 à 24" in schedule_errors({0: hours})[0]

    def test_24_hours_is_the_most_a_day_holds(self):
        assert schedule_errors({0: "24"}) == []

    def test_a_schedule_with_no_hour_at_all_is_refused(self):
        assert "aucune heure" in schedule_errors({0: "0"})[0]
        assert "aucune heure" in schedule_errors({})[0]

    def test_an_unusable_schedule_cannot_be_parsed(self):
        with pytest.raises(ValueError):
            parse_schedule({9: "7"})


class TestWithoutASchedule:
    def test_the_required_hours_are_planned_whole(self):
        months = required_hours_by_month(date(2026, 9, 7), date(2026, 10, 16), Decimal(210))
        assert sum(months.values()) == Decimal(210)

    def test_they_are_spread_over_the_weekdays_of_each_month(self):
        months = required_hours_by_month(date(2026, 9, 28), date(2026, 10, 2), Decimal(35))
        assert months == {"2026-09": Decimal(21), "2026-10": Decimal(14)}

    def test_rounding_to_the_cent_leaves_nothing_out(self):
        months = required_hours_by_month(date(2026, 9, 28), date(2026, 10, 1), Decimal(10))
        assert months == {"2026-09": Decimal("7.50"), "2026-10": Decimal("2.50")}
        months = required_hours_by_month(date(2026, 9, 29), date(2026, 10, 1), Decimal(10))
        assert months == {"2026-09": Decimal("6.66"), "2026-10": Decimal("3.34")}

    def test_a_placement_of_weekend_days_only_plans_them_on_its_first_month(self):
        assert required_hours_by_month(date(2026, 11, 14), date(2026, 11, 15), Decimal(14)) == {"2026-11": Decimal(14)}

    def test_no_required_hours_plan_nothing(self):
        start = date(2026, 11, 9)
        assert required_hours_by_month(start, start + timedelta(days=4), Decimal(0)) == {}
