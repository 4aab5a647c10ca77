"""The mandatory vaccinations and the provisional admission of a child not up to date (pure)."""

from datetime import date

import pytest

from services.bookings.domain.vaccinations import (
    BEFORE_2018,
    ELEVEN,
    admission_day,
    care_refused_from,
    may_be_cared_for,
    provisional_until,
    required_vaccinations,
)

ADMITTED = date(2027, 1, 15)
LAST_DAY = date(2027, 4, 15)
DAY_AFTER = date(2027, 4, 16)


def test_a_child_born_on_1_january_2018_needs_the_eleven_vaccinations():
    assert required_vaccinations(date(2018, 1, 1)) == ELEVEN
    assert len(ELEVEN) == 11


def test_a_child_born_on_31_december_2017_needs_only_diphtheria_tetanus_and_polio():
    assert required_vaccinations(date(2017, 12, 31)) == BEFORE_2018
    assert len(BEFORE_2018) == 3


def test_the_provisional_admission_ends_three_months_later_on_the_same_day_number():
    assert provisional_until(ADMITTED) == LAST_DAY


@pytest.mark.parametrize(
    ("admitted", "until"),
    [
        (date(2026, 11, 30), date(2027, 2, 28)),
        (date(2027, 11, 30), date(2028, 2, 29)),  # a leap year
        (date(2026, 10, 31), date(2027, 1, 31)),  # across the year
        (date(2027, 5, 31), date(2027, 8, 31)),
        (date(2027, 3, 31), date(2027, 6, 30)),
    ],
)
def test_without_that_day_in_the_third_month_the_period_ends_on_its_last_day(admitted, until):
    assert provisional_until(admitted) == until


def test_a_child_not_up_to_date_may_be_cared_for_on_the_last_day_of_the_grace_period():
    assert may_be_cared_for(False, ADMITTED, LAST_DAY) is True


def test_a_child_not_up_to_date_may_not_be_cared_for_the_day_after():
    assert may_be_cared_for(False, ADMITTED, DAY_AFTER) is False


def test_a_child_up_to_date_may_be_cared_for_any_day():
    assert may_be_cared_for(True, ADMITTED, date(2029, 1, 1)) is True


def test_a_child_never_admitted_is_admitted_on_the_day_asked():
    assert may_be_cared_for(False, None, DAY_AFTER) is True


def test_admission_is_the_earliest_day_booked_or_under_contract():
    assert admission_day(None, date(2027, 3, 1), date(2027, 2, 1)) == date(2027, 2, 1)
    assert admission_day(None, None) is None


def test_care_is_refused_from_the_day_after_the_last_day_of_the_grace_period():
    assert care_refused_from(False, date(2027, 1, 15)) == date(2027, 4, 16)
    assert may_be_cared_for(False, date(2027, 1, 15), date(2027, 4, 15))
    assert not may_be_cared_for(False, date(2027, 1, 15), date(2027, 4, 16))


def test_care_admitted_on_30_november_is_refused_from_1_march():
    assert care_refused_from(False, date(2026, 11, 30)) == date(2027, 3, 1)
    assert care_refused_from(False, date(2027, 11, 30)) == date(2028, 3, 1)  # 29 February 2028 is the last day


def test_care_is_never_refused_to_a_child_up_to_date_or_never_admitted():
    assert care_refused_from(True, date(2027, 1, 15)) is None
    assert care_refused_from(False, None) is None
