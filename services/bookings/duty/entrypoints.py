"""Who may be with the children, as the team and placements services say it: the staff members'
profiles (names, diplomas, whether they count in the ratio, still at the venue) and the
clearances of staff and trainees (attestation d'honorabilité, shared/honorability.py).

The handlers keep facts, so any order and any repetition of the events give the same state: a
profile older than the one applied is ignored (the envelope's occurred_at); a clearance period
or an expiry is a fact added once, never overwritten (domain/duty.py reads them together). A
change of a staff member counts again every slot naming them (staffing.py): `staff_on_duty`
and the places follow, and the board shows a ratio broken by an expiry.
"""

from services.bookings import promotion, staffing
from services.bookings.childcare import store as childcare_store
from services.bookings.duty import presenters, store
from services.bookings.schemas.duty import DutyStaffQuery
from shared import timeutil
from shared.broker_loss import rpc
from shared.errors import load
from shared.handlers import on_event
from shared.timeutil import as_utc, to_db


class DutyRpc:
    # --- team's staff members ---------------------------------------------------------------------
    @on_event("team.staff_registered", exclusive=True)
    def record_staff_member(self, event):
        self._apply_profile(event)

    @on_event("team.staff_updated", exclusive=True)
    def update_staff_member(self, event):
        self._apply_profile(event)

    def _apply_profile(self, event):
        p, at = event["payload"], to_db(event["occurred_at"])
        store.lock_person(store.STAFF, p["staff_id"])
        member = store.staff_member(p["staff_id"])
        if member.profile_at is not None and member.profile_at > at:
            return  # a newer profile was applied first: this one is history
        member.first_name, member.last_name, member.job_title = p["first_name"], p["last_name"], p["job_title"]
        member.diplomas, member.counts_in_ratio = list(p["diplomas"]), p["counts_in_ratio"]
        member.state_diploma, member.active = p["state_diploma"], p["active"]
        member.known, member.profile_at = True, at
        member.save()
        self._recount(member.id)

    @on_event("team.staff_cleared", exclusive=True)
    def record_staff_clearance(self, event):
        p = event["payload"]
        store.lock_person(store.STAFF, p["staff_id"])
        store.staff_member(p["staff_id"])  # the row exists, named once the profile comes
        store.record_fact(store.STAFF, p["staff_id"], p["verified_on"], p["expires_on"])
        self._recount(p["staff_id"])

    @on_event("team.staff_clearance_expired", exclusive=True)
    def record_staff_clearance_end(self, event):
        p = event["payload"]
        store.lock_person(store.STAFF, p["staff_id"])
        store.staff_member(p["staff_id"])
        store.record_fact(store.STAFF, p["staff_id"], None, p["expired_on"])
        self._recount(p["staff_id"])

    def _recount(self, staff_id):
        """Every slot naming the staff member counts again (staffing.py); a slot not started that
        now has more places gives them to its waiting list, as a cancellation does (promotion.py).
        Its day is locked before any slot row is written, as a booking locks it."""
        now = timeutil.now_utc()
        coming = store.slots_naming(staff_id, from_=now)
        childcare_store.lock_childcare_days([staffing.day_of(slot) for slot in coming])
        for slot in staffing.recount_slots_naming(staff_id, self.settings):
            if as_utc(slot.starts_at) > now:
                for booking in promotion.promote(slot, now, self.settings):
                    self.uow.emit("bookings.booking_promoted", promotion.promoted_event(booking, self.settings))

    # --- placements' trainees -------------------------------------------------------------------------
    @on_event("placements.trainee_cleared", exclusive=True)
    def record_trainee_clearance(self, event):
        p = event["payload"]
        store.lock_person(store.TRAINEE, p["trainee_id"])
        store.record_fact(store.TRAINEE, p["trainee_id"], p["verified_on"], p["expires_on"])

    @on_event("placements.trainee_clearance_expired", exclusive=True)
    def record_trainee_clearance_end(self, event):
        p = event["payload"]
        store.lock_person(store.TRAINEE, p["trainee_id"])
        store.record_fact(store.TRAINEE, p["trainee_id"], None, p["expired_on"])

    # --- reads --------------------------------------------------------------------------------------
    @rpc
    def list_staff_members(self, query=None):
        """The venue's staff members still there, by name, with whether each may be named on duty
        and counts in the ratio on `date` (default today): the slot and activity forms list them."""
        q = load(DutyStaffQuery(), query or {})
        day = q["date"] or timeutil.venue_today()
        found = store.staff_members(q)
        adults = store.adults([m.id for m in found.rows])
        return found.answer(presenters.staff_members([adults[m.id] for m in found.rows], found.rows, day))
