"""The event catalogue of docs/architecture.md says what the code does.

Each row is checked against the code: the registry (shared/events: name, version, payload
fields), the reliable handlers of every deployed service (shared.components.SERVICES, read by
shared.topology: who consumes it) and the `emit("<event name>", ...)` calls in services/ (who
produces it). Event names are
written out in full where they are emitted, so the producer of an event can be found by its name.

How the table is written, so that it can be read here:
- Producer and Consumers today name each function as `<service> `<method>``, e.g.
  "bookings `schedule_activity`"; anything else in the cell is comment ("none", "planned: …").
  A producer is the entrypoint (RPC or handler) that emits the event, itself or through the
  service's helpers it calls (`self._promote(...)`).
- Payload fields: the schema's fields, each in backticks; what is in parentheses is comment
  (allowed values, "optional", "may be null"), and a field the schema does not require says
  "optional" or "may be null" there.
"""

import ast
import inspect
import re
from pathlib import Path

import pytest

from shared import components, topology
from shared.events import registry

REPO = Path(__file__).resolve().parents[3]
HEADING = "## Event catalogue"


# --- the document ---------------------------------------------------------------------------------
def catalogue():
    """{event name: {column title: cell}} from the table under the Event catalogue heading."""
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text.split(HEADING, 1)[1].split("\n## ", 1)[0]
    header, _rule, *rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("|")
    ]
    table = {}
    for row in rows:
        cells = dict(zip(header, row, strict=True))
        name = cells["Event"].strip("`")
        assert name not in table, f"{name} has two rows in the event catalogue"
        table[name] = cells
    return table


def named_functions(cell):
    """{(service, method)} written as "bookings `schedule_activity`" in a cell."""
    services = "|".join(map(re.escape, components.SERVICE_NAMES))
    return set(re.findall(rf"\b({services}) `(\w+)`", cell))


def without_comments(cell):
    """The cell without its parenthesised comments (nested ones too)."""
    while True:
        shorter = re.sub(r"\([^()]*\)", "", cell)
        if shorter == cell:
            return cell
        cell = shorter


def documented_fields(cell):
    return set(re.findall(r"`(\w+)`", without_comments(cell)))


def comment_after(cell, field):
    """The parenthesised comment right after `field` in a cell ("" when there is none)."""
    found = re.search(rf"`{field}`\s*\(([^)]*)\)", cell)
    return found.group(1) if found else ""


# --- the code -------------------------------------------------------------------------------------
class Emits(ast.NodeVisitor):
    """For each function of a service's source: the event names it emits and the names it calls."""

    def __init__(self, path):
        self.path = path
        self.emitted, self.calls, self.not_literal = {}, {}, []
        self.current = []

    def visit_FunctionDef(self, node):
        self.current.append(node.name)
        self.emitted.setdefault(node.name, set())
        self.calls.setdefault(node.name, set())
        self.generic_visit(node)
        self.current.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node):
        if self.current:
            function = self.current[-1]
            callee = node.func
            if isinstance(callee, ast.Attribute) and callee.attr == "emit" and node.args:
                name = node.args[0]
                if isinstance(name, ast.Constant) and isinstance(name.value, str):
                    self.emitted[function].add(name.value)
                else:
                    self.not_literal.append(f"{self.path.relative_to(REPO)}:{node.lineno} in {function}")
            elif isinstance(callee, ast.Attribute) and isinstance(callee.value, ast.Name) and callee.value.id == "self":
                self.calls[function].add(callee.attr)
            elif isinstance(callee, ast.Name):
                self.calls[function].add(callee.id)
        self.generic_visit(node)


def service_source(service):
    """Emits read from every module of services/<service>/ (one namespace: mixins call each other)."""
    emitted, calls, not_literal = {}, {}, []
    for path in sorted((REPO / "services" / service).rglob("*.py")):
        visitor = Emits(path)
        visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
        for function, names in visitor.emitted.items():
            emitted.setdefault(function, set()).update(names)
        for function, names in visitor.calls.items():
            calls.setdefault(function, set()).update(names)
        not_literal += visitor.not_literal
    return emitted, calls, not_literal


def emitted_through(function, emitted, calls, seen=None):
    """The events a function emits, itself or through the functions of its service it calls."""
    seen = set() if seen is None else seen
    if function in seen:
        return set()
    seen.add(function)
    events = set(emitted.get(function, ()))
    for callee in calls.get(function, ()):
        if callee in emitted:
            events |= emitted_through(callee, emitted, calls, seen)
    return events


def producers():
    """{event name: {(service, entrypoint)}} for every event some deployed entrypoint emits."""
    found = {}
    for service in components.SERVICES:
        emitted, calls, _ = service_source(service.name)
        for method, member in inspect.getmembers(topology.service_class(service.target), inspect.isfunction):
            if getattr(member, "nameko_entrypoints", None):
                for event in emitted_through(method, emitted, calls):
                    found.setdefault(event, set()).add((service.name, method))
    return found


def consumers():
    """{event name: {(service, handler)}} for every event some deployed service handles."""
    found = {}
    for service_cls, method, entrypoint in topology.deployed_handlers():
        found.setdefault(f"{entrypoint.source_service}.{entrypoint.event_type}", set()).add((service_cls.name, method))
    return found


def contracts():
    """The venue's registered events: those of its services (test probes register their own
    `probe.*` contracts when the integration tests are collected in the same run)."""
    registry.contract_for("bookings.activity_scheduled")  # fills the registry
    return {
        name: c for name, c in registry.CONTRACTS.items() if registry.split_name(name)[0] in components.SERVICE_NAMES
    }


# --- the checks -----------------------------------------------------------------------------------
def test_every_registered_event_has_one_row_and_every_row_names_a_registered_event():
    documented, registered = set(catalogue()), set(contracts())
    assert sorted(registered - documented) == [], "registered events missing from the catalogue"
    assert sorted(documented - registered) == [], "catalogue rows naming no registered event"


def test_each_row_gives_the_registered_version():
    table = catalogue()
    wrong = {
        name: (table[name].get("Version"), contract.version)
        for name, contract in contracts().items()
        if name in table and table[name].get("Version") != str(contract.version)
    }
    assert wrong == {}, "event: (catalogue, registry)"


def test_each_row_lists_exactly_the_payload_fields_of_its_schema():
    table = catalogue()
    wrong = {}
    for name, contract in contracts().items():
        if name in table:
            schema_fields = set(contract.schema.fields)
            cell = table[name]["Payload fields"]
            if documented_fields(cell) != schema_fields:
                wrong[name] = {
                    "missing": sorted(schema_fields - documented_fields(cell)),
                    "not in the schema": sorted(documented_fields(cell) - schema_fields),
                }
            unmarked = [
                field
                for field, spec in contract.schema.fields.items()
                if not spec.required and not re.search(r"optional|may be null", comment_after(cell, field))
            ]
            if unmarked:
                wrong.setdefault(name, {})["optional but not said so"] = unmarked
    assert wrong == {}


def test_the_consumers_column_names_exactly_the_deployed_handlers():
    table, handlers = catalogue(), consumers()
    wrong = {
        name: {"catalogue": sorted(named_functions(row["Consumers today"])), "deployed": sorted(handlers.get(name, ()))}
        for name, row in table.items()
        if named_functions(row["Consumers today"]) != handlers.get(name, set())
    }
    assert wrong == {}


def test_every_emitted_event_name_is_written_out_in_full():
    not_literal = [place for service in components.SERVICE_NAMES for place in service_source(service)[2]]
    assert not_literal == [], "emit() with a computed event name: write each name in full so it can be found"


def test_the_producer_column_names_exactly_the_entrypoints_that_emit_the_event():
    table, emitting = catalogue(), producers()
    assert sorted(set(emitting) - set(contracts())) == [], "emitted events with no contract"
    wrong = {
        name: {"catalogue": sorted(named_functions(row["Producer"])), "code": sorted(emitting.get(name, ()))}
        for name, row in table.items()
        if named_functions(row["Producer"]) != emitting.get(name, set())
    }
    assert wrong == {}


@pytest.mark.parametrize(
    "cell, expected",
    [
        (
            "`activity_id`, `kind` (one of `shared/vocabulary.py` `ACTIVITY_KINDS`), `room_name` (may be null)",
            {"activity_id", "kind", "room_name"},
        ),
        (
            "`was_status` (`confirmed` or `waitlisted`), `parts` (at least one `{starts_at, ends_at}`)",
            {"was_status", "parts"},
        ),
    ],
)
def test_the_payload_cell_reader_skips_the_comments(cell, expected):
    assert documented_fields(cell) == expected
