"""The envelope: what every event carries around its payload.

Producers are strict, consumers tolerant: `new_event` and `check_outgoing` refuse a payload
field the contract does not have (a typo, a field added before its contract), while
`validate_event` ignores fields it does not know, in the envelope and in the payload, and
reads the version before the contract's through its upcasters, so a rolling upgrade does
not dead-letter the events in flight.
"""

import uuid
from collections.abc import Mapping
from datetime import datetime, timezone

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate

from shared.events.registry import contract_for


class EnvelopeSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # a field a later envelope adds is ignored, not a reason to dead-letter

    event_id = fields.UUID(required=True)
    type = fields.String(required=True, validate=validate.Regexp(r"^[a-z_]+\.[a-z_]+$"))
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    occurred_at = fields.AwareDateTime(required=True)
    correlation_id = fields.String(required=True, validate=validate.Length(min=1, max=128))
    payload = fields.Dict(required=True)


_envelope = EnvelopeSchema()
_outgoing_envelope = EnvelopeSchema(unknown=RAISE)  # a producer sends only the fields it knows


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
    contract = _contract(envelope["type"])
    payload = _readable_payload(contract, envelope["version"], envelope["payload"])
    try:
        envelope["payload"] = contract.schema.load(_known_only(contract.schema, payload))
    except ValidationError as exc:
        raise ValidationError({"payload": exc.messages}) from None
    envelope["event_id"] = str(envelope["event_id"])
    envelope["version"] = contract.version  # what the handler reads, once upcast
    return envelope


def _contract(event_type):
    """The registered contract of `event_type`; an unknown type is a ValidationError on `type`."""
    try:
        return contract_for(event_type)
    except KeyError as exc:
        raise ValidationError({"type": [str(exc)]}) from None


def check_outgoing(envelope):
    """What a producer may record for publishing: a valid envelope of a registered type, at its
    contract's current version, whose payload has only fields of the contract and keeps to it.
    Raises ValidationError, so the transaction recording it fails instead of publishing it."""
    errors = (
        _outgoing_envelope.validate(envelope)
        if isinstance(envelope, Mapping)
        else {"_schema": ["an event must be a JSON object"]}
    )
    if errors:
        raise ValidationError(errors)
    contract = _contract(envelope["type"])
    if envelope["version"] != contract.version:
        raise ValidationError(
            {"version": [f"a producer publishes version {contract.version}, not {envelope['version']}"]}
        )
    errors = contract.schema.validate(envelope["payload"])
    if errors:
        raise ValidationError({"payload": errors})


def _readable_payload(contract, version, payload):
    """The payload as the contract's version reads it, or ValidationError: a newer version, or an
    older one without an upcaster, stays invalid (dead-lettered, replayable after the upgrade)."""
    if version > contract.version:
        raise ValidationError(
            {
                "version": [
                    f"version {version} is newer than this consumer reads ({contract.version}): upgrade it, then replay"
                ]
            }
        )
    if not contract.reads(version):
        raise ValidationError(
            {"version": [f"version {version} not handled (expect {contract.version}, no upcaster from {version})"]}
        )
    if version == contract.version:
        return payload
    try:
        return contract.upcast(payload, version)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:  # an old payload too broken to upcast
        raise ValidationError({"payload": [f"version {version} payload could not be upcast: {exc!r}"]}) from None


def _known_only(schema, data):
    """`data` without the fields `schema` does not know, at every level: a consumer ignores them."""
    if not isinstance(data, Mapping):
        return data  # not an object: the schema says so
    known = {}
    for name, field in schema.load_fields.items():
        key = field.data_key or name
        if key in data:
            known[key] = _known_value(field, data[key])
    return known


def _known_value(field, value):
    if isinstance(field, fields.Nested):
        if field.many and isinstance(value, list):
            return [_known_only(field.schema, item) for item in value]
        return _known_only(field.schema, value)
    if isinstance(field, fields.List) and isinstance(value, list):
        return [_known_value(field.inner, item) for item in value]
    return value
