"""Events published by the education service (continuing education sessions).

A participant is named the way the other services name them: `participant_kind` is one of
professional | trainee | volunteer | external, and `participant_id` is the trainee's id
(placements), the volunteer's id (volunteers), or an id the education service gave a
professional or an external person (who have no account).
"""

from marshmallow import Schema, fields, validate

from shared.events.registry import dropping, register

PARTICIPANT_KINDS = ("professional", "trainee", "volunteer", "external")
HALF_DAYS = ("morning", "afternoon")  # services/education/domain/half_days.py


class SessionPart(Schema):
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)


class RoomReservationRequested(Schema):
    """A planned session asks for its room for each of its parts: all or none (bookings answers
    with bookings.room_reserved or bookings.room_reservation_refused, echoing `request`).
    A retry (the same or another room) is a new request with a higher number: bookings releases
    what an older request of the session held and ignores a request older than one it has seen."""

    session_id = fields.String(required=True)
    room_id = fields.String(required=True)
    title = fields.String(required=True)
    parts = fields.List(fields.Nested(SessionPart), required=True, validate=validate.Length(min=1))
    request = fields.Integer(load_default=1, validate=validate.Range(min=1))


class SessionPlanned(Schema):
    """Staff planned a session (its room is asked for at the same time). For staff dashboards."""

    session_id = fields.String(required=True)
    course_id = fields.String(required=True)
    title = fields.String(required=True)
    room_id = fields.String(required=True)
    capacity = fields.Integer(required=True)
    min_participants = fields.Integer(required=True)
    parts = fields.List(fields.Nested(SessionPart), required=True, validate=validate.Length(min=1))


class SessionConfirmed(Schema):
    """Bookings holds the room for every part: the session will take place there."""

    session_id = fields.String(required=True)
    title = fields.String(required=True)
    room_id = fields.String(required=True)
    room_name = fields.String(required=True)
    parts = fields.List(fields.Nested(SessionPart), required=True)


class SessionRoomRefused(Schema):
    """Bookings refused the room (the clash as a French sentence): staff pick another room."""

    session_id = fields.String(required=True)
    room_id = fields.String(required=True)
    reason = fields.String(required=True)


class SessionCancelled(Schema):
    """The session will not take place: bookings releases its room, its enrolments are
    cancelled (each with its own enrolment_cancelled)."""

    session_id = fields.String(required=True)
    reason = fields.String(load_default="")


class EnrolmentFact(Schema):
    """What every enrolment event tells (not registered itself)."""

    enrolment_id = fields.String(required=True)
    session_id = fields.String(required=True)
    title = fields.String(required=True)
    participant_kind = fields.String(required=True, validate=validate.OneOf(PARTICIPANT_KINDS))
    participant_id = fields.String(required=True)
    starts_at = fields.AwareDateTime(required=True)  # the session's first part


class EnrolmentConfirmed(EnrolmentFact):
    """A place is the participant's (`promoted`: from the waiting list after a cancellation).
    Notifications tells a participant with an account (trainee, volunteer)."""

    promoted = fields.Boolean(load_default=False)


class EnrolmentWaitlisted(EnrolmentFact):
    """The session is full: the participant waits at `position` (1 = next to get a place)."""

    position = fields.Integer(required=True)


class EnrolmentCancelled(EnrolmentFact):
    """The participant (or staff) cancelled, or the session was cancelled."""

    reason = fields.String(load_default="")


class EnrolmentRetracted(EnrolmentFact):
    """A self-funded learner withdrew within the 10 days after accepting their contrat de formation
    (a « rétractation », Code du travail L6353-5: free, nothing was paid), distinct from a
    cancellation. A confirmed place freed goes to the waiting list (enrolment_confirmed, promoted)."""

    retracted_at = fields.AwareDateTime(required=True)


class AttendanceRecorded(Schema):
    """Present or absent at one half-day of a part of a session, as the attendance sheet says now
    (a part is split at the venue's lunch break). Placements credits a trainee's training hours,
    volunteers a volunteer's training hours, from the latest `revision` of each (session, part,
    half-day, participant): a correction (present → absent) has a higher revision and takes the
    credit back.

    `half_day` is always sent since the sheet is per half-day; an event sent before (one mark
    per part, its times and hours the whole part's) has none: loaded as None, the consumers keep
    it as the whole part's line."""

    session_id = fields.String(required=True)
    title = fields.String(required=True)
    part_index = fields.Integer(required=True)
    half_day = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(HALF_DAYS))
    participant_kind = fields.String(required=True, validate=validate.OneOf(PARTICIPANT_KINDS))
    participant_id = fields.String(required=True)
    present = fields.Boolean(required=True)
    starts_at = fields.AwareDateTime(required=True)  # the half-day's (the part's, without half_day)
    ends_at = fields.AwareDateTime(required=True)
    hours = fields.Decimal(required=True, as_string=True, places=2)  # the half-day's hours, lunch excluded
    revision = fields.Integer(required=True, validate=validate.Range(min=1))


class CertificateIssued(Schema):
    """The attestation de fin de formation and the certificat de réalisation of a participant
    with hours done, each with its unique number; `assiduity`: at or above the venue's attendance
    threshold (the mention on the documents; absent from events sent before it existed, when
    only those at or above it got one)."""

    session_id = fields.String(required=True)
    participant_kind = fields.String(required=True, validate=validate.OneOf(PARTICIPANT_KINDS))
    participant_id = fields.String(required=True)
    attestation_number = fields.String(required=True)
    realisation_number = fields.String(required=True)
    hours_attended = fields.Decimal(required=True, as_string=True, places=2)
    assiduity = fields.Boolean(load_default=True)


register("education.room_reservation_requested", RoomReservationRequested)
register("education.session_planned", SessionPlanned)
register("education.session_confirmed", SessionConfirmed)
register("education.session_room_refused", SessionRoomRefused)
register("education.session_cancelled", SessionCancelled)
# version 2: the participant by id only, without their name (education `contact` gives it)
WITHOUT_NAME = {1: dropping("name")}
register("education.enrolment_confirmed", EnrolmentConfirmed, version=2, upcasters=WITHOUT_NAME)
register("education.enrolment_waitlisted", EnrolmentWaitlisted, version=2, upcasters=WITHOUT_NAME)
register("education.enrolment_cancelled", EnrolmentCancelled, version=2, upcasters=WITHOUT_NAME)
register("education.enrolment_retracted", EnrolmentRetracted, version=2, upcasters=WITHOUT_NAME)
register("education.attendance_recorded", AttendanceRecorded)
register("education.certificate_issued", CertificateIssued, version=2, upcasters=WITHOUT_NAME)
