"""The honorability renewal list's contract: one line per person whose attestation d'honorabilité
is missing, expired or expiring soon. Team (staff), placements (trainees) and volunteers each
answer `honorability_renewals(notice_days)` with these lines; the gateway merges them
(services/gateway/renewals.py)."""

from marshmallow import Schema, fields, validate

from shared.honorability import RENEWAL_NOTICE_DAYS

RENEWAL_STATUSES = ("missing", "expired", "expiring")
PERSON_KINDS = ("staff", "trainee", "volunteer")


class RenewalQuery(Schema):
    notice_days = fields.Integer(load_default=RENEWAL_NOTICE_DAYS, validate=validate.Range(min=0, max=365))


class RenewalOut(Schema):
    kind = fields.String(validate=validate.OneOf(PERSON_KINDS))
    person_id = fields.String()
    name = fields.String()
    issued_on = fields.Date(allow_none=True)
    verified_on = fields.Date(allow_none=True)
    expires_on = fields.Date(allow_none=True)
    status = fields.String(validate=validate.OneOf(RENEWAL_STATUSES))
