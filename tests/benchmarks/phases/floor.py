"""The floors, in process: the working tree's tests/benchmarks/in_process.py run from each tree
(its directory first on sys.path, so the services, the factories and the helpers it imports are
that tree's): `book` through nameko's entrypoint_hook on SQLite, one RPC round trip to the tree's
running stack (bookings.health), the fee quote function alone."""

import json
import os
import statistics
import subprocess
from pathlib import Path

from tests.benchmarks import broker
from tests.benchmarks.figures import ms, percentile
from tests.benchmarks.progress import say
from tests.benchmarks.report import Line, ratio

IN_PROCESS = Path(__file__).resolve().parent.parent / "in_process.py"
MEASURES = (
    ("book", "floor: `book` in process (SQLite)"),
    ("health_rpc", "one RPC round trip (bookings.health)"),
    ("fee_quote", "fee quote, the function alone"),
)


def in_process(stack):
    """in_process.py's millisecond lists for the stack's tree, else the last line of its error."""
    vhost = broker.make_vhost()
    try:
        command = [stack.tree.python, "-P", str(IN_PROCESS), "--db-dir", str(stack.var_dir)]
        command += ["--own-vhost", vhost, "--stack-vhost", stack.vhost]
        env = dict(os.environ, PYTHONPATH=str(stack.tree.path))
        done = subprocess.run(command, cwd=stack.tree.path, env=env, capture_output=True, text=True, check=False)
    finally:
        broker.delete_vhost(vhost)
    if done.returncode:
        say(f"{stack.label}: in_process.py failed:\n{done.stderr[-2000:]}")
        return (done.stderr.strip().splitlines() or ["?"])[-1][:100]
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
            if isinstance(f, str):
                cells[label] = f"failed: {f}"
                continue
            samples = f[key]
            p50s[label] = statistics.median(samples)
            cells[label] = f"p50 {ms(p50s[label])} · p99 {ms(percentile(samples, 99))} · n={len(samples)}"
        found.append(Line(measure, cells, ratio(p50s.get("baseline"), p50s.get("change"), "p50")))
    floors = {label: statistics.median(f["book"]) for label, f in figures.items() if isinstance(f, dict)}
    return found, floors
