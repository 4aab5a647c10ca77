"""Lists answered a page at a time, by keyset: page N costs what page 1 costs (no OFFSET).

A list query is ordered by some fields ending with a unique one (the id); the cursor is the sort
key of the last row given, opaque to callers (base64 of JSON). The next page is the rows whose
sort key comes after it: `(a, b, id) > (a0, b0, id0)`, written out so that an index on `a` is
used for the range (`a >= a0 AND (a > a0 OR ...)`). A row inserted between two pages shows up
in the later page if it sorts after the cursor, and never makes another row repeat or vanish.

    found = page(select, [ChildcareSlot.starts_at, Booking.requested_at, Booking.id], q)  # q: limit, cursor
    return found.answer(presenters.bookings(found.rows))
"""

import base64
import binascii
import json
from datetime import date, datetime

from marshmallow import Schema, fields, validate
from peewee import DateField, DateTimeField

from shared.errors import Invalid

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
BAD_CURSOR = "Curseur de pagination invalide : reprenez la liste depuis le début."


def limit_field():
    return fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=validate.Range(min=1, max=MAX_LIMIT, error=f"Entre 1 et {MAX_LIMIT} éléments par page."),
        metadata={"description": f"Éléments par page (défaut {DEFAULT_LIMIT}, au plus {MAX_LIMIT})."},
    )


def cursor_field():
    return fields.String(
        load_default=None,
        metadata={
            "description": "Suite de la liste : la valeur donnée par l'en-tête Link (rel=next) ou X-Next-Cursor."
        },
    )


class PageQuery(Schema):
    """The query of a list with nothing else to filter on (a Query schema adds `limit` and `cursor`
    as its last fields: `limit = limit_field()`, `cursor = cursor_field()`)."""

    limit = limit_field()
    cursor = cursor_field()


class Page:
    """The rows of one page and the cursor of the next (None on the last page)."""

    def __init__(self, rows, next_cursor):
        self.rows, self.next_cursor = rows, next_cursor

    def answer(self, items):
        """What a list RPC answers: {"items": the rows as presented, "next_cursor": str or None}."""
        return {"items": items, "next_cursor": self.next_cursor}


def page(select, order, query):
    """The Page of `select` that `query` (limit, cursor) asks for.

    `order`: the peewee fields the list is sorted by (ascending), the last one unique (the id)."""
    limit = query["limit"]
    after = decode(query.get("cursor"), order)
    if after is not None:
        select = select.where(after_key(order, after))
    rows = list(select.order_by(*order).limit(limit + 1))
    more, rows = len(rows) > limit, rows[:limit]
    return Page(rows, encode(order, rows[-1]) if more else None)


def page_of_list(items, key, query):
    """The same for a list already sorted in Python by `key(item)` (a tuple ending with a unique
    value of text or numbers): for lists ranked in the service, not in SQL."""
    limit = query["limit"]
    after = _decode_values(query.get("cursor"))
    if after is not None:
        try:
            items = [item for item in items if list(key(item)) > after]
        except TypeError:
            raise Invalid("Certains champs ne sont pas valides.", {"cursor": [BAD_CURSOR]}) from None
    rows = items[: limit + 1]
    more, rows = len(rows) > limit, rows[:limit]
    return Page(rows, _encode(list(key(rows[-1]))) if more else None)


def after_key(order, values):
    """(f1, f2, ..., fn) > (v1, v2, ..., vn), lexicographic, with the first field as a range."""
    condition = None
    for index in reversed(range(len(order))):
        field, value = order[index], values[index]
        condition = field > value if condition is None else (field > value) | ((field == value) & condition)
    return (order[0] >= values[0]) & condition


def encode(order, row):
    return _encode([_key_value(field, _value_of(row, field)) for field in order])


def _value_of(row, field):
    """The field's value on the row, which may be reached through a join (booking.slot.starts_at)."""
    if field.model is type(row):
        return getattr(row, field.name)
    for name, related in type(row)._meta.fields.items():
        if getattr(related, "rel_model", None) is field.model:
            return getattr(getattr(row, name), field.name)
    raise ValueError(f"{field} is not on {type(row).__name__}")


def _key_value(field, value):
    return value.isoformat() if isinstance(value, (date, datetime)) else value  # a datetime is a date


def _encode(values):
    return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode().rstrip("=")


def decode(cursor, order):
    """The sort key a cursor carries, typed as its fields; Invalid (422) when it was not ours."""
    values = _decode_values(cursor)
    if values is None:
        return None
    try:
        if len(values) != len(order):
            raise ValueError("not a sort key of this list")
        return [_typed(field, value) for field, value in zip(order, values, strict=True)]
    except (ValueError, TypeError):
        raise Invalid("Certains champs ne sont pas valides.", {"cursor": [BAD_CURSOR]}) from None


def _decode_values(cursor):
    if not cursor:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
    except (ValueError, binascii.Error, UnicodeDecodeError):
        values = None
    if not isinstance(values, list) or not values:
        raise Invalid("Certains champs ne sont pas valides.", {"cursor": [BAD_CURSOR]})
    return values


def _typed(field, value):
    if isinstance(field, DateTimeField):
        if not isinstance(value, str):
            raise TypeError("a time is written as text")
        return datetime.fromisoformat(value)
    if isinstance(field, DateField):  # a list by day (closures, contracts): written as text too
        if not isinstance(value, str):
            raise TypeError("a day is written as text")
        return date.fromisoformat(value)
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise TypeError("a key is text or a number")
    return value
