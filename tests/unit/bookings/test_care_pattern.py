from datetime import date, time
from decimal import Decimal
from fractions import Fraction

import pytest

from services.bookings.domain.care_pattern import (
    PatternDay,
    check_pattern,
    hours_per_week,
    mensualisation,
    scheduled_days,
)
from tests.unit.bookings.contract_examples import ENDS, FOUR_DAYS, MARCH, RATE, STARTS, WEEK


def pattern_errors(days, opening=None):
    return check_pattern(days, opening).get("pattern", [])


class TestPattern:
    def test_a_pattern_of_one_day_is_fine(self):
        assert check_pattern([PatternDay(2, time(9), time(12))]) == {}

    def test_a_pattern_with_no_day_is_refused(self):
        assert pattern_errors([]) == ["Le contrat doit prévoir au moins un jour d'accueil par semaine."]

    @pytest.mark.parametrize("weekday, ok", [(-1, False), (0, True), (6, True), (7, False)])
    def test_the_weekday_runs_from_monday_zero_to_sunday_six(self, weekday, ok):
        assert (pattern_errors([PatternDay(weekday, time(9), time(12))]) == []) is ok

    @pytest.mark.parametrize("end, ok", [(time(8, 57), False), (time(9), False), (time(9, 3), True)])
    def test_the_end_must_be_after_the_start(self, end, ok):
        errors = pattern_errors([PatternDay(0, time(9), end)])
        assert (errors == []) is ok
        if not ok:
            assert errors == [f"lundi : la fin ({end:%H:%M}) doit être après le début (09:00)."]

    @pytest.mark.parametrize("minute, ok", [(9, True), (10, False), (12, True)])
    def test_a_time_must_fall_on_a_multiple_of_three_minutes_so_hours_stay_exact(self, minute, ok):
        errors = pattern_errors([PatternDay(0, time(8, minute), time(12))])
        assert (errors == []) is ok
        if not ok:
            assert "08:10:00 ne tombe pas sur un multiple de 3 minutes" in errors[0]

    @pytest.mark.parametrize("second_start, ok", [(time(11, 57), False), (time(12), True), (time(12, 3), True)])
    def test_two_stretches_of_one_weekday_must_not_overlap(self, second_start, ok):
        days = [PatternDay(1, time(8), time(12)), PatternDay(1, second_start, time(17))]
        errors = pattern_errors(days)
        assert (errors == []) is ok
        if not ok:
            assert errors == ["mardi : 08:00–12:00 et 11:57–17:00 se chevauchent."]

    def test_the_same_hours_on_two_weekdays_do_not_overlap(self):
        assert check_pattern(WEEK) == {}

    def test_a_day_the_venue_is_closed_is_refused_naming_the_day(self):
        opening = {d: (time(7, 30), time(18, 30)) for d in range(5)}
        assert pattern_errors([PatternDay(5, time(9), time(12))], opening) == [
            "La crèche est fermée le samedi : pas d'accueil possible ce jour-là."
        ]

    @pytest.mark.parametrize(
        "start, end, ok",
        [
            (time(7, 27), time(12), False),
            (time(7, 30), time(12), True),
            (time(14), time(18, 30), True),
            (time(14), time(18, 33), False),
        ],
    )
    def test_a_stretch_outside_the_opening_hours_is_refused_with_the_hours(self, start, end, ok):
        opening = {2: (time(7, 30), time(18, 30))}
        errors = pattern_errors([PatternDay(2, start, end)], opening)
        assert (errors == []) is ok
        if not ok:
            assert errors == [
                f"mercredi : {start:%H:%M}–{end:%H:%M} sort des horaires d'ouverture du mercredi (07:30–18:30)."
            ]

    def test_every_error_is_reported_at_once(self):
        days = [PatternDay(7, time(9), time(12)), PatternDay(0, time(12), time(9))]
        assert len(pattern_errors(days)) == 2


class TestHoursPerWeek:
    def test_hours_per_week_adds_every_stretch_exactly(self):
        assert hours_per_week(WEEK) == Decimal("36")
        assert hours_per_week(FOUR_DAYS) == Decimal("36")
        assert hours_per_week([PatternDay(0, time(8, 3), time(8, 6))]) == Decimal("0.05")

    def test_two_stretches_on_one_day_both_count(self):
        days = [PatternDay(0, time(8), time(12)), PatternDay(0, time(13, 30), time(17, 15))]
        assert hours_per_week(days) == Decimal("7.75")

    def test_hours_per_week_refuses_an_invalid_pattern(self):
        with pytest.raises(ValueError, match="la fin"):
            hours_per_week([PatternDay(0, time(12), time(9))])


class TestMensualisation:
    def test_the_worked_example_gives_138_hours_and_284_83_a_month(self):
        m = mensualisation(RATE, Decimal("36"), 46, 12)
        assert m.hours_per_year == Decimal("1656")
        assert m.hours_per_month == Decimal("138")
        assert m.monthly_amount == Decimal("284.83")
        assert m.exact_hours_per_month == 138

    def test_twelve_months_is_the_default(self):
        assert mensualisation(RATE, Decimal("36"), 46) == mensualisation(RATE, Decimal("36"), 46, 12)

    def test_the_amount_is_rounded_once_from_the_exact_hours(self):
        # 1,656 h / 11 = 150.5454… h; 2.064 x 1,656 / 11 = 310.7258… -> 310.73,
        # whereas the hours rounded first (150.55 h) would give 310.7352 -> 310.74
        m = mensualisation(RATE, Decimal("36"), 46, 11)
        assert m.hours_per_month == Decimal("150.55")  # shown rounded: it does not terminate
        assert m.exact_hours_per_month == Fraction(1656, 11)
        assert m.monthly_amount == Decimal("310.73")

    def test_half_a_cent_is_rounded_up(self):
        # 0.01 x 0.5 h x 1 week / 1 month = 0.005 -> 0.01 (half-up, not half-even)
        assert mensualisation(Decimal("0.01"), Decimal("0.5"), 1, 1).monthly_amount == Decimal("0.01")
        assert mensualisation(Decimal("0.01"), Decimal("0.4"), 1, 1).monthly_amount == Decimal("0.00")

    def test_half_a_cent_is_rounded_up_when_the_hours_do_not_terminate(self):
        # 0.03 x 2 h x 1 week / 12 months = 0.03 x 1/6 h = 0.005 -> 0.01
        m = mensualisation(Decimal("0.03"), Decimal("2"), 1, 12)
        assert (m.hours_per_month, m.monthly_amount) == (Decimal("0.17"), Decimal("0.01"))
        assert mensualisation(Decimal("0.029"), Decimal("2"), 1, 12).monthly_amount == Decimal("0.00")

    @pytest.mark.parametrize("weeks, ok", [(0, False), (1, True), (52, True), (53, False)])
    def test_weeks_run_from_1_to_52(self, weeks, ok):
        if ok:
            assert mensualisation(RATE, Decimal("36"), weeks).hours_per_year == 36 * weeks
        else:
            with pytest.raises(ValueError, match="weeks_per_year"):
                mensualisation(RATE, Decimal("36"), weeks)

    @pytest.mark.parametrize("months, ok", [(0, False), (1, True), (12, True), (13, False)])
    def test_months_run_from_1_to_12(self, months, ok):
        if ok:
            assert mensualisation(RATE, Decimal("36"), 46, months).hours_per_year == 1656
        else:
            with pytest.raises(ValueError, match="months"):
                mensualisation(RATE, Decimal("36"), 46, months)

    def test_rate_and_hours_must_be_positive_and_exact(self):
        with pytest.raises(ValueError, match="hourly_rate"):
            mensualisation(Decimal("0"), Decimal("36"), 46)
        with pytest.raises(ValueError, match="hours_per_week"):
            mensualisation(RATE, Decimal("0"), 46)
        with pytest.raises(TypeError):
            mensualisation(2.064, Decimal("36"), 46)
        with pytest.raises(TypeError):
            mensualisation(RATE, 36.0, 46)


class TestScheduledDays:
    def test_planned_days_fall_in_the_month_and_in_the_contract_both_ends_included(self):
        # contract Wednesday 4 to Friday 20 March 2026, Mondays and Fridays
        days = [PatternDay(0, time(8), time(12)), PatternDay(4, time(8), time(12))]
        planned = scheduled_days(date(2026, 3, 4), date(2026, 3, 20), days, *MARCH)
        assert [s.day.day for s in planned] == [6, 9, 13, 16, 20]
        assert planned[0] == (date(2026, 3, 6), time(8), time(12), Decimal("4"))

    def test_the_end_day_of_the_period_is_excluded(self):
        days = [PatternDay(0, time(8), time(12))]
        planned = scheduled_days(STARTS, ENDS, days, date(2026, 3, 2), date(2026, 3, 9))
        assert [s.day for s in planned] == [date(2026, 3, 2)]  # not Monday 9

    def test_closed_days_have_no_care_planned(self):
        planned = scheduled_days(STARTS, ENDS, WEEK, *MARCH, closed_days={date(2026, 3, 2)})
        assert date(2026, 3, 2) not in [s.day for s in planned]
        assert len(planned) == 21

    def test_two_stretches_on_one_day_are_two_entries(self):
        days = [PatternDay(0, time(13), time(17)), PatternDay(0, time(8), time(12))]
        planned = scheduled_days(STARTS, ENDS, days, date(2026, 3, 2), date(2026, 3, 3))
        assert [(s.start, s.hours) for s in planned] == [(time(8), Decimal("4")), (time(13), Decimal("4"))]

    def test_an_end_before_the_start_is_refused(self):
        with pytest.raises(ValueError):
            scheduled_days(date(2026, 3, 5), date(2026, 3, 4), WEEK, *MARCH)
