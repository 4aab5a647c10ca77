"""The regular contracts the contract rules' tests share: the public worked example (36 h a week,
2.064 €/h, 46 weeks: 138 h and 284.83 € a month) over a school year."""

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from services.bookings.domain.care_pattern import PatternDay

PARIS = ZoneInfo("Europe/Paris")
RATE = Decimal("2.064")  # the public worked example: 4,000 EUR/month x 0.0516 %
# 36 h a week: Monday to Friday 08:30-15:42 (7.2 h a day)
WEEK = [PatternDay(d, time(8, 30), time(15, 42)) for d in range(5)]
# 36 h a week on four days: Monday, Tuesday, Thursday, Friday 08:00-17:00 (9 h a day)
FOUR_DAYS = [PatternDay(d, time(8), time(17)) for d in (0, 1, 3, 4)]
STARTS, ENDS = date(2025, 8, 15), date(2026, 6, 30)  # a school-year contract
MARCH = (date(2026, 3, 1), date(2026, 4, 1))


def at(d, hh, mm=0):
    return datetime(d.year, d.month, d.day, hh, mm, tzinfo=PARIS)


DAY = date(2026, 3, 10)
