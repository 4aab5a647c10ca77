"""A session's parts (domain/planning.py) and the days of attendance and certificates (domain/attendance.py)."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from services.education.domain.attendance import attestation_number, can_certify, day_has_come, realisation_number
from services.education.domain.planning import part_errors

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 4, 1, 8, 0, tzinfo=timezone.utc)


def local(day, hour, minute=0):
    return datetime(2026, 4, day, hour, minute, tzinfo=PARIS)


def test_one_part_and_ten_parts_can_be_planned_and_none_or_eleven_cannot():
    days = [(local(10 + n, 9), local(10 + n, 12)) for n in range(11)]
    assert part_errors(days[:1], NOW, PARIS) == {}
    assert part_errors(days[:10], NOW, PARIS) == {}
    assert "parts" in part_errors(days, NOW, PARIS)
    assert "parts" in part_errors([], NOW, PARIS)


def test_back_to_back_parts_are_fine_and_a_minute_of_overlap_is_not():
    assert part_errors([(local(10, 9), local(10, 12)), (local(10, 12), local(10, 15))], NOW, PARIS) == {}
    overlapping = part_errors([(local(10, 9), local(10, 12, 1)), (local(10, 12), local(10, 15))], NOW, PARIS)
    assert overlapping == {"parts": ["Deux parties se chevauchent : décalez l'une d'elles."]}


def test_a_part_ends_on_its_own_venue_day():
    assert part_errors([(local(10, 20), local(10, 23, 59))], NOW, PARIS) == {}
    assert "même jour" in part_errors([(local(10, 20), local(11, 0, 0))], NOW, PARIS)["parts"][0]


def test_a_part_starting_now_can_be_planned_and_a_minute_earlier_cannot():
    assert part_errors([(NOW, NOW + timedelta(hours=3))], NOW, PARIS) == {}
    assert "passé" in part_errors([(NOW - timedelta(minutes=1), NOW + timedelta(hours=3))], NOW, PARIS)["parts"][0]


def test_a_part_that_ends_when_it_starts_is_refused():
    assert "suivre" in part_errors([(local(10, 9), local(10, 9))], NOW, PARIS)["parts"][0]


def test_attendance_is_recorded_from_the_parts_day_on():
    assert day_has_come(date(2026, 4, 10), date(2026, 4, 9)) is False
    assert day_has_come(date(2026, 4, 10), date(2026, 4, 10)) is True
    assert day_has_come(date(2026, 4, 10), date(2026, 4, 11)) is True


def test_certificates_come_from_the_last_parts_day_on():
    assert can_certify(date(2026, 4, 10), date(2026, 4, 9)) is False
    assert can_certify(date(2026, 4, 10), date(2026, 4, 10)) is True


def test_the_two_certificate_numbers_share_the_years_sequence():
    assert (attestation_number(2026, 1), realisation_number(2026, 1)) == ("AFF-2026-0001", "CR-2026-0001")
    assert attestation_number(2027, 12345) == "AFF-2027-12345"
    with pytest.raises(ValueError):
        realisation_number(2026, 0)
