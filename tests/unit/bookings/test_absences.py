from datetime import date
from decimal import Decimal

import pytest

from services.bookings.domain.absences import (
    ABSENCE_REASONS,
    CLOSURE,
    EVICTION,
    HOSPITALISATION,
    ILLNESS_CERTIFICATE,
    OTHER,
    absence_days,
    deducted_days,
    deducted_hours,
)
from services.bookings.domain.care_pattern import scheduled_days
from tests.unit.bookings.contract_examples import ENDS, MARCH, STARTS, WEEK, at


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
