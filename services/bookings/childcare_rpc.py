"""Childcare entrypoints: families, children, slots, bookings, attendance, fees and statements.

Thin handlers: validate (schemas) -> decide (domain) -> store -> emit, in one transaction.
Overbooking is impossible by construction: a booking locks its slot (BEGIN IMMEDIATE on
SQLite, SELECT … FOR UPDATE on PostgreSQL) before counting the places taken. Every change
loads the row it changes with `shared.db.get_locked` (the `_locked_*` helpers below).
"""
import json
import logging
from datetime import date, datetime, time, timedelta

from nameko.rpc import rpc

from services.bookings.domain import billing, calendar, childcare, fees, ratio, waitlist
from services.bookings.models import Booking, Child, ChildcareSlot, Family, Room
from services.bookings.schemas import (BookingIn, BookingQuery, ChildIn, FamilyIn, MomentIn, MonthIn, QuoteQuery,
                                       SlotIn, SlotQuery, iso)
from shared.commands import command
from shared.db import get_locked
from shared.errors import Conflict, Invalid, NotFound, load
from shared import timeutil
from shared.timeutil import VENUE_TZ, as_utc, from_db, to_db

log = logging.getLogger(__name__)
ACTIVE = ("confirmed", "waitlisted")
CLOCK_TOLERANCE = timedelta(minutes=15)  # staff may note an arrival a little ahead, never hours ahead


class ChildcareRpc:

    # --- families and children -----------------------------------------------------------------
    @command
    def register_family(self, data):
        fields = load(FamilyIn(), data)
        if not fields["id"]:
            fields.pop("id")
        fields["guardians"] = json.dumps(fields["guardians"], ensure_ascii=False)
        with self.uow.atomic(exclusive=True):
            if Family.select().where(Family.email == fields["email"]).exists():
                raise Conflict("Une famille est déjà inscrite avec cette adresse.", {"email": ["Adresse déjà utilisée."]})
            family = Family.create(**fields)
        return _family_out(family, self.settings)

    @rpc
    def get_family(self, family_id):
        return _family_out(_family(family_id), self.settings)

    @command
    def add_child(self, family_id, data):
        fields = load(ChildIn(), data)
        if fields["birth_date"] > date.today():
            raise Invalid("Date de naissance dans le futur.", {"birth_date": ["La date est dans le futur."]})
        with self.uow.atomic():
            family = _family(family_id)
            child = Child.create(family=family, first_name=fields["first_name"], birth_date=fields["birth_date"],
                                 walking_override=fields["walking"])
        return _child_out(child, self.settings)

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
            room = get_locked(Room.select().where(Room.id == fields["room_id"]))
            if room is None:
                raise Invalid("Salle inconnue.", {"room_id": ["Aucune salle avec cet identifiant."]})
            # Two slots in one room at once would each count the room's whole capacity.
            other = (ChildcareSlot.select().where(ChildcareSlot.room == room, ChildcareSlot.starts_at < ends_at,
                                                  ChildcareSlot.ends_at > starts_at).first())
            if other:
                raise Conflict(f"La salle « {room.name} » a déjà un créneau d'accueil de {_hhmm(other.starts_at)} "
                               f"à {_hhmm(other.ends_at)}.", {"starts_at": ["Chevauche un autre créneau."]})
            places = ratio.places_offered(fields["staff_on_duty"], fields["age_group"], settings.ratio_option,
                                          room.capacity, settings.micro_creche)
            slot = ChildcareSlot.create(room=room, starts_at=starts_at, ends_at=ends_at, age_group=fields["age_group"],
                                        staff_on_duty=fields["staff_on_duty"], places=places)
        return _slots_out([slot])[0]

    @rpc
    def list_slots(self, query=None):
        q = load(SlotQuery(), query or {})
        select = ChildcareSlot.select(ChildcareSlot, Room).join(Room).order_by(ChildcareSlot.starts_at)
        if q["date"]:
            start, end = _local_day(q["date"])
            select = select.where(ChildcareSlot.starts_at >= start, ChildcareSlot.starts_at < end)
        return _slots_out(list(select))

    # --- bookings -------------------------------------------------------------------------------
    @command
    def book(self, family_id, data):
        fields = load(BookingIn(), data)
        settings = self.settings
        with self.uow.atomic(exclusive=True):
            family = _family(family_id)
            child = get_locked(Child.select().where(Child.id == fields["child_id"], Child.family == family))
            if child is None:
                raise NotFound("Enfant introuvable dans votre famille.")
            slot = get_locked(ChildcareSlot.select(ChildcareSlot, Room).join(Room)
                              .where(ChildcareSlot.id == fields["slot_id"]))
            if slot is None:
                raise NotFound("Créneau introuvable.")
            if slot.starts_at <= to_db(timeutil.now_utc()):
                raise Conflict("Ce créneau a déjà commencé : il ne peut plus être réservé.")
            walks = ratio.is_walking(child.birth_date, from_db(slot.starts_at).date(), child.walking_override,
                                     settings.walking_age_months)
            if not childcare.fits_age_group(slot.age_group, walks):
                group = "des enfants qui marchent" if slot.age_group == "walking" else "des enfants qui ne marchent pas encore"
                raise Invalid(f"Ce créneau est réservé à {group}.", {"slot_id": [f"Créneau pour {group}."]})
            _refuse_overlap(child, slot)
            status = childcare.admit(_slot_state(slot), walks, family.job_seeker, settings)
            try:
                quote = fees.quote(family.monthly_resources, family.dependent_children, family.aeeh,
                                   from_db(slot.starts_at).date())
            except ValueError:
                raise Conflict("Le barème CNAF de cette date n'est pas encore connu : la réservation ne peut pas "
                               "être tarifée. L'équipe doit mettre le barème à jour.") from None
            booking = Booking.create(slot=slot, child=child, family=family, status=status, avip=family.job_seeker,
                                     walks=walks, hourly_rate=quote.hourly_rate)
            self.uow.emit(f"bookings.booking_{status}", _booking_fact(booking))
        log.info("booking decided", extra={"booking_id": booking.id, "slot_id": slot.id, "status": status})
        return _booking_out(booking, settings)

    @rpc
    def list_bookings(self, query=None, family_id=None):
        """A family's own bookings (family_id given), or all of them, filterable, for staff."""
        q = load(BookingQuery(), query or {})
        select = (Booking.select(Booking, ChildcareSlot, Child).join(ChildcareSlot).switch(Booking).join(Child)
                  .order_by(ChildcareSlot.starts_at, Booking.requested_at))
        family_id = family_id or q["family_id"]
        if family_id:
            select = select.where(Booking.family == family_id)
        if q["slot_id"]:
            select = select.where(Booking.slot == q["slot_id"])
        if q["status"]:
            select = select.where(Booking.status == q["status"])
        if q["date"]:
            start, end = _local_day(q["date"])
            select = select.where(ChildcareSlot.starts_at >= start, ChildcareSlot.starts_at < end)
        settings = self.settings
        return [_booking_out(b, settings) for b in select]

    @command
    def cancel_booking(self, booking_id, family_id=None):
        settings = self.settings
        with self.uow.atomic(exclusive=True):
            slot = _locked_slot_of(booking_id)
            booking = _locked_booking(booking_id, family_id)
            if booking.status not in ACTIVE:
                raise Conflict("Cette réservation est déjà annulée.")
            now = timeutil.now_utc()
            if slot.starts_at <= to_db(now):
                raise Conflict("Le créneau a déjà commencé : la réservation ne peut plus être annulée.")
            booking.was_status, booking.status = booking.status, "cancelled"
            booking.cancelled_at = to_db(now)
            booking.cancelled_in_time = billing.cancelled_in_time(now, as_utc(slot.starts_at), settings.cancel_notice_hours)
            booking.save()
            self.uow.emit("bookings.booking_cancelled", dict(_booking_fact(booking), cancelled_in_time=booking.cancelled_in_time,
                                                             was_status=booking.was_status))
            if booking.was_status == "confirmed":
                self._promote(slot, settings)
        return _booking_out(booking, settings)

    def _promote(self, slot, settings):
        """Give freed places to the waiting list, in its order (AVIP share first, then first come)."""
        waiting = {b.id: b for b in Booking.select().where(Booking.slot == slot, Booking.status == "waitlisted")}
        candidates = [waitlist.Candidate(b.id, b.avip, as_utc(b.requested_at), b.walks) for b in waiting.values()]
        for chosen in childcare.promotions(_slot_state(slot), candidates, settings):
            booking = waiting[chosen.booking_id]
            booking.status = "confirmed"
            booking.save()
            self.uow.emit("bookings.booking_promoted", _booking_fact(booking))

    # --- attendance -----------------------------------------------------------------------------
    @command
    def check_in(self, booking_id, data):
        at = load(MomentIn(), data)["at"]
        with self.uow.atomic(exclusive=True):
            booking = _attended_booking(booking_id, at)
            if booking.checked_in_at:
                raise Conflict(f"Arrivée déjà notée à {_hhmm(booking.checked_in_at)}.")
            booking.checked_in_at = to_db(at)
            booking.save()
            self.uow.emit("bookings.child_checked_in", {"booking_id": booking.id, "child_id": booking.child_id,
                                                        "at": iso(booking.checked_in_at)})
        return _booking_out(booking, self.settings)

    @command
    def check_out(self, booking_id, data):
        at = load(MomentIn(), data)["at"]
        with self.uow.atomic(exclusive=True):
            booking = _attended_booking(booking_id, at)
            if not booking.checked_in_at:
                raise Conflict("Notez d'abord l'arrivée de l'enfant.")
            if booking.checked_out_at:
                raise Conflict(f"Départ déjà noté à {_hhmm(booking.checked_out_at)}.")
            if to_db(at) <= booking.checked_in_at:
                raise Invalid("Le départ doit être après l'arrivée.", {"at": ["Avant l'heure d'arrivée."]})
            booking.checked_out_at = to_db(at)
            booking.save()
            self.uow.emit("bookings.child_checked_out", {"booking_id": booking.id, "child_id": booking.child_id,
                                                         "at": iso(booking.checked_out_at)})
        return _booking_out(booking, self.settings)

    # --- fees -----------------------------------------------------------------------------------
    @rpc
    def quote_fee(self, query):
        q = load(QuoteQuery(), query)
        try:
            quote = fees.quote(q["monthly_resources"], q["dependent_children"], q["aeeh"], q["on"] or date.today())
        except ValueError as exc:
            raise Invalid("Pas de barème CNAF pour cette date.", {"on": [str(exc)]}) from None
        return {"hourly_rate": _exact(quote.hourly_rate), "effort_rate": _exact(quote.effort_rate),
                "resources_used": _money(quote.resources_used), "floor": _money(quote.floor),
                "ceiling": _money(quote.ceiling), "on": quote.on.isoformat(), "status": quote.status}

    @rpc
    def monthly_statement(self, family_id, month):
        month = load(MonthIn(), {"month": month})["month"]
        family = _family(family_id)
        year, number = (int(x) for x in month.split("-"))
        start = _local_day(date(year, number, 1))[0]
        end = _local_day(date(year + number // 12, number % 12 + 1, 1))[0]
        settings = self.settings
        rows = (Booking.select(Booking, ChildcareSlot, Child).join(ChildcareSlot).switch(Booking).join(Child)
                .where(Booking.family == family, ChildcareSlot.starts_at >= start, ChildcareSlot.starts_at < end,
                       (Booking.status == "confirmed") | (Booking.was_status == "confirmed"))
                .order_by(ChildcareSlot.starts_at))
        lines = []
        for booking in rows:
            line = _billing_line(booking, settings)
            lines.append((booking, line))
        total = billing.statement(line for _, line in lines)
        return {
            "family_id": family.id, "month": month,
            "hours_booked": _exact(total.hours_booked), "hours_attended": _exact(total.hours_attended),
            "hours_billed": _exact(total.hours_billed), "amount": _money(total.amount),
            "lines": [{"booking_id": b.id, "child_first_name": b.child.first_name, "starts_at": iso(b.slot.starts_at),
                       "ends_at": iso(b.slot.ends_at), "status": b.status, "hourly_rate": _exact(b.hourly_rate),
                       "hours_booked": _exact(line.hours_booked), "hours_attended": _exact(line.hours_attended),
                       "hours_billed": _exact(line.hours_billed), "amount": _money(line.amount)}
                      for b, line in lines],
        }


# --- helpers ------------------------------------------------------------------------------------
def _hhmm(stored):
    return from_db(stored).strftime("%H:%M")


def _local_day(day):
    """[start, end) of a local calendar day, as stored (naive UTC)."""
    start = datetime.combine(day, time(0), tzinfo=VENUE_TZ)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=VENUE_TZ)
    return to_db(start), to_db(end)


def _money(value):
    """An amount as a string with two decimals."""
    return f"{value:.2f}"


def _exact(value):
    """A rate or a number of hours as a string with as many decimals as it has, no more."""
    return format(value.normalize(), "f") if value else "0"


def _family(family_id):
    family = Family.get_or_none(Family.id == str(family_id))
    if family is None:
        raise NotFound("Famille introuvable.")
    return family


def _locked_slot_of(booking_id):
    """A booking's slot, locked. A cancellation takes the slot before the booking because its
    promotions then change other bookings of the slot: one order for all, so no deadlock."""
    slot = get_locked(ChildcareSlot.select(ChildcareSlot, Room).join(Room).where(
        ChildcareSlot.id.in_(Booking.select(Booking.slot).where(Booking.id == str(booking_id)))))
    if slot is None:
        raise NotFound("Réservation introuvable.")
    return slot


def _locked_booking(booking_id, family_id=None):
    """The booking an entrypoint is about to change, locked until its transaction ends."""
    booking = get_locked(Booking.select().where(Booking.id == str(booking_id)))
    if booking is None or (family_id and booking.family_id != family_id):
        raise NotFound("Réservation introuvable.")  # another family's booking is not even said to exist
    return booking


def _attended_booking(booking_id, at):
    if at > timeutil.now_utc() + CLOCK_TOLERANCE:
        raise Invalid("Cette heure n'est pas encore passée.", {"at": ["Heure dans le futur."]})
    booking = _locked_booking(booking_id)
    if booking.status != "confirmed":
        raise Conflict("Seule une réservation confirmée peut être pointée.")
    slot = booking.slot
    if from_db(to_db(at)).date() != from_db(slot.starts_at).date():
        raise Invalid("L'heure doit être le jour du créneau.", {"at": ["Pas le jour du créneau."]})
    return booking


def _refuse_overlap(child, slot):
    overlapping = (Booking.select().join(ChildcareSlot)
                   .where(Booking.child == child, Booking.status.in_(ACTIVE),
                          ChildcareSlot.starts_at < slot.ends_at, ChildcareSlot.ends_at > slot.starts_at).first())
    if overlapping:
        raise Conflict(f"{child.first_name} a déjà une réservation de {_hhmm(overlapping.slot.starts_at)} "
                       f"à {_hhmm(overlapping.slot.ends_at)} ce jour-là.")


def _slot_state(slot):
    confirmed = Booking.select(Booking.walks, Booking.avip).where(Booking.slot == slot, Booking.status == "confirmed")
    return childcare.SlotState(places=slot.places, staff_on_duty=slot.staff_on_duty, room_capacity=slot.room.capacity,
                               age_group=slot.age_group,
                               confirmed=[childcare.Placed(b.walks, b.avip) for b in confirmed])


def _slots_out(slots):
    counts = {}
    if slots:
        for b in Booking.select(Booking.slot, Booking.status).where(Booking.slot.in_([s.id for s in slots]),
                                                                    Booking.status.in_(ACTIVE)):
            counts.setdefault(b.slot_id, {"confirmed": 0, "waitlisted": 0})[b.status] += 1
    return [{
        "id": s.id, "room_id": s.room_id, "room_name": s.room.name, "starts_at": iso(s.starts_at),
        "ends_at": iso(s.ends_at), "age_group": s.age_group, "staff_on_duty": s.staff_on_duty, "places": s.places,
        "booked": counts.get(s.id, {}).get("confirmed", 0), "waitlisted": counts.get(s.id, {}).get("waitlisted", 0),
        "free": max(0, s.places - counts.get(s.id, {}).get("confirmed", 0)),
    } for s in slots]


def _billing_line(booking, settings):
    slot = booking.slot
    checked_in = as_utc(booking.checked_in_at) if booking.checked_in_at else None
    checked_out = as_utc(booking.checked_out_at) if booking.checked_out_at else None
    if checked_in and not checked_out:
        checked_in = None  # still in care (or out not recorded): billed as booked until it is
    return billing.billing_line(as_utc(slot.starts_at), as_utc(slot.ends_at), checked_in, checked_out,
                                booking.hourly_rate, bool(booking.cancelled_in_time),
                                settings.billing_increment_minutes)


def _booking_fact(booking):
    slot = booking.slot
    return {"booking_id": booking.id, "slot_id": slot.id, "child_id": booking.child_id,
            "family_id": booking.family_id, "starts_at": iso(slot.starts_at), "ends_at": iso(slot.ends_at),
            "avip": booking.avip}


def _booking_out(booking, settings):
    line = _billing_line(booking, settings)
    slot = booking.slot
    return {
        "id": booking.id, "status": booking.status, "slot_id": slot.id, "child_id": booking.child_id,
        "child_first_name": booking.child.first_name, "family_id": booking.family_id,
        "starts_at": iso(slot.starts_at), "ends_at": iso(slot.ends_at),
        "hourly_rate": _exact(booking.hourly_rate), "amount": _money(line.amount),
        "hours_billed": _exact(line.hours_billed), "avip": booking.avip,
        "checked_in_at": iso(booking.checked_in_at), "checked_out_at": iso(booking.checked_out_at),
        "cancelled_in_time": booking.cancelled_in_time, "requested_at": iso(booking.requested_at),
    }


def _family_out(family, settings):
    return {
        "id": family.id, "email": family.email, "guardians": json.loads(family.guardians),
        "monthly_resources": _money(family.monthly_resources), "dependent_children": family.dependent_children,
        "aeeh": family.aeeh, "job_seeker": family.job_seeker,
        "children": [_child_out(c, settings) for c in family.children.order_by(Child.birth_date)],
    }


def _child_out(child, settings):
    return {"id": child.id, "first_name": child.first_name, "birth_date": child.birth_date.isoformat(),
            "walking": ratio.is_walking(child.birth_date, date.today(), child.walking_override,
                                        settings.walking_age_months),
            "walking_set_by_staff": child.walking_override is not None}
