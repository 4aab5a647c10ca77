"""The floors, in process, each tree's own `python -m tests.benchmarks.in_process` run from that
tree: `book` through nameko's entrypoint_hook on SQLite, one RPC round trip to the tree's running
stack (bookings.health), the fee quote function alone."""

import json
import statistics
import subprocess

from tests.benchmarks import broker
from tests.benchmarks.figures import ms, percentile
from tests.benchmarks.progress import say
from tests.benchmarks.report import Line, ratio

MEASURES = (
    ("book", "floor: `book` in process (SQLite)"),
    ("health_rpc", "one RPC round trip (bookings.health)"),
    ("fee_quote", "fee quote, the function alone"),
)


def in_process(stack):
    """in_process.py's millisecond lists for the stack's tree, None when it failed."""
    vhost = broker.make_vhost()
    try:
        command = [stack.tree.python, "-m", "tests.benchmarks.in_process", "--db-dir", str(stack.var_dir)]
        command += ["--own-vhost", vhost, "--stack-vhost", stack.vhost]
        done = subprocess.run(command, cwd=stack.tree.path, capture_output=True, text=True, check=False)
    finally:
        broker.delete_vhost(vhost)
    if done.returncode:
        say(f"{stack.label}: in_process.py failed:\n{done.stderr[-2000:]}")
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def lines(stacks):
    """The rows, and each tree's `book` p50 in ms (the bookings rows compare with it)."""
    figures = {}
    for label, stack in stacks.items():
        say(f"{label}: floor, in process")
        figures[label] = in_process(stack)
    found = []
    for key, measure in MEASURES:
        cells, p50s = {}, {}
        for label, f in figures.items():
            samples = (f or {}).get(key)
            if not samples:
                cells[label] = "failed"
                continue
            p50s[label] = statistics.median(samples)
            cells[label] = f"p50 {ms(p50s[label])} · p99 {ms(percentile(samples, 99))} · n={len(samples)}"
        found.append(Line(measure, cells, ratio(p50s.get("baseline"), p50s.get("change"), "p50")))
    floors = {label: statistics.median(f["book"]) for label, f in figures.items() if f and f.get("book")}
    return found, floors
