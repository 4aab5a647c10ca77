"""What the gateway refuses in a request before any service sees it, because a service would fail
on it with a 500 rather than answer a 4xx: JSON nested without end, text a database cannot store
(a lone UTF-16 surrogate, a NUL), dates whose time-zone conversion overflows (0001-01-01,
9999-12-31). The services still validate everything else."""

import functools
import re
from datetime import date, datetime

from marshmallow import ValidationError, fields

from services.gateway.errors import ApiError

MAX_DEPTH = 32  # objects and arrays inside one another; no form of the API needs more than 4
EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)
UNSTORABLE = re.compile("[\ud800-\udfff\x00]")  # neither UTF-8 nor PostgreSQL text can hold them
NOT_IN_AN_ID = re.compile("[\ud800-\udfff\x00-\x1f\x7f]")  # ids and months are printable

TOO_DEEP = f"Le corps JSON est trop imbriqué ({MAX_DEPTH} niveaux au plus)."
BAD_CHARACTER = "Caractère non permis (caractère nul ou demi-caractère UTF-16 isolé)."
OUT_OF_RANGE = f"Date hors des limites ({EARLIEST.year} à {LATEST.year})."


def check_body(data):
    """400 when `data` (a parsed JSON body) is nested deeper than MAX_DEPTH; 422 naming each
    field whose text (or key) holds a character that cannot be stored."""
    refused = {}
    pending = [(data, (), 1)]
    while pending:
        node, path, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise ApiError(400, "bad_request", TOO_DEEP)
        if isinstance(node, dict):
            for key, value in node.items():
                if UNSTORABLE.search(key):
                    _note(refused, (*path, "_schema"))
                else:
                    pending.append((value, (*path, key), depth + 1))
        elif isinstance(node, list):
            pending.extend((value, (*path, str(index)), depth + 1) for index, value in enumerate(node))
        elif isinstance(node, str) and UNSTORABLE.search(node):
            _note(refused, path or ("_schema",))
    _refuse(refused, BAD_CHARACTER)


def check_text(values):
    """422 naming each parameter ({name: text}) holding a character that cannot be stored."""
    refused = {}
    for name, text in values.items():
        if UNSTORABLE.search(text):
            _note(refused, (name,))
    _refuse(refused, BAD_CHARACTER)


def check_dates(schema, data):
    """422 naming each date or time field of `schema` (nested ones too) given outside
    EARLIEST..LATEST. A value that is not a date is left to the service, which says so."""
    refused = {}
    _dates_of(instance(schema) if isinstance(schema, type) else schema, data, (), refused)
    _refuse(refused, OUT_OF_RANGE)


@functools.cache
def instance(schema_class):
    """The one instance of `schema_class` these checks read: making one deep-copies every declared
    field (about as long as the rest of a small request), and they only read its fields."""
    return schema_class()


def in_range(day):
    return EARLIEST <= (day.date() if isinstance(day, datetime) else day) <= LATEST


def _dates_of(schema, data, path, refused):
    if not isinstance(data, dict):
        return
    for name, declared in schema.fields.items():
        key = declared.data_key or name
        if key in data:
            _dates_in(declared, data[key], (*path, key), refused)


def _dates_in(declared, value, path, refused):
    if isinstance(declared, fields.Nested):
        items = value if declared.many and isinstance(value, list) else [value]
        for index, item in enumerate(items):
            _dates_of(declared.schema, item, (*path, str(index)) if declared.many else path, refused)
    elif isinstance(declared, fields.List) and isinstance(value, list):
        for index, item in enumerate(value):
            _dates_in(declared.inner, item, (*path, str(index)), refused)
    elif isinstance(declared, fields.Date | fields.DateTime) and isinstance(value, str):
        try:
            day = declared.deserialize(value)
        except (ValidationError, OverflowError):
            return
        if day is not None and not in_range(day):
            _note(refused, path)


def _note(refused, path):
    node = refused
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node.setdefault(path[-1], [])


def _refuse(refused, message):
    if refused:
        raise ApiError(422, "validation_failed", "Certains champs ne sont pas valides.", _filled(refused, message))


def _filled(refused, message):
    return {key: _filled(value, message) if isinstance(value, dict) else [message] for key, value in refused.items()}


def check_month(month):
    """422 on `month` ("AAAA-MM" in a path) when its year is outside EARLIEST..LATEST; its format
    is the service's to check."""
    year = month[:4]
    # ASCII digits only: str.isdigit() is also true of "³", which int() refuses
    if year.isascii() and year.isdigit() and not EARLIEST.year <= int(year) <= LATEST.year:
        _refuse({"month": []}, OUT_OF_RANGE)
