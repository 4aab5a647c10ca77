"""Errors a service answers over RPC; the gateway maps each to its HTTP status and error code.

Registered with nameko so the caller gets the same exception class back (not a RemoteError).
"""

from marshmallow import ValidationError
from nameko.exceptions import deserialize_to_instance


class ServiceError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message, fields=None):
        super().__init__(message, fields or {})

    @property
    def message(self):
        return self.args[0]

    @property
    def fields(self):
        return self.args[1] if len(self.args) > 1 else {}


@deserialize_to_instance
class NotFound(ServiceError):
    status = 404
    code = "not_found"


@deserialize_to_instance
class Conflict(ServiceError):
    status = 409
    code = "conflict"


@deserialize_to_instance
class Invalid(ServiceError):
    status = 422
    code = "validation_failed"


@deserialize_to_instance
class Forbidden(ServiceError):
    status = 403
    code = "forbidden"


@deserialize_to_instance
class Unavailable(ServiceError):
    """The service could not reach its database (down, connection lost, pool exhausted): this call
    failed, the service keeps running and the caller may retry. Nothing was changed, unless the
    connection broke during the commit itself (an Idempotency-Key makes that retry safe too)."""

    status = 503
    code = "unavailable"
    default_message = "Le service est momentanément indisponible ; réessayez dans un instant."


def found(thing, message):
    """`thing` when a query found it; NotFound(message) when it is None (`store.py`'s loaders)."""
    if thing is None:
        raise NotFound(message)
    return thing


def load(schema, data, **kwargs):
    """marshmallow load that answers Invalid (422 with field messages) instead of ValidationError."""
    try:
        return schema.load(data if data is not None else {}, **kwargs)
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        raise Invalid("Certains champs ne sont pas valides.", messages) from None
