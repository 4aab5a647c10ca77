"""Events published by the volunteers service."""

from marshmallow import Schema, fields, validate

from shared.events.registry import dropping, register

CANCEL_REASONS = ("activity_cancelled", "activity_moved")


class VolunteerRegistered(Schema):
    """A volunteer signed up with the venue. Version 2 names them by id only: their first name and
    address stay in the volunteers service (volunteers `contact`, asked when an email leaves)."""

    volunteer_id = fields.String(required=True)


class VolunteerCleared(Schema):
    """Both the attestation d'honorabilité and the insurance are recorded (volunteers
    `record_honorability` / `record_insurance`): the volunteer may sign up until `expires_on`."""

    volunteer_id = fields.String(required=True)
    honorability_expires_on = fields.Date(required=True)


class HonorabilityRecorded(Schema):
    """Staff recorded a volunteer's attestation d'honorabilité (volunteers `record_honorability`),
    at each recording, cleared or not (insurance apart): `expires_on` is the last valid day of the
    volunteer's current attestation (the latest verified). Notifications schedules its renewal
    reminders from it."""

    volunteer_id = fields.String(required=True)
    expires_on = fields.Date(required=True)


class HonorabilityExpiring(Schema):
    """An attestation expires within the warning days (volunteers' daily `announce_expiring`
    timer), once per attestation: the notifications service tells the volunteer, at the address
    volunteers `contact` gives when the email leaves (version 2 carries no name or email)."""

    volunteer_id = fields.String(required=True)
    honorability_id = fields.String(required=True)
    expires_on = fields.Date(required=True)


class SignupFact(Schema):
    """A volunteer's place on an activity (the volunteers service decides; bookings counts)."""

    signup_id = fields.String(required=True)
    activity_id = fields.String(required=True)
    volunteer_id = fields.String(required=True)


class SignupConfirmed(SignupFact):
    """The activity as the volunteer signed up for it (optional: events from before carry none),
    for their confirmation email, its calendar file and its reminder (notifications)."""

    title = fields.String(load_default=None, allow_none=True)
    starts_at = fields.AwareDateTime(load_default=None, allow_none=True)
    ends_at = fields.AwareDateTime(load_default=None, allow_none=True)
    room_name = fields.String(load_default=None, allow_none=True)


class SignupCancelled(SignupFact):
    """The activity was cancelled, or moved to a time that overlaps another of the volunteer's
    sign-ups: the sign-up ends (once), bookings uncounts it, notifications tell the volunteer."""

    reason = fields.String(required=True, validate=validate.OneOf(CANCEL_REASONS))
    title = fields.String(required=True)
    starts_at = fields.AwareDateTime(required=True)  # the activity's time as the volunteer knew it


class SignupMoved(SignupFact):
    """The activity moved and the sign-up is kept (the new time fits): notifications tell the volunteer."""

    title = fields.String(required=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)


class VolunteerHoursRecorded(Schema):
    """A confirmed volunteer's hours on a completed activity, once per (volunteer, activity)."""

    volunteer_id = fields.String(required=True)
    activity_id = fields.String(required=True)
    hours = fields.String(required=True)  # exact decimal, "1.50"
    starts_at = fields.AwareDateTime(required=True)


# version 2: without the volunteer's first name and email (a person's data travels by id)
register(
    "volunteers.volunteer_registered", VolunteerRegistered, version=2, upcasters={1: dropping("first_name", "email")}
)
register("volunteers.volunteer_cleared", VolunteerCleared)
register("volunteers.honorability_recorded", HonorabilityRecorded)
register(
    "volunteers.honorability_expiring", HonorabilityExpiring, version=2, upcasters={1: dropping("email", "first_name")}
)
register("volunteers.signup_confirmed", SignupConfirmed)
register("volunteers.signup_withdrawn", SignupFact)
register("volunteers.signup_cancelled", SignupCancelled)
register("volunteers.signup_moved", SignupMoved)
register("volunteers.volunteer_hours_recorded", VolunteerHoursRecorded)
