"""The gratification de stage at its threshold and its amounts (domain/gratification.py)."""

from datetime import date
from decimal import Decimal

import pytest

from services.placements.domain.gratification import (
    MonthDue,
    Owed,
    Stay,
    UnknownRate,
    due_by_placement,
    hourly_minimum,
    hours_by_school_year,
    monthly,
    total,
)
from services.placements.domain.school_year import planned_hours_by_month


class TestAmounts:
    def test_309_hours_in_2025_give_1344_euros_15(self):
        months = monthly({"2025-03": Decimal(309)}, due=True)
        assert months == [MonthDue("2025-03", Decimal(309), Decimal("4.35"), Decimal("1344.15"))]

    def test_each_month_at_its_years_rate_to_the_cent(self):
        months = monthly({"2026-01": Decimal("70.5"), "2025-12": Decimal(35)}, due=True)
        assert [(m.month, m.hourly_rate, m.amount) for m in months] == [
            ("2025-12", Decimal("4.35"), Decimal("152.25")),
            ("2026-01", Decimal("4.50"), Decimal("317.25")),
        ]
        assert total(months) == Decimal("469.50")

    def test_nothing_is_owed_while_not_due(self):
        assert monthly({"2026-01": Decimal(300)}, due=False) == []
        assert total([]) == Decimal("0.00")

    def test_a_year_without_a_known_rate_needs_the_venues_setting(self):
        with pytest.raises(UnknownRate):
            hourly_minimum(2027)
        assert hourly_minimum(2027, {2027: Decimal("4.62")}) == Decimal("4.62")


WEEKDAYS_7H = {day: Decimal(7) for day in range(5)}


def stay(placement_id, start, end, under_convention=True):
    return Stay(placement_id, start, end, planned_hours_by_month(start, end, WEEKDAYS_7H), under_convention)


def hours_stay(placement_id, hours_by_month, under_convention=True):
    return Stay(placement_id, date(2026, 9, 1), date(2026, 12, 31), hours_by_month, under_convention)


FIRST_PFMP = stay("pfmp-1", date(2026, 9, 7), date(2026, 10, 16))  # 6 weeks, 210 h
SECOND_PFMP = stay("pfmp-2", date(2026, 11, 2), date(2026, 12, 11))  # 6 weeks, 210 h, same school year


class TestAcrossThePlacementsAtThisHost:
    def test_two_6_week_pfmp_in_one_school_year_owe_1890_euros_from_the_first_hour(self):
        owed = due_by_placement([FIRST_PFMP, SECOND_PFMP])
        assert hours_by_school_year([FIRST_PFMP, SECOND_PFMP]) == {2026: Decimal(420)}
        assert [(o.due, o.minimum) for o in owed.values()] == [(True, Decimal("945.00")), (True, Decimal("945.00"))]
        assert sum(o.minimum for o in owed.values()) == Decimal("1890.00")
        assert owed["pfmp-1"].months[0] == MonthDue("2026-09", Decimal(126), Decimal("4.50"), Decimal("567.00"))

    def test_308_hours_over_two_placements_are_not_enough(self):
        owed = due_by_placement([hours_stay("a", {"2026-09": Decimal(210)}), hours_stay("b", {"2026-11": Decimal(98)})])
        assert [(o.due, o.minimum, o.months) for o in owed.values()] == [(False, Decimal("0.00"), ())] * 2

    def test_308_hours_and_a_hundredth_over_two_placements_make_both_due(self):
        first, second = hours_stay("a", {"2026-09": Decimal(210)}), hours_stay("b", {"2026-11": Decimal("98.01")})
        owed = due_by_placement([first, second])
        assert owed["a"].due and owed["b"].due
        assert owed["a"].due_school_years == (2026,)
        assert owed["b"].minimum == Decimal("441.05")  # 98.01 x 4.50 = 441.045, to the cent

    def test_the_same_two_pfmp_in_two_school_years_owe_nothing(self):
        may = stay("may", date(2026, 5, 4), date(2026, 6, 12))  # school year 2025-2026
        owed = due_by_placement([may, FIRST_PFMP])  # school year 2026-2027
        assert hours_by_school_year([may, FIRST_PFMP]) == {2025: Decimal(210), 2026: Decimal(210)}
        assert not any(o.due for o in owed.values())

    def test_a_placement_straddling_31_august_is_due_for_the_months_of_the_due_school_year_only(self):
        winter = stay("winter", date(2026, 1, 5), date(2026, 2, 13))  # 210 h in 2025-2026
        summer = stay("summer", date(2026, 8, 3), date(2026, 9, 11))  # 147 h in 2025-2026, 63 h in 2026-2027
        owed = due_by_placement([winter, summer])
        assert owed["summer"].due_school_years == (2025,)
        assert [m.month for m in owed["summer"].months] == ["2026-08"]
        assert owed["summer"].minimum == Decimal("661.50")  # 147 x 4.50
        assert owed["winter"].minimum == Decimal("945.00")

    def test_one_placement_of_more_than_308_hours_across_31_august_is_due_whole(self):
        long = hours_stay("long", {"2026-07": Decimal(154), "2026-08": Decimal(77), "2026-09": Decimal(84)})
        owed = due_by_placement([long])["long"]
        assert owed.due_school_years == (2025, 2026)
        assert owed.minimum == Decimal("1417.50")  # 315 x 4.50

    def test_a_placement_outside_a_convention_de_stage_neither_counts_nor_owes(self):
        adult = stay("adult", date(2026, 11, 2), date(2026, 12, 11), under_convention=False)
        owed = due_by_placement([FIRST_PFMP, adult])
        assert hours_by_school_year([FIRST_PFMP, adult]) == {2026: Decimal(210)}
        assert not owed["pfmp-1"].due and not owed["adult"].due

    def test_an_adult_alone_over_308_hours_owes_nothing(self):
        adult = hours_stay("adult", {"2026-09": Decimal(400)}, under_convention=False)
        assert due_by_placement([adult])["adult"] == Owed("adult", False, (), (), Decimal("0.00"))

    def test_a_due_month_in_a_year_without_a_known_rate_shows_no_amount(self):
        owed = due_by_placement([hours_stay("a", {"2027-01": Decimal(309)})])["a"]
        assert owed.due and owed.minimum is None
        with_setting = due_by_placement([hours_stay("a", {"2027-01": Decimal(309)})], {2027: Decimal("4.62")})["a"]
        assert with_setting.minimum == Decimal("1427.58")
