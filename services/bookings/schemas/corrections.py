"""Corrections of a check-in or check-out by staff (corrections/entrypoints.py, domain/corrections.py)."""

from marshmallow import Schema, ValidationError, fields, validates

from services.bookings.domain.corrections import reason_errors
from services.bookings.schemas.child_file import CollectedByIn
from services.bookings.schemas.childcare import CollectedByOut
from services.bookings.schemas.values import VenueTime

_A_TIME = "Heure attendue au format ISO 8601 avec son décalage, par exemple 2026-12-01T09:00:00+01:00."


class AttendanceCorrectionIn(Schema):
    """The corrected arrival and departure (null: none; both null remove the attendance) and why;
    `collected_by`, as at check-out: who collected the child, required when the departure is added
    (a departure already on file keeps its own unless another is given)."""

    error_messages = {"unknown": "Champ inconnu.", "type": "Objet JSON attendu."}

    arrived_at = fields.AwareDateTime(
        required=True,
        allow_none=True,
        error_messages={"required": "Champ obligatoire (null : pas d'arrivée).", "invalid": _A_TIME},
    )
    left_at = fields.AwareDateTime(
        load_default=None,
        allow_none=True,
        error_messages={"invalid": _A_TIME},
    )
    collected_by = fields.Nested(CollectedByIn, load_default=None, allow_none=True)
    reason = fields.String(
        required=True,
        error_messages={
            "required": "Indiquez le motif de la correction.",
            "null": "Indiquez le motif de la correction.",
            "invalid": "Texte attendu.",
        },
    )

    @validates("reason")
    def _reason(self, value, **kwargs):
        errors = reason_errors(value)
        if errors:
            raise ValidationError(errors)


class AttendanceDayIn(Schema):
    """A contract's day, as the path gives it."""

    day = fields.Date(required=True, error_messages={"invalid": "Date attendue au format AAAA-MM-JJ."})


class AttendanceCorrectionOut(Schema):
    """Dumps an AttendanceCorrection: who, when, the times before and after, and why."""

    id = fields.String()
    corrected_at = VenueTime()
    corrected_by = fields.String()
    arrived_before = VenueTime(allow_none=True)
    left_before = VenueTime(allow_none=True)
    arrived_at = VenueTime(attribute="arrived_after", allow_none=True)
    left_at = VenueTime(attribute="left_after", allow_none=True)
    reason = fields.String()


class AttendanceRecordOut(Schema):
    """A child's attendance on one day of care (a booking, or a contract's day), as on file now,
    with its corrections, oldest first."""

    booking_id = fields.String(allow_none=True)
    contract_id = fields.String(allow_none=True)
    child_id = fields.String()
    child_first_name = fields.String()
    day = fields.Date()
    arrived_at = VenueTime(allow_none=True)
    left_at = VenueTime(allow_none=True)
    collected_by = fields.Nested(CollectedByOut, allow_none=True)  # who collected the child
    corrections = fields.List(fields.Nested(AttendanceCorrectionOut))
