"""The education service's settings: read once at start, a wrong value named (services/education/settings.py)."""

from decimal import Decimal

import pytest

from services.education.settings import load


def test_without_variables_the_defaults_apply(monkeypatch):
    for name in (
        "COCOON_EDUCATION_ATTENDANCE_THRESHOLD",
        "COCOON_EDUCATION_MINIMUM_WARNING_DAYS",
        "COCOON_EDUCATION_ROOM_TIMEOUT_SECONDS",
    ):
        monkeypatch.delenv(name, raising=False)
    settings = load()
    assert (settings.attendance_threshold, settings.minimum_warning_days, settings.room_timeout_seconds) == (
        Decimal("0.80"),
        7,
        120,
    )


def test_the_venue_may_choose_each_value(monkeypatch):
    monkeypatch.setenv("COCOON_EDUCATION_ATTENDANCE_THRESHOLD", "1")
    monkeypatch.setenv("COCOON_EDUCATION_MINIMUM_WARNING_DAYS", "0")
    monkeypatch.setenv("COCOON_EDUCATION_ROOM_TIMEOUT_SECONDS", "5")
    settings = load()
    assert (settings.attendance_threshold, settings.minimum_warning_days, settings.room_timeout_seconds) == (
        Decimal("1"),
        0,
        5,
    )


@pytest.mark.parametrize(
    "name, value",
    [
        ("COCOON_EDUCATION_ATTENDANCE_THRESHOLD", "0"),
        ("COCOON_EDUCATION_ATTENDANCE_THRESHOLD", "1.01"),
        ("COCOON_EDUCATION_ATTENDANCE_THRESHOLD", "quatre-vingts"),
        ("COCOON_EDUCATION_MINIMUM_WARNING_DAYS", "-1"),
        ("COCOON_EDUCATION_MINIMUM_WARNING_DAYS", "sept"),
        ("COCOON_EDUCATION_ROOM_TIMEOUT_SECONDS", "4"),
        ("COCOON_EDUCATION_LUNCH_BREAK", "midi"),
        ("COCOON_EDUCATION_LUNCH_BREAK", "13:30-12:30"),
    ],
)
def test_a_value_out_of_range_stops_the_start_naming_its_variable(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=name):
        load()


def test_the_lunch_break_is_half_past_twelve_to_half_past_one_unless_the_venue_says_otherwise(monkeypatch):
    monkeypatch.delenv("COCOON_EDUCATION_LUNCH_BREAK", raising=False)
    default = load().lunch_break
    assert (default.starts.isoformat(), default.ends.isoformat()) == ("12:30:00", "13:30:00")
    monkeypatch.setenv("COCOON_EDUCATION_LUNCH_BREAK", "12:00-14:00")
    chosen = load().lunch_break
    assert (chosen.starts.isoformat(), chosen.ends.isoformat()) == ("12:00:00", "14:00:00")
