"""Who gets a childcare place: the ratio, the room, the AVIP share and the waiting list together.

The ratio and AVIP rules themselves live in ratio.py and waitlist.py; this module only
combines them for one slot, so the service asks one question: confirmed or waitlisted?
"""

from collections import Counter
from dataclasses import dataclass, field

from services.bookings.domain import ratio, waitlist

CONFIRMED, WAITLISTED = waitlist.CONFIRMED, waitlist.WAITLISTED


@dataclass(frozen=True)
class Placed:
    walks: bool
    avip: bool


@dataclass
class SlotState:
    """A slot as the decision needs it: its places, staff, room, and the children confirmed in it.

    `confirmed`: how many children of each kind, {Placed: count} (what the store counts in the
    database), or a list of Placed, one per child."""

    places: int
    staff_on_duty: int
    room_capacity: int
    age_group: str
    confirmed: Counter = field(default_factory=Counter)  # Placed -> how many
    kept_for_avip: int = 0  # places waiting for AVIP children (kept_for_avip below)

    def __post_init__(self):
        self.confirmed = Counter(self.confirmed)

    def place(self, placed):
        self.confirmed[placed] += 1

    def counts(self):
        total = sum(self.confirmed.values())
        walking = sum(n for p, n in self.confirmed.items() if p.walks)
        avip = sum(n for p, n in self.confirmed.items() if p.avip)
        return total - walking, walking, avip, total - avip


def fits_age_group(age_group, walks):
    """A 'non_walking' slot takes only children who do not walk yet, a 'walking' slot only walkers."""
    return age_group == "mixed" or (age_group == "walking") == walks


def booking_open(slot_starts_at, now):
    """A slot is booked until it starts, not after: places are decided before the children
    arrive [practice]. Aware datetimes."""
    return now < slot_starts_at


def cancellable(slot_starts_at, now):
    """A booking is cancelled until its slot starts; after that the child came or not, and the
    slot is billed (billing.cancelled_in_time decides how) [practice]. Aware datetimes."""
    return now < slot_starts_at


def reserved_for_avip(places, settings):
    """How many of a slot's places are reserved for AVIP children: its part of the venue's share
    of its authorised places (settings.creche_places, settings.avip_share; waitlist.kept_in_slot)."""
    venue_reserved = waitlist.reserved_places(settings.creche_places, settings.avip_share)
    return waitlist.kept_in_slot(venue_reserved, settings.creche_places, places)


def kept_for_avip(places, slot_starts_at, now, settings):
    """The reserved places a slot still keeps now: none from settings.avip_release_hours before
    it starts, when they go to the waiting list and to any family. Aware datetimes."""
    if waitlist.reservation_released(slot_starts_at, now, settings.avip_release_hours):
        return 0
    return reserved_for_avip(places, settings)


def unfilled_reservation(state, reserved):
    """The reserved places no AVIP child of the slot has taken: what a release gives to others."""
    return max(0, reserved - state.counts()[2])


def admit(state, walks, avip, settings):
    """'confirmed' when a place is free for this child, else 'waitlisted'."""
    non_walking, walking, confirmed_avip, confirmed_other = state.counts()
    if waitlist.decide(state.places, confirmed_avip, confirmed_other, avip, state.kept_for_avip) != CONFIRMED:
        return WAITLISTED
    if not ratio.can_admit(
        state.staff_on_duty,
        non_walking,
        walking,
        walks,
        settings.ratio_option,
        state.room_capacity,
        settings.micro_creche,
    ):
        return WAITLISTED
    return CONFIRMED


def promotions(state, waiting, settings):
    """The waiting candidates to confirm now (after a cancellation or more staff), in order."""
    promoted = []
    remaining = list(waiting)
    while True:
        non_walking, walking, confirmed_avip, confirmed_other = state.counts()

        def eligible(candidate, non_walking=non_walking, walking=walking):  # this round's counts
            return ratio.can_admit(
                state.staff_on_duty,
                non_walking,
                walking,
                candidate.walks,
                settings.ratio_option,
                state.room_capacity,
                settings.micro_creche,
            )

        chosen = waitlist.next_to_promote(
            remaining, state.places, confirmed_avip, confirmed_other, state.kept_for_avip, eligible=eligible
        )
        if chosen is None:
            return promoted
        promoted.append(chosen)
        remaining.remove(chosen)
        state.place(Placed(chosen.walks, chosen.avip))


# Why a booking must be looked at by staff after its child's walking status changed.
REVIEW_AGE_GROUP, REVIEW_RATIO = "age_group", "ratio"


def review_reason(state, walks, confirmed, settings):
    """Why a booking no longer fits its slot once its child's walking status is `walks`, or None.

    `state`: the slot with the booking already counted as it now is (its new `walks`);
    `confirmed`: the booking holds a place. A booking is never dropped for this: staff decide.
    - REVIEW_AGE_GROUP: the child is no longer of the slot's age group (a 'walking' slot for a
      child who does not walk, or the reverse);
    - REVIEW_RATIO: the confirmed children now need more professionals than `staff_on_duty`,
      or more children than the room holds (a waitlisted booking holds no place: never this).
    """
    if not fits_age_group(state.age_group, walks):
        return REVIEW_AGE_GROUP
    if confirmed:
        non_walking, walking, _avip, _other = state.counts()
        if non_walking + walking > ratio.max_present(state.room_capacity):
            return REVIEW_RATIO
        needed = ratio.adults_required(non_walking, walking, settings.ratio_option, settings.micro_creche)
        if needed > state.staff_on_duty:
            return REVIEW_RATIO
    return None
