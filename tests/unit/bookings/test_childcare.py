"""Who gets a place: ratio, room, AVIP share and waiting list combined (pure, no I/O)."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from services.bookings.domain.childcare import (
    REVIEW_AGE_GROUP,
    REVIEW_RATIO,
    Placed,
    SlotState,
    admit,
    booking_open,
    cancellable,
    fits_age_group,
    kept_for_avip,
    promotions,
    reserved_for_avip,
    review_reason,
    unfilled_reservation,
)
from services.bookings.domain.ratio import RatioOption
from services.bookings.domain.waitlist import Candidate
from services.bookings.settings import VenueSettings

SETTINGS = VenueSettings()  # 5/8 ratio, 20 % AVIP share
T0 = datetime(2026, 12, 1, 8, tzinfo=timezone.utc)


def state(places=3, staff=2, capacity=3, confirmed=(), kept=0):
    return SlotState(
        places=places,
        staff_on_duty=staff,
        room_capacity=capacity,
        age_group="mixed",
        confirmed=list(confirmed),
        kept_for_avip=kept,
    )


def test_age_groups():
    assert fits_age_group("mixed", True) and fits_age_group("mixed", False)
    assert fits_age_group("walking", True) and not fits_age_group("walking", False)
    assert fits_age_group("non_walking", False) and not fits_age_group("non_walking", True)


class TestUntilTheSlotStarts:
    START = datetime(2026, 12, 1, 8, tzinfo=timezone.utc)
    JUST_BEFORE = START - timedelta(microseconds=1)

    def test_a_slot_is_booked_until_the_instant_it_starts(self):
        assert booking_open(self.START, now=self.JUST_BEFORE)
        assert booking_open(self.START, now=self.START - timedelta(days=30))

    def test_a_slot_that_has_started_is_no_longer_booked(self):
        assert not booking_open(self.START, now=self.START)
        assert not booking_open(self.START, now=self.START + timedelta(hours=1))

    def test_a_booking_is_cancelled_only_before_its_slot_starts(self):
        assert cancellable(self.START, now=self.JUST_BEFORE)
        assert not cancellable(self.START, now=self.START)
        assert not cancellable(self.START, now=self.START + timedelta(minutes=5))

    def test_the_clock_and_the_slot_may_be_written_in_different_zones(self):
        paris_now = self.START.astimezone(ZoneInfo("Europe/Paris"))  # 09:00 in Paris, the same instant
        assert not booking_open(self.START, now=paris_now)
        assert not cancellable(self.START, now=paris_now)


def test_the_last_place_is_kept_for_a_job_seeking_family():
    two_taken = state(confirmed=[Placed(True, False), Placed(True, False)], kept=1)
    assert admit(two_taken, walks=True, avip=False, settings=SETTINGS) == "waitlisted"
    assert admit(two_taken, walks=True, avip=True, settings=SETTINGS) == "confirmed"


def test_without_avip_share_places_are_first_come_first_served():
    no_share = VenueSettings(avip_share=Decimal("0"))
    assert admit(state(confirmed=[Placed(True, False)] * 2), True, False, no_share) == "confirmed"
    assert admit(state(confirmed=[Placed(True, False)] * 3), True, True, no_share) == "waitlisted"


def test_the_ratio_can_refuse_before_the_places_run_out():
    # 2 adults under 5/8 take 10 non-walking children; the 11th is refused even with room to spare
    ten_babies = state(places=20, staff=2, capacity=20, confirmed=[Placed(False, False)] * 10)
    no_share = VenueSettings(avip_share=Decimal("0"))
    assert admit(ten_babies, walks=False, avip=False, settings=no_share) == "waitlisted"
    # a walking child needs 1/8 of an adult: 10/5 + 1/8 > 2, refused too
    assert admit(ten_babies, walks=True, avip=False, settings=no_share) == "waitlisted"
    one_six = VenueSettings(ratio_option=RatioOption.ONE_SIX, avip_share=Decimal("0"))
    assert (
        admit(state(places=20, staff=2, capacity=20, confirmed=[Placed(False, False)] * 11), False, False, one_six)
        == "confirmed"
    )  # 12 children for 2 adults at 1 per 6


def test_promotion_takes_avip_first_within_the_share_then_first_come():
    waiting = [
        Candidate("early", False, T0, True),
        Candidate("avip-later", True, T0 + timedelta(hours=1), True),
        Candidate("latest", False, T0 + timedelta(hours=2), True),
    ]
    # one place freed, no AVIP child confirmed yet: the AVIP candidate goes first though later
    chosen = promotions(state(confirmed=[Placed(True, False)] * 2, kept=1), waiting, SETTINGS)
    assert [c.booking_id for c in chosen] == ["avip-later"]
    # the share is filled by an AVIP child: first come first served
    chosen = promotions(state(confirmed=[Placed(True, True), Placed(True, False)], kept=1), waiting, SETTINGS)
    assert [c.booking_id for c in chosen] == ["early"]


def test_promotion_fills_every_free_place_and_respects_the_ratio():
    waiting = [Candidate(f"b{i}", i == 0, T0 + timedelta(minutes=i), True) for i in range(5)]
    chosen = promotions(state(places=3), waiting, SETTINGS)
    assert [c.booking_id for c in chosen] == ["b0", "b1", "b2"]
    assert promotions(state(places=3, staff=1), waiting, SETTINGS) == []  # 1 adult: nobody (2-adult minimum)


class TestPlacesKeptForAvip:
    """12 authorised places at 20 %: 3 reserved for the venue, shared among slots (waitlist.kept_in_slot)."""

    START = datetime(2026, 12, 10, 8, tzinfo=timezone.utc)
    EARLY = START - timedelta(days=7)

    def test_a_slot_keeps_its_part_of_the_venue_reservation(self):
        assert kept_for_avip(12, self.START, self.EARLY, SETTINGS) == 3
        assert kept_for_avip(10, self.START, self.EARLY, SETTINGS) == 2
        assert kept_for_avip(1, self.START, self.EARLY, SETTINGS) == 0

    def test_the_venue_places_decide_the_reservation_not_the_slot(self):
        bigger = VenueSettings(creche_places=24)  # 24 x 20 % = 4.8 -> 5 reserved
        assert reserved_for_avip(12, bigger) == 2  # 5 x 12 / 24 = 2.5 -> 2
        assert reserved_for_avip(24, bigger) == 5

    def test_nothing_is_kept_once_the_release_notice_begins(self):
        notice = timedelta(hours=SETTINGS.avip_release_hours)
        assert kept_for_avip(12, self.START, self.START - notice - timedelta(microseconds=1), SETTINGS) == 3
        assert kept_for_avip(12, self.START, self.START - notice, SETTINGS) == 0

    def test_a_release_gives_away_only_the_places_no_avip_child_took(self):
        one_avip_child = state(places=12, capacity=12, confirmed=[Placed(True, True), Placed(True, False)])
        assert unfilled_reservation(one_avip_child, 3) == 2
        assert unfilled_reservation(state(confirmed=[Placed(True, True)] * 4), 3) == 0


def test_venue_settings_are_read_from_the_environment_and_checked(monkeypatch):
    from services.bookings.settings import load

    monkeypatch.setenv("COCOON_RATIO_OPTION", "1_6")
    monkeypatch.setenv("COCOON_AVIP_SHARE", "0.25")
    settings = load()
    assert (settings.ratio_option, settings.avip_share) == (RatioOption.ONE_SIX, Decimal("0.25"))
    for name, value in (
        ("COCOON_RATIO_OPTION", "5/8"),
        ("COCOON_AVIP_SHARE", "1.5"),
        ("COCOON_AVIP_SHARE", "beaucoup"),
        ("COCOON_CANCEL_NOTICE_HOURS", "deux"),
        ("COCOON_CRECHE_PLACES", "0"),
        ("COCOON_AVIP_RELEASE_HOURS", "-1"),
    ):
        monkeypatch.setenv(name, value)
        with pytest.raises(ValueError, match="invalid venue setting"):
            load()
        monkeypatch.delenv(name)


def test_a_slot_counted_by_kind_of_child_decides_as_the_list_of_its_children_does():
    babies_and_avip = [Placed(False, False)] * 9 + [Placed(False, True)]
    counted = SlotState(
        places=20,
        staff_on_duty=2,
        room_capacity=20,
        age_group="mixed",
        confirmed={Placed(False, False): 9, Placed(False, True): 1},  # what the store counts in SQL
    )
    no_share = VenueSettings(avip_share=Decimal("0"))
    assert (
        counted.counts() == state(places=20, staff=2, capacity=20, confirmed=babies_and_avip).counts() == (10, 0, 1, 9)
    )
    assert admit(counted, walks=False, avip=False, settings=no_share) == "waitlisted"  # 10 babies for 2 adults


def test_each_promotion_counts_the_child_it_confirms_before_choosing_the_next():
    waiting = [Candidate(f"baby-{i}", False, T0 + timedelta(minutes=i), False) for i in range(3)]
    nine_babies = SlotState(
        places=20, staff_on_duty=2, room_capacity=20, age_group="mixed", confirmed={Placed(False, False): 9}
    )
    chosen = promotions(nine_babies, waiting, VenueSettings(avip_share=Decimal("0")))
    assert [c.booking_id for c in chosen] == ["baby-0"]  # the 10th baby fills the 5/8 ratio of 2 adults
    assert nine_babies.counts() == (10, 0, 0, 10)


def one_slot(age_group, staff=2, capacity=20, places=10, confirmed=()):
    return SlotState(
        places=places, staff_on_duty=staff, room_capacity=capacity, age_group=age_group, confirmed=list(confirmed)
    )


def test_a_child_no_longer_of_the_slots_age_group_is_to_review():
    assert review_reason(one_slot("walking"), walks=False, confirmed=True, settings=SETTINGS) == REVIEW_AGE_GROUP
    assert review_reason(one_slot("non_walking"), walks=True, confirmed=False, settings=SETTINGS) == REVIEW_AGE_GROUP
    assert review_reason(one_slot("mixed", confirmed=[Placed(True, False)]), True, True, SETTINGS) is None


def test_a_confirmed_booking_is_to_review_when_the_ratio_no_longer_holds_with_it():
    # 2 professionals: 10 non-walking children is exactly the ratio; an 11th non-walker needs 3
    ten = [Placed(False, False)] * 10
    assert review_reason(one_slot("mixed", confirmed=ten), walks=False, confirmed=True, settings=SETTINGS) is None
    eleven = ten + [Placed(False, False)]
    assert review_reason(one_slot("mixed", confirmed=eleven), False, True, SETTINGS) == REVIEW_RATIO
    # a waitlisted booking holds no place: the ratio is not its concern
    assert review_reason(one_slot("mixed", confirmed=eleven), False, False, SETTINGS) is None


def test_a_confirmed_booking_is_to_review_when_the_room_is_over_capacity():
    three = [Placed(True, False)] * 3
    assert review_reason(one_slot("walking", capacity=2, confirmed=three), True, True, SETTINGS) == REVIEW_RATIO
