"""Childcare entrypoints: families, children, slots, bookings, attendance, fees and statements.

Each one: load (store, locking what it changes) -> check with the domain -> change -> record the
event -> answer (presenters), in one transaction. Overbooking is impossible by construction: a
booking locks its slot (BEGIN IMMEDIATE on SQLite, SELECT … FOR UPDATE on PostgreSQL) before
counting the places taken.
"""

import json
import logging
from datetime import date, timedelta

from nameko.timer import timer

from services.bookings import month_statements, promotion, staffing
from services.bookings.calendar import store as calendar_store
from services.bookings.child_file import care_checks
from services.bookings.childcare import presenters, store
from services.bookings.children_in_care import (
    GROUP_NAMES,
    contract_children_of,
    held_state,
    quote_of,
    quote_on_slot_day,
    refuse_closed_day,
    slot_state,
    walks_on_slot_day,
)
from services.bookings.domain import attendance, billing, calendar, childcare, family_file, waitlist
from services.bookings.duty import store as duty_store
from services.bookings.models import Booking, Child, ChildcareSlot, Family
from services.bookings.presenting import hhmm
from services.bookings.schemas.child_file import CheckOutIn
from services.bookings.schemas.childcare import (
    BookingIn,
    BookingQuery,
    ChildIn,
    FamilyIn,
    MomentIn,
    MonthIn,
    QuoteQuery,
    SlotIn,
    SlotQuery,
    SlotStaffIn,
)
from shared import timeutil
from shared.broker_loss import rpc
from shared.commands import command
from shared.errors import Conflict, Invalid, load
from shared.models import new_id
from shared.timeutil import as_utc, db_now, to_db
from shared.vocabulary import ACTIVE_BOOKING_STATUSES, BOOKING_CANCELLED, BOOKING_CONFIRMED, BOOKING_WAITLISTED

log = logging.getLogger(__name__)
BOOKING_IN = BookingIn()  # made once: a schema instance holds no state of a call
AVIP_RELEASE_SWEEP_SECONDS = 60  # how often the slots entering the AVIP release notice are looked for
# The fee quote's schema is made once, not at each call: making one copies every declared field,
# three times the quote's own computation; a schema keeps no state from one load to the next.
QUOTE_QUERY = QuoteQuery()


class ChildcareRpc:
    # --- families and children -----------------------------------------------------------------
    @command
    def register_family(self, data):
        fields = load(FamilyIn(), data)
        if not fields["id"]:
            fields.pop("id")
        fields["search_text"] = family_file.search_text(fields["email"], fields["guardians"])
        fields["guardians"] = json.dumps(fields["guardians"], ensure_ascii=False)
        with self.uow.atomic(exclusive=True):
            if store.family_email_taken(fields["email"]):
                raise Conflict(
                    "Une famille est déjà inscrite avec cette adresse.", {"email": ["Adresse déjà utilisée."]}
                )
            family = Family.create(**fields)
        return presenters.family(family, store.children_of(family), self.settings)

    @rpc
    def get_family(self, family_id):
        family = store.family(family_id)
        return presenters.family(family, store.children_of(family), self.settings)

    @command
    def add_child(self, family_id, data):
        fields = load(ChildIn(), data)
        if fields["birth_date"] > date.today():
            raise Invalid("Date de naissance dans le futur.", {"birth_date": ["La date est dans le futur."]})
        with self.uow.atomic():
            family = store.family(family_id)
            child = Child.create(
                family=family,
                first_name=fields["first_name"],
                birth_date=fields["birth_date"],
                walking_declared=fields["walking"],  # a proposal: staff's observation stays apart
            )
        return presenters.child(child, self.settings)

    # --- slots ----------------------------------------------------------------------------------
    @command
    def create_slot(self, data):
        fields = load(SlotIn(), data)
        errors = calendar.check_times(fields["starts_at"], fields["ends_at"])
        if errors:
            raise Invalid("Horaires invalides.", errors)
        starts_at, ends_at = to_db(fields["starts_at"]), to_db(fields["ends_at"])
        settings = self.settings
        with self.uow.atomic(exclusive=True):
            room = calendar_store.locked_room(fields["room_id"])
            calendar_store.lock_closures()  # a closure declared meanwhile waits, or is seen
            refuse_closed_day(fields["starts_at"].astimezone(timeutil.VENUE_TZ).date())
            # A slot counts the room's whole capacity: nothing else may hold the room meanwhile.
            other = calendar.first_clash(starts_at, ends_at, calendar_store.occupations(room, starts_at, ends_at))
            if other:
                raise Conflict(
                    f"La salle « {room.name} » est déjà prise de {hhmm(other.starts_at)} "
                    f"à {hhmm(other.ends_at)} par {other.label}.",
                    {"starts_at": [f"Chevauche {other.label}."]},
                )
            day = fields["starts_at"].astimezone(timeutil.VENUE_TZ).date()
            staffing.named_adults(fields["staff_ids"], day)  # each may be with the children that day
            staffing.refuse_double_duty({"staff_ids": fields["staff_ids"]}, starts_at, ends_at)
            slot = ChildcareSlot(room=room, starts_at=starts_at, ends_at=ends_at, age_group=fields["age_group"])
            staffing.count_slot(slot, fields["staff_ids"], fields["staff_on_duty"] or 0, settings)
            slot.save(force_insert=True)
            duty_store.name_on_slot(slot, fields["staff_ids"])
        return presenters.slot(slot, store.booking_counts([slot]), staffing.slot_staff([slot]))

    @command
    def change_slot_staff(self, slot_id, data):
        """The staff on duty now (a 7:30 sick call, a replacement), at any time: each named person
        must be cleared on the slot's day; `staff_on_duty` and the places follow (staffing.py). A
        change that leaves more children than the ratio allows is accepted and cancels nothing:
        the board shows the breach. More places give the waiting list its turn."""
        fields = load(SlotStaffIn(), data)
        settings = self.settings
        with self.uow.atomic(exclusive=True):
            store.lock_childcare_days([store.slot_day(slot_id)])  # a promotion takes a place
            slot = store.locked_slot(slot_id)
            staffing.named_adults(fields["staff_ids"], staffing.day_of(slot))
            staffing.refuse_double_duty({"staff_ids": fields["staff_ids"]}, slot.starts_at, slot.ends_at, slot.id)
            unnamed = slot.unnamed if fields["staff_on_duty"] is None else fields["staff_on_duty"]
            staffing.count_slot(slot, fields["staff_ids"], unnamed, settings)
            slot.save()
            duty_store.name_on_slot(slot, fields["staff_ids"])
            self._promote(slot, timeutil.now_utc())
        log.info("slot staff changed", extra={"slot_id": slot.id, "staff_on_duty": slot.staff_on_duty})
        return presenters.slot(slot, store.booking_counts([slot]), staffing.slot_staff([slot]))

    @rpc
    def list_slots(self, query=None):
        q = load(SlotQuery(), query or {})
        first_day, end_day = (q["date"], q["date"] + timedelta(days=1)) if q["date"] else (q["from_"], q["to"])
        found = store.slots(q, first_day, end_day)
        return found.answer(
            presenters.slots(found.rows, store.booking_counts(found.rows), staffing.slot_staff(found.rows))
        )

    @rpc
    def get_slot(self, slot_id):
        slot = store.slot(slot_id)
        return presenters.slot(slot, store.booking_counts([slot]), staffing.slot_staff([slot]))

    # --- bookings -------------------------------------------------------------------------------
    @command
    def book(self, family_id, data):
        """Two reads, each one statement built once (childcare/store.py, "the booking path"): the
        booker, then the slot with what it holds; then the booking and its event."""
        fields = load(BOOKING_IN, data)
        settings = self.settings
        now = timeutil.now_utc()
        booking_id, requested_at = new_id(), db_now()  # the waiting list ahead of it is counted with the slot
        with self.uow.atomic(exclusive=True):
            store.lock_slot_day(fields["slot_id"])  # contracts decide on the day too
            booker = store.locked_booker(family_id, fields["child_id"])  # the family's figures price it
            family, child = booker.family, booker.child
            held = store.locked_slot_for_booking(fields["slot_id"], child.id, booking_id, requested_at)
            slot = held.slot
            if not childcare.booking_open(as_utc(slot.starts_at), now):
                raise Conflict("Ce créneau a déjà commencé : il ne peut plus être réservé.")
            care_checks.refuse_unvaccinated_as_read(
                child,
                booker.health_sealed,
                booker.admission_day,
                as_utc(slot.starts_at).astimezone(timeutil.VENUE_TZ).date(),
                settings,
            )
            walks = walks_on_slot_day(child, slot, settings)
            if not childcare.fits_age_group(slot.age_group, walks):
                group = GROUP_NAMES[slot.age_group]
                raise Invalid(f"Ce créneau est réservé à {group}.", {"slot_id": [f"Créneau pour {group}."]})
            if held.clashes:
                other = calendar.first_clash(
                    slot.starts_at, slot.ends_at, store.child_occupations(child, slot.starts_at, slot.ends_at)
                )
                raise Conflict(
                    f"{child.first_name} a déjà une réservation de {hhmm(other.starts_at)} "
                    f"à {hhmm(other.ends_at)} ce jour-là."
                )
            state = held_state(slot, held.state, contract_children_of(slot, held.contracts, settings), now, settings)
            status = childcare.admit(state, walks, family.job_seeker, settings)
            quote = quote_on_slot_day(family, slot, settings)
            booking = Booking(
                id=booking_id,
                created_at=requested_at,
                requested_at=requested_at,
                slot=slot,
                child=child,
                family=family,
                status=status,
                avip=family.job_seeker,
                walks=walks,
                hourly_rate=quote.hourly_rate,
                slot_starts_at=slot.starts_at,
                emergency_rate=quote.emergency is not None,
            )
            store.insert_booking(booking)
            if status == BOOKING_CONFIRMED:
                self.uow.emit("bookings.booking_confirmed", presenters.booking_told(booking))
            else:
                self.uow.emit("bookings.booking_waitlisted", presenters.booking_told(booking))
        # its place in the queue: first come, first served (domain/waitlist.py, positions)
        positions = {booking.id: held.waitlisted_ahead + 1} if status == BOOKING_WAITLISTED else {}
        log.info("booking decided", extra={"booking_id": booking.id, "slot_id": slot.id, "status": status})
        return presenters.booking(booking, settings, positions)

    @rpc
    def slot_prices(self, family_id, slot_ids):
        """What each slot costs this family if booked and attended as booked: {slot id: {hourly_rate,
        amount}} at its rate on the slot's day; a slot whose day the CNAF scale does not cover yet is
        left out (booking it is refused with that reason)."""
        family, settings, prices = store.family(family_id), self.settings, {}
        for slot in store.slots_with_ids(slot_ids):
            try:
                rate = quote_on_slot_day(family, slot, settings).hourly_rate
            except Conflict:
                continue
            line = billing.billing_line(
                as_utc(slot.starts_at),
                as_utc(slot.ends_at),
                None,
                None,
                rate,
                False,
                settings.billing_increment_minutes,
            )
            prices[slot.id] = presenters.slot_price(rate, line.amount)
        return prices

    @rpc
    def list_bookings(self, query=None, family_id=None):
        """A family's own bookings (family_id given), or all of them, filterable, for staff."""
        q = load(BookingQuery(), query or {})
        found = store.bookings(q, family_id or q["family_id"], q["slot_id"], q["status"], q["date"])
        return found.answer(presenters.bookings(found.rows, self.settings, _waitlist_positions(found.rows)))

    @command
    def cancel_booking(self, booking_id, family_id=None):
        settings = self.settings
        with self.uow.atomic(exclusive=True):
            store.lock_childcare_days([store.slot_day_of_booking(booking_id)])  # a promotion takes a place
            slot = store.locked_slot_of(booking_id)  # the slot first: see store.locked_slot_of
            booking = store.locked_booking(booking_id, family_id)
            if booking.status not in ACTIVE_BOOKING_STATUSES:
                raise Conflict("Cette réservation est déjà annulée.")
            now = timeutil.now_utc()
            if not childcare.cancellable(as_utc(slot.starts_at), now):
                raise Conflict("Le créneau a déjà commencé : la réservation ne peut plus être annulée.")
            booking.was_status, booking.status = booking.status, BOOKING_CANCELLED
            booking.cancelled_at = to_db(now)
            booking.cancelled_in_time = billing.cancellation_in_time(
                now, as_utc(slot.starts_at), as_utc(booking.promoted_at), settings.cancel_notice_hours
            )
            booking.save()
            self.uow.emit("bookings.booking_cancelled", presenters.booking_cancelled(booking))
            if booking.was_status == BOOKING_CONFIRMED:
                self._promote(slot, now)
        return presenters.booking(booking, settings)

    @timer(interval=AVIP_RELEASE_SWEEP_SECONDS)
    def release_avip_places(self):
        """Places still kept for AVIP children go to the waiting list once a slot enters the release
        notice (settings.avip_release_hours): once per slot, whatever the number of instances."""
        now = timeutil.now_utc()
        released = []
        for slot_id in store.slots_to_release(to_db(now), self.settings.avip_release_hours):
            with self.uow.atomic(exclusive=True):
                store.lock_childcare_days([store.slot_day(slot_id)])
                slot = store.locked_slot(slot_id)
                if slot.avip_released_at is not None:
                    continue  # another instance released it first
                reserved = childcare.reserved_for_avip(slot.places, self.settings)
                unfilled = childcare.unfilled_reservation(slot_state(slot, now, self.settings), reserved)
                slot.avip_released_at = to_db(now)
                slot.save()
                promoted = self._promote(slot, now)
                self.uow.emit(
                    "bookings.avip_places_released", presenters.avip_places_released(slot, unfilled, promoted)
                )
            released.append(slot_id)
        return released

    def _promote(self, slot, now):
        """Give free places to the waiting list (promotion.py); the promoted bookings."""
        promoted = promotion.promote(slot, now, self.settings)
        for booking in promoted:
            self.uow.emit("bookings.booking_promoted", promotion.promoted_event(booking, self.settings))
        return promoted

    # --- attendance -----------------------------------------------------------------------------
    @command
    def check_in(self, booking_id, data):
        at = load(MomentIn(), data)["at"]
        with self.uow.atomic(exclusive=True):
            booking = self._attended_booking(booking_id, at)
            if booking.checked_in_at:
                raise Conflict(f"Arrivée déjà notée à {hhmm(booking.checked_in_at)}.")
            booking.checked_in_at = to_db(at)
            booking.save()
            self.uow.emit("bookings.child_checked_in", presenters.child_checked_in(booking))
        return presenters.booking(booking, self.settings)

    @command
    def check_out(self, booking_id, data):
        """Staff note a departure and who collected the child: a guardian or an adult the family
        listed, identity checked (child_file/care_checks.py); nobody else (409)."""
        fields = load(CheckOutIn(), data)
        at = fields["at"]
        with self.uow.atomic(exclusive=True):
            booking = self._attended_booking(booking_id, at)
            if not booking.checked_in_at:
                raise Conflict("Notez d'abord l'arrivée de l'enfant.")
            if booking.checked_out_at:
                raise Conflict(f"Départ déjà noté à {hhmm(booking.checked_out_at)}.")
            if not attendance.departure_after_arrival(as_utc(booking.checked_in_at), at):
                raise Invalid("Le départ doit être après l'arrivée.", {"at": ["Avant l'heure d'arrivée."]})
            booking.collected_by = care_checks.collected_by(booking.child, booking.family, fields["collected_by"])
            booking.checked_out_at = to_db(at)
            booking.save()
            self.uow.emit("bookings.child_checked_out", presenters.child_checked_out(booking))
        return presenters.booking(booking, self.settings)

    def _attended_booking(self, booking_id, at):
        """The booking whose arrival or departure is noted at `at`, locked, once `at` is acceptable."""
        if not attendance.has_passed(at, timeutil.now_utc()):
            raise Invalid("Cette heure n'est pas encore passée.", {"at": ["Heure dans le futur."]})
        booking = store.locked_booking(booking_id)
        if not attendance.is_attendable(booking.status):
            raise Conflict("Seule une réservation confirmée peut être pointée.")
        if not attendance.on_slot_day(at, as_utc(booking.slot.starts_at), timeutil.VENUE_TZ):
            raise Invalid("L'heure doit être le jour du créneau.", {"at": ["Pas le jour du créneau."]})
        return booking

    # --- fees -----------------------------------------------------------------------------------
    @rpc
    def quote_fee(self, query):
        q = load(QUOTE_QUERY, query)
        try:
            quote = quote_of(q, self.settings)
        except ValueError as exc:
            raise Invalid("Pas de barème CNAF pour cette date.", {"on": [str(exc)]}) from None
        return presenters.quote(quote)

    @rpc
    def monthly_statement(self, family_id, month):
        """The month as the family is asked to pay it: frozen in its invoice once the month is
        closed, else computed now with the adjustments of its closed months (month_statements.py)."""
        month = load(MonthIn(), {"month": month})["month"]
        return month_statements.statement_of(store.family(family_id), month, self.settings)


def _waitlist_positions(bookings):
    """{booking id: place in its slot's queue} for the waitlisted ones among `bookings`."""
    slot_ids = {b.slot_id for b in bookings if b.status == BOOKING_WAITLISTED}
    positions = {}
    for waiting in store.waiting_lists(slot_ids).values():
        candidates = [waitlist.Candidate(b.id, b.avip, as_utc(b.requested_at), b.walks) for b in waiting]
        positions.update(waitlist.positions(candidates))
    return positions
