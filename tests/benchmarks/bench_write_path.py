"""Benchmark: the bookings write path in process — the `book` entrypoint through the real container.

    .venv/bin/python -m tests.benchmarks.bench_write_path [--bookings 300] [--slots 20] [--rounds 3] [--dir DIR]

The bookings service runs in this process (nameko ServiceContainer on a fresh RabbitMQ vhost,
its SQLite file under var/, outbox relay off so only the call is measured). Each call goes
through `container.spawn_worker`, as an RPC does once its message is read: every dependency's
worker_setup/teardown (correlation id, unit of work, connection release), the entrypoint, the
transaction with its fsync (synchronous=FULL), the outbox row and the log line, but no AMQP.
It also counts what reaches SQLite per booking (connections opened, statements run, for the
confirmed and the waitlisted ones apart), which machine noise does not move.
Slots fill up as the run goes (`--bookings` over `--slots` mixed slots of 15 places: the defaults
fill each exactly, all confirmed; `--slots 10` waitlists half), as they do under a load. Prints
per round the median and p90 wall time of one call, the median CPU time of one call
(time.process_time around it) and the process CPU per booking over the round; no pass/fail
(machines are noisy).
Profile it with py-spy (when installed):  py-spy record -o /tmp/profile.json --format speedscope -- \
    .venv/bin/python -m tests.benchmarks.bench_write_path
"""

import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
import eventlet

eventlet.monkey_patch()

import argparse
import logging
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import peewee
from eventlet.event import Event
from nameko.extensions import Entrypoint
from nameko.testing.utils import get_extension

import services  # noqa: F401
from shared import config, logs
from tests.benchmarks.figures import percentile
from tests.benchmarks.scenario import booking_requests, bookings_in_process


class Statements:
    """Counts what reaches SQLite: connections opened and statements run (PRAGMAs, BEGIN, COMMIT
    included): figures that machine noise does not move."""

    connections = statements = 0

    @classmethod
    def install(cls):
        connect = peewee.SqliteDatabase._connect

        def counting_connect(database):
            conn = connect(database)
            cls.connections += 1
            conn.set_trace_callback(cls._count)
            return conn

        peewee.SqliteDatabase._connect = counting_connect

    @classmethod
    def _count(cls, _statement):
        cls.statements += 1

    @classmethod
    def snapshot(cls):
        return cls.connections, cls.statements


def call(container, method, *args):
    """Run one entrypoint as a worker, as nameko does for an RPC message; its result or its error."""
    entrypoint = get_extension(container, Entrypoint, method_name=method)
    done = Event()

    def handle_result(worker_ctx, result, exc_info):
        done.send((result, exc_info))
        return result, exc_info

    container.spawn_worker(entrypoint, args, {}, context_data={}, handle_result=handle_result)
    result, exc_info = done.wait()
    if exc_info:
        raise exc_info[1]
    return result


def one_round(directory, count, slot_count):
    with bookings_in_process(directory) as (container, _cfg):
        requests_ = booking_requests(
            container, count, slot_count, capacity=40, age_group="mixed", staff_on_duty=3, avip_every=3
        )
        timings, cpus, statuses, by_status = [], [], {}, {}
        counted = Statements.snapshot()
        cpu_started = time.process_time()
        for family_id, data in requests_:
            before = Statements.statements
            started, cpu = time.perf_counter(), time.process_time()
            booking = call(container, "book", family_id, data)
            cpus.append((time.process_time() - cpu) * 1000)
            timings.append((time.perf_counter() - started) * 1000)
            statuses[booking["status"]] = statuses.get(booking["status"], 0) + 1
            by_status.setdefault(booking["status"], set()).add(Statements.statements - before)
        cpu_ms = (time.process_time() - cpu_started) * 1000 / count
        per_booking = [(after - before) / count for after, before in zip(Statements.snapshot(), counted, strict=True)]
    return timings, cpu_ms, statuses, per_booking, statistics.median(cpus), by_status


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=300)
    parser.add_argument("--slots", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None, help="where the database files go (default: var/)")
    args = parser.parse_args()
    Statements.install()
    logs.configure("bookings", "INFO")  # JSON lines as the service writes them
    logging.getLogger().handlers[0].stream = open("/dev/null", "w")  # kept for the run
    base = Path(tempfile.mkdtemp(prefix="bench-write-path-", dir=args.dir or config.var_dir()))
    medians, cpus, call_cpus = [], [], []
    try:
        print(f"bookings `book` in process (spawn_worker, SQLite under {base.parent}), {args.bookings} per round")
        for round_ in range(args.rounds):
            directory = base / str(round_)
            directory.mkdir()
            timings, cpu_ms, statuses, (connections, statements), call_cpu, by_status = one_round(
                directory, args.bookings, args.slots
            )
            medians.append(statistics.median(timings))
            cpus.append(cpu_ms)
            call_cpus.append(call_cpu)
            each = ", ".join(f"{status} {'/'.join(map(str, sorted(n)))}" for status, n in sorted(by_status.items()))
            print(
                f"  round {round_ + 1}: median {medians[-1]:6.2f} ms  p10 {percentile(timings, 10):6.2f} ms  "
                f"p90 {percentile(timings, 90):6.2f} ms  CPU {call_cpu:5.2f} ms/call (median), {cpu_ms:5.2f} "
                f"ms/booking  {connections:.2f} connections and {statements:.1f} SQL statements per booking "
                f"({each})  {statuses}"
            )
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print(
        f"median of round medians {statistics.median(medians):.2f} ms; CPU {statistics.median(call_cpus):.2f} ms/call "
        f"(median), {statistics.median(cpus):.2f} ms/booking"
    )


if __name__ == "__main__":
    main()
