"""Half-days (services/education/domain/half_days.py): a part split at the venue's lunch break in
its local time, the break counted in neither half; a QR code valid only during its half-day."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from services.education.domain import attendance
from services.education.domain.half_days import (
    AFTERNOON,
    MORNING,
    HalfDay,
    LunchBreak,
    choose,
    parse_lunch_break,
    qr_refusal,
    split,
    total_hours,
)

PARIS = ZoneInfo("Europe/Paris")
LUNCH = LunchBreak(time(12, 30), time(13, 30))
DAY = date(2026, 3, 10)


def at(hour, minute=0, day=DAY):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def shape(halves):
    return [(h.name, h.starts_at.time(), h.ends_at.time(), h.hours) for h in halves]


def test_a_full_day_part_is_a_morning_and_an_afternoon_counted_without_lunch():
    halves = split(at(9), at(17), LUNCH, PARIS)
    assert shape(halves) == [
        (MORNING, time(9), time(12, 30), Decimal("3.50")),
        (AFTERNOON, time(13, 30), time(17), Decimal("3.50")),
    ]
    assert total_hours(halves) == Decimal("7.00")  # not 8


@pytest.mark.parametrize(
    "start, end, expected",
    [
        ((9, 0), (12, 30), [(MORNING, "3.50")]),  # ends exactly at the break's start
        ((13, 30), (17, 0), [(AFTERNOON, "3.50")]),  # starts exactly at the break's end
        ((9, 0), (12, 0), [(MORNING, "3.00")]),
        ((14, 0), (18, 0), [(AFTERNOON, "4.00")]),
        ((9, 0), (13, 30), [(MORNING, "3.50")]),  # covers the break, nothing after it
        ((12, 30), (17, 0), [(AFTERNOON, "3.50")]),  # covers the break, nothing before it
        ((10, 0), (13, 0), [(MORNING, "3.00")]),  # taught into the break: one half-day, its own times
        ((13, 0), (16, 0), [(AFTERNOON, "3.00")]),
        ((12, 30), (13, 30), [(AFTERNOON, "1.00")]),  # exactly the break: planned then, kept whole
    ],
)
def test_a_part_before_after_or_only_overlapping_the_break_is_one_half_day(start, end, expected):
    halves = split(at(*start), at(*end), LUNCH, PARIS)
    assert [(h.name, str(h.hours)) for h in halves] == expected


def test_the_split_is_in_the_venues_local_time_whatever_offset_the_times_carry():
    utc = ZoneInfo("UTC")
    halves = split(at(9).astimezone(utc), at(17).astimezone(utc), LUNCH, PARIS)
    assert [(h.name, h.starts_at.astimezone(PARIS).time(), h.ends_at.astimezone(PARIS).time()) for h in halves] == [
        (MORNING, time(9), time(12, 30)),
        (AFTERNOON, time(13, 30), time(17)),
    ]


def test_a_two_day_session_has_four_half_days_of_three_and_a_half_hours():
    second = DAY + timedelta(days=1)
    halves = split(at(9), at(17), LUNCH, PARIS) + split(at(9, day=second), at(17, day=second), LUNCH, PARIS)
    assert [h.hours for h in halves] == [Decimal("3.50")] * 4
    parts = [attendance.Part(h.starts_at, h.ends_at) for h in halves]
    assert attendance.session_hours(parts) == Decimal("14.00")
    missed_second_afternoon = {0, 1, 2}
    assert attendance.hours_attended(parts, missed_second_afternoon) == Decimal("10.50")
    assert attendance.rate(parts, missed_second_afternoon) == Decimal("0.75")


def test_another_lunch_break_moves_the_split():
    halves = split(at(9), at(17), parse_lunch_break("12:00-14:00"), PARIS)
    assert [(h.name, str(h.hours)) for h in halves] == [(MORNING, "3.00"), (AFTERNOON, "3.00")]


@pytest.mark.parametrize("text", ["midi", "13:30-12:30", "12:30", "12:30-12:30", "25:00-26:00"])
def test_a_lunch_break_not_understood_is_refused(text):
    with pytest.raises(ValueError):
        parse_lunch_break(text)


def test_a_single_half_day_part_needs_no_half_day_and_a_wrong_one_is_a_sentence():
    single = split(at(9), at(12), LUNCH, PARIS)
    assert choose(single, None) == single[0]
    assert choose(single, MORNING) == single[0]
    assert "une seule demi-journée (matin)" in choose(single, AFTERNOON)
    day = split(at(9), at(17), LUNCH, PARIS)
    assert "précisez la demi-journée" in choose(day, None)
    assert choose(day, AFTERNOON).name == AFTERNOON
    assert "inconnue" in choose(day, "evening")


def test_a_qr_code_is_refused_before_its_half_day_and_after_it_and_valid_from_start_to_end():
    afternoon = HalfDay(AFTERNOON, at(13, 30), at(17))
    early = qr_refusal(afternoon, at(13, 29), PARIS)
    assert early == (
        "Ce QR code n'est pas encore valable : la demi-journée commence à 13 h 30. Scannez-le à nouveau à ce moment-là."
    )
    assert qr_refusal(afternoon, at(13, 30), PARIS) is None
    assert qr_refusal(afternoon, at(17), PARIS) is None
    late = qr_refusal(afternoon, at(17, 1), PARIS)
    assert late.startswith("Ce QR code n'est plus valable : la demi-journée s'est terminée à 17 h.")
    yesterday = qr_refusal(afternoon, at(15) - timedelta(days=1), PARIS)
    assert "commence le 10/03/2026 à 13 h 30" in yesterday
