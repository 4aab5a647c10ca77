from datetime import date
from decimal import Decimal

import pytest

from services.bookings.domain.ratio import (
    RATIO_AT_LIMIT,
    RATIO_BREACH,
    RATIO_OK,
    RatioOption,
    adults_required,
    can_admit,
    is_walking,
    max_present,
    places_offered,
    ratio_status,
)

F58 = RatioOption.FIVE_EIGHT
O16 = RatioOption.ONE_SIX


class TestAdultsRequired:
    def test_no_child_needs_no_adult(self):
        assert adults_required(0, 0, F58) == 0
        assert adults_required(0, 0, O16, micro_creche=True) == 0

    @pytest.mark.parametrize(
        "nw, w, expected",
        [
            (1, 0, 2),  # ceil(1/5)=1, but minimum 2 professionals
            (5, 0, 2),  # ceil(5/5)=1 -> minimum 2 wins
            (10, 0, 2),  # 10/5 = 2 exactly
            (11, 0, 3),  # 11/5 = 2.2 -> 3
            (0, 8, 2),  # 8/8 = 1 -> minimum 2
            (0, 16, 2),  # 16/8 = 2
            (0, 17, 3),  # 17/8 = 2.125 -> 3
            (5, 8, 2),  # 5/5 + 8/8 = 2 exactly (fractions, no float drift)
            (5, 9, 3),  # 1 + 9/8 = 2.125 -> 3
            (10, 8, 3),  # 2 + 1 = 3
            (3, 12, 3),  # 3/5 + 12/8 = 0.6 + 1.5 = 2.1 -> 3
            (2, 4, 2),  # 0.4 + 0.5 = 0.9 -> 1 -> minimum 2
            (15, 24, 6),  # 3 + 3 = 6 exactly
        ],
    )
    def test_five_eight(self, nw, w, expected):
        assert adults_required(nw, w, F58) == expected

    @pytest.mark.parametrize(
        "nw, w, expected",
        [
            (1, 0, 2),  # ceil(1/6)=1 -> minimum 2
            (6, 6, 2),  # 12/6 = 2
            (7, 6, 3),  # 13/6 = 2.17 -> 3
            (0, 18, 3),  # 18/6 = 3
            (10, 9, 4),  # 19/6 = 3.17 -> 4
        ],
    )
    def test_one_six_ignores_age(self, nw, w, expected):
        assert adults_required(nw, w, O16) == expected

    def test_option_accepts_its_string_value(self):
        assert adults_required(11, 0, "5_8") == 3
        with pytest.raises(ValueError):
            adults_required(1, 0, "1_5")

    @pytest.mark.parametrize(
        "nw, w, expected",
        [
            (1, 0, 1),
            (3, 0, 1),  # up to 3 children one adult is enough in a micro-crèche
            (2, 1, 1),
            (4, 0, 2),  # from 4 children the 2-adult minimum applies
            (0, 4, 2),
            (11, 0, 3),  # the ratio itself still applies: ceil(11/5) = 3
        ],
    )
    def test_micro_creche_minimum(self, nw, w, expected):
        assert adults_required(nw, w, F58, micro_creche=True) == expected

    def test_negative_counts_rejected(self):
        with pytest.raises(ValueError):
            adults_required(-1, 0, F58)
        with pytest.raises(ValueError):
            adults_required(0, -3, O16)

    def test_non_int_rejected(self):
        with pytest.raises(TypeError):
            adults_required(1.0, 0, F58)


class TestCapacity:
    def test_overcapacity_off_by_default(self):
        assert max_present(12) == 12

    def test_overcapacity_rounds_down(self):
        assert max_present(12, Decimal("1.15")) == 13  # 13.8 -> 13
        assert max_present(20, Decimal("1.15")) == 23  # 23.0 exactly

    def test_overcapacity_bounds(self):
        with pytest.raises(ValueError):
            max_present(12, Decimal("1.16"))
        with pytest.raises(ValueError):
            max_present(12, Decimal("0.9"))
        with pytest.raises(TypeError):
            max_present(12, 1.15)
        with pytest.raises(ValueError):
            max_present(-1)


class TestCanAdmit:
    def test_zero_staff_admits_nobody(self):
        assert can_admit(0, 0, 0, False, F58, 10) is False
        assert can_admit(0, 0, 0, True, F58, 10, micro_creche=True) is False

    def test_one_adult_is_below_the_minimum(self):
        # 1 non-walking child needs ceil(1/5)=1 by ratio, but 2 professionals by R2324-43-1
        assert can_admit(1, 0, 0, False, F58, 10) is False

    def test_one_adult_micro_creche_up_to_three(self):
        assert can_admit(1, 2, 0, False, F58, 10, micro_creche=True) is True  # 3rd child
        assert can_admit(1, 3, 0, False, F58, 10, micro_creche=True) is False  # 4th child

    def test_ratio_boundary_five_eight(self):
        # 2 adults: 9 non-walking + 1 more = 10/5 = 2 -> ok; 11th -> 2.2 -> 3 adults
        assert can_admit(2, 9, 0, False, F58, 20) is True
        assert can_admit(2, 10, 0, False, F58, 20) is False
        # 5 nw + 7 w + walking child = 1 + 8/8 = 2 -> ok; a non-walking one instead: 6/5+7/8 > 2
        assert can_admit(2, 5, 7, True, F58, 20) is True
        assert can_admit(2, 5, 7, False, F58, 20) is False

    def test_ratio_boundary_one_six(self):
        assert can_admit(2, 11, 0, False, O16, 20) is True  # 12/6 = 2
        assert can_admit(2, 6, 6, True, O16, 20) is False  # 13/6 -> 3

    def test_room_capacity_caps(self):
        # plenty of staff, but the room holds 12
        assert can_admit(5, 0, 11, True, F58, 12) is True
        assert can_admit(5, 0, 12, True, F58, 12) is False

    def test_115_percent_only_when_enabled(self):
        assert can_admit(5, 0, 12, True, F58, 12) is False
        assert can_admit(5, 0, 12, True, F58, 12, overcapacity=Decimal("1.15")) is True  # 13
        assert can_admit(5, 0, 13, True, F58, 12, overcapacity=Decimal("1.15")) is False  # 14 > 13


class TestPlacesOffered:
    def test_zero_staff(self):
        assert places_offered(0, "walking", F58, 20) == 0

    def test_one_staff_not_enough_outside_micro_creche(self):
        assert places_offered(1, "walking", F58, 20) == 0

    def test_one_staff_micro_creche(self):
        assert places_offered(1, "walking", F58, 10, micro_creche=True) == 3
        assert places_offered(1, "non_walking", F58, 10, micro_creche=True) == 3

    def test_five_eight_groups(self):
        assert places_offered(2, "non_walking", F58, 30) == 10  # 2 x 5
        assert places_offered(2, "walking", F58, 30) == 16  # 2 x 8
        assert places_offered(3, "walking", F58, 30) == 24

    def test_mixed_is_counted_as_non_walking_under_five_eight(self):
        assert places_offered(2, "mixed", F58, 30) == 10  # not 16: age mix unknown

    def test_one_six_same_for_every_group(self):
        for group in ("non_walking", "walking", "mixed"):
            assert places_offered(2, group, O16, 30) == 12

    def test_capped_by_room(self):
        assert places_offered(4, "walking", F58, 12) == 12  # ratio would allow 32
        assert places_offered(4, "walking", F58, 12, overcapacity=Decimal("1.15")) == 13
        assert places_offered(4, "walking", F58, 0) == 0

    def test_invalid(self):
        with pytest.raises(ValueError):
            places_offered(2, "toddlers", F58, 10)
        with pytest.raises(ValueError):
            places_offered(-1, "walking", F58, 10)
        with pytest.raises(ValueError):
            places_offered(2, "walking", F58, -5)


class TestIsWalking:
    def test_age_threshold(self):
        born = date(2024, 3, 15)
        assert is_walking(born, date(2025, 9, 14)) is False  # 17 months 30 days
        assert is_walking(born, date(2025, 9, 15)) is True  # exactly 18 months

    def test_end_of_month_birthday(self):
        # born 31 Aug 2024: 18 months are reached on 28 Feb 2026 (no 31 Feb)
        assert is_walking(date(2024, 8, 31), date(2026, 2, 27)) is False
        assert is_walking(date(2024, 8, 31), date(2026, 2, 28)) is True

    def test_leap_day_and_year_end(self):
        assert is_walking(date(2024, 2, 29), date(2025, 8, 29)) is True  # 18 months
        assert is_walking(date(2024, 6, 30), date(2025, 12, 29)) is False  # 17 months
        assert is_walking(date(2024, 6, 30), date(2025, 12, 30)) is True

    def test_override_wins(self):
        born = date(2025, 1, 1)
        assert is_walking(born, date(2025, 11, 1), override=True) is True  # 10 months, walks early
        assert is_walking(born, date(2027, 1, 1), override=False) is False

    def test_configurable_threshold(self):
        born = date(2024, 1, 10)
        assert is_walking(born, date(2025, 3, 10), walking_age_months=14) is True
        assert is_walking(born, date(2025, 3, 10)) is False  # 14 months < 18

    def test_invalid(self):
        with pytest.raises(ValueError):
            is_walking(date(2025, 1, 1), date(2024, 12, 31))
        with pytest.raises(ValueError):
            is_walking(date(2025, 1, 1), date(2025, 2, 1), walking_age_months=-1)


class TestRatioStatus:
    """The day's board: ok, at the limit (the staff exactly suffice), breach (too few adults)."""

    @pytest.mark.parametrize(
        "staff, nw, w, walks, expected",
        [
            (2, 0, 0, False, RATIO_OK),  # nobody yet: one child needs 2, there are 2
            (2, 9, 0, False, RATIO_OK),  # 10 non-walking would still need 2
            (2, 10, 0, False, RATIO_AT_LIMIT),  # just at: an 11th needs a 3rd adult
            (2, 11, 0, False, RATIO_BREACH),  # just above: 11 need 3
            (2, 0, 15, True, RATIO_OK),  # 16 walking still need 2
            (2, 0, 16, True, RATIO_AT_LIMIT),
            (2, 0, 17, True, RATIO_BREACH),
            (2, 5, 7, True, RATIO_OK),  # 5 + 8 = exactly 2 adults: one more walker still fits
            (2, 5, 8, True, RATIO_AT_LIMIT),
            (2, 0, 10, False, RATIO_OK),  # 1 non-walking more: 1/5 + 10/8 = 1.45 -> 2
            (1, 0, 0, False, RATIO_AT_LIMIT),  # 1 adult: the first child already needs 2
            (1, 1, 0, False, RATIO_BREACH),  # the minimum of two
            (0, 0, 0, False, RATIO_AT_LIMIT),  # no staff, no child: no child may come
            (3, 1, 0, False, RATIO_OK),
        ],
    )
    def test_the_status_at_the_boundaries_of_five_eight(self, staff, nw, w, walks, expected):
        assert ratio_status(staff, nw, w, F58, next_child_walks=walks) == expected

    def test_the_next_child_of_a_non_walking_or_mixed_slot_counts_as_non_walking(self):
        # 2 adults, 0 + 16 walking: one more walker needs 3 (at the limit), whoever comes
        assert ratio_status(2, 0, 16, F58, next_child_walks=False) == RATIO_AT_LIMIT
        # 9 non-walking + 0: a 10th non-walking still fits; a walker too
        assert ratio_status(2, 9, 0, F58, next_child_walks=True) == RATIO_OK

    @pytest.mark.parametrize("children, expected", [(11, RATIO_OK), (12, RATIO_AT_LIMIT), (13, RATIO_BREACH)])
    def test_one_six_ignores_walking(self, children, expected):
        assert ratio_status(2, children, 0, O16) == expected
        assert ratio_status(2, 0, children, O16, next_child_walks=True) == expected

    @pytest.mark.parametrize("children, expected", [(2, RATIO_OK), (3, RATIO_AT_LIMIT), (4, RATIO_BREACH)])
    def test_a_micro_creche_keeps_one_adult_up_to_three_children(self, children, expected):
        assert ratio_status(1, 0, children, F58, micro_creche=True, next_child_walks=True) == expected

    def test_a_negative_count_is_refused(self):
        with pytest.raises(ValueError):
            ratio_status(-1, 0, 0, F58)
        with pytest.raises(TypeError):
            ratio_status(True, 0, 0, F58)
