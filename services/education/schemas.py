"""The education service's published interface: its marshmallow In (what a call takes), Out (what
it answers) and Query (a list's filters) schemas. The gateway may import this module, and no
other of this service. Event payloads are not here: one schema per event in
shared/events/education.py. Times answered are aware (the venue's zone), decimals are strings
("3.50"), money too ("120.00")."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.education.domain.enrolment import CANCELLED, CONFIRMED, FUNDING, PARTICIPANT_KINDS, WAITLISTED
from services.education.domain.half_days import HALF_DAYS
from services.education.domain.planning import MAX_PARTS, MIN_PARTS
from services.education.domain.room_saga import STATUSES
from shared.pagination import cursor_field, limit_field
from shared.timeutil import from_db

ENROLMENT_STATUSES = (CONFIRMED, WAITLISTED, CANCELLED)
WITH_ACCOUNT = ("trainee", "volunteer")  # participants known by their own service's id


class VenueTime(fields.DateTime):
    """A stored time (naive UTC) shown in the venue's zone, with its offset."""

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(from_db(value), attr, obj, **kwargs)


def _money():
    return fields.Decimal(
        required=True, places=2, as_string=True, validate=validate.Range(min=0, error="Un montant positif ou nul.")
    )


# --- courses ---------------------------------------------------------------------------------------
class CourseIn(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    objectives = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    audience = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    prerequisites = fields.String(load_default="", validate=validate.Length(max=2000))
    duration_hours = fields.Decimal(
        required=True,
        places=2,
        as_string=True,
        validate=validate.Range(
            min=0, min_inclusive=False, max=1000, error="Une durée de plus de 0 h, 1000 h au plus."
        ),
    )
    trainer = fields.String(required=True, validate=validate.Length(min=1, max=200))
    price = _money()
    funding = fields.List(
        fields.String(validate=validate.OneOf(FUNDING)),
        required=True,
        validate=validate.Length(min=1, error="Au moins un financement accepté."),
    )


class CourseOut(Schema):
    id = fields.String()
    title = fields.String()
    objectives = fields.String()
    audience = fields.String()
    prerequisites = fields.String()
    duration_hours = fields.Decimal(places=2, as_string=True)
    trainer = fields.String()
    price = fields.Decimal(places=2, as_string=True)
    funding = fields.List(fields.String())


class CourseQuery(Schema):
    """A page of the courses, by title then id."""

    limit = limit_field()
    cursor = cursor_field()


# --- sessions --------------------------------------------------------------------------------------
class PartIn(Schema):
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)


class SessionIn(Schema):
    course_id = fields.String(required=True)
    room_id = fields.String(required=True)
    capacity = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=1, max=200, error="Entre 1 et 200 places.")
    )
    min_participants = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=0, max=200, error="Entre 0 et 200 participants.")
    )
    parts = fields.List(
        fields.Nested(PartIn),
        required=True,
        validate=validate.Length(
            min=MIN_PARTS, max=MAX_PARTS, error=f"De {MIN_PARTS} à {MAX_PARTS} demi-journées ou journées."
        ),
    )

    @validates_schema
    def _minimum_within_capacity(self, data, **kwargs):
        if data.get("min_participants", 0) > data.get("capacity", 200):
            raise ValidationError("Le minimum ne peut pas dépasser la capacité.", "min_participants")


class RetryIn(Schema):
    room_id = fields.String(load_default=None, allow_none=True)


class CancelIn(Schema):
    reason = fields.String(
        required=True,
        validate=validate.Length(min=1, max=500, error="Dites en quelques mots pourquoi (500 signes au plus)."),
    )


class SessionQuery(Schema):
    """A page of the sessions by their first part; `open_to`: only those still open for enrolment
    (confirmed, not started)."""

    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    open_to = fields.String(load_default=None, validate=validate.OneOf(PARTICIPANT_KINDS))
    limit = limit_field()
    cursor = cursor_field()


class HalfDayOut(Schema):
    """A half-day of a part (domain.half_days): what is signed and counted."""

    part_index = fields.Integer()
    half_day = fields.String()  # morning | afternoon
    starts_at = VenueTime()
    ends_at = VenueTime()
    hours = fields.String()  # "3.50"


class PartOut(Schema):
    index = fields.Integer()
    starts_at = VenueTime()
    ends_at = VenueTime()
    hours = fields.String()  # "7.00": its half-days' hours (the lunch break excluded)
    attendance_open = fields.Boolean()  # its day has come: the émargement can be recorded
    half_days = fields.List(fields.Nested(HalfDayOut))


class SessionOut(Schema):
    id = fields.String()
    course_id = fields.String()
    title = fields.String()
    trainer = fields.String()
    room_id = fields.String()
    room_name = fields.String(allow_none=True)  # null until confirmed
    capacity = fields.Integer()
    min_participants = fields.Integer()
    status = fields.String()  # planned | confirmed | room_refused | waiting | cancelled
    refusal_reason = fields.String()  # the clash bookings reported ("" unless room_refused)
    request = fields.Integer()  # the current room request (1, then 2… after each retry)
    parts = fields.List(fields.Nested(PartOut))
    starts_at = VenueTime()
    ends_at = VenueTime()
    hours = fields.String()
    confirmed_count = fields.Integer()
    waitlisted_count = fields.Integer()
    places_left = fields.Integer()
    enrolment_open = fields.Boolean()
    under_minimum = fields.Boolean()  # the staff flag (settings: minimum_warning_days)
    cancel_reason = fields.String()


# --- enrolments ------------------------------------------------------------------------------------
class EnrolIn(Schema):
    """A trainee or a volunteer is named by their id (the gateway fills it from the account); a
    professional or an external person by their name and email (the service gives the id)."""

    participant_kind = fields.String(required=True, validate=validate.OneOf(PARTICIPANT_KINDS))
    participant_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=36))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.String(load_default="", allow_none=True, validate=validate.Length(max=254))
    funding = fields.String(required=True, validate=validate.OneOf(FUNDING))

    @validates_schema
    def _who(self, data, **kwargs):
        kind, participant_id, email = data.get("participant_kind"), data.get("participant_id"), data.get("email")
        if "name" in data and not data["name"].strip():
            raise ValidationError("Le nom de la personne est requis.", "name")
        if kind in WITH_ACCOUNT and not participant_id:
            raise ValidationError("L'identifiant du stagiaire ou du bénévole est requis.", "participant_id")
        if kind not in WITH_ACCOUNT and participant_id:
            raise ValidationError(
                "Ne donnez pas d'identifiant : il est attribué à l'inscription d'un professionnel ou d'une "
                "personne extérieure.",
                "participant_id",
            )
        if kind not in WITH_ACCOUNT and not email:
            raise ValidationError("L'adresse électronique est requise pour prévenir la personne.", "email")
        if email:
            try:
                fields.Email().deserialize(email)
            except ValidationError:
                raise ValidationError("Adresse électronique invalide.", "email") from None


class EnrolmentQuery(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(ENROLMENT_STATUSES))
    limit = limit_field()
    cursor = cursor_field()


class EnrolmentOut(Schema):
    id = fields.String()
    session_id = fields.String()
    participant_kind = fields.String()
    participant_id = fields.String()
    name = fields.String()
    email = fields.String()
    funding = fields.String()
    status = fields.String()  # confirmed | waitlisted | cancelled
    position = fields.Integer(allow_none=True)  # on the waiting list: 1 = next
    cancel_reason = fields.String()
    created_at = VenueTime()


class ParticipantEnrolmentOut(EnrolmentOut):
    session = fields.Nested(SessionOut)


# --- attendance ------------------------------------------------------------------------------------
def _half_day_field():
    """morning | afternoon; may be left out for a part of a single half-day (inferred)."""
    return fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(HALF_DAYS, error="Demi-journée inconnue : morning (matin) ou afternoon (après-midi)."),
    )


class AttendanceIn(Schema):
    """A staff mark for one half-day: absent, present, or present with a refusal to sign (its reason)."""

    part_index = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=MAX_PARTS - 1))
    half_day = _half_day_field()
    participant_id = fields.String(required=True, validate=validate.Length(min=1, max=36))  # or "trainer"
    present = fields.Boolean(required=True)
    refusal_reason = fields.String(load_default="", validate=validate.Length(max=500, error="500 signes au plus."))

    @validates_schema
    def _reason_with_presence(self, data, **kwargs):
        if (data.get("refusal_reason") or "").strip() and data.get("present") is False:
            raise ValidationError(
                "Un refus de signature se note pour une personne présente, pas absente.", "refusal_reason"
            )


class AttendanceOut(Schema):
    session_id = fields.String()
    part_index = fields.Integer()
    half_day = fields.String()
    participant_id = fields.String()
    present = fields.Boolean()
    refusal_reason = fields.String()
    revision = fields.Integer()


class CertificateOut(Schema):
    session_id = fields.String()
    participant_id = fields.String()
    participant_kind = fields.String()
    name = fields.String()
    attestation_number = fields.String()  # AFF-2026-0001
    realisation_number = fields.String()  # CR-2026-0001
    hours_attended = fields.Decimal(places=2, as_string=True)
    session_hours = fields.Decimal(places=2, as_string=True)
    rate = fields.Decimal(places=2, as_string=True)  # "0.83"
    issued_on = fields.Date()
    course = fields.Nested(CourseOut)
    session = fields.Nested(SessionOut)


class MarkOut(Schema):
    """One person's mark at one half-day: present (signed, or noted by staff), present with a
    refused signature (its reason), or absent."""

    present = fields.Boolean()
    refusal_reason = fields.String()  # "" unless « présent, signature refusée »
    revision = fields.Integer()
    signed = fields.Boolean()
    method = fields.String(allow_none=True)  # tablet | phone (null: not signed)
    signed_at = VenueTime(allow_none=True)


class SheetRowOut(Schema):
    enrolment_id = fields.String()
    participant_id = fields.String()
    participant_kind = fields.String()
    name = fields.String()
    marks = fields.List(fields.Nested(MarkOut, allow_none=True))  # per half-day of SheetOut.half_days (null: none)
    hours_attended = fields.Decimal(places=2, as_string=True)
    rate = fields.Decimal(places=2, as_string=True)
    eligible = fields.Boolean()
    certificate = fields.Nested(CertificateOut, allow_none=True)


class SheetOut(Schema):
    session = fields.Nested(SessionOut)
    half_days = fields.List(fields.Nested(HalfDayOut))  # every half-day of the session, in time order
    trainer = fields.List(fields.Nested(MarkOut, allow_none=True))
    rows = fields.List(fields.Nested(SheetRowOut))


# --- signatures (half-days) ------------------------------------------------------------------------
class SignatureIn(Schema):
    """A participant's (or the trainer's, participant_id "trainer") own signature for a half-day:
    a PNG data URL as the canvas gives it. `method`: tablet (the trainer's) or phone (their own,
    from the half-day's QR code, only while the half-day runs)."""

    part_index = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=MAX_PARTS - 1))
    half_day = _half_day_field()
    participant_id = fields.String(required=True, validate=validate.Length(min=1, max=36))
    method = fields.String(required=True, validate=validate.OneOf(("tablet", "phone")))
    image = fields.String(required=True, validate=validate.Length(min=1, max=300_000))


class SignatureOut(Schema):
    session_id = fields.String()
    part_index = fields.Integer()
    half_day = fields.String()
    participant_id = fields.String()
    method = fields.String()
    signed_at = VenueTime()


class SigningOut(Schema):
    """What a signing page shows: the half-day, the session's title, who signs."""

    session_id = fields.String()
    title = fields.String()
    trainer = fields.String()
    half_day = fields.Nested(HalfDayOut)
    participant_id = fields.String()
    name = fields.String()
    signed = fields.Boolean()
