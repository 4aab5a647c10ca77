"""The family file kept by staff: find a family, correct its figures, a child's walking status, the history.

Each change: load (locking the family first, then its child, slots and bookings: the order of
`book` and `cancel_booking`, so two calls never wait on each other) -> check (domain) -> change
-> one history row per field changed -> the event -> answer, in one transaction. `changed_by`
is the staff account id the gateway passes (services/gateway/api/families.py).
"""

from services.bookings.childcare import store as childcare_store
from services.bookings.children_in_care import (
    GROUP_NAMES,
    contracts_priced_from,
    quote_on_slot_day,
    slot_state,
    walks_on_slot_day,
)
from services.bookings.domain import childcare, family_file
from services.bookings.family_file import job_search, presenters, store
from services.bookings.models import Booking
from services.bookings.schemas.family_file import ChildWalkingIn, FamilyFileIn, FamilyQuery, HistoryQuery
from shared import timeutil
from shared.broker_loss import rpc
from shared.commands import command
from shared.errors import Forbidden, Invalid, load
from shared.timeutil import as_utc, to_db
from shared.vocabulary import ACTIVE_BOOKING_STATUSES, BOOKING_CONFIRMED

STAFF_ONLY = "Seule l'équipe peut corriger le dossier d'une famille."


class FamilyFileRpc:
    @rpc
    def list_families(self, query=None):
        """A page of families by email; `q` searches the email and the guardians' names."""
        q = load(FamilyQuery(), query or {})
        pattern = family_file.search_pattern(q["q"]) if q["q"] and q["q"].strip() else None
        found = store.families(q, pattern)
        return found.answer(presenters.families(found.rows, store.children_of_families(found.rows), self.settings))

    @rpc
    def list_family_history(self, family_id, query=None):
        """A page of the changes staff made to the family's file, oldest first."""
        q = load(HistoryQuery(), query or {})
        family = childcare_store.family(family_id)
        found = store.family_history(family, q)
        return found.answer(presenters.family_history(found.rows))

    @command
    def correct_family(self, family_id, data, changed_by):
        """Staff correct the family's figures. A change of resources (or their being unknown),
        household or AEEH children reprices the family's care from `effective_on` (a past day:
        1 January for new N-2 resources, a birth date), or from now without it: its bookings of
        slots from then on and its contracts from that day (domain/family_file.py); job_seeker
        counts for bookings made from now on, and its change is told as bookings.job_search_changed
        (domain/job_search.py)."""
        wanted = family_file.with_resources_known(load(FamilyFileIn(), data))
        effective_on = wanted.pop("effective_on", None)
        if not changed_by:
            raise Forbidden(STAFF_ONLY)
        now = timeutil.now_utc()
        today = now.astimezone(timeutil.VENUE_TZ).date()
        errors = family_file.future_date_errors(wanted, today) | family_file.effective_on_errors(effective_on, today)
        if errors:
            raise Invalid("Certains champs ne sont pas valides.", errors)
        repriced = []
        with self.uow.atomic(exclusive=True):
            family = childcare_store.locked_family(family_id)
            current = {name: getattr(family, name) for name in family_file.FIELDS}
            wanted = family_file.with_aeeh_count(wanted, family.aeeh_children)
            errors = family_file.household_errors(current, wanted)
            if errors:
                raise Invalid("Certains champs ne sont pas valides.", errors)
            changes = family_file.changes(current, wanted)
            search = job_search.file_change(family, wanted["job_seeker"], now) if "job_seeker" in wanted else None
            if changes:
                for name, _before, after in changes:
                    setattr(family, name, after)
                family.aeeh = family.aeeh_children > 0  # the former flag, for a process not yet upgraded
                family.save()
                store.record_changes(family, changed_by, changes, to_db(now), effective_on=effective_on)
                fee_fields = [name for name, _before, _after in changes if name in family_file.FEE_FIELDS]
                if fee_fields:
                    since = family_file.repriced_from(effective_on, now, timeutil.VENUE_TZ)
                    repriced = self._reprice(family, since)
                    contracts_priced_from(family, since.astimezone(timeutil.VENUE_TZ).date(), fee_fields)
                if search is not None:  # the AVIP status: from today, an outcome's end forgotten
                    job_search.write(family, search)
                    self.uow.emit(
                        "bookings.job_search_changed", job_search.job_search_changed(family.id, search, "family_file")
                    )
                self.uow.emit(
                    "bookings.family_file_corrected",
                    presenters.family_file_corrected(
                        family.id, changes, changed_by, effective_on=effective_on if fee_fields else None
                    ),
                )
        return presenters.family_file(family, childcare_store.children_of(family), repriced, self.settings)

    def _reprice(self, family, since):
        """[(booking, rate before)] for the family's bookings of slots starting after `since`
        (active, or cancelled after being confirmed), at the rate of their day with the new figures."""
        repriced = []
        for booking_id in store.future_bookings_of_family(family, to_db(since)):
            slot = childcare_store.locked_slot_of(booking_id)  # the slot first: see childcare_store.locked_slot_of
            booking = childcare_store.locked_booking(booking_id)
            billed = booking.status in ACTIVE_BOOKING_STATUSES or booking.was_status == BOOKING_CONFIRMED
            if not billed or not family_file.repriced(as_utc(slot.starts_at), since):
                continue
            quote = quote_on_slot_day(family, slot, self.settings)
            emergency_rate = quote.emergency is not None
            if quote.hourly_rate != booking.hourly_rate or emergency_rate != booking.emergency_rate:
                before, booking.hourly_rate, booking.slot = booking.hourly_rate, quote.hourly_rate, slot
                booking.emergency_rate = emergency_rate
                booking.save(only=[Booking.hourly_rate, Booking.emergency_rate])
                repriced.append((booking, before))
        return repriced

    @command
    def set_child_walking(self, child_id, data, changed_by):
        """Staff's observation of a child's walking (true, false, or null: back to the age rule).
        The child's bookings of slots not started follow (their `walks`); one that no longer fits
        its slot (age group, ratio) is kept and listed in `bookings_to_review` for staff to act."""
        walking = load(ChildWalkingIn(), data)["walking"]
        if not changed_by:
            raise Forbidden(STAFF_ONLY)
        settings = self.settings
        now = timeutil.now_utc()
        with self.uow.atomic(exclusive=True):
            family = childcare_store.locked_family(store.family_of_child(child_id))
            child = childcare_store.locked_child(child_id, family)
            before = child.walking_override
            child.walking_override, child.walking_set_by = walking, changed_by
            child.save()
            if before != walking:
                changes = [("walking", before, walking)]
                store.record_changes(family, changed_by, changes, to_db(now), child_id=child.id)
                self.uow.emit(
                    "bookings.family_file_corrected",
                    presenters.family_file_corrected(family.id, changes, changed_by, child.id),
                )
            updated, to_review = self._follow_walking(child, now, settings)
        return presenters.child_walking(child, settings, updated, to_review)

    def _follow_walking(self, child, now, settings):
        """(ids of the bookings whose `walks` changed, [(booking, reason, message)] to review)."""
        updated, to_review = [], []
        for booking_id in store.future_bookings_of_child(child, to_db(now)):
            slot = childcare_store.locked_slot_of(booking_id)  # the slot first: see childcare_store.locked_slot_of
            booking = childcare_store.locked_booking(booking_id)
            if booking.status not in ACTIVE_BOOKING_STATUSES or not childcare.booking_open(as_utc(slot.starts_at), now):
                continue
            booking.slot = slot
            walks = walks_on_slot_day(child, slot, settings)
            if walks != booking.walks:
                booking.walks = walks
                booking.save(only=[Booking.walks])
                updated.append(booking.id)
            confirmed = booking.status == BOOKING_CONFIRMED
            reason = childcare.review_reason(slot_state(slot, now, settings), walks, confirmed, settings)
            if reason:
                to_review.append((booking, reason, _review_message(reason, child, slot)))
        return updated, to_review


def _review_message(reason, child, slot):
    if reason == childcare.REVIEW_AGE_GROUP:
        return (
            f"{child.first_name} n'est plus du groupe de ce créneau, réservé à {GROUP_NAMES[slot.age_group]} : "
            "déplacez ou annulez la réservation."
        )
    return (
        f"Avec {child.first_name}, les enfants confirmés de ce créneau demandent plus de professionnels "
        f"que les {slot.staff_on_duty} prévus (ou dépassent la capacité de la salle) : ajoutez du personnel "
        "ou déplacez une réservation."
    )
