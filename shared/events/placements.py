"""Events published by the placements service (trainees' placements, their hour logs, their
clearance). Emitted by services/placements/service.py; bookings answers the trainee clearance
events (services/bookings/duty/entrypoints.py: a trainee joins an activity with children only
when cleared on its day); the consumers of the others are in docs/architecture.md's catalogue."""

from marshmallow import Schema, fields, validate

from shared.events.registry import register
from shared.vocabulary import IMMERSION_OBJECTS, OUTCOME_KINDS, PRESCRIBER_ORGANISATIONS, ROLES

KINDS = ("on_site", "training")


class PlacementFact(Schema):
    """What every placement event tells (not registered itself)."""

    placement_id = fields.String(required=True)
    trainee_id = fields.String(required=True)
    tutor_id = fields.String(required=True)  # a staff account id


class PlacementCreated(PlacementFact):
    """Staff recorded a convention de stage (status planned)."""

    school = fields.String(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    required_hours = fields.String(required=True)  # exact decimal, "490.00"
    # the convention's hours at this venue (its dates x its schedule); absent from events
    # recorded before planned hours existed
    planned_hours = fields.String(load_default=None, allow_none=True)


class PlacementChanged(PlacementFact):
    """Staff edited a live placement (dates after an illness, its schedule, its hours, its tutor):
    its values now, and the names of the fields that changed."""

    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    required_hours = fields.String(required=True)  # exact decimal, "490.00"
    planned_hours = fields.String(required=True)  # exact decimal: the convention's hours here
    changed = fields.List(fields.String(), required=True)  # e.g. ["ends_on", "tutor_id"]


class PlacementStarted(PlacementFact):
    """A planned placement became active (its first day came, or its first hours were logged)."""

    started_on = fields.Date(required=True)


class PlacementCompleted(PlacementFact):
    """The required hours are validated and the end date is reached."""

    validated_hours = fields.String(required=True)
    gratification_total = fields.String(required=True)  # "0.00" when not due


class PlacementInterrupted(PlacementFact):
    reason = fields.String(required=True)  # staff's text
    validated_hours = fields.String(required=True)


class HoursFact(PlacementFact):
    """What every hour-log event tells (not registered itself)."""

    hour_log_id = fields.String(required=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    hours = fields.String(required=True)  # exact decimal, "7.50"
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    activity_id = fields.String(load_default=None, allow_none=True)


class HoursSubmitted(HoursFact):
    """The trainee logged a period (or corrected a rejected one), or a completed activity pre-filled it."""

    source = fields.String(required=True, validate=validate.OneOf(("trainee", "activity")))


class HoursValidated(HoursFact):
    validated_by = fields.String(required=True)  # the tutor's account id


class HoursRejected(HoursFact):
    rejected_by = fields.String(required=True)
    reason = fields.String(required=True)


class TraineeCleared(Schema):
    """Staff recorded a trainee's verified attestation d'honorabilité: the trainee may be with
    the children from `verified_on` to `expires_on` (shared/honorability.py); bookings answers."""

    trainee_id = fields.String(required=True)
    verified_on = fields.Date(required=True)
    expires_on = fields.Date(required=True)


class TraineeClearanceExpired(Schema):
    """The trainee's attestation expired (placements' daily timer, once per attestation)."""

    trainee_id = fields.String(required=True)
    expired_on = fields.Date(required=True)  # the attestation's last valid day


class PersonSubject(Schema):
    """One of a person's records in a service: the account's role and that record's id
    (family_id for "family", trainee_id for "trainee", beneficiary_id for "beneficiary"…)."""

    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    id = fields.String(required=True)


class PersonFact(Schema):
    """Who an immersion or an outcome is about: `person_id` is the person's account id (a
    pseudonymous key, never a name) and `subjects` their records across services as the gateway
    knew them then, so insights can follow one person from a crèche place to a hire."""

    person_id = fields.String(required=True)
    subjects = fields.List(fields.Nested(PersonSubject), required=True)


class ImmersionFact(PersonFact):
    """What every immersion event tells (not registered itself)."""

    immersion_id = fields.String(required=True)
    beneficiary_id = fields.String(required=True)
    object = fields.String(required=True, validate=validate.OneOf(IMMERSION_OBJECTS))
    prescriber_organisation = fields.String(required=True, validate=validate.OneOf(PRESCRIBER_ORGANISATIONS))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    tutor_id = fields.String(required=True)  # a staff account id


class ImmersionAgreed(ImmersionFact):
    """Staff recorded a PMSMP convention (not yet signed by all three parties)."""

    planned_hours = fields.String(required=True)  # exact decimal, the schedule's hours


class ImmersionSigned(ImmersionFact):
    """The beneficiary, the venue and the prescriber have all signed: the immersion may start."""

    signed_on = fields.Date(required=True)  # the last of the three signatures


class ImmersionAssessed(ImmersionFact):
    """The tutor recorded the end-of-immersion assessment; notifications sends it to the prescriber."""

    assessed_on = fields.Date(required=True)
    days_present = fields.Integer(required=True)


class ImmersionCancelled(ImmersionFact):
    """Staff cancelled the immersion before its end."""

    cancelled_on = fields.Date(required=True)


class OutcomeRecorded(PersonFact):
    """Staff recorded what happened next to a person (a training, a placement, a hire, a job, back
    to work). Bookings answers the ones that end a job search (BACK_TO_WORK_OUTCOMES) for the
    person's family; the free-text detail stays in placements."""

    outcome_id = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(OUTCOME_KINDS))
    on = fields.Date(required=True)


register("placements.trainee_cleared", TraineeCleared)
register("placements.trainee_clearance_expired", TraineeClearanceExpired)
register("placements.placement_created", PlacementCreated)
register("placements.placement_changed", PlacementChanged)
register("placements.placement_started", PlacementStarted)
register("placements.placement_completed", PlacementCompleted)
register("placements.placement_interrupted", PlacementInterrupted)
register("placements.hours_submitted", HoursSubmitted)
register("placements.hours_validated", HoursValidated)
register("placements.hours_rejected", HoursRejected)
register("placements.immersion_agreed", ImmersionAgreed)
register("placements.immersion_signed", ImmersionSigned)
register("placements.immersion_assessed", ImmersionAssessed)
register("placements.immersion_cancelled", ImmersionCancelled)
register("placements.outcome_recorded", OutcomeRecorded)
