"""The training credit's rule (services/placements/domain/training.py): only a higher revision of
the attendance sheet changes a credit; present credits the part, absent takes it back; the day
is the venue's."""

from datetime import date, datetime, timezone

import pytest

from services.placements.domain import training

NINE = datetime(2026, 12, 7, 8, 0, tzinfo=timezone.utc)  # 9:00 in Paris
NOON = datetime(2026, 12, 7, 11, 30, tzinfo=timezone.utc)


def attendance(revision, present=True, starts_at=NINE, ends_at=NOON):
    return training.Attendance(revision, present, starts_at, ends_at)


@pytest.mark.parametrize(
    ("revision", "kept", "expected"),
    [(1, None, True), (2, 3, False), (3, 3, False), (4, 3, True)],
    ids=["nothing kept yet", "just below the kept one", "the kept one again", "just above the kept one"],
)
def test_a_record_replaces_the_kept_one_only_with_a_higher_revision(revision, kept, expected):
    assert training.supersedes(revision, kept) is expected


def test_a_newer_record_credits_when_present_and_withdraws_when_absent():
    assert training.decide(attendance(2, present=True), 1) == training.CREDIT
    assert training.decide(attendance(2, present=False), 1) == training.WITHDRAW
    assert training.decide(attendance(1, present=True), None) == training.CREDIT


def test_a_late_or_repeated_record_keeps_the_credit_whatever_it_says():
    assert training.decide(attendance(1, present=True), 2) == training.KEEP
    assert training.decide(attendance(2, present=False), 2) == training.KEEP


def test_the_part_s_day_is_the_venue_s_local_day():
    late_evening = datetime(2026, 12, 7, 23, 30, tzinfo=timezone.utc)  # already the 8th in Paris
    assert training.day_of(attendance(1, starts_at=NINE)) == date(2026, 12, 7)
    assert training.day_of(attendance(1, starts_at=late_evening, ends_at=late_evening)) == date(2026, 12, 8)
