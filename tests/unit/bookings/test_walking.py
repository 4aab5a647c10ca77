"""Who counts as walking for the ratio: staff's observation, the family's proposal, the age (pure)."""

from datetime import date

import pytest

from services.bookings.domain.walking import WalkingStatus, walking_status

BIRTH = date(2025, 1, 15)
DAY_BEFORE_18_MONTHS = date(2026, 7, 14)
AT_18_MONTHS = date(2026, 7, 15)
FIVE_MONTHS = date(2025, 6, 15)


def status(on, staff=None, declared=None, age=18):
    return walking_status(BIRTH, on, staff, declared, age)


def test_a_family_saying_a_five_month_old_walks_is_held_and_counted_not_walking():
    assert status(FIVE_MONTHS, declared=True) == WalkingStatus(walks=False, set_by_staff=False, pending_staff=True)


def test_a_walking_proposal_the_day_before_the_walking_age_still_waits_for_staff():
    assert status(DAY_BEFORE_18_MONTHS, declared=True) == WalkingStatus(False, False, True)


def test_at_the_walking_age_the_age_rule_gives_walking_and_nothing_waits():
    assert status(AT_18_MONTHS, declared=True) == WalkingStatus(True, False, False)
    assert status(AT_18_MONTHS) == WalkingStatus(True, False, False)


def test_without_any_statement_the_child_walks_from_the_walking_age():
    assert status(DAY_BEFORE_18_MONTHS).walks is False
    assert status(AT_18_MONTHS).walks is True


@pytest.mark.parametrize("on", [FIVE_MONTHS, DAY_BEFORE_18_MONTHS, AT_18_MONTHS, date(2027, 6, 1)])
def test_a_family_saying_not_walking_is_taken_at_once_even_after_the_walking_age(on):
    assert status(on, declared=False) == WalkingStatus(walks=False, set_by_staff=False, pending_staff=False)


@pytest.mark.parametrize("declared", [None, True, False])
def test_staff_confirming_walking_wins_below_the_walking_age_and_nothing_is_pending(declared):
    assert status(FIVE_MONTHS, staff=True, declared=declared) == WalkingStatus(True, True, False)


@pytest.mark.parametrize("declared", [None, True, False])
def test_staff_saying_not_walking_wins_after_the_walking_age(declared):
    assert status(AT_18_MONTHS, staff=False, declared=declared) == WalkingStatus(False, True, False)


def test_the_walking_age_is_the_venue_setting():
    assert status(DAY_BEFORE_18_MONTHS, declared=True, age=12) == WalkingStatus(True, False, False)
    assert status(date(2026, 1, 14), declared=True, age=12) == WalkingStatus(False, False, True)  # 11 months


def test_dates_are_checked_as_for_the_age_rule():
    with pytest.raises(ValueError):
        walking_status(BIRTH, date(2024, 12, 31), None, True)
