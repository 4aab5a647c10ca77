"""The crèche's places shared by contracts and occasional bookings, moment by moment (pure)."""

from datetime import date, datetime, time, timezone
from decimal import Decimal

import pytest

from services.bookings.domain.places import (
    OpeningDay,
    Presence,
    days_that_do_not_fit,
    one_more_fits,
    parse_opening,
    place_hours,
)

MONDAY = date(2027, 3, 1)


def at(hour, minute=0, day=MONDAY):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=timezone.utc)


def child(start, end, avip=False):
    return Presence(at(*start), at(*end), avip)


class TestOpening:
    def test_a_range_of_weekdays_with_hours_and_places(self):
        opening = parse_opening("0-4 07:30-18:30 12")
        assert sorted(opening) == [0, 1, 2, 3, 4]
        assert opening[0] == OpeningDay(time(7, 30), time(18, 30), 12)

    def test_a_later_entry_replaces_an_earlier_one_for_its_days(self):
        opening = parse_opening("0-4 07:30-18:30 12; 2 07:30-12:30 8")
        assert opening[2] == OpeningDay(time(7, 30), time(12, 30), 8)
        assert opening[3].places == 12

    @pytest.mark.parametrize(
        "text", ["", "0-4 07:30-18:30", "0-7 07:30-18:30 12", "1 18:00-08:00 5", "lun 8:00-9:00 3"]
    )
    def test_a_pattern_that_cannot_be_read_is_refused(self, text):
        with pytest.raises(ValueError):
            parse_opening(text)


class TestOneMoreFits:
    def test_the_last_place_is_taken_at_the_moment_everybody_is_there(self):
        two_in_the_morning = [child((8, 0), (12, 0)), child((9, 0), (17, 0))]
        assert not one_more_fits(two_in_the_morning, at(11), at(12), places=2, kept=0, avip=False)

    def test_a_place_freed_before_the_child_arrives_is_free(self):
        morning_only = [child((8, 0), (12, 0)), child((9, 0), (17, 0))]
        assert one_more_fits(morning_only, at(12), at(17), places=2, kept=0, avip=False)  # back to back at 12:00

    def test_an_arrival_inside_the_span_counts(self):
        later = [child((13, 0), (17, 0)), child((15, 0), (17, 0))]
        assert one_more_fits(later, at(8), at(14), places=2, kept=0, avip=False)
        assert not one_more_fits(later, at(8), at(16), places=2, kept=0, avip=False)  # 3 children at 15:00

    def test_places_kept_for_avip_are_not_given_to_others(self):
        one_there = [child((8, 0), (17, 0))]
        assert not one_more_fits(one_there, at(8), at(17), places=2, kept=1, avip=False)
        assert one_more_fits(one_there, at(8), at(17), places=2, kept=1, avip=True)

    def test_an_avip_child_already_there_fills_the_kept_place(self):
        avip_there = [child((8, 0), (17, 0), avip=True)]
        assert one_more_fits(avip_there, at(8), at(17), places=2, kept=1, avip=False)


class TestDays:
    OPENING = parse_opening("0-4 07:30-18:30 2")

    def test_the_days_without_a_place_are_listed_in_order(self):
        tuesday, wednesday = date(2027, 3, 2), date(2027, 3, 3)
        wanted = {d: [(at(9, day=d), at(17, day=d))] for d in (MONDAY, tuesday, wednesday)}
        full_tuesday = {tuesday: [Presence(at(8, day=tuesday), at(18, day=tuesday), False)] * 2}
        assert days_that_do_not_fit(wanted, full_tuesday, self.OPENING, 0, 2, avip=False) == [tuesday]

    def test_a_day_the_venue_is_closed_never_fits(self):
        saturday = date(2027, 3, 6)
        wanted = {saturday: [(at(9, day=saturday), at(12, day=saturday))]}
        assert days_that_do_not_fit(wanted, {}, self.OPENING, 0, 2, avip=False) == [saturday]

    def test_the_venue_reservation_is_shared_in_proportion_to_the_day_places(self):
        # 12 venue places, 3 reserved; a day of 8 places keeps 2 for AVIP children
        opening = parse_opening("0-4 07:30-18:30 8")
        wanted = {MONDAY: [(at(9), at(12))]}
        six_there = {MONDAY: [child((8, 0), (18, 0))] * 6}
        assert days_that_do_not_fit(wanted, six_there, opening, 3, 12, avip=False) == [MONDAY]
        assert days_that_do_not_fit(wanted, six_there, opening, 3, 12, avip=True) == []


def test_the_hours_offered_are_each_opening_days_hours_times_its_places_end_excluded():
    opening = parse_opening("0-4 07:30-18:30 12")  # 11 h a day, 12 places, Monday to Friday
    week = place_hours(date(2026, 12, 7), date(2026, 12, 14), opening)  # Monday to the next Monday, excluded
    assert week == Decimal(5 * 11 * 12)
    assert place_hours(date(2026, 12, 12), date(2026, 12, 14), opening) == 0  # a weekend
    assert place_hours(date(2026, 12, 1), date(2027, 1, 1), opening) == Decimal(23 * 11 * 12)  # 23 weekdays
