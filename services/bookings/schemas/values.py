"""How the bookings service writes values in its answers (times in the venue's zone, money,
exact numbers), and the bounds several areas' schemas share."""

from marshmallow import fields, validate

from shared.timeutil import from_db

NAME = validate.Length(min=1, max=100)

COUNT = validate.Range(min=0, max=500)


class VenueTime(fields.DateTime):
    """A stored time (naive UTC) in the venue's zone, with its offset: 2026-12-01T09:00:00+01:00."""

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(from_db(value), attr, obj, **kwargs)


# How the API documents these text values (a string with its pattern, not a number).
MONEY_PATTERN = r"^-?\d+\.\d{2}$"
EXACT_PATTERN = r"^-?\d+(\.\d+)?$"


class _Text(fields.Field):
    """A value served as text, documented as a string matching `pattern`."""

    pattern = None

    def __init__(self, **kwargs):
        kwargs["metadata"] = {"type": "string", "pattern": self.pattern, **kwargs.get("metadata", {})}
        super().__init__(**kwargs)


class Money(_Text):
    """An amount in euros as a string with two decimals: "12.50"."""

    pattern = MONEY_PATTERN

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else f"{value:.2f}"


def exact_text(value):
    """A Decimal with as many decimals as it has, no more, whatever the database: "2.064", "9", "0"."""
    return format(value.normalize(), "f") if value else "0"


class Exact(_Text):
    """A rate or a number of hours as a string with as many decimals as it has, no more: "1.5", "0"."""

    pattern = EXACT_PATTERN

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else exact_text(value)
