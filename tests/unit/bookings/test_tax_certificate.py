"""The tax certificate's sums (domain/tax_certificate.py): sums paid in the year, per child under
six on 1 January (CGI art. 200 quater B), at the boundaries of the age and of the year."""

from datetime import date
from decimal import Decimal

from services.bookings.domain.tax_certificate import (
    Child,
    Payment,
    certificate,
    paid_in,
    prorate,
    under_six_on_first_january,
)

YEAR = 2026
LOU = Child("lou", "Lou", date(2023, 4, 12))
NINA = Child("nina", "Nina", date(2021, 9, 30))


def pays(amount, on, rejected=False, **shares):
    split = {child: Decimal(share) for child, share in shares.items()} or {"lou": Decimal(amount)}
    return Payment(Decimal(amount), on, split, rejected)


class TestAge:
    def test_a_child_born_on_1_january_six_years_before_is_six_that_day_and_excluded(self):
        assert not under_six_on_first_january(date(2020, 1, 1), YEAR)

    def test_a_child_born_the_next_day_is_still_five_on_1_january_and_included(self):
        assert under_six_on_first_january(date(2020, 1, 2), YEAR)

    def test_a_child_born_the_day_before_is_already_six_and_excluded(self):
        assert not under_six_on_first_january(date(2019, 12, 31), YEAR)

    def test_a_child_born_during_the_year_is_included(self):
        assert under_six_on_first_january(date(2026, 6, 1), YEAR)

    def test_a_child_born_on_29_february_is_handled(self):
        assert under_six_on_first_january(date(2020, 2, 29), YEAR)


class TestYear:
    def test_a_payment_on_31_december_counts_for_that_year(self):
        assert paid_in(pays("10", date(2026, 12, 31)), YEAR)

    def test_a_payment_on_1_january_next_year_does_not(self):
        assert not paid_in(pays("10", date(2027, 1, 1)), YEAR)

    def test_a_payment_on_1_january_of_the_year_counts(self):
        assert paid_in(pays("10", date(2026, 1, 1)), YEAR)

    def test_a_rejected_payment_does_not_count(self):
        assert not paid_in(pays("10", date(2026, 6, 5), rejected=True), YEAR)


class TestProrate:
    def test_a_payment_of_a_one_child_invoice_is_all_that_childs(self):
        assert prorate(Decimal("264.62"), {"lou": Decimal("264.62")}) == {"lou": Decimal("264.62")}

    def test_a_partial_payment_is_split_like_its_invoice(self):
        assert prorate(Decimal("100"), {"lou": Decimal("300"), "nina": Decimal("100")}) == {
            "lou": Decimal("75.00"),
            "nina": Decimal("25.00"),
        }

    def test_the_parts_add_up_to_the_payment_the_rounding_cent_to_the_largest_share(self):
        parts = prorate(Decimal("100.00"), {"a": Decimal("1"), "b": Decimal("1"), "c": Decimal("1.01")})
        assert sum(parts.values()) == Decimal("100.00")
        assert parts == {"a": Decimal("33.22"), "b": Decimal("33.22"), "c": Decimal("33.56")}

    def test_shares_adding_up_to_nothing_split_nothing(self):
        assert prorate(Decimal("10"), {}) == {}
        assert prorate(Decimal("10"), {"lou": Decimal("0")}) == {}


class TestCertificate:
    def test_the_sums_paid_in_the_year_per_child_not_the_sums_invoiced(self):
        payments = [
            pays("264.62", date(2026, 1, 5)),  # the December 2025 invoice, paid in January: counts in 2026
            pays("264.62", date(2026, 12, 31)),  # the last day of the year: counts
            pays("264.62", date(2027, 1, 1)),  # the December 2026 invoice, paid next year: not in 2026
            pays("264.62", date(2026, 3, 5), rejected=True),  # a returned debit: not paid
            pays("264.62", date(2026, 3, 20)),  # paid again by transfer
        ]
        made = certificate(YEAR, [LOU], payments)
        assert [(row.child.first_name, row.paid) for row in made.children] == [("Lou", Decimal("793.86"))]
        assert made.total == Decimal("793.86")

    def test_a_child_six_on_1_january_is_not_on_the_certificate_and_its_share_counts_for_nobody(self):
        six = Child("six", "Sam", date(2020, 1, 1))
        made = certificate(YEAR, [six, LOU], [pays("150", date(2026, 2, 5), six="50", lou="100")])
        assert [(row.child.id, row.paid) for row in made.children] == [("lou", Decimal("100.00"))]
        assert made.total == Decimal("100.00")

    def test_two_children_eldest_first_with_a_refund_and_a_child_who_paid_nothing(self):
        baby = Child("baby", "Jade", date(2026, 8, 1))
        payments = [
            pays("300", date(2026, 2, 5), nina="200", lou="100"),
            pays("-20", date(2026, 4, 2), lou="20"),  # a refund after a credit note
        ]
        made = certificate(YEAR, [LOU, baby, NINA], payments)
        assert [(row.child.id, row.paid) for row in made.children] == [
            ("nina", Decimal("200.00")),
            ("lou", Decimal("80.00")),
            ("baby", Decimal("0.00")),
        ]
        assert made.total == Decimal("280.00")

    def test_a_payment_on_no_childs_line_is_left_out_and_told(self):
        made = certificate(YEAR, [LOU], [Payment(Decimal("12.00"), date(2026, 5, 1), {})])
        assert made.total == Decimal("0.00") and made.unattributed == Decimal("12.00")

    def test_a_family_with_no_child_under_six_gets_an_empty_certificate(self):
        made = certificate(YEAR, [Child("old", "Léo", date(2019, 5, 1))], [pays("50", date(2026, 1, 9), old="50")])
        assert made.children == () and made.total == Decimal("0.00")
