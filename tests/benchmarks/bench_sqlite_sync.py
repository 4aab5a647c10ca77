"""Benchmark: what SQLite's synchronous=FULL costs against NORMAL (WAL mode) on this machine's disk.

    .venv/bin/python -m tests.benchmarks.bench_sqlite_sync [--writes 500] [--bookings 200] [--rounds 2] [--dir DIR]

Two measures, each in both modes, in alternating rounds on fresh database files:
- one write transaction as a command makes it (BEGIN IMMEDIATE, one row, one outbox row with the
  envelope, COMMIT), on an open connection: the raw cost of syncing the WAL at each commit;
- the bookings service's `book` RPC end to end (the real service in this process on a fresh
  RabbitMQ vhost, called through a nameko RPC proxy; outbox relay off so only the call's own
  commit is timed): what a caller sees.
Prints medians, p90 and the FULL/NORMAL ratios; no pass/fail (machines are noisy). The files go
under var/ by default: a tmpfs (often /tmp) ignores fsync and would show no difference.
Needs RabbitMQ with its management plugin for the second measure (as `make test` does).
"""

import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
import eventlet

eventlet.monkey_patch()

import argparse
import shutil
import statistics
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

from nameko.standalone.rpc import ClusterRpcProxy
from peewee import CharField, DatabaseProxy, Model

import services  # noqa: F401
from services.bookings import models as bookings_models
from shared import config, db
from shared.inbox import inbox_model
from shared.outbox import outbox_model
from shared.timeutil import VENUE_TZ
from shared.unit_of_work import Work
from tests.benchmarks.figures import percentile
from tests.benchmarks.scenario import booking_requests, bookings_in_process

MODES = ("normal", "full")

bench_database = DatabaseProxy()


class Note(Model):
    text = CharField()

    class Meta:
        database = bench_database


Outbox = outbox_model(bench_database)
Inbox = inbox_model(bench_database)


def use_mode(mode):
    """Every SQLite database made from now on uses this `synchronous` mode (checked on the file)."""
    db.SQLITE_PRAGMAS["synchronous"] = mode


def checked_mode(database):
    return {0: "off", 1: "normal", 2: "full", 3: "extra"}[database.execute_sql("PRAGMA synchronous").fetchone()[0]]


def write_transactions(directory, count):
    """Milliseconds per transaction: one row and one outbox row, BEGIN IMMEDIATE … COMMIT."""
    bench_database.initialize(db.make_database(f"sqlite:///{directory / 'writes.db'}"))
    with bench_database.connection_context():
        bench_database.create_tables([Note, Outbox, Inbox])
        mode = checked_mode(bench_database)
        work = Work(bench_database, Outbox, Inbox, "bench-sqlite-sync")
        timings = []
        for i in range(count):
            started = time.perf_counter()
            with work.atomic(exclusive=True):
                Note.create(text=f"note {i}")
                work.emit(
                    "bookings.child_checked_in",
                    {"booking_id": str(uuid.uuid4()), "child_id": str(i), "at": datetime.now(VENUE_TZ).isoformat()},
                )
            timings.append((time.perf_counter() - started) * 1000)
            work.emitted.clear()
    return mode, timings


def booking_calls(directory, count):
    """Milliseconds per `book` RPC, called one after another (each for a new child)."""
    with bookings_in_process(directory) as (_container, cfg):
        with ClusterRpcProxy(cfg, timeout=60) as rpc:
            requests_ = booking_requests(rpc.bookings, count, capacity=12)
            timings = []
            for family_id, data in requests_:
                started = time.perf_counter()
                rpc.bookings.book(family_id, data)
                timings.append((time.perf_counter() - started) * 1000)
        with bookings_models.database.connection_context():  # the database the service was bound to
            mode = checked_mode(bookings_models.database)
    return mode, timings


def report(title, samples):
    medians = {}
    for mode in MODES:
        values = samples[mode]
        medians[mode] = statistics.median(values)
        print(
            f"  {mode.upper():6} n={len(values):4}  median {medians[mode]:7.2f} ms  "
            f"p90 {percentile(values, 90):7.2f} ms  ({1000 / medians[mode]:.0f}/s one after another)"
        )
    print(
        f"  FULL / NORMAL: median x{medians['full'] / medians['normal']:.2f}, "
        f"{medians['full'] - medians['normal']:+.2f} ms per {title}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=500)
    parser.add_argument("--bookings", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2, help="alternating NORMAL/FULL rounds of each measure")
    parser.add_argument("--dir", type=Path, default=None, help="where the database files go (default: var/)")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="bench-sqlite-sync-", dir=args.dir or config.var_dir()))
    original = db.SQLITE_PRAGMAS["synchronous"]
    writes = {mode: [] for mode in MODES}
    calls = {mode: [] for mode in MODES}
    try:
        for round_ in range(args.rounds):
            for mode in MODES:
                use_mode(mode)
                directory = base / f"{mode}-{round_}"
                directory.mkdir()
                checked, timings = write_transactions(directory, args.writes)
                assert checked == mode, (checked, mode)
                writes[mode] += timings
                if args.bookings:
                    checked, timings = booking_calls(directory, args.bookings)
                    assert checked == mode, (checked, mode)
                    calls[mode] += timings
    finally:
        use_mode(original)
        shutil.rmtree(base, ignore_errors=True)
    print(f"SQLite synchronous NORMAL vs FULL (WAL), files under {base.parent}, {args.rounds} rounds")
    print(f"write transaction (BEGIN IMMEDIATE, 1 row + 1 outbox row, COMMIT), {args.writes} per round:")
    report("transaction", writes)
    if args.bookings:
        print(f"bookings `book` RPC end to end (RabbitMQ round trip included), {args.bookings} per round:")
        report("booking", calls)


if __name__ == "__main__":
    main()
