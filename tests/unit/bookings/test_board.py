from datetime import date, datetime

from services.bookings.domain.board import slot_of_contract_child, week_of, worst_status


def h(hour, minute=0):
    return datetime(2026, 12, 1, hour, minute)


MORNING = ("matin", h(8), h(12))
AFTERNOON = ("apres-midi", h(13), h(17))


def test_a_contract_child_counts_in_the_slot_in_progress_that_overlaps_its_hours():
    assert slot_of_contract_child([(h(8, 30), h(17))], [MORNING, AFTERNOON], h(14)) == "apres-midi"


def test_before_any_slot_runs_the_child_counts_in_the_earliest_overlapping_slot():
    assert slot_of_contract_child([(h(8, 30), h(17))], [AFTERNOON, MORNING], h(7)) == "matin"


def test_a_slot_that_only_touches_the_childs_hours_does_not_hold_the_child():
    assert slot_of_contract_child([(h(12), h(13))], [MORNING, AFTERNOON], h(12, 30)) is None


def test_without_a_slot_the_child_is_in_no_slot():
    assert slot_of_contract_child([(h(8), h(9))], [], h(8, 30)) is None


def test_the_days_status_is_the_worst_of_its_slots():
    assert worst_status([]) is None
    assert worst_status(["ok", "ok"]) == "ok"
    assert worst_status(["ok", "at_limit"]) == "at_limit"
    assert worst_status(["at_limit", "breach", "ok"]) == "breach"


def test_a_week_runs_from_monday_to_sunday():
    days = week_of(date(2026, 12, 3))  # a Thursday
    assert days[0] == date(2026, 11, 30) and days[-1] == date(2026, 12, 6) and len(days) == 7
    assert week_of(date(2026, 11, 30))[0] == date(2026, 11, 30)  # a Monday is its own week's start
    assert week_of(date(2026, 12, 6))[0] == date(2026, 11, 30)  # and Sunday ends it


def test_an_activity_puts_its_people_in_the_building_from_its_start_to_just_before_its_end():
    from datetime import datetime

    from services.bookings.domain.board import under_way

    start, end = datetime(2026, 12, 1, 9), datetime(2026, 12, 1, 10)
    assert not under_way("scheduled", start, end, datetime(2026, 12, 1, 8, 59))
    assert under_way("scheduled", start, end, start)
    assert under_way("completed", start, end, datetime(2026, 12, 1, 9, 59))  # completed early: still on the schedule
    assert not under_way("scheduled", start, end, end)
    assert not under_way("cancelled", start, end, datetime(2026, 12, 1, 9, 30))
