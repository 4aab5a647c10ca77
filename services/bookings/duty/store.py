"""Queries of the people who may be with the children: staff members (team's profiles), the
clearance facts of staff and trainees (team's and placements' events), and who is named where
(slots, activities). Nothing else in bookings reads these tables directly."""

from services.bookings.domain import duty
from services.bookings.domain.double_duty import Duty
from services.bookings.models import (
    Activity,
    ActivityStaff,
    ChildcareSlot,
    Clearance,
    Room,
    SlotStaff,
    StaffMember,
    database,
)
from shared.db import lock_key
from shared.pagination import page
from shared.timeutil import to_db
from shared.vocabulary import ACTIVITY_SCHEDULED

STAFF, TRAINEE = "staff", "trainee"


def lock_person(kind, person_id):
    """The facts of one person are decided one event at a time (a profile and a clearance together)."""
    lock_key(database, f"bookings.{kind}", str(person_id))


def staff_member(staff_id):
    """The StaffMember row (created empty when a clearance arrives before the profile)."""
    member = StaffMember.get_or_none(StaffMember.id == str(staff_id))
    return member or StaffMember.create(id=str(staff_id))


def record_fact(kind, person_id, verified_on, last_day):
    """A clearance fact, once (a repeated event adds nothing)."""
    exists = Clearance.select().where(
        Clearance.person_kind == kind,
        Clearance.person_id == str(person_id),
        Clearance.verified_on.is_null() if verified_on is None else Clearance.verified_on == verified_on,
        Clearance.last_day == last_day,
    )
    if not exists.exists():
        Clearance.create(person_kind=kind, person_id=str(person_id), verified_on=verified_on, last_day=last_day)


def clearances(kind, person_ids):
    """{person id: duty.Clearance} for these people (one with no fact has an empty Clearance)."""
    facts = {str(i): ([], []) for i in person_ids}
    if facts:
        for row in Clearance.select().where(Clearance.person_kind == kind, Clearance.person_id.in_(list(facts))):
            if row.verified_on is None:
                facts[row.person_id][1].append(row.last_day)
            else:
                facts[row.person_id][0].append((row.verified_on, row.last_day))
    return {i: duty.Clearance(tuple(sorted(p)), tuple(sorted(e))) for i, (p, e) in facts.items()}


def adults(staff_ids):
    """{staff id: duty.Adult} for these ids, in the order given; an id with no profile is `known` false."""
    ids = [str(i) for i in dict.fromkeys(staff_ids)]
    rows = {m.id: m for m in StaffMember.select().where(StaffMember.id.in_(ids))} if ids else {}
    cleared = clearances(STAFF, ids)
    found = {}
    for staff_id in ids:
        row = rows.get(staff_id)
        known = bool(row and row.known)
        found[staff_id] = duty.Adult(
            id=staff_id,
            name=f"{row.first_name} {row.last_name}".strip() if known else staff_id,
            known=known,
            active=bool(row.active) if known else False,
            counts_in_ratio=bool(row.counts_in_ratio) if known else False,
            diplomas=tuple(row.diplomas or ()) if known else (),
            clearance=cleared[staff_id],
        )
    return found


def staff_members(page_query):
    """A page of the staff members with a profile still at the venue, by last then first name."""
    select = StaffMember.select().where(StaffMember.known == True, StaffMember.active == True)  # noqa: E712
    return page(select, [StaffMember.last_name, StaffMember.first_name, StaffMember.id], page_query)


# --- who is named where ---------------------------------------------------------------------------
def slot_staff_ids(slots):
    """{slot id: [staff ids]} for these slots, in the order they were named."""
    named = {s.id: [] for s in slots}
    if named:
        for row in (
            SlotStaff.select().where(SlotStaff.slot.in_(list(named))).order_by(SlotStaff.created_at, SlotStaff.id)
        ):
            named[row.slot_id].append(row.staff_id)
    return named


def name_on_slot(slot, staff_ids):
    """The slot's named staff become `staff_ids` (the others removed)."""
    SlotStaff.delete().where(SlotStaff.slot == slot, SlotStaff.staff_id.not_in(list(staff_ids) or [""])).execute()
    present = {row.staff_id for row in SlotStaff.select().where(SlotStaff.slot == slot)}
    for staff_id in staff_ids:
        if staff_id not in present:
            SlotStaff.create(slot=slot, staff_id=staff_id)


def slots_naming(staff_id, from_=None):
    """The slots that name this staff member (starting from `from_`, aware, when given), with their rooms."""
    select = (
        ChildcareSlot.select(ChildcareSlot, Room)
        .join(Room)
        .switch(ChildcareSlot)
        .join(SlotStaff)
        .where(SlotStaff.staff_id == str(staff_id))
    )
    if from_ is not None:
        select = select.where(ChildcareSlot.starts_at >= to_db(from_))
    return list(select.order_by(ChildcareSlot.starts_at, ChildcareSlot.id))


def activity_staff_ids(activities):
    """{activity id: [staff ids named besides the lead]}."""
    named = {a.id: [] for a in activities}
    if named:
        rows = ActivityStaff.select().where(ActivityStaff.activity.in_(list(named)))
        for row in rows.order_by(ActivityStaff.created_at, ActivityStaff.id):
            named[row.activity_id].append(row.staff_id)
    return named


def name_on_activity(activity, staff_ids):
    ActivityStaff.delete().where(
        ActivityStaff.activity == activity, ActivityStaff.staff_id.not_in(list(staff_ids) or [""])
    ).execute()
    present = {row.staff_id for row in ActivityStaff.select().where(ActivityStaff.activity == activity)}
    for staff_id in staff_ids:
        if staff_id not in present:
            ActivityStaff.create(activity=activity, staff_id=staff_id)


# --- one place at a time ---------------------------------------------------------------------------
def lock_duties(staff_ids):
    """Namings of the same staff member decide one at a time (taken last, in order: no deadlock)."""
    for staff_id in sorted({str(i) for i in staff_ids}):
        lock_key(database, "bookings.duty", staff_id)


def duties_between(staff_ids, starts_at, ends_at, ignore_slot=None, ignore_activity=None, on_slots=True):
    """[Duty] of these staff members overlapping the stored [starts_at, ends_at): on childcare slots
    (`on_slots`) or else on scheduled activities (lead or staff), except the slot or activity being
    changed."""
    ids = [str(i) for i in dict.fromkeys(staff_ids)]
    if not ids:
        return []
    if not on_slots:
        return _activity_duties(ids, starts_at, ends_at, ignore_activity)
    slots = (
        SlotStaff.select(SlotStaff, ChildcareSlot, Room)
        .join(ChildcareSlot)
        .join(Room)
        .where(
            SlotStaff.staff_id.in_(ids),
            ChildcareSlot.starts_at < ends_at,
            ChildcareSlot.ends_at > starts_at,
            ChildcareSlot.id != (ignore_slot or ""),
        )
    )
    return [
        Duty(r.staff_id, r.slot.starts_at, r.slot.ends_at, f"le créneau de garde de la salle « {r.slot.room.name} »")
        for r in slots
    ]


def _activity_duties(ids, starts_at, ends_at, ignore_activity):
    """[Duty] of these staff members leading or named on a scheduled activity overlapping then."""
    found = []
    overlapping = (
        (Activity.status == ACTIVITY_SCHEDULED)
        & (Activity.starts_at < ends_at)
        & (Activity.ends_at > starts_at)
        & (Activity.id != (ignore_activity or ""))
    )
    for activity in Activity.select().where(overlapping, Activity.lead_staff_id.in_(ids)):
        found.append(
            Duty(activity.lead_staff_id, activity.starts_at, activity.ends_at, f"l'activité « {activity.title} »")
        )
    named = (
        ActivityStaff.select(ActivityStaff, Activity).join(Activity).where(overlapping, ActivityStaff.staff_id.in_(ids))
    )
    found += [
        Duty(r.staff_id, r.activity.starts_at, r.activity.ends_at, f"l'activité « {r.activity.title} »") for r in named
    ]
    return found
