"""The volunteers service's published interface: the RPC payloads, which the gateway may import
(the only module of this service it may). In = what a call takes, Out = what it answers."""

from marshmallow import Schema, fields, validate

from services.volunteers.domain.matching import PARTS_OF_DAY
from shared.pagination import PageQuery
from shared.timeutil import from_db
from shared.vocabulary import ACTIVITY_KINDS, PHONE_PATTERN

PHONE = validate.Regexp(PHONE_PATTERN, error="Numéro de téléphone invalide.")


class VenueTime(fields.DateTime):
    """A stored time (naive UTC) shown in the venue's zone, with its offset."""

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(from_db(value), attr, obj, **kwargs)


class AvailabilitySchema(Schema):
    weekday = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=6))
    part = fields.String(required=True, validate=validate.OneOf(PARTS_OF_DAY))


class VolunteerIn(Schema):
    """The emergency contact and the consent came later: optional, so that earlier callers of
    POST /api/v1/volunteers keep working (the volunteer's page asks for them)."""

    id = fields.String(load_default=None)
    email = fields.Email(required=True)
    first_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    last_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    birth_date = fields.Date(required=True)
    phone = fields.String(required=True, validate=PHONE)
    interests = fields.List(fields.String(validate=validate.OneOf(ACTIVITY_KINDS)), load_default=list)
    availability = fields.List(fields.Nested(AvailabilitySchema), load_default=list)
    emergency_name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    emergency_phone = fields.String(load_default=None, allow_none=True, validate=PHONE)
    consent_version = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=40))


class VolunteerOut(Schema):
    id = fields.String()
    email = fields.String()
    first_name = fields.String()
    last_name = fields.String()
    birth_date = fields.Date()
    phone = fields.String()
    interests = fields.List(fields.String())
    availability = fields.List(fields.Nested(AvailabilitySchema))


class ProfileOut(VolunteerOut):
    """A volunteer's whole record, for themselves and for staff."""

    emergency_name = fields.String(allow_none=True)
    emergency_phone = fields.String(allow_none=True)
    consent_version = fields.String(allow_none=True)
    consented_at = VenueTime(allow_none=True)
    insurer = fields.String(allow_none=True)
    insurance_policy = fields.String(allow_none=True)
    insurance_valid_from = fields.Date(allow_none=True)  # null: recorded before the dates were asked
    insurance_valid_until = fields.Date(allow_none=True)
    honorability_issued_on = fields.Date(allow_none=True)
    honorability_expires_on = fields.Date(allow_none=True)  # 3 years from the verification, less a day
    cleared = fields.Boolean()
    missing = fields.List(fields.String())  # what keeps them from the children today, as sentences
    # the same as codes (domain.clearance: honorability_missing, honorability_expired,
    # honorability_not_yet_verified, insurance_missing, insurance_dates_missing, insurance_expired,
    # insurance_not_yet_valid), for staff's lists
    clearance_gaps = fields.List(fields.String())
    charter_version = fields.String(allow_none=True)  # the version of the charte de bénévolat they accepted
    charter_accepted_at = VenueTime(allow_none=True)
    charter_current_version = fields.String()  # the version a sign-up needs (COCOON_VOLUNTEER_CHARTER_VERSION)
    charter_accepted = fields.Boolean()  # they accepted the current version


class SignupOut(Schema):
    """A sign-up with its activity, as the volunteers service knows it."""

    id = fields.String()
    activity_id = fields.String()
    volunteer_id = fields.String()
    status = fields.String()  # confirmed, withdrawn, cancelled
    cancel_reason = fields.String(allow_none=True)
    title = fields.String()
    kind = fields.String()
    room_name = fields.String(allow_none=True)
    starts_at = VenueTime()
    ends_at = VenueTime()
    children_capacity = fields.Integer(allow_none=True)
    withdrawable = fields.Boolean()


class MeOut(ProfileOut):
    """GET /api/v1/volunteers/me: my record and my sign-ups to come (and the ended ones to come)."""

    signups = fields.List(fields.Nested(SignupOut))


class HonorabilityIn(Schema):
    issued_on = fields.Date(required=True)
    verified_on = fields.Date(required=True)


class InsuranceIn(Schema):
    """The dates are required: an insurance clears a volunteer only between them (a documented
    break of the earlier body {insurer, policy}: an expired insurance covers nobody)."""

    insurer = fields.String(required=True, validate=validate.Length(min=1, max=200))
    policy = fields.String(required=True, validate=validate.Length(min=1, max=200))
    valid_from = fields.Date(required=True)
    valid_until = fields.Date(required=True)


class CharterIn(Schema):
    """The version of the charte de bénévolat the volunteer read and accepts (the page sends the
    one it showed; another than the current one is refused, 409)."""

    version = fields.String(required=True, validate=validate.Length(min=1, max=40))


class VolunteerQuery(PageQuery):
    """A page of the volunteers, by last name, first name, id."""


class ExpiringQuery(PageQuery):
    """A page of the attestations expiring soon, soonest first."""


class ExpiringOut(Schema):
    """An attestation that expires within the warning days."""

    volunteer_id = fields.String()
    first_name = fields.String()
    last_name = fields.String()
    email = fields.String()
    honorability_id = fields.String()
    issued_on = fields.Date()
    expires_on = fields.Date()


class HoursQuery(Schema):
    year = fields.Integer(load_default=None, validate=validate.Range(min=2000, max=2100))


class HoursLineOut(Schema):
    activity_id = fields.String()
    title = fields.String()
    kind = fields.String()
    starts_at = VenueTime()
    ends_at = VenueTime()
    hours = fields.String()  # exact decimal
    age_group = fields.String(allow_none=True)


class AgeGroupOut(Schema):
    """The activities with children of one age group (bookings' AGE_GROUPS, or "unknown")."""

    age_group = fields.String()
    activities = fields.Integer()
    hours = fields.String()  # exact decimal


class TrainingLineOut(Schema):
    """A part of an education session the volunteer attended (from education's attendance sheet)."""

    session_id = fields.String()
    part_index = fields.Integer()
    title = fields.String()
    starts_at = VenueTime()
    ends_at = VenueTime()
    hours = fields.String()  # exact decimal


class HoursOut(Schema):
    year = fields.Integer()
    hours = fields.String()  # exact decimal, "12.50": with the children (activities)
    activities = fields.Integer()
    lines = fields.List(fields.Nested(HoursLineOut))
    # the children's age groups; training, apart from the activities' hours
    age_groups = fields.List(fields.Nested(AgeGroupOut))
    training_hours = fields.String()  # exact decimal
    training_parts = fields.Integer()
    training_lines = fields.List(fields.Nested(TrainingLineOut))


class VenueHoursLineOut(HoursLineOut):
    volunteer_id = fields.String()
    volunteer = fields.String()  # first and last name


class VenueTrainingLineOut(TrainingLineOut):
    volunteer_id = fields.String()
    volunteer = fields.String()


class VolunteerYearOut(Schema):
    """One volunteer's year in the venue's summary."""

    volunteer_id = fields.String()
    volunteer = fields.String()  # first and last name
    hours = fields.String()
    activities = fields.Integer()
    age_groups = fields.List(fields.Nested(AgeGroupOut))
    training_hours = fields.String()
    training_parts = fields.Integer()


class VenueHoursOut(HoursOut):
    lines = fields.List(fields.Nested(VenueHoursLineOut))
    training_lines = fields.List(fields.Nested(VenueTrainingLineOut))
    volunteers = fields.List(fields.Nested(VolunteerYearOut))  # by name


class FileSignupOut(SignupOut):
    """A sign-up in the staff's file, with when it ended."""

    ended_at = VenueTime(allow_none=True)


class VolunteerFileOut(ProfileOut):
    """Staff: a volunteer's whole file."""

    honorability_verified_on = fields.Date(allow_none=True)
    honorability_verified_by = fields.String(allow_none=True)  # the staff account id
    insurance_recorded_by = fields.String(allow_none=True)  # the staff account id
    first_activity_on = fields.Date(allow_none=True)
    signups = fields.List(fields.Nested(FileSignupOut))  # every one, soonest first
    year_hours = fields.Nested(HoursOut)  # this year's


class OpportunityQuery(PageQuery):
    """A page of the ranked opportunities (shared/pagination.py)."""


class OpportunityOut(Schema):
    """An open activity as a volunteer sees it, with its match (domain.matching.rank): dumps a
    `Ranked`, whose `opportunity` is an Opportunity row."""

    activity_id = fields.String(attribute="opportunity.activity_id")
    title = fields.String(attribute="opportunity.title")
    kind = fields.String(attribute="opportunity.kind")
    room_name = fields.String(attribute="opportunity.room_name", allow_none=True)
    starts_at = VenueTime(attribute="opportunity.starts_at")
    ends_at = VenueTime(attribute="opportunity.ends_at")
    volunteer_slots = fields.Integer(attribute="opportunity.volunteer_slots")
    status = fields.String(attribute="opportunity.status")
    children_capacity = fields.Integer(attribute="opportunity.children_capacity", allow_none=True)
    volunteers_confirmed = fields.Integer(attribute="opportunity.filled")
    free_places = fields.Method("_free_places", metadata={"type": "integer"})
    match = fields.Integer()

    def _free_places(self, ranked):
        o = ranked.opportunity
        return max(0, o.volunteer_slots - (o.filled or 0))
