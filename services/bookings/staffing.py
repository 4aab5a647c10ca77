"""Who is on duty, as several areas ask about it: childcare's slots (their named staff, the
professionals they count, their places), calendar's activities (their lead and staff, the
professionals an activity with children needs), the board (names, the ratio, the diploma mix)
and duty's event handlers (a profile or a clearance changed: the slots naming that person are
counted again). Plain functions given the settings; the rules are domain/duty.py's.
"""

from services.bookings.domain import double_duty, duty, ratio
from services.bookings.duty import store
from services.bookings.presenting import hhmm, shown_adult
from shared import diplomas
from shared.errors import Conflict
from shared.timeutil import from_db

STAFF_FIELD = "staff_ids"


def day_of(row):
    """The venue's date of a slot or an activity (its start)."""
    return from_db(row.starts_at).date()


def named_adults(staff_ids, day, field=STAFF_FIELD):
    """The duty.Adult of each id, once every one of them may be named on duty on `day`; else a
    Conflict naming the first who may not, and why (unknown, left, not cleared)."""
    adults = store.adults(staff_ids)
    for adult in adults.values():
        refusal = duty.duty_refusal(adult, day)
        if refusal:
            raise Conflict(refusal, {field: [refusal]})
    return adults


def refuse_double_duty(named, starts_at, ends_at, ignore_slot=None, ignore_activity=None, on_slots=True):
    """`named`: {request field: [staff ids]} on a slot (`on_slots`) or an activity of the stored
    [starts_at, ends_at); a Conflict naming the field and the person already on duty on another
    slot (or activity) at an overlapping time (domain/double_duty.py). A slot's professional may
    lead an activity then: the crèche's children go to it with them. Locks those people until the
    transaction ends."""
    ids = [i for ids in named.values() for i in ids if i]
    store.lock_duties(ids)
    clash = double_duty.first_double_duty(
        ids, starts_at, ends_at, store.duties_between(ids, starts_at, ends_at, ignore_slot, ignore_activity, on_slots)
    )
    if clash is None:
        return
    name = store.adults([clash.staff_id])[clash.staff_id].name
    field = next(f for f, ids in named.items() if clash.staff_id in [str(i) for i in ids if i])
    raise Conflict(
        f"{name} est déjà en poste de {hhmm(clash.starts_at)} à {hhmm(clash.ends_at)} sur {clash.label} : "
        "une personne ne peut pas être à deux endroits à la fois. Nommez quelqu'un d'autre.",
        {field: [f"{name} est déjà en poste sur {clash.label} à ce moment."]},
    )


# --- slots -------------------------------------------------------------------------------------------
def count_slot(slot, staff_ids, unnamed, settings):
    """Sets the slot's `unnamed_staff`, `staff_on_duty` (named professionals cleared on its day +
    unnamed) and `places` (the ratio's for that staff; confirmed bookings are kept, whatever their
    number: the board shows a breach). Does not save."""
    day = day_of(slot)
    adults = store.adults(staff_ids)
    slot.unnamed_staff = unnamed
    slot.staff_on_duty = duty.staff_on_duty(list(adults.values()), unnamed, day)
    slot.places = ratio.places_offered(
        slot.staff_on_duty, slot.age_group, settings.ratio_option, slot.room.capacity, settings.micro_creche
    )
    return slot


def recount_slots_naming(staff_id, settings):
    """A staff member's profile or clearance changed: every slot naming them counts again."""
    slots = store.slots_naming(staff_id)
    named = store.slot_staff_ids(slots)
    for slot in slots:
        count_slot(slot, named[slot.id], slot.unnamed, settings)
        slot.save()
    return slots


def slot_staff(slots):
    """{slot id: [duty.Adult named on it]} with their names and clearances (the board, the answers)."""
    named = store.slot_staff_ids(slots)
    adults = store.adults([i for ids in named.values() for i in ids])
    return {slot_id: [adults[i] for i in ids] for slot_id, ids in named.items()}


# --- activities --------------------------------------------------------------------------------------
def activity_professionals(lead_staff_id, staff_ids, day):
    """How many of the activity's lead and named staff count in the ratio on `day` (R2324-43)."""
    ids = ([lead_staff_id] if lead_staff_id else []) + list(staff_ids)
    return sum(1 for adult in store.adults(ids).values() if duty.counts_on(adult, day))


def activity_required(activity, settings):
    """Professionals the activity's children need (domain/duty.py: the outing rule for an outing)."""
    return duty.activity_adults_required(
        activity.children_capacity, activity.age_group, activity.outing, settings.ratio_option, settings.micro_creche
    )


def refuse_short_activity(activity, staff_ids, settings):
    """A Conflict when the activity's children need more professionals than its lead and staff."""
    required = activity_required(activity, settings)
    professionals = activity_professionals(activity.lead_staff_id, staff_ids, day_of(activity))
    refusal = duty.short_of_professionals(professionals, required)
    if refusal:
        raise Conflict(refusal, {STAFF_FIELD: [refusal]})


def activity_duty(activities, settings):
    """{activity id: {lead, staff, professionals, professionals_required}} as ActivityOut shows
    them on each activity's day (lead: a NamedStaffOut dict, or None)."""
    named = store.activity_staff_ids(activities)
    ids = [a.lead_staff_id for a in activities if a.lead_staff_id] + [i for v in named.values() for i in v]
    adults = store.adults(ids)
    shown = {}
    for activity in activities:
        day = day_of(activity)
        lead = adults.get(activity.lead_staff_id) if activity.lead_staff_id else None
        staff = [adults[i] for i in named[activity.id]]
        shown[activity.id] = {
            "lead": shown_adult(lead, day) if lead else None,
            "staff": [shown_adult(adult, day) for adult in staff],
            "professionals": sum(1 for adult in [lead, *staff] if adult and duty.counts_on(adult, day)),
            "professionals_required": activity_required(activity, settings),
        }
    return shown


def day_staff(slots, activities, day):
    """The staff named on the day's slots and activities, once each, and the share of state
    diplomas among those who count (DayStaffOut)."""
    named = store.slot_staff_ids(slots)
    led = store.activity_staff_ids(activities)
    ids = [i for v in named.values() for i in v] + [a.lead_staff_id for a in activities if a.lead_staff_id]
    ids += [i for v in led.values() for i in v]
    adults = list(store.adults(ids).values())
    share = duty.diploma_share([a for a in adults if duty.counts_on(a, day)])
    return {
        "staff": [shown_adult(adult, day) for adult in adults],
        "state_diploma_share": share,
        "state_diploma_minimum": diplomas.STATE_DIPLOMA_SHARE_MIN,
        "state_diploma_low": duty.diploma_share_low(share),
    }
