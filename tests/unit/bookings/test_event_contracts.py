"""The bookings service's events: one schema each, and each name written out where it is emitted."""

import re
from pathlib import Path

from shared.events.registry import CONTRACTS, contract_for

SERVICE = Path(__file__).resolve().parents[3] / "services" / "bookings"


def bookings_events():
    contract_for("bookings.activity_scheduled")  # fills the registry
    return {name: contract for name, contract in CONTRACTS.items() if name.startswith("bookings.")}


def test_every_bookings_event_has_a_schema_of_its_own():
    schema_classes = [type(contract.schema) for contract in bookings_events().values()]
    shared = {cls.__name__ for cls in schema_classes if schema_classes.count(cls) > 1}
    assert not shared, f"schemas used by several events: {sorted(shared)}"


def test_a_search_for_an_event_name_finds_the_code_that_emits_it():
    source = "\n".join(path.read_text() for path in SERVICE.rglob("*.py"))
    assert not re.search(r"emit\(\s*f[\"']", source), "an event name built at run time cannot be searched for"
    missing = [name for name in bookings_events() if f'"{name}"' not in source]
    assert not missing, f"events whose name is not written out in services/bookings: {missing}"
