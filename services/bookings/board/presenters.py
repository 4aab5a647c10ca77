"""What the read-only views answer: the staff's board (the day, the children of the day, who is on
site, a room's week) and a person's calendar entries."""

from datetime import timedelta
from types import SimpleNamespace

from services.bookings.calendar.presenters import shown_activity
from services.bookings.childcare.presenters import shown_slot
from services.bookings.domain.board import worst_status
from services.bookings.domain.ratio import RATIO_BREACH
from services.bookings.presenting import Shown
from services.bookings.schemas.board import (
    CalendarEntryOut,
    DayBoardOut,
    DayChildrenOut,
    DayStaffOut,
    OnSiteOut,
    RoomWeekOut,
)
from shared.timeutil import from_db


def day_board(day, at, activities, people, slots, counts, presence, present, slot_staff, activity_duty):
    """`presence`: {slot id: (present_walking, present_non_walking, adults required, ratio status)};
    `present`: how many children are in the building; the day's status is the worst of its slots'.
    `slot_staff`: staffing.slot_staff(slots); `activity_duty`: staffing.activity_duty(activities)."""
    shown_slots = [
        Shown(
            shown_slot(s, counts[s.id], slot_staff[s.id]),
            present=presence[s.id][0] + presence[s.id][1],
            present_walking=presence[s.id][0],
            present_non_walking=presence[s.id][1],
            adults_required=presence[s.id][2],
            ratio_status=presence[s.id][3],
            ratio_alert=ratio_alert(presence[s.id][3], s.staff_on_duty, presence[s.id][2]),
        )
        for s in slots
    ]
    shown_activities = [shown_activity(a, people, activity_duty) for a in activities]
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


def ratio_alert(status, staff_on_duty, required):
    """The board's sentence for a slot whose staff no longer suffice (a sick call, an expired
    attestation): the children present need more professionals than are counted. None otherwise."""
    if status != RATIO_BREACH:
        return None
    missing = required - staff_on_duty
    return (
        f"Taux d'encadrement non respecté : {required} professionnels nécessaires pour les enfants présents, "
        f"{staff_on_duty} en poste. Appelez un renfort ({missing} de plus) ; aucune réservation n'est annulée."
    )


def with_staffing(board, staffing_of_day):
    """The day's board with its staff: the share of state diplomas among the professionals named
    that day (R2324-42, 40 %: a signal) — `staffing_of_day`: staffing.day_staff."""
    return dict(board, **DayStaffOut().dump(staffing_of_day))


def day_children(day, at, children, notes=None):
    """`children`: board/entrypoints.py DayChild rows; `notes`: their allergies and PAI."""
    shown = with_health_notes(children, notes or {})
    return DayChildrenOut().dump(SimpleNamespace(date=day, at=at, count=len(children), children=shown))


def with_health_notes(children, notes):
    """The rows with their child's allergies and PAI (`notes`: child_file/care_checks.py, board_notes)
    and, when care is refused that day, why (refusals_on)."""
    empty = {"allergies": [], "pai": None, "care_refused": None}
    return [Shown(c, **dict(empty, **notes.get(c.child.id, {}))) for c in children]


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


def calendar_entries(bookings=(), activities=(), slots=(), counts=None):
    """Bookings, activities and slots as one list of calendar entries, by start. `counts`:
    childcare/store.py, booking_counts(slots)."""
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
