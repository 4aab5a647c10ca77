"""The tutor's limit by the conventions in progress on the designation's day (domain/tutoring.py)."""

from datetime import date

from services.placements.domain.tutoring import Tutored, crowded_day, designation_refusal, in_progress

MARCH = Tutored(date(2026, 3, 2), date(2026, 3, 27))


def test_a_convention_is_in_progress_from_its_first_to_its_last_day():
    assert in_progress([MARCH], date(2026, 3, 2)) == 1 and in_progress([MARCH], date(2026, 3, 27)) == 1
    assert in_progress([MARCH], date(2026, 3, 1)) == 0 and in_progress([MARCH], date(2026, 3, 28)) == 0


def test_the_fourth_designation_is_refused_when_three_conventions_are_in_progress_that_day():
    new = Tutored(date(2026, 3, 16), date(2026, 4, 10))
    assert crowded_day(new, [MARCH] * 3) == date(2026, 3, 16)
    assert "le 16/03/2026" in designation_refusal(new, [MARCH] * 3)


def test_the_third_designation_is_allowed_with_two_in_progress():
    assert designation_refusal(Tutored(date(2026, 3, 16), date(2026, 4, 10)), [MARCH] * 2) is None


def test_the_fourth_designation_is_allowed_when_the_three_others_ended_the_day_before():
    new = Tutored(date(2026, 3, 28), date(2026, 4, 24))
    assert designation_refusal(new, [MARCH] * 3) is None


def test_the_fourth_designation_is_allowed_when_the_three_others_start_after_it_ends():
    new = Tutored(date(2026, 2, 2), date(2026, 2, 27))
    assert designation_refusal(new, [MARCH] * 3) is None


def test_a_change_of_tutor_is_judged_on_the_day_it_takes_effect_not_on_the_first_day():
    change = Tutored(date(2026, 2, 2), date(2026, 4, 24), designated_on=date(2026, 3, 30))
    assert designation_refusal(change, [MARCH] * 3) is None
    assert crowded_day(Tutored(date(2026, 2, 2), date(2026, 4, 24), designated_on=date(2026, 3, 9)), [MARCH] * 3)


def test_a_new_convention_may_not_put_a_designation_already_made_over_the_limit_on_its_own_day():
    early = Tutored(date(2026, 2, 16), date(2026, 3, 20))  # in progress when the March ones start
    assert crowded_day(early, [MARCH] * 3) == date(2026, 3, 2)
    assert crowded_day(early, [MARCH] * 2) is None


def test_the_limit_is_the_venues_setting():
    new = Tutored(date(2026, 3, 16), date(2026, 4, 10))
    assert designation_refusal(new, [MARCH] * 3, max_per_tutor=4) is None
    assert "plus de 2 conventions" in designation_refusal(new, [MARCH] * 2, max_per_tutor=2)
