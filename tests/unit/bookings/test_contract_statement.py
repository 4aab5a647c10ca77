from datetime import date
from decimal import Decimal

import pytest

from services.bookings.domain.absences import HOSPITALISATION, ILLNESS_CERTIFICATE, OTHER
from services.bookings.domain.care_pattern import hours_per_week, mensualisation
from services.bookings.domain.contract_statement import contract_month
from services.bookings.domain.fees import amount
from tests.unit.bookings.contract_examples import DAY, ENDS, FOUR_DAYS, MARCH, RATE, STARTS, WEEK, at


def march(absences=(), attendances=(), rates=((STARTS, RATE),), days=WEEK, **kw):
    return contract_month(*MARCH, STARTS, ENDS, days, Decimal("138"), list(rates), absences, attendances, **kw)


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
