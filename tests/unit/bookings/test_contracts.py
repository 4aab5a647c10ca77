from datetime import date, datetime, time, timezone
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from services.bookings.domain.contracts import (
    ABSENCE_REASONS,
    CLOSURE,
    EVICTION,
    HOSPITALISATION,
    ILLNESS_CERTIFICATE,
    OTHER,
    PatternDay,
    absence_days,
    check_early_end,
    check_pattern,
    contract_month,
    deducted_days,
    deducted_hours,
    earliest_end,
    extra_hours,
    hours_per_week,
    mensualisation,
    rate_periods,
    scheduled_days,
)
from services.bookings.domain.fees import amount

PARIS = ZoneInfo("Europe/Paris")
RATE = Decimal("2.064")  # the public worked example: 4,000 EUR/month x 0.0516 %
# 36 h a week: Monday to Friday 08:30-15:42 (7.2 h a day)
WEEK = [PatternDay(d, time(8, 30), time(15, 42)) for d in range(5)]
# 36 h a week on four days: Monday, Tuesday, Thursday, Friday 08:00-17:00 (9 h a day)
FOUR_DAYS = [PatternDay(d, time(8), time(17)) for d in (0, 1, 3, 4)]
STARTS, ENDS = date(2025, 8, 15), date(2026, 6, 30)  # a school-year contract
MARCH = (date(2026, 3, 1), date(2026, 4, 1))


def at(d, hh, mm=0):
    return datetime(d.year, d.month, d.day, hh, mm, tzinfo=PARIS)


def pattern_errors(days, opening=None):
    return check_pattern(days, opening).get("pattern", [])


def march(absences=(), attendances=(), rates=((STARTS, RATE),), days=WEEK, **kw):
    return contract_month(*MARCH, STARTS, ENDS, days, Decimal("138"), list(rates), absences, attendances, **kw)


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


class TestAbsences:
    def test_the_five_reasons(self):
        assert ABSENCE_REASONS == (ILLNESS_CERTIFICATE, HOSPITALISATION, EVICTION, CLOSURE, OTHER)

    def test_illness_of_three_days_is_not_deducted(self):
        assert deducted_days(ILLNESS_CERTIFICATE, date(2026, 3, 2), date(2026, 3, 4)) == []

    def test_illness_of_four_days_deducts_the_fourth_only(self):
        assert deducted_days(ILLNESS_CERTIFICATE, date(2026, 3, 2), date(2026, 3, 5)) == [date(2026, 3, 5)]

    def test_illness_of_five_days_deducts_the_fourth_and_fifth(self):
        days = deducted_days(ILLNESS_CERTIFICATE, date(2026, 3, 2), date(2026, 3, 6))
        assert days == [date(2026, 3, 5), date(2026, 3, 6)]

    @pytest.mark.parametrize("last, deducted", [(date(2026, 3, 8), []), (date(2026, 3, 9), [date(2026, 3, 9)])])
    def test_illness_starting_on_a_friday_spends_its_waiting_period_on_the_weekend(self, last, deducted):
        # Friday 6, Saturday 7, Sunday 8 March: the waiting period (calendar days)
        assert deducted_days(ILLNESS_CERTIFICATE, date(2026, 3, 6), last) == deducted

    def test_hospitalisation_of_one_day_is_deducted(self):
        assert deducted_days(HOSPITALISATION, date(2026, 3, 2), date(2026, 3, 2)) == [date(2026, 3, 2)]

    @pytest.mark.parametrize("reason", [HOSPITALISATION, EVICTION, CLOSURE])
    def test_hospitalisation_eviction_and_closure_are_deducted_from_the_first_day(self, reason):
        assert len(deducted_days(reason, date(2026, 3, 2), date(2026, 3, 4))) == 3

    def test_any_other_absence_is_never_deducted(self):
        assert deducted_days(OTHER, date(2026, 3, 2), date(2026, 3, 31)) == []

    def test_each_day_says_why_it_is_deducted_or_billed(self):
        detail = absence_days(ILLNESS_CERTIFICATE, date(2026, 3, 2), date(2026, 3, 5))
        assert [a.why for a in detail] == ["carence", "carence", "carence", "déduit"]
        assert [a.why for a in absence_days(OTHER, date(2026, 3, 2), date(2026, 3, 2))] == ["non déductible"]

    def test_deducted_hours_count_only_the_days_with_care_planned(self):
        # Monday 2 to Monday 9 March: waiting 2-4, deducted 5, 6 and 9 (7-8 is a weekend)
        planned = {s.day: s.hours for s in scheduled_days(STARTS, ENDS, WEEK, *MARCH)}
        d = deducted_hours(ILLNESS_CERTIFICATE, date(2026, 3, 2), date(2026, 3, 9), planned)
        assert d.days == (
            (date(2026, 3, 5), Decimal("7.2")),
            (date(2026, 3, 6), Decimal("7.2")),
            (date(2026, 3, 9), Decimal("7.2")),
        )
        assert d.waiting_days == (date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4))
        assert d.hours == Decimal("21.6")

    def test_an_unknown_reason_or_reversed_dates_are_refused(self):
        with pytest.raises(ValueError, match="reason"):
            deducted_days("holiday", date(2026, 3, 2), date(2026, 3, 2))
        with pytest.raises(ValueError):
            deducted_days(OTHER, date(2026, 3, 3), date(2026, 3, 2))
        with pytest.raises(TypeError):
            deducted_days(OTHER, at(date(2026, 3, 2), 8), date(2026, 3, 2))


DAY = date(2026, 3, 10)
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


class TestContractMonth:
    def test_a_whole_month_of_the_worked_example_is_billed_284_83(self):
        month = march()
        assert [(line.kind, line.label, line.hours, line.amount) for line in month.lines] == [
            ("contract", "Contrat : 138 h au tarif de 2,064 €/h", Decimal("138"), Decimal("284.83"))
        ]
        assert month.contract_amount == month.amount == Decimal("284.83")
        assert month.hours_billed == Decimal("138")
        assert month.deductions == month.extra_amount == Decimal("0.00")

    def test_a_short_month_is_billed_the_same_as_a_long_one(self):
        february = contract_month(date(2026, 2, 1), date(2026, 3, 1), STARTS, ENDS, WEEK, 138, [(STARTS, RATE)])
        assert february.amount == march().amount == Decimal("284.83")

    def test_a_month_with_a_non_terminating_mensualisation_bills_its_exact_amount(self):
        m = mensualisation(RATE, hours_per_week(WEEK), 46, 11)
        month = contract_month(*MARCH, STARTS, ENDS, WEEK, m.exact_hours_per_month, [(STARTS, RATE)])
        assert month.amount == m.monthly_amount == Decimal("310.73")
        assert month.contract_hours == Decimal("150.55")

    def test_a_scale_change_on_1_september_makes_september_one_period(self):
        rates = [(STARTS, RATE), (date(2025, 9, 1), Decimal("2.2"))]
        september = contract_month(date(2025, 9, 1), date(2025, 10, 1), STARTS, ENDS, WEEK, 138, rates)
        assert [(line.hours, line.hourly_rate, line.amount) for line in september.lines] == [
            (Decimal("138"), Decimal("2.2"), Decimal("303.60"))
        ]
        august = contract_month(date(2025, 8, 1), date(2025, 9, 1), STARTS, ENDS, WEEK, 138, rates)
        assert [line.hourly_rate for line in august.lines] == [RATE]

    def test_a_rate_change_on_the_16th_splits_the_month_by_planned_hours(self):
        # September 2025: 11 weekdays from 1 to 15, 11 from 16 to 30 -> 69 h at each rate
        rates = [(STARTS, RATE), (date(2025, 9, 16), Decimal("2.2"))]
        month = contract_month(date(2025, 9, 1), date(2025, 10, 1), STARTS, ENDS, WEEK, 138, rates)
        assert [(line.starts_on.day, line.ends_on.day, line.hours, line.amount) for line in month.lines] == [
            (1, 15, Decimal("69"), Decimal("142.42")),  # 69 x 2.064 = 142.416
            (16, 30, Decimal("69"), Decimal("151.80")),
        ]
        assert month.lines[0].label == (
            "Contrat du 1er au 15 septembre : 69 h sur 138 h du mois (au prorata des heures prévues) "
            "au tarif de 2,064 €/h"
        )
        assert month.amount == Decimal("294.22")

    def test_split_hours_add_up_exactly_to_the_month_when_a_share_does_not_terminate(self):
        # March 2026: 72 planned hours before the 16th, 86.4 from it: 138 x 72 / 158.4 = 62.7272…
        month = march(rates=[(STARTS, RATE), (date(2026, 3, 16), Decimal("2.2"))])
        assert [line.hours for line in month.lines] == [Decimal("62.73"), Decimal("75.27")]
        assert sum(line.hours for line in month.lines) == month.contract_hours == Decimal("138")

    def test_a_whole_month_the_venue_is_closed_is_still_billed_and_split_by_the_pattern(self):
        # August 2025 closed throughout, a rate change on the 16th: 11 pattern days before, 10 from it
        closed = {date(2025, 8, d) for d in range(1, 32)}
        rates = [(date(2025, 1, 1), RATE), (date(2025, 8, 16), Decimal("2.2"))]
        month = contract_month(
            date(2025, 8, 1), date(2025, 9, 1), date(2025, 1, 1), ENDS, WEEK, 138, rates, closed_days=closed
        )
        assert [line.hours for line in month.lines] == [Decimal("72.29"), Decimal("65.71")]  # 138 x 11 / 21

    def test_the_rate_of_a_day_is_the_last_period_starting_on_or_before_it(self):
        # first month, from Friday 15 August 2025; the rate changes on Monday 25
        rates = [(STARTS, RATE), (date(2025, 8, 25), Decimal("2.2"))]
        august = contract_month(date(2025, 8, 1), date(2025, 9, 1), STARTS, ENDS, WEEK, 138, rates)
        # 11 of August's 21 planned days: 138 x 11 / 21 = 72.29 h, split 6 days / 5 days
        assert [(line.starts_on.day, line.ends_on.day, line.hours, line.hourly_rate) for line in august.lines] == [
            (15, 24, Decimal("39.43"), RATE),  # 15, 18-22: 6 days
            (25, 31, Decimal("32.86"), Decimal("2.2")),  # 25-29: 5 days
        ]

    def test_a_partial_first_month_bills_its_share_of_the_monthly_hours(self):
        august = contract_month(date(2025, 8, 1), date(2025, 9, 1), STARTS, ENDS, WEEK, 138, [(STARTS, RATE)])
        (line,) = august.lines
        assert line.label == (
            "Contrat du 15 au 31 août (mois incomplet : 11 jours sur 21 prévus) : 72,29 h sur 138 h du mois "
            "au tarif de 2,064 €/h"
        )
        assert (line.hours, line.amount) == (Decimal("72.29"), Decimal("149.21"))  # 138 x 11/21; 72.29 x 2.064

    def test_a_contract_starting_on_the_first_is_a_whole_month(self):
        month = contract_month(*MARCH, date(2026, 3, 1), ENDS, WEEK, 138, [(date(2026, 3, 1), RATE)])
        assert month.contract_hours == Decimal("138")
        month = contract_month(*MARCH, date(2026, 3, 2), ENDS, WEEK, 138, [(date(2026, 3, 1), RATE)])
        assert month.contract_hours == Decimal("138")  # from Monday the 2nd: every planned day, never more

    def test_a_contract_ended_early_bills_its_share_of_its_last_month(self):
        month = contract_month(*MARCH, STARTS, date(2026, 3, 10), WEEK, 138, [(STARTS, RATE)])
        assert month.contract_hours == Decimal("43.91")  # 2-6, 9, 10: 7 of 22 planned days, 138 x 7 / 22
        month = contract_month(*MARCH, STARTS, date(2026, 3, 31), WEEK, 138, [(STARTS, RATE)])
        assert month.contract_hours == Decimal("138")  # ending on the last day: a whole month

    def test_a_closed_day_is_not_billed_in_a_partial_month(self):
        august = contract_month(
            date(2025, 8, 1), date(2025, 9, 1), STARTS, ENDS, WEEK, 138, [(STARTS, RATE)], closed_days={STARTS}
        )
        assert august.contract_hours == Decimal("69")  # 10 of the 20 planned days left: 138 x 10 / 20

    def test_an_illness_is_deducted_after_its_waiting_period_with_a_line_that_says_so(self):
        month = march(absences=[(ILLNESS_CERTIFICATE, date(2026, 3, 2), date(2026, 3, 9))])
        deduction = month.lines[1]
        assert deduction.kind == "deduction"
        assert (
            deduction.label
            == "Absence pour maladie (certificat) du 2 au 9 mars : 3 jours déduits après 3 jours de carence"
        )
        assert (deduction.hours, deduction.amount) == (Decimal("21.6"), Decimal("-44.58"))  # 21.6 x 2.064 = 44.5824
        assert month.deductions == Decimal("44.58")
        assert month.amount == Decimal("240.25")
        assert month.hours_billed == Decimal("116.4")

    def test_an_illness_of_three_days_deducts_nothing_and_says_why(self):
        month = march(absences=[(ILLNESS_CERTIFICATE, date(2026, 3, 2), date(2026, 3, 4))])
        assert month.lines[1].label.endswith("aucun jour déduit (les 3 premiers jours sont la carence, facturée)")
        assert month.lines[1].amount == 0
        assert month.amount == Decimal("284.83")

    def test_a_hospitalisation_is_deducted_from_its_first_day(self):
        month = march(absences=[(HOSPITALISATION, date(2026, 3, 12), date(2026, 3, 12))])
        assert month.lines[1].label == "Absence pour hospitalisation le 12 mars : 1 jour déduit dès le premier jour"
        assert month.lines[1].amount == Decimal("-14.86")  # 7.2 x 2.064 = 14.8608

    def test_an_illness_over_the_month_edge_keeps_its_waiting_period_from_its_first_day(self):
        illness = [(ILLNESS_CERTIFICATE, date(2026, 2, 26), date(2026, 3, 4))]
        february = contract_month(
            date(2026, 2, 1), date(2026, 3, 1), STARTS, ENDS, WEEK, 138, [(STARTS, RATE)], illness
        )
        assert february.deducted_hours == 0  # 26, 27, 28 February: the waiting period
        assert march(absences=illness).deducted_hours == Decimal("21.6")  # 2, 3, 4 March

    def test_deductions_never_exceed_the_contract_hours_of_the_month(self):
        # 22 weekdays x 7.2 h = 158.4 h of planned care, more than the 138 h billed
        month = march(absences=[(HOSPITALISATION, date(2026, 3, 1), date(2026, 3, 31))])
        assert month.deducted_hours == Decimal("138")
        assert month.amount == Decimal("0.00")

    def test_ten_minutes_beyond_the_contract_bill_half_an_hour(self):
        month = march(attendances=[(DAY, at(DAY, 8, 30), at(DAY, 15, 52))], increment_minutes=30)
        extra = month.lines[1]
        assert (extra.kind, extra.hours, extra.amount) == ("extra", Decimal("0.5"), Decimal("1.03"))
        assert extra.label == "Heures en plus du contrat le 10 mars : 0,5 h au tarif de 2,064 €/h"
        assert month.extra_hours == Decimal("0.5")
        assert month.hours_billed == Decimal("138.5")
        assert month.amount == Decimal("285.86")

    def test_attendance_within_the_contract_adds_no_line(self):
        month = march(attendances=[(DAY, at(DAY, 8, 30), at(DAY, 15, 42))])
        assert len(month.lines) == 1
        assert month.hours_attended == Decimal("7.2")

    def test_a_day_without_contract_is_all_extra(self):
        wednesday = date(2026, 3, 11)
        month = march(days=FOUR_DAYS, attendances=[(wednesday, at(wednesday, 9), at(wednesday, 11, 10))])
        assert month.extra_hours == Decimal("2.5")

    def test_hours_attended_is_the_sum_of_presence(self):
        days = [date(2026, 3, 10), date(2026, 3, 11)]
        month = march(attendances=[(d, at(d, 9), at(d, 12)) for d in days] + [(date(2026, 3, 12), at(DAY, 9), None)])
        assert month.hours_attended == Decimal("6")

    def test_the_amount_is_the_sum_of_the_rounded_lines(self):
        # three days with 0.5 h extra at 2.065: 1.0325 -> 1.03 each, 3.09 (not 1.5 x 2.065 = 3.10)
        days = [date(2026, 3, 10), date(2026, 3, 11), date(2026, 3, 12)]
        month = march(rates=[(STARTS, Decimal("2.065"))], attendances=[(d, at(d, 8, 30), at(d, 15, 52)) for d in days])
        assert month.extra_amount == Decimal("3.09") != amount(Decimal("2.065"), month.extra_hours)
        assert month.amount == sum(line.amount for line in month.lines) == Decimal("288.06")  # 284.97 + 3.09

    def test_the_month_must_be_a_calendar_month_inside_the_contract(self):
        with pytest.raises(ValueError, match="calendar month"):
            contract_month(date(2026, 3, 2), date(2026, 4, 1), STARTS, ENDS, WEEK, 138, [(STARTS, RATE)])
        with pytest.raises(ValueError, match="calendar month"):
            contract_month(date(2026, 3, 1), date(2026, 3, 31), STARTS, ENDS, WEEK, 138, [(STARTS, RATE)])
        with pytest.raises(ValueError, match="does not cover"):
            contract_month(date(2026, 7, 1), date(2026, 8, 1), STARTS, ENDS, WEEK, 138, [(STARTS, RATE)])

    def test_a_day_without_a_rate_or_unsorted_rates_are_refused(self):
        with pytest.raises(ValueError, match="no hourly rate"):
            march(rates=[(date(2026, 3, 2), RATE)])
        with pytest.raises(ValueError, match="sorted"):
            march(rates=[(date(2026, 3, 2), RATE), (STARTS, RATE)])

    def test_overlapping_absences_are_refused(self):
        with pytest.raises(ValueError, match="overlap"):
            march(
                absences=[
                    (OTHER, date(2026, 3, 2), date(2026, 3, 4)),
                    (HOSPITALISATION, date(2026, 3, 4), date(2026, 3, 5)),
                ]
            )

    def test_an_attendance_outside_the_month_or_on_a_deducted_day_is_refused(self):
        with pytest.raises(ValueError, match="outside"):
            march(attendances=[(date(2026, 4, 1), at(date(2026, 4, 1), 9), at(date(2026, 4, 1), 10))])
        with pytest.raises(ValueError, match="deducted"):
            march(absences=[(HOSPITALISATION, DAY, DAY)], attendances=[(DAY, at(DAY, 9), at(DAY, 10))])


class TestEarlyEnd:
    def test_the_earliest_end_is_the_request_day_plus_the_notice(self):
        assert earliest_end(date(2026, 3, 1)) == date(2026, 3, 31)  # 30 days by default
        assert earliest_end(date(2026, 3, 1), 0) == date(2026, 3, 1)

    @pytest.mark.parametrize(
        "ends_on, ok", [(date(2026, 3, 30), False), (date(2026, 3, 31), True), (date(2026, 4, 1), True)]
    )
    def test_an_end_must_respect_the_notice(self, ends_on, ok):
        errors = check_early_end(date(2026, 3, 1), ends_on, STARTS, ENDS)
        assert (errors == {}) is ok
        if not ok:
            assert errors == {
                "ends_on": ["Avec un préavis de 30 jours, le contrat peut finir au plus tôt le 31 mars 2026."]
            }

    @pytest.mark.parametrize(
        "ends_on, ok", [(date(2026, 6, 29), True), (date(2026, 6, 30), True), (date(2026, 7, 1), False)]
    )
    def test_an_end_after_the_planned_end_is_refused(self, ends_on, ok):
        assert (check_early_end(date(2026, 3, 1), ends_on, STARTS, ENDS) == {}) is ok

    @pytest.mark.parametrize("ends_on, ok", [(date(2025, 8, 14), False), (date(2025, 8, 15), True)])
    def test_an_end_before_the_start_is_refused(self, ends_on, ok):
        errors = check_early_end(date(2025, 7, 1), ends_on, STARTS, ENDS, notice_days=0)
        assert (errors == {}) is ok
        if not ok:
            assert errors["ends_on"] == ["La fin du contrat ne peut pas être avant son début (15 août 2025)."]

    def test_a_negative_notice_is_refused(self):
        with pytest.raises(ValueError):
            earliest_end(date(2026, 3, 1), -1)


class TestRatePeriods:
    """The rate of each day from the figures in force that day (contracts.rate_periods)."""

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
