"""What the venue calendar answers and tells: rooms and activities through their Out schemas, and
the payloads of the activity events (their names are written where they are emitted)."""

from services.bookings.presenting import Shown, iso
from services.bookings.schemas.calendar import ActivityOut, ClosureOut, RoomOut


def room(room):
    return RoomOut().dump(room)


def rooms(rooms):
    return RoomOut(many=True).dump(rooms)


def activity(activity, people, duty):
    """`people`: store.people_of([activity]); `duty`: staffing.activity_duty([activity], settings)."""
    return activities([activity], people, duty)[0]


def activities(activities, people, duty):
    return ActivityOut(many=True).dump([shown_activity(a, people, duty) for a in activities])


def shown_activity(activity, people, duty):
    """An activity as ActivityOut dumps it: its trainees, volunteers, lead and staff."""
    return Shown(
        activity,
        trainee_ids=people[activity.id].trainee_ids,
        volunteer_ids=people[activity.id].volunteer_ids,
        **duty[activity.id],
    )


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


def closure(closure):
    return ClosureOut().dump(closure)


def closures(closures):
    return ClosureOut(many=True).dump(closures)


def closure_declared(closure):
    return {
        "closure_id": closure.id,
        "starts_on": closure.starts_on.isoformat(),
        "ends_on": closure.ends_on.isoformat(),
        "label": closure.label,
        "planned": closure.planned,
    }
