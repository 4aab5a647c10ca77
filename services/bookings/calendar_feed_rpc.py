"""A person's calendar feed: the read the gateway's .ics link (GET /calendar/{secret}.ics) asks.

One read RPC, no change: what a role finds in its feed is domain.feed's; the rows come from the
store, the entries from the presenters.
"""

from nameko.rpc import rpc

from services.bookings import presenters, store
from services.bookings.domain import feed
from services.bookings.schemas import FeedQuery
from shared.errors import Invalid, load


class CalendarFeedRpc:
    @rpc
    def calendar_feed(self, query):
        """[CalendarEntryOut] of the account (`role`, the `subject_ids` it is known by) over [from, to)."""
        q = load(FeedQuery(), query)
        errors = feed.check_period(q["from_"], q["to"])
        if errors:
            raise Invalid("Période invalide.", errors)
        parts, period = feed.parts_for(q["role"]), (q["from_"], q["to"])
        found = {}
        if feed.FAMILY_BOOKINGS in parts:
            found["bookings"] = [b for family_id in q["subject_ids"] for b in store.feed_bookings(family_id, *period)]
        if feed.VOLUNTEER_ACTIVITIES in parts:
            found["activities"] = store.feed_activities(*period, volunteer_ids=q["subject_ids"])
        if feed.TRAINEE_ACTIVITIES in parts:
            found["activities"] = store.feed_activities(*period, trainee_ids=q["subject_ids"])
        if feed.VENUE_ACTIVITIES in parts:
            found["activities"] = store.feed_activities(*period)
        if feed.VENUE_SLOTS in parts:
            found["slots"] = store.feed_slots(*period)
            found["counts"] = store.booking_counts(found["slots"])
        return presenters.calendar_entries(**found)
