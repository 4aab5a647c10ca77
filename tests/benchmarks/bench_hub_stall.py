"""Benchmark: how long eventlet's hub stalls when writers of one process meet on SQLite.

    .venv/bin/python -m tests.benchmarks.bench_hub_stall [--writers 8] [--hold 0.5] [--dir DIR]

One greenthread holds a write transaction while it waits on something else (`--hold` seconds of
green sleep: assign_trainee asking placements inside run_once's transaction); `--writers` others
each write one row meanwhile; a ticker greenthread notes the longest gap between its 10 ms ticks.
Run twice: with the database make_database gives (the process's green writer lock, short busy
timeout), and with a plain pooled SQLite database on a 5 s busy timeout (the code before it).
Prints the longest stall and how many writes failed; no pass/fail.
"""

import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
import eventlet  # noqa: E402

eventlet.monkey_patch()

import argparse  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from peewee import CharField, Model, OperationalError  # noqa: E402
from playhouse.pool import PooledSqliteDatabase  # noqa: E402

from shared.db import SQLITE_PRAGMAS, make_database  # noqa: E402


def run(database, writers, hold):
    class Row(Model):
        name = CharField()

        class Meta:
            table_name = "row"

    Row._meta.set_database(database)
    database.create_tables([Row])
    stall, failures, stop = [0.0], [], []

    def ticker():
        last = time.monotonic()
        while not stop:
            eventlet.sleep(0.01)
            now = time.monotonic()
            stall[0] = max(stall[0], now - last - 0.01)
            last = now

    def holder():
        with database.atomic("IMMEDIATE"):
            Row.create(name="holder")
            eventlet.sleep(hold)  # an RPC answered by another greenthread of the process

    def writer(number):
        try:
            with database.atomic("IMMEDIATE"):
                Row.create(name=f"writer {number}")
        except OperationalError as exc:
            failures.append(str(exc))
        finally:
            database.close()

    tick = eventlet.spawn(ticker)
    held = eventlet.spawn(holder)
    eventlet.sleep(0.05)  # the holder has its transaction open
    pool = [eventlet.spawn(writer, n) for n in range(writers)]
    for thread in [held, *pool]:
        thread.wait()
    stop.append(True)
    tick.wait()
    return stall[0], failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--hold", type=float, default=0.5)
    parser.add_argument("--dir", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as directory:
        now = make_database(f"sqlite:///{Path(directory) / 'now.db'}", pool_size=args.writers + 2)
        before = PooledSqliteDatabase(
            str(Path(directory) / "before.db"), pragmas=SQLITE_PRAGMAS, max_connections=args.writers + 2
        )
        for label, database in (("green writer lock", now), ("busy wait in C (before)", before)):
            stall, failures = run(database, args.writers, args.hold)
            print(f"{label:<26} longest hub stall {stall * 1000:7.0f} ms, {len(failures)}/{args.writers} writes failed")


if __name__ == "__main__":
    main()
