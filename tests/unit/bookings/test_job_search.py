"""A family's job search as the AVIP priority reads it (services/bookings/domain/job_search.py):
an outcome ends it from its date unless the family file changed later; the latest dated fact
wins whatever the order they arrive in (pure)."""

from datetime import date, datetime, timezone

import pytest

from services.bookings.domain.job_search import JobSearch, after_file_change, after_outcome, is_after_file_change

TYPED_ON = date(2026, 3, 10)
TYPED_AT = datetime(2026, 3, 10, 9, 30, tzinfo=timezone.utc)
SEEKING_SINCE_THE_FILE = JobSearch(job_seeker=True, changed_on=TYPED_ON, changed_at=TYPED_AT)


def test_an_outcome_ends_the_search_of_a_job_seeking_family_from_its_date():
    ended = after_outcome(SEEKING_SINCE_THE_FILE, date(2026, 3, 12), datetime(2026, 3, 12, 8, tzinfo=timezone.utc))
    assert (ended.job_seeker, ended.back_to_work_on) == (False, date(2026, 3, 12))
    assert (ended.changed_on, ended.changed_at) == (TYPED_ON, TYPED_AT)  # the file's change is kept


def test_a_family_never_changed_in_the_file_is_ended_by_any_outcome():
    ended = after_outcome(JobSearch(job_seeker=True), date(2020, 1, 1), TYPED_AT)
    assert (ended.job_seeker, ended.back_to_work_on) == (False, date(2020, 1, 1))


@pytest.mark.parametrize(
    "on, recorded_at, later",
    [
        (date(2026, 3, 9), datetime(2026, 3, 11, 9, tzinfo=timezone.utc), False),  # the day before, told late
        (TYPED_ON, datetime(2026, 3, 10, 9, 29, tzinfo=timezone.utc), False),  # same day, recorded before
        (TYPED_ON, TYPED_AT, False),  # same day, same instant: the file stands
        (TYPED_ON, datetime(2026, 3, 10, 9, 31, tzinfo=timezone.utc), True),  # same day, recorded after
        (date(2026, 3, 11), datetime(2026, 3, 11, 9, tzinfo=timezone.utc), True),  # the day after
    ],
)
def test_an_outcome_counts_only_after_the_files_last_change_the_same_day_by_when_it_was_recorded(
    on, recorded_at, later
):
    assert is_after_file_change(SEEKING_SINCE_THE_FILE, on, recorded_at) is later
    assert after_outcome(SEEKING_SINCE_THE_FILE, on, recorded_at).job_seeker is not later


def test_an_outcome_older_than_the_files_change_leaves_it_as_staff_typed_it():
    assert after_outcome(SEEKING_SINCE_THE_FILE, date(2026, 3, 1), TYPED_AT) == SEEKING_SINCE_THE_FILE


def test_a_family_the_file_says_is_not_job_seeking_has_no_search_to_end():
    not_seeking = JobSearch(job_seeker=False, changed_on=TYPED_ON, changed_at=TYPED_AT)
    assert after_outcome(not_seeking, date(2026, 3, 20), datetime(2026, 3, 20, tzinfo=timezone.utc)) == not_seeking


def test_two_outcomes_end_the_search_on_the_earlier_whatever_their_order():
    first, second = date(2026, 3, 12), date(2026, 3, 16)
    at = datetime(2026, 3, 16, 12, tzinfo=timezone.utc)
    one_way = after_outcome(after_outcome(SEEKING_SINCE_THE_FILE, first, at), second, at)
    other_way = after_outcome(after_outcome(SEEKING_SINCE_THE_FILE, second, at), first, at)
    assert one_way == other_way
    assert one_way.back_to_work_on == first


def test_the_same_outcome_twice_changes_nothing_the_second_time():
    at = datetime(2026, 3, 12, 8, tzinfo=timezone.utc)
    once = after_outcome(SEEKING_SINCE_THE_FILE, date(2026, 3, 12), at)
    assert after_outcome(once, date(2026, 3, 12), at) == once


def test_a_file_change_starts_afresh_and_forgets_an_outcomes_end():
    back = JobSearch(job_seeker=False, changed_on=TYPED_ON, changed_at=TYPED_AT, back_to_work_on=date(2026, 3, 12))
    at = datetime(2026, 4, 2, 10, tzinfo=timezone.utc)
    assert after_file_change(back, True, date(2026, 4, 2), at) == JobSearch(True, date(2026, 4, 2), at, None)


def test_the_same_value_typed_again_in_the_file_is_no_change():
    back = JobSearch(job_seeker=False, back_to_work_on=date(2026, 3, 12))
    assert after_file_change(back, False, date(2026, 4, 2), TYPED_AT) == back
    assert after_file_change(SEEKING_SINCE_THE_FILE, True, date(2026, 4, 2), TYPED_AT) == SEEKING_SINCE_THE_FILE


def test_an_outcome_and_a_later_file_change_give_the_same_search_in_either_order():
    """An outcome dated the 12th, and staff typing "job-seeking" on the 20th: whether the outcome is
    delivered before that change or after it, the family is job-seeking since the 20th."""
    outcome_on, outcome_at = date(2026, 3, 12), datetime(2026, 3, 12, 8, tzinfo=timezone.utc)
    typed_on, typed_at = date(2026, 3, 20), datetime(2026, 3, 20, 9, tzinfo=timezone.utc)
    start = JobSearch(job_seeker=False)
    outcome_first = after_file_change(after_outcome(start, outcome_on, outcome_at), True, typed_on, typed_at)
    outcome_late = after_outcome(after_file_change(start, True, typed_on, typed_at), outcome_on, outcome_at)
    assert outcome_first == outcome_late == JobSearch(True, typed_on, typed_at)
