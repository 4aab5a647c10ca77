"""What a person's calendar feed holds, by role, and the period it may cover."""

from datetime import datetime, timedelta, timezone

from services.bookings.domain import feed

START = datetime(2026, 12, 1, tzinfo=timezone.utc)


def test_a_family_finds_its_bookings_only():
    assert feed.parts_for("family") == (feed.FAMILY_BOOKINGS,)


def test_a_volunteer_and_a_trainee_find_their_own_activities():
    assert feed.parts_for("volunteer") == (feed.VOLUNTEER_ACTIVITIES,)
    assert feed.parts_for("trainee") == (feed.TRAINEE_ACTIVITIES,)


def test_staff_find_the_venue_s_activities_and_slots():
    assert feed.parts_for("staff") == (feed.VENUE_ACTIVITIES, feed.VENUE_SLOTS)


def test_an_unknown_role_finds_nothing():
    assert feed.parts_for("visitor") == ()


def test_a_period_of_exactly_the_maximum_is_accepted_and_one_second_more_is_refused():
    assert feed.check_period(START, START + feed.MAX_PERIOD) == {}
    assert "to" in feed.check_period(START, START + feed.MAX_PERIOD + timedelta(seconds=1))


def test_a_period_that_ends_when_it_starts_is_refused():
    assert "to" in feed.check_period(START, START)
    assert feed.check_period(START, START + timedelta(seconds=1)) == {}
