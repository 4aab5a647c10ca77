"""POST /api/v1/bookings at each connection count, every request a new slot/child pair, with
the CPU every process of the stack spent per successful booking; then the overbooking check."""

import uuid

from tests.benchmarks import seeding
from tests.benchmarks.load import LINES_PER_SECOND, run_wrk
from tests.benchmarks.progress import say
from tests.benchmarks.report import Line, cpu_line, ratio, wrk_line


def booking_load(stack, connections, seconds):
    lines = seeding.prepare_bookings(
        stack, stack.var_dir / f"bookings-{connections}-{uuid.uuid4().hex[:6]}.tsv", LINES_PER_SECOND * seconds
    )
    return run_wrk(stack, "/api/v1/bookings", connections, seconds, lines)


def over_floor(results, floors):
    """The gateway's p50 at 1 connection ÷ the in-process `book` p50, per tree."""
    values = {
        label: results[label]["p50"] / floors[label] for label in results if floors.get(label) and results.get(label)
    }
    cells = {label: f"×{v:.1f}" for label, v in values.items()}
    return Line(
        "bookings p50 at 1 conn ÷ `book` in process", cells, ratio(values.get("baseline"), values.get("change"))
    )


def lines(stacks, connections, seconds, floors=None):
    found = []
    for c in connections:
        results = {}
        for label, stack in stacks.items():
            say(f"{label}: bookings at {c} connection(s)")
            results[label] = booking_load(stack, c, seconds)
        found.append(wrk_line(f"bookings POST /api/v1/bookings, {c} conn", results))
        if c == 1 and floors:
            found.append(over_floor(results, floors))
        if c == max(connections):
            found.append(
                cpu_line(
                    f"CPU per booking, {c} conn (target: change ≤ ½ baseline)",
                    results,
                    "every process of the stack (not the broker), events set off included, per 2xx",
                )
            )
    checks = {label: seeding.overbooked_slots(stack) for label, stack in stacks.items()}
    cells = {label: f"{over} overbooked; {statuses}" for label, (over, statuses) in checks.items()}
    found.append(Line("bookings on SQLite: overbooked slots", cells))
    return found
