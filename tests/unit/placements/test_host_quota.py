"""The host's quota of trainees per civil week (domain/host_quota.py, R124-10)."""

from datetime import date

import pytest

from services.placements.domain.host_quota import (
    PFMP_SHARE_MAX,
    Hosted,
    first_full_week,
    quota_refusal,
    trainees_in_week,
    weekly_limit,
)

WEEK = date(2026, 3, 2)  # a Monday


def hosted(n, starts_on=WEEK, ends_on=date(2026, 3, 6)):
    return [Hosted(f"t{i}", starts_on, ends_on) for i in range(n)]


def test_under_twenty_staff_the_host_takes_three_trainees_a_week():
    assert weekly_limit(0) == 3 and weekly_limit(19) == 3


def test_from_twenty_staff_the_limit_is_fifteen_percent_rounded_up():
    assert weekly_limit(20) == 3
    assert weekly_limit(21) == 4  # 3.15 rounded up
    assert weekly_limit(40) == 6


def test_a_pfmp_share_set_by_the_academie_raises_the_limit():
    assert weekly_limit(40, PFMP_SHARE_MAX) == 8
    assert weekly_limit(19, PFMP_SHARE_MAX) == 3


def test_a_negative_staff_count_is_an_error():
    with pytest.raises(ValueError):
        weekly_limit(-1)


def test_the_fourth_trainee_in_a_civil_week_is_refused():
    candidate = Hosted("new", date(2026, 2, 23), date(2026, 3, 13))
    assert first_full_week(candidate, hosted(3), staff=19) == WEEK
    assert "semaine du 02/03/2026" in quota_refusal(candidate, hosted(3), staff=19)


def test_the_third_trainee_in_a_civil_week_is_allowed():
    assert quota_refusal(Hosted("new", WEEK, date(2026, 3, 13)), hosted(2), staff=19) is None


def test_a_convention_ending_on_sunday_and_one_starting_on_monday_are_in_different_weeks():
    before = hosted(3, date(2026, 2, 16), date(2026, 3, 1))  # ends on Sunday 1 March
    assert quota_refusal(Hosted("new", WEEK, date(2026, 3, 13)), before, staff=5) is None


def test_a_convention_touching_the_week_by_one_day_counts_for_the_whole_week():
    saturday_only = hosted(3, date(2026, 2, 2), date(2026, 3, 7))
    assert first_full_week(Hosted("new", date(2026, 3, 2), date(2026, 3, 2)), saturday_only, staff=5) == WEEK


def test_with_forty_staff_the_seventh_trainee_is_refused_not_the_sixth():
    candidate = Hosted("new", WEEK, date(2026, 3, 6))
    assert quota_refusal(candidate, hosted(5), staff=40) is None
    assert quota_refusal(candidate, hosted(6), staff=40) is not None


def test_nineteen_staff_and_twenty_staff_both_refuse_the_fourth_trainee_fifteen_percent_of_20_being_3():
    candidate = Hosted("new", WEEK, date(2026, 3, 6))
    assert quota_refusal(candidate, hosted(3), staff=19) is not None
    assert quota_refusal(candidate, hosted(3), staff=20) is not None
    assert quota_refusal(candidate, hosted(2), staff=20) is None


def test_a_trainee_is_counted_once_in_a_week():
    assert trainees_in_week(
        [Hosted("a", WEEK, date(2026, 3, 3)), Hosted("a", date(2026, 3, 4), date(2026, 3, 6))], WEEK
    ) == {"a"}
