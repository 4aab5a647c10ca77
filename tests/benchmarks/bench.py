"""`make bench`: the system as `make run` starts it, from a baseline commit and from the working
tree, side by side in one run; prints one table and writes it into docs/performance.md.

    .venv/bin/python -m tests.benchmarks.bench [--only floor,fees,bookings,events,lists,postgres,idle]
        [--baseline 8d2cb3e|REF|none] [--processes each|one] [--seconds 10] [--connections 1,8,32]
        [--list-sizes 1000,10000,100000] [--events 30] [--postgres URL] [--keep] [--no-write]

The baseline (BENCH_BASELINE, else 8d2cb3e: main when the second performance pass began) is
checked out in a git worktree under var/ (trees.py). Each tree gets stacks of its own, started
from its own directory (stacks.py: `make migrate`, then the Procfile under shared/supervisor.py),
and at each point the baseline is measured, then the change, so the machine's noise falls on
both alike. wrk (C) drives the gateways; the CPU of every process of a stack is read from /proc.
Phases (phases/*.py):
- floor: `book` in process on SQLite, one RPC round trip, the fee function (each tree's in_process.py);
- fees: GET /api/v1/fees/quote at each connection count next to a bare nameko + Flask stack
  (bare_stack/), their ratio, CPU per request; GET /healthz at 1;
- bookings: POST /api/v1/bookings at each connection count, CPU per booking, the overbooking check;
- events: an activity reaching a volunteer's GET /opportunities (and the volunteers' row), a
  booking reaching the family's GET /notifications: idle, then under the booking load;
- lists: GET /api/v1/bookings as staff at each size (stacks of their own);
- postgres: the largest booking load on PostgreSQL with one then two bookings instances;
- idle: memory (RSS, PSS) of every process and AMQP connections of an idle venue, also in the
  one-process packaging where the tree has Procfile.one.
Figures only, no pass/fail (docs/performance.md has the targets). Needs RabbitMQ with its
management plugin, PostgreSQL for the postgres phase (as `make test`), and wrk.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from shared import config
from tests.benchmarks import report, trees
from tests.benchmarks.bare_stack import running_bare
from tests.benchmarks.phases import bookings, events, fees, floor, idle, lists, postgres
from tests.benchmarks.progress import say
from tests.benchmarks.stacks import ONE_PROCESS, running_stack
from tests.support import REPO

PHASES = ("floor", "fees", "bookings", "events", "lists", "postgres", "idle")
ALIASES = {"propagation": "events"}
ON_THE_MAIN_STACKS = ("floor", "fees", "bookings", "events")
WRK_HELP = "wrk est introuvable (wrk not found): `sudo apt-get install -y wrk` (Debian/Ubuntu), `brew install wrk`."
DOC = REPO / "docs" / "performance.md"


def arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(PHASES), help=f"comma-separated among {', '.join(PHASES)}")
    parser.add_argument(
        "--baseline",
        default=config.env("BENCH_BASELINE", trees.DEFAULT_BASELINE),
        help="the commit measured next to the working tree (BENCH_BASELINE; `none`: the working tree alone)",
    )
    parser.add_argument(
        "--processes",
        choices=("each", ONE_PROCESS),
        default="each",
        help="`one`: every stack with COCOON_PROCESSES=one and Procfile.one where its tree has one",
    )
    parser.add_argument("--seconds", type=int, default=10, help="wrk's duration per point")
    parser.add_argument("--connections", default="1,8,32")
    parser.add_argument("--list-sizes", default="1000,10000,100000")
    parser.add_argument("--events", type=int, default=30, help="activities (and bookings) per events measure")
    parser.add_argument(
        "--postgres",
        default=config.env("COCOON_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"),
        help="admin URL of a PostgreSQL server (databases are created and dropped)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the stacks' directories and the baseline worktree")
    parser.add_argument("--no-write", action="store_true", help=f"print only, leave {DOC.relative_to(REPO)} as it is")
    args = parser.parse_args(argv)
    args.phases = [ALIASES.get(p.strip(), p.strip()) for p in args.only.split(",") if p.strip()]
    unknown = sorted(set(args.phases) - set(PHASES))
    if unknown:
        parser.error(f"unknown phase(s) {', '.join(unknown)}: choose among {', '.join(PHASES)}")
    args.connection_counts = [int(c) for c in args.connections.split(",")]
    args.packaging = ONE_PROCESS if args.processes == ONE_PROCESS else None
    return args


def main(argv=None):
    args = arguments(argv)
    if not shutil.which("wrk"):
        print(WRK_HELP, file=sys.stderr)
        return 1
    workdir = Path(tempfile.mkdtemp(prefix="bench-", dir=config.var_dir()))
    started, load_before = time.monotonic(), os.getloadavg()[0]
    with ExitStack() as cleanup:
        cleanup.callback(_clean, workdir, args.keep)
        measured = [trees.working_tree()]
        if args.baseline.lower() != "none":
            measured.insert(0, cleanup.enter_context(trees.baseline_tree(args.baseline, config.var_dir(), args.keep)))
        lines, tables = run_phases(measured, args, workdir)
    head = report.header(measured, time.monotonic() - started, load_before, os.getloadavg()[0], report.machine())
    body = report.latest_section(head, [report.render(lines, measured), *tables], notes(args))
    print(body)
    if not args.no_write:
        report.write_latest(DOC, body)
        say(f"written into {DOC.relative_to(REPO)}, section {report.LATEST!r}")
    return 0


def _clean(workdir, keep):
    if keep:
        say(f"kept {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)


def notes(args):
    found = [f"Phases: {', '.join(args.phases)}; {args.seconds} s of wrk per point; connections {args.connections}."]
    if args.packaging:
        found.append(
            "Every stack started with COCOON_PROCESSES=one and Procfile.one where its tree has one (else its Procfile)."
        )
    return found


def run_phases(measured, args, workdir):
    lines, tables, phases = [], [], args.phases
    if set(ON_THE_MAIN_STACKS) & set(phases):
        with ExitStack() as running:
            stacks = {
                t.label: running.enter_context(running_stack(t, workdir, f"main-{t.label}", packaging=args.packaging))
                for t in measured
            }
            lines += main_stack_lines(stacks, running, args, workdir)
    if "lists" in phases:
        with ExitStack() as running:
            stacks = {t.label: running.enter_context(running_stack(t, workdir, f"lists-{t.label}")) for t in measured}
            lines += lists.lines(stacks, [int(s) for s in args.list_sizes.split(",")])
    if "postgres" in phases:
        lines += postgres.lines(
            measured, workdir, args.postgres, max(args.connection_counts), args.seconds, args.packaging
        )
    if "idle" in phases:
        found, table = idle.lines(measured, workdir, args.packaging)
        lines += found
        tables.append("Idle venue, per process (RSS, and PSS in brackets):\n\n" + table)
    return lines, tables


def main_stack_lines(stacks, running, args, workdir):
    """floor, fees, bookings and events, in this order, on one stack per tree (both running)."""
    lines, floors, phases, counts = [], None, args.phases, args.connection_counts
    if "floor" in phases:
        found, floors = floor.lines(stacks)
        lines += found
    if "fees" in phases:
        bare = running.enter_context(running_bare(workdir))
        lines += fees.lines(stacks, bare, counts, args.seconds)
    if "bookings" in phases:
        lines += bookings.lines(stacks, counts, args.seconds, floors)
    if "events" in phases:
        lines += events.lines(stacks, args.events, max(counts), args.seconds)
    return lines


if __name__ == "__main__":
    sys.exit(main())
