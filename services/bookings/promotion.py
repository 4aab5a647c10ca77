"""Free places of a slot go to its waiting list, in its order (the AVIP share first, then first
come: domain/childcare.py `promotions`), whoever frees them: a cancellation, the release of the
places kept for AVIP children, staff added to the slot by hand (childcare/entrypoints.py), or a
staff member named on it becoming cleared or counted again (duty/entrypoints.py). A plain
function given the settings, so no area calls another's entrypoints (docs/contributing.md)."""

from services.bookings.childcare import presenters, store
from services.bookings.children_in_care import slot_state
from services.bookings.domain import childcare, waitlist
from shared.timeutil import as_utc, to_db
from shared.vocabulary import BOOKING_CONFIRMED


def promote(slot, now, settings):
    """Confirm the waiting bookings the slot now has places for; returns them, for the caller to
    publish each as bookings.booking_promoted (`promoted_event`) in its transaction. The caller
    holds the slot's day and the slot locked."""
    waiting = {b.id: b for b in store.waiting_list(slot)}
    candidates = [waitlist.Candidate(b.id, b.avip, as_utc(b.requested_at), b.walks) for b in waiting.values()]
    promoted = []
    for chosen in childcare.promotions(slot_state(slot, now, settings), candidates, settings):
        booking = waiting[chosen.booking_id]
        booking.status, booking.promoted_at = BOOKING_CONFIRMED, to_db(now)
        booking.save()
        promoted.append(booking)
    return promoted


def promoted_event(booking, settings):
    """The payload of bookings.booking_promoted for a booking `promote` confirmed."""
    return presenters.booking_promoted(booking, settings)
