"""One registry: event name -> (payload schema, version). Each service's contracts live in its own module."""
from dataclasses import dataclass

from marshmallow import Schema


@dataclass(frozen=True)
class Contract:
    name: str
    schema: Schema
    version: int = 1


CONTRACTS = {}


def register(name, schema_cls, version=1):
    if name in CONTRACTS:
        raise ValueError(f"event {name} registered twice")
    CONTRACTS[name] = Contract(name, schema_cls(), version)


def contract_for(name):
    _load_all()
    try:
        return CONTRACTS[name]
    except KeyError:
        raise KeyError(f"unknown event type {name!r}") from None


def split_name(name):
    """'bookings.activity_scheduled' -> ('bookings', 'activity_scheduled')."""
    source, _, event_type = name.partition(".")
    return source, event_type


def _load_all():
    # Importing the contract modules fills the registry (once).
    from shared.events import bookings, education, volunteers  # noqa: F401
