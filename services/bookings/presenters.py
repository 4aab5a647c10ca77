"""What the bookings service answers and tells: responses dumped through the Out schemas of
schemas.py, and the payloads of its events.

A response may need values that are not columns (an activity's trainees, a booking's billing
line, a child's walking status today): the row is handed to its schema `Shown` with them, so
the schema declares every field of the answer and nothing is added to the dump afterwards.
"""

import json
from datetime import date, timedelta
from types import SimpleNamespace

from services.bookings.domain import billing, care_pattern, contract_statement
from services.bookings.domain.board import worst_status
from services.bookings.domain.walking import walking_status
from services.bookings.schemas import (
    AbsenceOut,
    ActivityOut,
    AttendanceOut,
    BookingOut,
    CalendarEntryOut,
    ChildOut,
    ChildWalkingOut,
    CnafReportOut,
    ContractOut,
    ContractQuoteOut,
    DayBoardOut,
    DayChildrenOut,
    FamilyChangeOut,
    FamilyFileOut,
    FamilyOut,
    OnSiteOut,
    QuoteOut,
    RoomOut,
    RoomWeekOut,
    SlotOut,
    StatementOut,
    exact_text,
)
from shared.timeutil import as_utc, from_db
from shared.vocabulary import MONTHS_FR, WEEKDAYS_FR


class Shown:
    """A row as its Out schema reads it: the values given here, then the row's own attributes."""

    def __init__(self, row, **values):
        self._row = row
        self.__dict__.update(values)

    def __getattr__(self, name):
        return getattr(self.__dict__["_row"], name)


# --- calendar ------------------------------------------------------------------------------------
def room(room):
    return RoomOut().dump(room)


def rooms(rooms):
    return RoomOut(many=True).dump(rooms)


def activity(activity, people):
    """`people`: store.people_of([activity])."""
    return activities([activity], people)[0]


def activities(activities, people):
    return ActivityOut(many=True).dump(
        [Shown(a, trainee_ids=people[a.id].trainee_ids, volunteer_ids=people[a.id].volunteer_ids) for a in activities]
    )


# --- childcare -----------------------------------------------------------------------------------
def family(family, children, settings):
    """`children`: store.children_of(family)."""
    return FamilyOut().dump(_family(family, children, settings))


def _family(family, children, settings):
    return Shown(family, guardians=json.loads(family.guardians), children=[_child(c, settings) for c in children])


def families(families, children, settings):
    """`children`: store.children_of_families(families), {family id: [Child]}."""
    return FamilyOut(many=True).dump([_family(f, children[f.id], settings) for f in families])


def family_file(family, children, repriced, settings):
    """After a correction: the family and `repriced`, [(Booking, hourly rate before)]."""
    shown = [Shown(b, hourly_rate_before=before) for b, before in repriced]
    return FamilyFileOut().dump(Shown(_family(family, children, settings), bookings_repriced=shown))


def family_history(changes):
    return FamilyChangeOut(many=True).dump(changes)


def child(child, settings):
    return ChildOut().dump(_child(child, settings))


def child_walking(child, settings, updated, to_review):
    """After staff set the walking status: `updated` booking ids, `to_review` [(Booking, reason, message)]."""
    review = [Shown(b, reason=reason, message=message) for b, reason, message in to_review]
    return ChildWalkingOut().dump(Shown(_child(child, settings), bookings_updated=updated, bookings_to_review=review))


def slots(slots, counts):
    """`counts`: store.booking_counts(slots)."""
    return SlotOut(many=True).dump([_slot(s, counts[s.id]) for s in slots])


def slot(slot, counts):
    return slots([slot], counts)[0]


def booking(booking, settings, positions=None):
    return bookings([booking], settings, positions)[0]


def bookings(bookings, settings, positions=None):
    """`positions`: {booking id: place on its slot's waiting list} (domain.waitlist.positions)."""
    positions = positions or {}
    return BookingOut(many=True).dump(
        [Shown(b, line=billing_line(b, settings), waitlist_position=positions.get(b.id)) for b in bookings]
    )


def quote(quote):
    return QuoteOut().dump(quote)


def statement(family, month, bookings, contract_months, settings):
    """A family's month: its contracts' lines (`contract_months`: [(contract, ContractMonth)]),
    then every booking billed in it (store.billed_bookings), and the totals of both."""
    lines = [Shown(b, line=billing_line(b, settings), label=_booking_label(b)) for b in bookings]
    total = contract_statement.family_month(
        billing.statement(line.line for line in lines), [m for _, m in contract_months]
    )
    contract_lines = [
        Shown(line, contract_id=c.id, child_first_name=c.child.first_name)
        for c, m in contract_months
        for line in m.lines
    ]
    return StatementOut().dump(Shown(family, month=month, total=total, lines=lines, contract_lines=contract_lines))


def _booking_label(booking):
    start, end = from_db(booking.slot.starts_at), from_db(booking.slot.ends_at)
    return f"Accueil occasionnel : {fr_day(start.date())}, {fr_time(start)} – {fr_time(end)}"


def fr_time(moment):
    """« 8 h 30 », « 12 h »."""
    return f"{moment.hour} h {moment.minute:02d}" if moment.minute else f"{moment.hour} h"


def slot_price(hourly_rate, amount):
    """A slot's price for one family, written as every answer writes money and rates."""
    return {"hourly_rate": exact_text(hourly_rate), "amount": f"{amount:.2f}"}


def billing_line(booking, settings):
    """A stored booking's billing line so far (domain.billing.line_so_far)."""
    slot = booking.slot
    return billing.line_so_far(
        as_utc(slot.starts_at),
        as_utc(slot.ends_at),
        as_utc(booking.checked_in_at),
        as_utc(booking.checked_out_at),
        booking.hourly_rate,
        bool(booking.cancelled_in_time),
        settings.billing_increment_minutes,
    )


# --- regular care contracts ------------------------------------------------------------------------
CONTRACT_LABELS = {"requested": "en attente", "active": "en cours", "ended": "terminé"}


def contract_quote(quote, monthly):
    """`quote`: fees.FeeQuote; `monthly`: care_pattern.Mensualisation."""
    return ContractQuoteOut().dump(Shown(monthly, hourly_rate=quote.hourly_rate))


def contract(contract, pattern, absences):
    return contract_list([contract], [pattern], {contract.id: absences})[0]


def contract_list(rows, patterns, absences=None):
    absences = absences or {}
    return ContractOut(many=True).dump(
        [
            Shown(
                c,
                pattern=json.loads(c.pattern),
                hours_per_week=care_pattern.hours_per_week(p),
                child_first_name=c.child.first_name,
                absences=absences.get(c.id, []),
            )
            for c, p in zip(rows, patterns, strict=True)
        ]
    )


def absence(absence):
    return AbsenceOut().dump(absence)


def _contract_fact(contract):
    return {"contract_id": contract.id, "family_id": contract.family_id, "child_id": contract.child_id}


def contract_signed(contract, pattern):
    return dict(
        _contract_fact(contract),
        starts_on=contract.starts_on.isoformat(),
        ends_on=contract.ends_on.isoformat(),
        weeks_per_year=contract.weeks_per_year,
        pattern=json.loads(contract.pattern),
        hours_per_week=exact_text(care_pattern.hours_per_week(pattern)),
        hourly_rate=exact_text(contract.hourly_rate),
        monthly_amount=f"{contract.monthly_amount:.2f}",
        avip=contract.avip,
    )


def contract_amended(old, new, pattern):
    return dict(contract_signed(new, pattern), amends=old.id, from_on=new.starts_on.isoformat())


def contract_ended(contract, reason):
    return dict(_contract_fact(contract), ended_on=contract.last_day.isoformat(), reason=reason)


def absence_recorded(absence, contract):
    return dict(
        _contract_fact(contract),
        absence_id=absence.id,
        starts_on=absence.starts_on.isoformat(),
        ends_on=absence.ends_on.isoformat(),
        reason=absence.reason,
        deducted_hours=exact_text(absence.deducted_hours),
    )


def cnaf_report(year, months):
    """`months`: [(YYYY-MM, occasional billing.MonthlyStatement, contracts' contract_statement.FamilyMonth)]."""
    rows = [
        SimpleNamespace(
            month=month,
            occasional=occasional,
            contracts=in_contracts,
            hours_billed=occasional.hours_billed + in_contracts.hours_billed,
            hours_attended=occasional.hours_attended + in_contracts.hours_attended,
            amount=occasional.amount + in_contracts.amount,
        )
        for month, occasional, in_contracts in months
    ]
    return CnafReportOut().dump(
        SimpleNamespace(
            year=year,
            months=rows,
            hours_billed=sum(r.hours_billed for r in rows),
            hours_attended=sum(r.hours_attended for r in rows),
            amount=sum(r.amount for r in rows),
        )
    )


def fr_day(day):
    """« lundi 7 décembre 2026 », as people read a date."""
    return f"{WEEKDAYS_FR[day.weekday()]} {day.day} {MONTHS_FR[day.month - 1]} {day.year}"


def hhmm(stored):
    """A stored time as its hour in the venue's zone, for messages: 08:30."""
    return from_db(stored).strftime("%H:%M")


def _child(child, settings):
    status = walking_status(
        child.birth_date, date.today(), child.walking_override, child.walking_declared, settings.walking_age_months
    )
    return Shown(child, status=status)


def _slot(slot, counts):
    return Shown(
        slot, booked=counts.confirmed, waitlisted=counts.waitlisted, free=max(0, slot.places - counts.confirmed)
    )


# --- event payloads (read from stored rows; the event names are written where they are emitted) ---
def iso(stored):
    """A stored time as events carry it: ISO 8601 in the venue's zone, with its offset."""
    return from_db(stored).isoformat() if stored else None


def activity_scheduled(activity):
    return {
        "activity_id": activity.id,
        "title": activity.title,
        "kind": activity.kind,
        "room_id": activity.room.id,
        "room_name": activity.room.name,
        "starts_at": iso(activity.starts_at),
        "ends_at": iso(activity.ends_at),
        "children_capacity": activity.children_capacity,
        "volunteer_slots": activity.volunteer_slots,
        "trainee_slots": activity.trainee_slots,
        "age_group": activity.age_group,
    }


def activity_rescheduled(activity, previous_starts_at, previous_ends_at, people):
    """`people`: store.people_of([activity]) (its volunteers are told: notifications)."""
    return {
        "activity_id": activity.id,
        "title": activity.title,
        "volunteer_ids": people[activity.id].volunteer_ids,
        "room_id": activity.room.id,
        "room_name": activity.room.name,
        "starts_at": iso(activity.starts_at),
        "ends_at": iso(activity.ends_at),
        "previous_starts_at": iso(previous_starts_at),
        "previous_ends_at": iso(previous_ends_at),
    }


def activity_cancelled(activity, reason, people):
    """`people`: store.people_of([activity]) (its volunteers are told: notifications)."""
    return {
        "activity_id": activity.id,
        "reason": reason,
        "title": activity.title,
        "starts_at": iso(activity.starts_at),
        "volunteer_ids": people[activity.id].volunteer_ids,
    }


def activity_completed(activity, people):
    """`people`: store.people_of([activity])."""
    return {
        "activity_id": activity.id,
        "kind": activity.kind,
        "started_at": iso(activity.started_at),
        "ended_at": iso(activity.ended_at),
        "trainee_ids": people[activity.id].trainee_ids,
        "volunteer_ids": people[activity.id].volunteer_ids,
    }


def trainee_assigned(activity, trainee_id):
    return {
        "activity_id": activity.id,
        "trainee_id": trainee_id,
        "starts_at": iso(activity.starts_at),
        "ends_at": iso(activity.ends_at),
    }


def booking_fact(booking):
    """The payload of booking_confirmed, booking_waitlisted and booking_promoted."""
    slot = booking.slot
    return {
        "booking_id": booking.id,
        "slot_id": slot.id,
        "child_id": booking.child_id,
        "family_id": booking.family_id,
        "starts_at": iso(slot.starts_at),
        "ends_at": iso(slot.ends_at),
        "avip": booking.avip,
    }


def booking_told(booking):
    """booking_fact, and what the family's notification needs (booking_confirmed, booking_waitlisted)."""
    return dict(
        booking_fact(booking),
        family_email=booking.family.email,
        child_first_name=booking.child.first_name,
        room_name=booking.slot.room.name,
    )


def booking_promoted(booking, settings):
    """booking_fact, and what the family's notification needs: who, what, where, and whether the
    place may be declined without charge (a promotion inside the cancellation notice)."""
    slot = booking.slot
    inside_notice = billing.promoted_inside_notice(
        as_utc(booking.promoted_at), as_utc(slot.starts_at), settings.cancel_notice_hours
    )
    return dict(
        booking_fact(booking),
        family_email=booking.family.email,
        child_first_name=booking.child.first_name,
        room_name=slot.room.name,
        promoted_at=iso(booking.promoted_at),
        declinable_without_charge=inside_notice,
    )


def avip_places_released(slot, unfilled, promoted):
    return {
        "slot_id": slot.id,
        "starts_at": iso(slot.starts_at),
        "ends_at": iso(slot.ends_at),
        "places_released": unfilled,
        "promoted_booking_ids": [b.id for b in promoted],
    }


def booking_cancelled(booking):
    return dict(booking_told(booking), cancelled_in_time=booking.cancelled_in_time, was_status=booking.was_status)


def family_file_corrected(family_id, changes, changed_by, child_id=None):
    """`changes`: [(field, before, after)] (domain.family_file.changes)."""
    return {
        "family_id": family_id,
        "changed_fields": [name for name, _before, _after in changes],
        "changed_by": changed_by,
        "child_id": child_id,
    }


def child_checked_in(booking):
    return {
        "booking_id": booking.id,
        "contract_id": None,
        "child_id": booking.child_id,
        "at": iso(booking.checked_in_at),
    }


def child_checked_out(booking):
    return {
        "booking_id": booking.id,
        "contract_id": None,
        "child_id": booking.child_id,
        "at": iso(booking.checked_out_at),
    }


def contract_child_checked_in(contract, noted):
    return {"booking_id": None, "contract_id": contract.id, "child_id": contract.child_id, "at": iso(noted.arrived_at)}


def contract_child_checked_out(contract, noted):
    return {"booking_id": None, "contract_id": contract.id, "child_id": contract.child_id, "at": iso(noted.left_at)}


def attendance(noted):
    return AttendanceOut().dump(noted)


# --- a person's calendar feed (calendar_feed_rpc.py) ---------------------------------------------
def calendar_entries(bookings=(), activities=(), slots=(), counts=None):
    """Bookings, activities and slots as one list of calendar entries, by start. `counts`:
    store.booking_counts(slots)."""
    entries = [
        _entry(
            uid=f"booking-{b.id}",
            kind="booking",
            status=b.status,
            title="",
            child_first_name=b.child.first_name,
            room_name=b.slot.room.name,
            starts_at=b.slot.starts_at,
            ends_at=b.slot.ends_at,
        )
        for b in bookings
    ]
    entries += [
        _entry(
            uid=f"activity-{a.id}",
            kind="activity",
            status=a.status,
            title=a.title,
            activity_kind=a.kind,
            room_name=a.room.name,
            starts_at=a.starts_at,
            ends_at=a.ends_at,
        )
        for a in activities
    ]
    entries += [
        _entry(
            uid=f"slot-{s.id}",
            kind="slot",
            status="scheduled",
            title="",
            age_group=s.age_group,
            places=s.places,
            booked=(counts or {})[s.id].confirmed if counts and s.id in counts else 0,
            room_name=s.room.name,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
        )
        for s in slots
    ]
    entries.sort(key=lambda entry: (entry.starts_at, entry.uid))
    return CalendarEntryOut(many=True).dump(entries)


def _entry(**values):
    """One calendar entry; what does not apply to its kind is None."""
    return SimpleNamespace(**dict(dict.fromkeys(CalendarEntryOut().fields), **values))


# --- the staff's board (board_rpc.py) --------------------------------------------------------------
def day_board(day, at, activities, people, slots, counts, presence, present):
    """`presence`: {slot id: (present_walking, present_non_walking, adults required, ratio status)};
    `present`: how many children are in the building; the day's status is the worst of its slots'."""
    shown_slots = [
        Shown(
            _slot(s, counts[s.id]),
            present=presence[s.id][0] + presence[s.id][1],
            present_walking=presence[s.id][0],
            present_non_walking=presence[s.id][1],
            adults_required=presence[s.id][2],
            ratio_status=presence[s.id][3],
        )
        for s in slots
    ]
    shown_activities = [
        Shown(a, trainee_ids=people[a.id].trainee_ids, volunteer_ids=people[a.id].volunteer_ids) for a in activities
    ]
    return DayBoardOut().dump(
        SimpleNamespace(
            date=day,
            at=at,
            activities=shown_activities,
            slots=shown_slots,
            present=present,
            ratio_status=worst_status(p[3] for p in presence.values()),
        )
    )


def day_children(day, at, children):
    """`children`: board_rpc.DayChild rows."""
    return DayChildrenOut().dump(SimpleNamespace(date=day, at=at, count=len(children), children=children))


def on_site(at, activities, people, reservations):
    """`people`: {activity id: People}; `reservations`: held RoomReservation rows under way."""
    return OnSiteOut().dump(
        SimpleNamespace(
            at=at,
            activities=[
                SimpleNamespace(
                    activity=a,
                    trainee_ids=people[a.id].trainee_ids,
                    volunteer_ids=people[a.id].volunteer_ids,
                )
                for a in activities
            ],
            sessions=reservations,
        )
    )


def room_week(room, days, entries):
    """`entries`: {date: [WeekEntryOut-shaped namespaces]} for each of the seven `days`."""
    return RoomWeekOut().dump(
        SimpleNamespace(
            room=room,
            week=days[0],
            previous_week=days[0] - timedelta(days=7),
            next_week=days[0] + timedelta(days=7),
            days=[SimpleNamespace(date=d, entries=entries.get(d, [])) for d in days],
        )
    )


def week_entries(activities, slots, counts, reservations):
    """{local date: entries by start} of a room's activities, slots (with `counts`) and reservations."""
    entries = [
        SimpleNamespace(
            kind="activity",
            id=a.id,
            title=a.title,
            starts_at=a.starts_at,
            ends_at=a.ends_at,
            status=a.status,
            activity_kind=a.kind,
            age_group=a.age_group,
            places=a.children_capacity,
            booked=None,
        )
        for a in activities
    ]
    entries += [
        SimpleNamespace(
            kind="slot",
            id=s.id,
            title="Accueil des enfants",
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            status=None,
            activity_kind=None,
            age_group=s.age_group,
            places=s.places,
            booked=counts[s.id].confirmed,
        )
        for s in slots
    ]
    entries += [
        SimpleNamespace(
            kind="training",
            id=r.id,
            title=r.title,
            starts_at=r.starts_at,
            ends_at=r.ends_at,
            status=None,
            activity_kind=None,
            age_group=None,
            places=None,
            booked=None,
        )
        for r in reservations
    ]
    by_day = {}
    for entry in sorted(entries, key=lambda e: (e.starts_at, e.kind, e.id)):
        by_day.setdefault(from_db(entry.starts_at).date(), []).append(entry)
    return by_day
