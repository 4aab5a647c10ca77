"""The read-only views' interface: the staff's board (the day, who is in the building, a room's
week) and a person's calendar feed, read by the gateway's .ics link (board/entrypoints.py)."""

from marshmallow import Schema, fields, validate

from services.bookings.schemas.calendar import ActivityOut, RoomOut
from services.bookings.schemas.childcare import SlotOut
from services.bookings.schemas.duty import NamedStaffOut
from services.bookings.schemas.values import VenueTime
from shared.vocabulary import ROLES


class FeedQuery(Schema):
    """Whose feed (the account's role and the ids it is known by here) and the period it covers."""

    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    subject_ids = fields.List(fields.String(validate=validate.Length(min=1, max=36)), load_default=list)
    from_ = fields.AwareDateTime(data_key="from", required=True)
    to = fields.AwareDateTime(required=True)


class CalendarEntryOut(Schema):
    """Dumps one thing of a person's calendar (board/presenters.py, calendar_entries): a childcare booking,
    an activity or a childcare slot, with a `uid` that stays the same for ever."""

    uid = fields.String()
    kind = fields.String()  # "booking", "activity" or "slot"
    status = fields.String()  # the booking's or the activity's status; "scheduled" for a slot
    title = fields.String()  # the activity's title; "" for a booking or a slot
    activity_kind = fields.String(allow_none=True)
    child_first_name = fields.String(allow_none=True)  # a booking's child
    age_group = fields.String(allow_none=True)  # a slot's
    places = fields.Integer(allow_none=True)  # a slot's places and confirmed bookings
    booked = fields.Integer(allow_none=True)
    room_name = fields.String()
    starts_at = VenueTime()
    ends_at = VenueTime()


class DayQuery(Schema):
    """A day of the venue (default: today)."""

    date = fields.Date(load_default=None, error_messages={"invalid": "Date attendue au format AAAA-MM-JJ."})


class WeekQuery(Schema):
    """A week of a room's calendar: any of its days (default: this week); its Monday is shown."""

    week = fields.Date(load_default=None, error_messages={"invalid": "Date attendue au format AAAA-MM-JJ."})


class DayChildOut(Schema):
    """A child expected on the day (a confirmed booking, or a regular care contract) with its
    arrival and departure as noted: one row of the check-in list and of the evacuation register."""

    child_id = fields.String(attribute="child.id")
    first_name = fields.String(attribute="child.first_name")
    family_id = fields.String()
    family_name = fields.String()  # the first guardian's last name
    walks = fields.Boolean()  # counted as walking today (domain/walking.py)
    booking_id = fields.String(allow_none=True)  # check in with check_in / check_out
    contract_id = fields.String(allow_none=True)  # or with contract_check_in / contract_check_out
    slot_id = fields.String(allow_none=True)  # the slot the child counts in (none: no slot covers its hours)
    room_name = fields.String(allow_none=True)
    starts_at = VenueTime()  # the hours booked or under contract
    ends_at = VenueTime()
    arrived_at = VenueTime(allow_none=True)
    left_at = VenueTime(allow_none=True)
    present = fields.Boolean()  # arrived and not left
    # from the child's health file (staff only): shown on the board and the evacuation register
    allergies = fields.List(fields.String(), dump_default=list)
    pai = fields.String(allow_none=True, dump_default=None)  # what its PAI says to do; null: none
    # why the child is not cared for that day (vaccinations not up to date after the provisional admission)
    care_refused = fields.String(allow_none=True, dump_default=None)


class BoardSlotOut(SlotOut):
    """A slot of the day with the children present now and its ratio status (domain.ratio.ratio_status)."""

    present = fields.Integer()
    present_walking = fields.Integer()
    present_non_walking = fields.Integer()
    adults_required = fields.Integer()
    ratio_status = fields.String()  # "ok" | "at_limit" | "breach"
    # a breach said in words (what is missing, nothing cancelled); null when the staff suffice
    ratio_alert = fields.String(allow_none=True)


class DayBoardOut(Schema):
    date = fields.Date()
    at = fields.AwareDateTime()  # when it was read: "now" for the children present
    activities = fields.List(fields.Nested(ActivityOut))
    slots = fields.List(fields.Nested(BoardSlotOut))
    present = fields.Integer()  # children in the building now
    ratio_status = fields.String(allow_none=True)  # the worst of the slots'; null without a slot
    staff = fields.List(fields.Nested(NamedStaffOut))  # DayStaffOut's fields, added by with_staffing
    state_diploma_share = fields.Integer(allow_none=True)
    state_diploma_minimum = fields.Integer()
    state_diploma_low = fields.Boolean()


class DayStaffOut(Schema):
    """The staff of the day (board/presenters.py, with_staffing): the named professionals who
    count, and the share holding a state diploma against R2324-42's 40 % (a yearly average: a
    day below it is a signal, not a breach)."""

    staff = fields.List(fields.Nested(NamedStaffOut))  # every staff member named that day, once
    state_diploma_share = fields.Integer(allow_none=True)  # percent of those counted; null: nobody named
    state_diploma_minimum = fields.Integer()  # 40
    state_diploma_low = fields.Boolean()  # below the minimum today


class DayChildrenOut(Schema):
    """The children of the day (check-in list), or those present now (evacuation register)."""

    date = fields.Date()
    at = fields.AwareDateTime()
    count = fields.Integer()
    children = fields.List(fields.Nested(DayChildOut))


class OnSiteActivityOut(Schema):
    """An activity under way, with the people the schedule puts there (ids of the services that
    own them: placements' trainees, volunteers' volunteers)."""

    activity_id = fields.String(attribute="activity.id")
    title = fields.String(attribute="activity.title")
    room_name = fields.String(attribute="activity.room.name")
    starts_at = VenueTime(attribute="activity.starts_at")
    ends_at = VenueTime(attribute="activity.ends_at")
    trainee_ids = fields.List(fields.String())
    volunteer_ids = fields.List(fields.String())


class OnSiteSessionOut(Schema):
    """A training session under way (its held room reservation): the education service knows who attends."""

    session_id = fields.String()
    title = fields.String()
    room_name = fields.String(attribute="room.name")
    starts_at = VenueTime()
    ends_at = VenueTime()


class OnSiteOut(Schema):
    """The adults the schedule puts in the building now (board/entrypoints.py, on_site_now)."""

    at = fields.AwareDateTime()
    activities = fields.List(fields.Nested(OnSiteActivityOut))
    sessions = fields.List(fields.Nested(OnSiteSessionOut))


class WeekEntryOut(Schema):
    """What holds a room for a time: an activity, a childcare slot, a training reservation."""

    kind = fields.String()  # "activity" | "slot" | "training"
    id = fields.String()
    title = fields.String()
    starts_at = VenueTime()
    ends_at = VenueTime()
    status = fields.String(allow_none=True)  # an activity's
    activity_kind = fields.String(allow_none=True)
    age_group = fields.String(allow_none=True)  # a slot's
    places = fields.Integer(allow_none=True)
    booked = fields.Integer(allow_none=True)


class WeekDayOut(Schema):
    date = fields.Date()
    entries = fields.List(fields.Nested(WeekEntryOut))


class RoomWeekOut(Schema):
    room = fields.Nested(RoomOut)
    week = fields.Date()  # its Monday
    previous_week = fields.Date()
    next_week = fields.Date()
    days = fields.List(fields.Nested(WeekDayOut))
