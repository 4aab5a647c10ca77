from datetime import datetime, timedelta
from decimal import Decimal

from services.placements.domain.progress import Logged, hours_between, progress
from services.placements.domain.working_time import PARIS


def at(day, hour, minute=0):
    return datetime(2026, 3, day, hour, minute, tzinfo=PARIS)


def test_seven_and_a_half_hours_are_written_7_50():
    assert hours_between(at(2, 9), at(2, 16, 30)) == Decimal("7.50")


def test_twenty_minutes_are_rounded_to_the_cent_of_an_hour():
    assert hours_between(at(2, 9), at(2, 9, 20)) == Decimal("0.33")


def test_only_validated_on_site_hours_count_toward_the_required_hours():
    logs = [
        Logged(at(2, 9), at(2, 16), "on_site", "validated"),
        Logged(at(3, 9), at(3, 12), "on_site", "submitted"),
        Logged(at(4, 9), at(4, 12), "on_site", "rejected"),
        Logged(at(5, 9), at(5, 11), "training", "validated"),
    ]
    found = progress(logs)
    assert (found.validated_hours, found.submitted_hours, found.training_hours) == (
        Decimal("7.00"),
        Decimal("3.00"),
        Decimal("2.00"),
    )


def test_weeks_run_monday_to_sunday_and_add_up():
    # 2026-03-08 is a Sunday, 2026-03-09 a Monday
    logs = [
        Logged(at(8, 9), at(8, 12), "on_site", "validated"),
        Logged(at(9, 9), at(9, 13), "on_site", "validated"),
    ]
    weeks = progress(logs).weeks
    assert [(w.week.isoformat(), w.validated_hours, w.cumulative_hours) for w in weeks] == [
        ("2026-03-02", Decimal("3.00"), Decimal("3.00")),
        ("2026-03-09", Decimal("4.00"), Decimal("7.00")),
    ]


def test_a_period_is_counted_in_the_month_of_its_local_start():
    evening = datetime(2026, 3, 31, 21, 0, tzinfo=PARIS)
    found = progress([Logged(evening, evening + timedelta(hours=2), "on_site", "validated")])
    assert found.hours_by_month == {"2026-03": Decimal("2.00")}
