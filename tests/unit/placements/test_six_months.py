"""At most 6 months (924 h) per trainee per host per school year (domain/six_months.py)."""

from datetime import date
from decimal import Decimal

from services.placements.domain.gratification import Stay
from services.placements.domain.six_months import LIMIT_HOURS, hours_over, refusal


def earlier(hours, month="2026-09", under_convention=True):
    return Stay("earlier", date(2026, 9, 1), date(2026, 12, 31), {month: Decimal(hours)}, under_convention)


NEW_PFMP = {"2027-01": Decimal(105), "2027-02": Decimal(105)}  # 210 h in school year 2026-2027


class TestSixMonthsAtThisHost:
    def test_six_months_are_924_hours_of_presence(self):
        assert LIMIT_HOURS == 132 * 7

    def test_reaching_924_hours_exactly_is_allowed(self):
        assert hours_over([earlier(714)], NEW_PFMP) == {}
        assert refusal([earlier(714)], NEW_PFMP) is None

    def test_one_more_hour_is_refused_with_a_sentence_for_the_409(self):
        assert hours_over([earlier(715)], NEW_PFMP) == {2026: Decimal(925)}
        sentence = refusal([earlier(715)], NEW_PFMP)
        assert "925 h" in sentence and "2026-2027" in sentence and "L124-5" in sentence

    def test_a_hundredth_over_is_refused_too(self):
        assert "924,01 h" in refusal([earlier("714.01")], NEW_PFMP)

    def test_hours_in_another_school_year_do_not_count(self):
        assert refusal([earlier(900, month="2026-06")], NEW_PFMP) is None

    def test_a_placement_straddling_31_august_is_counted_in_each_school_year_for_its_part(self):
        straddling = {"2026-08": Decimal(147), "2026-09": Decimal(63)}
        assert hours_over([earlier(800, month="2026-06")], straddling) == {2025: Decimal(947)}
        assert hours_over([earlier(862)], straddling) == {2026: Decimal(925)}

    def test_a_placement_outside_a_convention_de_stage_is_not_limited_nor_counted(self):
        assert refusal([earlier(900)], NEW_PFMP, under_convention=False) is None
        assert refusal([earlier(900, under_convention=False)], NEW_PFMP) is None
