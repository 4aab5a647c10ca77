"""Benchmark: event latency through the outbox, and booking throughput under contention.

    .venv/bin/python -m tests.benchmarks.bench_delivery [--events 50] [--bookings 200] [--postgres URL]

Runs the real services in this process (nameko containers) on a fresh RabbitMQ vhost and
fresh databases, prints figures (medians and percentiles; no pass/fail: machines are noisy).
Needs RabbitMQ with its management plugin (as `make test` does).
"""

import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
import eventlet

eventlet.monkey_patch()

import argparse
import statistics
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from datetime import time as clock

from nameko.containers import ServiceContainer
from nameko.standalone.rpc import ClusterRpcProxy

import services  # noqa: F401
from services.bookings.service import BookingsService
from services.volunteers import models as volunteers_models
from services.volunteers.service import VolunteersService
from shared import migrate
from shared.timeutil import VENUE_TZ
from tests.benchmarks.broker import delete_vhost, make_vhost
from tests.benchmarks.figures import percentile
from tests.benchmarks.scenario import booking_requests


def start(config):
    containers = [ServiceContainer(cls, config) for cls in (BookingsService, VolunteersService)]
    for container in containers:
        container.start()
    return containers


def event_latency(rpc, count):
    """Seconds from the RPC that commits an activity to the moment the volunteers service has stored it."""
    room = rpc.bookings.create_room({"name": "Banc d'essai", "kind": "workshop", "capacity": 20})
    day = date.today() + timedelta(days=30)
    latencies = []
    for i in range(count):
        start_at = datetime.combine(day + timedelta(days=i), clock(9), tzinfo=VENUE_TZ)
        activity = rpc.bookings.schedule_activity(
            {
                "title": f"Atelier {i}",
                "kind": "music",
                "room_id": room["id"],
                "starts_at": start_at.isoformat(),
                "ends_at": (start_at + timedelta(hours=1)).isoformat(),
                "children_capacity": 0,  # no child: no lead professional to name (what is timed is the event)
                "volunteer_slots": 2,
                "trainee_slots": 1,
            }
        )
        committed = time.perf_counter()
        while True:
            with volunteers_models.database.connection_context():
                if volunteers_models.Opportunity.get_or_none(
                    volunteers_models.Opportunity.activity_id == activity["id"]
                ):
                    break
            eventlet.sleep(0.001)
        latencies.append(time.perf_counter() - committed)
    return latencies


def booking_throughput(rpc, count):
    """`count` families book one of 4 slots of 3 places, all at once: seconds and outcome."""
    requests_ = booking_requests(rpc.bookings, count)
    started = time.perf_counter()
    replies = [rpc.bookings.book.call_async(fid, data) for fid, data in requests_]
    statuses = [reply.result()["status"] for reply in replies]
    return time.perf_counter() - started, statuses.count("confirmed"), statuses.count("waitlisted")


def run(label, urls, vhost, events, bookings):
    for component, url in urls.items():
        migrate.migrate(component, url)
    config = {
        "AMQP_URI": f"amqp://guest:guest@127.0.0.1:5672/{vhost}",
        "max_workers": 20,
        "OUTBOX_SWEEP_SECONDS": 5,
        **{f"{c.upper()}_DATABASE_URL": u for c, u in urls.items()},
    }
    containers = start(config)
    try:
        with ClusterRpcProxy(config, timeout=120) as rpc:
            latencies = event_latency(rpc, events)
            seconds, confirmed, waitlisted = booking_throughput(rpc, bookings)
    finally:
        for container in containers:
            container.stop()
    ms = [x * 1000 for x in latencies]
    print(
        f"[{label}] event latency over {events} activities (commit -> stored by volunteers): "
        f"median {statistics.median(ms):.1f} ms, p90 {percentile(ms, 90):.1f} ms, max {max(ms):.1f} ms"
    )
    print(
        f"[{label}] {bookings} concurrent bookings on 4 slots x 3 places: {seconds:.2f} s "
        f"({bookings / seconds:.0f} bookings/s), {confirmed} confirmed, {waitlisted} waitlisted"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50)
    parser.add_argument("--bookings", type=int, default=200)
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server: also run on it (new databases)")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="cocoon-bench-")
    vhost = make_vhost()
    try:
        run(
            "sqlite",
            {c: f"sqlite:///{tmp}/{c}.db" for c in ("bookings", "volunteers")},
            vhost,
            args.events,
            args.bookings,
        )
        if args.postgres:
            import psycopg2

            admin = psycopg2.connect(args.postgres)
            admin.autocommit = True
            names = {c: f"cocoon_bench_{c}_{uuid.uuid4().hex[:6]}" for c in ("bookings", "volunteers")}
            with admin.cursor() as cur:
                for name in names.values():
                    cur.execute(f'CREATE DATABASE "{name}"')
            base = args.postgres.rsplit("/", 1)[0]
            vhost2 = make_vhost()
            try:
                run("postgresql", {c: f"{base}/{n}" for c, n in names.items()}, vhost2, args.events, args.bookings)
            finally:
                delete_vhost(vhost2)
                from services.bookings import models as bookings_models

                for module in (bookings_models, volunteers_models):
                    module.database.obj.close_all()
                with admin.cursor() as cur:
                    for name in names.values():
                        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        delete_vhost(vhost)


if __name__ == "__main__":
    main()
