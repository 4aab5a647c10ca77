"""The envelope: what every event carries around its payload."""
import uuid
from datetime import datetime, timezone

from marshmallow import Schema, ValidationError, fields, validate

from shared.events.registry import contract_for


class EnvelopeSchema(Schema):
    event_id = fields.UUID(required=True)
    type = fields.String(required=True, validate=validate.Regexp(r"^[a-z_]+\.[a-z_]+$"))
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    occurred_at = fields.AwareDateTime(required=True)
    correlation_id = fields.String(required=True, validate=validate.Length(min=1, max=128))
    payload = fields.Dict(required=True)


_envelope = EnvelopeSchema()


def new_event(event_type, payload, correlation_id=None, occurred_at=None):
    """Build a ready-to-publish envelope (JSON types only); the payload is checked against its contract."""
    contract = contract_for(event_type)
    errors = contract.schema.validate(payload)
    if errors:
        raise ValidationError({"payload": errors})
    return {
        "event_id": str(uuid.uuid4()),
        "type": event_type,
        "version": contract.version,
        "occurred_at": (occurred_at or datetime.now(timezone.utc)).isoformat(),
        "correlation_id": correlation_id or str(uuid.uuid4()),
        "payload": contract.schema.dump(contract.schema.load(payload)),
    }


def validate_event(body, expected_type=None):
    """Check a received event; returns the envelope with its payload loaded by the contract.

    Raises marshmallow.ValidationError for anything that is not a valid event of a known type.
    """
    if not isinstance(body, dict):
        raise ValidationError({"_schema": ["an event must be a JSON object"]})
    envelope = _envelope.load(body)
    if expected_type and envelope["type"] != expected_type:
        raise ValidationError({"type": [f"expected {expected_type}, got {envelope['type']}"]})
    try:
        contract = contract_for(envelope["type"])
    except KeyError as exc:
        raise ValidationError({"type": [str(exc)]}) from None
    if envelope["version"] != contract.version:
        raise ValidationError({"version": [f"version {envelope['version']} not handled (expect {contract.version})"]})
    try:
        envelope["payload"] = contract.schema.load(envelope["payload"])
    except ValidationError as exc:
        raise ValidationError({"payload": exc.messages}) from None
    envelope["event_id"] = str(envelope["event_id"])
    return envelope
