"""The gratification de stage at its threshold and its amounts (domain/gratification.py)."""

from decimal import Decimal

import pytest

from services.placements.domain.gratification import MonthDue, UnknownRate, hourly_minimum, is_due, monthly, total


class TestWhenItIsDue:
    def test_308_hours_are_not_enough(self):
        assert is_due(True, Decimal(308), Decimal(0)) is False

    def test_the_309th_hour_makes_it_due(self):
        assert is_due(True, Decimal(309), Decimal(0)) is True

    def test_validated_hours_passing_308_make_it_due_when_the_agreement_planned_less(self):
        assert is_due(True, Decimal(300), Decimal("308.5")) is True
        assert is_due(True, Decimal(300), Decimal(308)) is False

    def test_a_placement_outside_a_convention_de_stage_never_owes_it(self):
        assert is_due(False, Decimal(770), Decimal(770)) is False


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
