"""The gratification actually paid, month by month (domain/payments.py)."""

from datetime import date
from decimal import Decimal

import pytest

from services.placements.domain.payments import duplicate, parse_amount, payment_errors, placement_months, total_paid

START, END = date(2026, 9, 7), date(2026, 12, 11)


class TestTheMonthsOfAPlacement:
    def test_every_month_its_dates_touch(self):
        assert placement_months(START, END) == ["2026-09", "2026-10", "2026-11", "2026-12"]

    def test_across_the_new_year(self):
        assert placement_months(date(2026, 12, 28), date(2027, 1, 8)) == ["2026-12", "2027-01"]


class TestAPayment:
    def test_a_month_of_the_placement_with_an_amount_to_the_cent_is_recorded(self):
        assert payment_errors("2026-09", "567.00", START, END) == {}
        assert payment_errors("2026-12", Decimal("472.5"), START, END) == {}

    def test_nothing_paid_is_recorded_as_0(self):
        assert payment_errors("2026-10", "0", START, END) == {}

    def test_the_month_before_the_first_and_after_the_last_are_refused(self):
        assert "n'est pas un mois du stage" in payment_errors("2026-08", "1", START, END)["month"]
        assert "n'est pas un mois du stage" in payment_errors("2027-01", "1", START, END)["month"]

    @pytest.mark.parametrize("month", ["2026-9", "2026-13", "09/2026", "2026-09-01", None, 202609])
    def test_a_month_not_written_yyyy_mm_is_refused(self, month):
        assert payment_errors(month, "1", START, END)["month"] == "Le mois s'écrit AAAA-MM, par exemple 2026-03."

    @pytest.mark.parametrize("amount", ["-0.01", "1.001", "abc", 12.5, None, "Infinity", True])
    def test_a_negative_amount_one_finer_than_the_cent_or_a_float_is_refused(self, amount):
        assert "au centime près" in payment_errors("2026-09", amount, START, END)["amount"]

    def test_both_fields_are_answered_at_once(self):
        assert set(payment_errors("2026-13", "-1", START, END)) == {"month", "amount"}

    def test_the_amount_is_kept_to_the_cent(self):
        assert parse_amount("472.5") == Decimal("472.50")
        assert parse_amount(Decimal(0)) == Decimal("0.00")

    def test_a_second_payment_for_a_month_is_a_conflict(self):
        assert "déjà enregistré" in duplicate("2026-09", ["2026-09", "2026-10"])
        assert duplicate("2026-11", ["2026-09", "2026-10"]) is None


class TestTheTotalPaid:
    def test_the_attestation_prints_the_sum_of_the_payments(self):
        assert total_paid([Decimal("567.00"), Decimal("378.00"), Decimal("0.00")]) == Decimal("945.00")

    def test_nothing_paid_totals_0(self):
        assert total_paid([]) == Decimal("0.00")
