"""The insights service's published interface: its marshmallow Query (the period) and Out
(answers) schemas. The gateway may import this module, and no other of this service.

An indicator is a count (int), an exact decimal string ("12.50", a rate "0.42"), null when its
inputs are in no event (its definition says which), or, for `immersions_by_object`, a count per
object."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

FUNNEL_STEPS = ("immersion", "training", "placement", "hired")
PATH_KINDS = (
    "childcare_place",
    "immersion_agreed",
    "immersion_assessed",
    "enrolment",
    "session_attended",
    "placement_started",
    "placement_completed",
    "outcome",
)
SOURCES = ("bookings", "placements", "education", "volunteers")


class PeriodQuery(Schema):
    """`from_date` and `to_date` (ISO days, both optional, both included)."""

    from_date = fields.Date(load_default=None, allow_none=True)
    to_date = fields.Date(load_default=None, allow_none=True)

    @validates_schema
    def _ordered(self, data, **kwargs):
        if data.get("from_date") and data.get("to_date") and data["from_date"] > data["to_date"]:
            raise ValidationError("La date de début doit précéder la date de fin.", "to_date")


class FunnelStepOut(Schema):
    step = fields.String(required=True, validate=validate.OneOf(FUNNEL_STEPS))
    count = fields.Integer(required=True)
    conversion = fields.String(required=True, allow_none=True)  # "0.50": this step ÷ the one before


class SummaryOut(Schema):
    from_ = fields.Date(required=True, allow_none=True, data_key="from")
    to = fields.Date(required=True, allow_none=True)
    indicators = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True), required=True)
    definitions = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    funnel = fields.List(fields.Nested(FunnelStepOut), required=True)
    immersions_by_object = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    training_hours_by_funder = fields.Dict(keys=fields.String(), values=fields.String(), required=True)


class MonthOut(Schema):
    month = fields.String(required=True)  # "2026-11"
    indicators = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True), required=True)


class PathStepOut(Schema):
    on = fields.Date(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(PATH_KINDS))
    detail = fields.String(required=True, allow_none=True)  # an enum value or an id, never a text
    source = fields.String(required=True, validate=validate.OneOf(SOURCES))


class RebuildOut(Schema):
    events = fields.Integer(required=True)  # log rows replayed
    facts = fields.Integer(required=True)


class BackfillOut(Schema):
    sources = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True), required=True)
