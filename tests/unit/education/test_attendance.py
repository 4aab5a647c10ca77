"""Attendance rate and certificate eligibility (domain/attendance.py)."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from services.education.domain.attendance import Part, eligible, hours_attended, rate

DAY = datetime(2026, 4, 14, 7, 0, tzinfo=timezone.utc)
# five half-days of 3 h 30 = 17.5 h
PARTS = [
    Part(DAY + timedelta(days=d // 2, hours=5 * (d % 2)), DAY + timedelta(days=d // 2, hours=5 * (d % 2) + 3.5))
    for d in range(5)
]


def test_hours_attended_add_up_the_parts_present():
    assert hours_attended(PARTS, {0, 1, 2}) == Decimal("10.50")


def test_the_rate_is_the_share_of_the_hours():
    assert rate(PARTS, {0, 1, 2, 3}) == Decimal("0.80")
    assert rate(PARTS, set()) == Decimal("0.00")
    assert rate([], set()) == Decimal("0.00")


def test_eighty_percent_exactly_gets_the_certificate_and_less_does_not():
    assert eligible(PARTS, {0, 1, 2, 3}) is True  # 14 h of 17.5 h = 80 %
    assert eligible(PARTS, {0, 1, 2}) is False  # 60 %
    uneven = [Part(DAY, DAY + timedelta(hours=4)), Part(DAY + timedelta(days=1), DAY + timedelta(days=1, hours=1))]
    assert eligible(uneven, {0}) is True  # 4 h of 5 h = 80 %
    assert eligible(uneven, {0}, threshold=Decimal("0.81")) is False
