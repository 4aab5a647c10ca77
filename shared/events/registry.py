"""One registry: event name -> (payload schema, version, upcasters). Each service's contracts live
in its own module.

Versions: a contract's `version` goes up only for a change an old consumer could misread (a
field removed, renamed, retyped, or made required). Adding an optional field is not one:
consumers ignore fields they do not know. The new version registers an upcaster from the one
before, `upcasters={1: v1_to_v2}`: a function from a v1 payload (plain JSON) to a v2 payload,
so a consumer deployed first still reads what producers not yet upgraded send.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from marshmallow import Schema


@dataclass(frozen=True)
class Contract:
    name: str
    schema: Schema
    version: int = 1
    upcasters: Mapping[int, Callable[[dict], dict]] = field(default_factory=dict)  # n-1 -> n, keyed by n-1

    def reads(self, version):
        """This version, or an older one with an upcaster for every step up to this one."""
        return version == self.version or (
            1 <= version < self.version and all(v in self.upcasters for v in range(version, self.version))
        )

    def upcast(self, payload, version):
        """A payload of an older `version` (as received) turned into one of this version, step by step."""
        for older in range(version, self.version):
            payload = self.upcasters[older](payload)
        return payload


CONTRACTS = {}


def register(name, schema_cls, version=1, upcasters=None):
    if name in CONTRACTS:
        raise ValueError(f"event {name} registered twice")
    upcasters = dict(upcasters or {})
    if any(not 1 <= older < version for older in upcasters):
        raise ValueError(f"event {name} v{version}: upcasters go from an older version to the next one")
    CONTRACTS[name] = Contract(name, schema_cls(), version, upcasters)


def dropping(*names):
    """An upcaster that only removes fields: what a version that stopped carrying them reads of
    the one before (the personal data events no longer carry: docs/architecture.md)."""

    def upcast(payload):
        return {key: value for key, value in payload.items() if key not in names}

    return upcast


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
    from shared.events import bookings, education, erasure, placements, team, volunteers  # noqa: F401
