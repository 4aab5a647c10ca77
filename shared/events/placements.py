"""Events published by the placements service (trainees' placements, their hour logs, their
clearance). Emitted by services/placements/service.py; bookings answers the trainee clearance
events (services/bookings/duty/entrypoints.py: a trainee joins an activity with children only
when cleared on its day); the consumers of the others are in docs/architecture.md's catalogue."""

from marshmallow import Schema, fields, validate

from shared.events.registry import register

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
