"""Benchmark: event propagation, commit -> effect in another service, idle and under a booking load.

    .venv/bin/python tests/benchmarks/bench_propagation.py [--connections 32] [--seconds 20]
                     [--every 0.5] [--idle 30] [--json]

Starts bookings and volunteers as `make run` does (one `python -m shared.run_service` process
each, SQLite files, logs at INFO) on a fresh RabbitMQ vhost and a temporary directory. Then:
- idle: schedules `--idle` activities, one every `--every` seconds, nothing else running;
- load: `--connections` callers book (a new slot/child pair each call, through
  ClusterRpcProxy) for `--seconds` seconds while an activity is scheduled every `--every` s.
Each activity is timed from the return of its `schedule_activity` RPC (its commit) to its
Opportunity row in volunteers' database; one that is not there 30 s later counts as missed.
Prints one line per phase (p50, p99, max, arrived within 30 s) and, with --json, a JSON line
per phase for `make bench` to fold into its table. No pass/fail: machines are noisy.
Needs RabbitMQ with its management plugin (as `make test` does).
"""

import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
import eventlet

eventlet.monkey_patch()

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

from nameko.standalone.rpc import ClusterRpcProxy

import services  # noqa: F401
from services.volunteers import models as volunteers_models
from shared import components, db, migrate
from shared.timeutil import VENUE_TZ
from tests.benchmarks.broker import delete_vhost, make_vhost
from tests.benchmarks.figures import percentile

REPO = Path(__file__).resolve().parents[2]
ARRIVAL_DEADLINE = 30.0
# the producer and the consumer of `bookings.activity_scheduled`, as the component list starts them
SERVICES = {name: components.named(name).target for name in ("bookings", "volunteers")}


def start_services(env, log_dir):
    processes = []
    for name, target in SERVICES.items():
        log = open(log_dir / f"{name}.log", "w")  # closed with the process
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "shared.run_service", target],
                cwd=REPO,
                env={**env, "COCOON_SERVICE_NAME": name},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    return processes


def wait_until_up(rpc):
    deadline = time.monotonic() + 60
    while True:
        try:
            rpc.bookings.list_rooms()
            rpc.volunteers.health()
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            eventlet.sleep(0.5)


class ArrivalWatch:
    """Polls volunteers' database for the Opportunity of each pending activity (every 5 ms)."""

    def __init__(self):
        self.committed = {}  # activity id -> perf_counter at the RPC's return
        self.arrived = {}  # activity id -> seconds from commit to the row
        self._stopped = False
        self._thread = eventlet.spawn(self._run)

    def _run(self):
        opportunity = volunteers_models.Opportunity
        while not self._stopped:
            pending = [a for a in self.committed if a not in self.arrived]
            if pending:
                with volunteers_models.database.connection_context():
                    found = [
                        row.activity_id
                        for row in opportunity.select(opportunity.activity_id).where(
                            opportunity.activity_id.in_(pending)
                        )
                    ]
                now = time.perf_counter()
                for activity_id in found:
                    self.arrived[activity_id] = now - self.committed[activity_id]
            eventlet.sleep(0.005)

    def settle(self, timeout=ARRIVAL_DEADLINE):
        deadline = time.monotonic() + timeout
        while len(self.arrived) < len(self.committed) and time.monotonic() < deadline:
            eventlet.sleep(0.05)

    def stop(self):
        self._stopped = True
        self._thread.wait()


def schedule_activities(rpc, watch, room_id, count, every, first_day, stop=None):
    for i in range(count):
        if stop is not None and stop():
            break
        begun = time.perf_counter()
        starts_at = datetime.combine(first_day + timedelta(days=i), clock(9), tzinfo=VENUE_TZ)
        activity = rpc.bookings.schedule_activity(
            {
                "title": f"Atelier {i}",
                "kind": "music",
                "room_id": room_id,
                "starts_at": starts_at.isoformat(),
                "ends_at": (starts_at + timedelta(hours=1)).isoformat(),
                "children_capacity": 0,  # no child: no lead professional to name (what is timed is the event)
                "volunteer_slots": 2,
                "trainee_slots": 1,
            }
        )
        watch.committed[activity["id"]] = time.perf_counter()
        eventlet.sleep(max(0.0, every - (time.perf_counter() - begun)))


def prepare_bookings(rpc, callers, slots_count):
    """One family with a walking child per caller, and `slots_count` slots at distinct times: caller
    i books child i on slot 0, 1, 2… so every call is a new slot/child pair."""
    room = rpc.bookings.create_room({"name": "Crèche d'essai", "kind": "childcare", "capacity": 12})
    first_day = date.today() + timedelta(days=7)
    slots = [
        reply.result()["id"]
        for reply in [
            rpc.bookings.create_slot.call_async(
                {
                    "room_id": room["id"],
                    "age_group": "walking",
                    "staff_on_duty": 2,
                    "starts_at": datetime.combine(
                        first_day + timedelta(days=i // 5), clock(8 + 2 * (i % 5)), tzinfo=VENUE_TZ
                    ).isoformat(),
                    "ends_at": datetime.combine(
                        first_day + timedelta(days=i // 5), clock(9 + 2 * (i % 5)), tzinfo=VENUE_TZ
                    ).isoformat(),
                }
            )
            for i in range(slots_count)
        ]
    ]
    family = rpc.bookings.register_family(
        {
            "email": f"bench-{uuid.uuid4().hex[:6]}@example.fr",
            "monthly_resources": "3000",
            "dependent_children": 1,
            "job_seeker": False,
            "guardians": [{"first_name": "A", "last_name": "B", "phone": "0601020304"}],
        }
    )
    children = [
        reply.result()["id"]
        for reply in [
            rpc.bookings.add_child.call_async(family["id"], {"first_name": f"E{i}", "birth_date": "2024-01-15"})
            for i in range(callers)
        ]
    ]
    return family["id"], slots, children


def booking_load(config, family_id, slots, children, seconds):
    """Callers book until `seconds` have passed (or their slots run out): (count, errors, seconds).
    Each caller has its own proxy: one proxy's reply queue is read by one greenthread at a time."""
    ends = time.monotonic() + seconds
    done, errors = [0], [0]

    def caller(child_id):
        with ClusterRpcProxy(config, timeout=120) as rpc:
            for slot_id in slots:
                if time.monotonic() >= ends:
                    return
                try:
                    rpc.bookings.book(family_id, {"slot_id": slot_id, "child_id": child_id})
                    done[0] += 1
                except Exception:
                    errors[0] += 1

    started = time.monotonic()
    threads = [eventlet.spawn(caller, child_id) for child_id in children]
    for thread in threads:
        thread.wait()
    return done[0], errors[0], time.monotonic() - started


def summary(label, watch, extra=""):
    latencies = [watch.arrived[a] * 1000 for a in watch.committed if a in watch.arrived]
    within = sum(1 for ms in latencies if ms <= ARRIVAL_DEADLINE * 1000)
    figures = {
        "phase": label,
        "activities": len(watch.committed),
        "arrived_within_30s": within,
        "p50_ms": round(percentile(latencies, 50), 1) if latencies else None,
        "p99_ms": round(percentile(latencies, 99), 1) if latencies else None,
        "max_ms": round(max(latencies), 1) if latencies else None,
    }
    print(
        f"propagation {label:<5} {within}/{len(watch.committed)} arrived within 30 s, "
        f"p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms, max {figures['max_ms']} ms {extra}",
        flush=True,
    )
    return figures


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=32, help="concurrent booking callers")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the booking load")
    parser.add_argument("--every", type=float, default=0.5, help="seconds between two activities")
    parser.add_argument("--idle", type=int, default=30, help="activities scheduled with nothing else running")
    parser.add_argument("--json", action="store_true", help="also print one JSON line per phase")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (service logs)")
    return parser.parse_args()


def services_environment(tmp, amqp_uri):
    """The services' databases migrated in `tmp` (volunteers' bound here, to watch it), and their environment."""
    urls = {name: f"sqlite:///{tmp}/{name}.db" for name in SERVICES}
    for name, url in urls.items():
        migrate.migrate(name, url)
    db.bind(volunteers_models.database, "volunteers", urls["volunteers"])
    return {
        **os.environ,
        "AMQP_URI": amqp_uri,
        "COCOON_VAR_DIR": str(tmp),
        **{f"{name.upper()}_DATABASE_URL": url for name, url in urls.items()},
    }


def idle_phase(probe, room_id, args, first_day):
    idle = ArrivalWatch()
    schedule_activities(probe, idle, room_id, args.idle, args.every, first_day)
    idle.settle()
    idle.stop()
    return summary("idle", idle)


def load_phase(rpc, probe, config, room_id, args, first_day):
    """Activities scheduled every `args.every` s while `args.connections` callers book."""
    slots_needed = int(args.seconds * 400 / max(1, args.connections)) + 10  # well above the rate
    family_id, slots, children = prepare_bookings(rpc, args.connections, slots_needed)
    loaded = ArrivalWatch()
    load_over = [False]
    scheduler = eventlet.spawn(
        schedule_activities,
        probe,
        loaded,
        room_id,
        int(args.seconds / args.every),
        args.every,
        first_day,
        lambda: load_over[0],
    )
    count, errors, seconds = booking_load(config, family_id, slots, children, args.seconds)
    load_over[0] = True
    scheduler.wait()
    loaded.settle()
    loaded.stop()
    figures = summary(
        "load",
        loaded,
        f"(during {count} bookings by {args.connections} callers in {seconds:.1f} s, "
        f"{count / seconds:.0f}/s, {errors} errors)",
    )
    figures.update(bookings=count, booking_errors=errors, booking_rate=round(count / seconds, 1))
    return figures


def stop_services(processes):
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def main():
    args = arguments()
    tmp = Path(tempfile.mkdtemp(prefix="cocoon-bench-propagation-"))
    vhost = make_vhost()
    amqp_uri = f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    processes = start_services(services_environment(tmp, amqp_uri), tmp)
    results = []
    try:
        config = {"AMQP_URI": amqp_uri}
        with ClusterRpcProxy(config, timeout=120) as rpc, ClusterRpcProxy(config, timeout=120) as probe:
            wait_until_up(rpc)
            workshop = probe.bookings.create_room({"name": "Atelier d'essai", "kind": "workshop", "capacity": 20})
            first_day = date.today() + timedelta(days=400)
            results.append(idle_phase(probe, workshop["id"], args, first_day))
            results.append(
                load_phase(rpc, probe, config, workshop["id"], args, first_day + timedelta(days=args.idle + 1))
            )
    finally:
        stop_services(processes)
        delete_vhost(vhost)
        if args.keep:
            print(f"service logs in {tmp}", flush=True)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        for figures in results:
            print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
