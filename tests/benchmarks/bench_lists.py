"""List pages as the database grows (issue 8, "Lists"): GET /bookings at 1k / 10k / 100k bookings.

    python -m tests.benchmarks.bench_lists [--sizes 1000,10000,100000] [--calls 30] [--postgres]

For each size: a fresh bookings SQLite database seeded straight with peewee (list_data.seed), a
BookingsService container on a vhost of its own (relay off), and the gateway's Flask test client
on the same vhost. Measures the first page (limit 100) of `list_bookings` called in process
(entrypoint_hook: the service's own cost) and GET /api/v1/bookings through the gateway, as staff,
as the family holding nearly every booking and as a family with one in fifty, and the staff's
page 2 (cursor). Prints the SQLite query plans at the largest size (and PostgreSQL's EXPLAIN with
--postgres), one table of p50s with the ratio largest/smallest, and a last line
`BENCH_LISTS {json}` for `make bench`.
"""

import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
import eventlet

eventlet.monkey_patch()

import argparse
import json
import logging
import os
import tempfile
import time

from nameko.containers import ServiceContainer
from nameko.testing.services import entrypoint_hook

import services  # noqa: F401
from services.bookings import models
from services.bookings.childcare import store
from services.bookings.schemas import BookingQuery
from services.bookings.service import BookingsService
from shared import db, migrate
from shared.errors import load
from shared.timeutil import from_db
from tests.api import STAFF, STAFF_ENV
from tests.benchmarks.broker import amqp_uri, delete_vhost, make_vhost
from tests.benchmarks.figures import percentile
from tests.benchmarks.list_data import BIG, SMALL, seed


def measure(sizes, calls, work_dir):
    """{size: {case: [ms, ...]}}: one bookings service and one gateway, pointed at each size's
    database in turn, call after call (a noisy machine slows every size alike)."""
    databases = {}
    for size in sizes:
        migrate.migrate("bookings", f"sqlite:///{work_dir}/bookings-{size}.db")
        with models.database.connection_context():
            seed(size)
        databases[size] = models.database.obj
    gateway_url = f"sqlite:///{work_dir}/gateway.db"
    migrate.migrate("gateway", gateway_url)
    vhost = make_vhost("cocoon-bench-lists")
    config = {"AMQP_URI": amqp_uri(vhost), "OUTBOX_RELAY": "off"}
    container = ServiceContainer(
        BookingsService, dict(config, BOOKINGS_DATABASE_URL=f"sqlite:///{work_dir}/bookings-{sizes[0]}.db")
    )
    container.start()
    try:
        client, headers = _gateway(vhost, gateway_url)
        page_2 = {}
        for size in sizes:
            _point_at(databases[size])
            page_2[size] = client.get("/api/v1/bookings", headers=headers["staff"]).headers["X-Next-Cursor"]
        timings = {size: {} for size in sizes}
        with entrypoint_hook(container, "list_bookings") as list_bookings:
            for round_number in range(calls + 1):  # round 0 warms caches and connections
                for size in sizes:
                    _point_at(databases[size])
                    for case, call in _calls(list_bookings, client, headers, page_2[size]).items():
                        started = time.perf_counter()
                        call()
                        if round_number:
                            timings[size].setdefault(case, []).append((time.perf_counter() - started) * 1000)
        return timings
    finally:
        container.stop()
        delete_vhost(vhost)


def _point_at(database):
    """The bookings service reads `database` from now on. Its last worker gives its connection
    back after answering (worker teardown): wait for that, or it would give it to the new one."""
    previous = models.database.obj
    while previous is not None and previous._in_use:
        eventlet.sleep(0.001)
    models.database.initialize(database)


def _calls(list_bookings, client, headers, cursor):
    families = {"staff": None, "big family": BIG, "small family": SMALL}
    calls = {f"in process, {who}": lambda f=family_id: list_bookings({}, f) for who, family_id in families.items()}
    calls["in process, staff page 2"] = lambda: list_bookings({"cursor": cursor}, None)
    accounts = {"staff": "staff", "big family": "big", "small family": "small"}
    for who, account in accounts.items():
        calls[f"gateway, {who}"] = lambda a=account: _ok(client.get("/api/v1/bookings", headers=headers[a]))
    calls["gateway, staff page 2"] = lambda: _ok(
        client.get(f"/api/v1/bookings?cursor={cursor}", headers=headers["staff"])
    )
    return calls


def _gateway(vhost, gateway_url):
    from services.gateway import auth
    from services.gateway.app import create_app
    from services.gateway.models import database

    os.environ.update(STAFF_ENV)
    app = create_app({"AMQP_URI": amqp_uri(vhost), "GATEWAY_DATABASE_URL": gateway_url, "RPC_TIMEOUT": 30.0})
    with app.app_context(), database.connection_context():
        for name, family_id in (("big", BIG), ("small", SMALL)):
            auth.create_account(f"{name}@example.fr", STAFF["password"], "family", subject_id=family_id)
    client = app.test_client()
    emails = {"staff": STAFF["email"], "big": "big@example.fr", "small": "small@example.fr"}
    headers = {}
    for who, email in emails.items():
        token = client.post("/api/v1/auth/token", json={"email": email, "password": STAFF["password"]}).json["token"]
        headers[who] = {"Authorization": f"Bearer {token}"}
    return client, headers


def _ok(response):
    assert response.status_code == 200, response.json
    return response


def query_plans(ids, url=None):
    """{case: plan lines} of the list's first and second page (SQLite: EXPLAIN QUERY PLAN)."""
    statements = []

    class Capture(logging.Handler):
        def emit(self, record):
            statements.append(record.msg)

    if url:
        migrate.migrate("bookings", url)
    peewee_log = logging.getLogger("peewee")
    peewee_log.addHandler(capture := Capture())
    peewee_log.setLevel(logging.DEBUG)
    plans = {}
    postgres = db.is_postgres(models.database)
    explain = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
    try:
        with models.database.connection_context():
            if postgres:
                models.database.execute_sql("ANALYZE")
            first = load(BookingQuery(), {})
            for case, filters in {
                "staff": {},
                "big family": {"family_id": ids["big"]},
                "small family": {"family_id": ids["small"]},
                "status": {"status": "waitlisted"},
                "slot": {"slot_id": ids["slot"]},
                "date": {"day": ids["day"]},
            }.items():
                page = store.bookings(first, **filters)
                for label, query in ((case, first), (f"{case}, page 2", dict(first, cursor=page.next_cursor))):
                    if label.endswith("page 2") and not page.next_cursor:
                        continue
                    statements.clear()
                    store.bookings(query, **filters)
                    sql, params = statements[0]
                    rows = models.database.execute_sql(explain + sql, params).fetchall()
                    plans[label] = [row[0] if postgres else row[3] for row in rows]
    finally:
        peewee_log.removeHandler(capture)
    return plans


def _ids():
    """The families and a slot and day in the middle of the database models.database points at."""
    with models.database.connection_context():
        slots = models.ChildcareSlot.select().order_by(models.ChildcareSlot.starts_at)
        middle = slots.offset(slots.count() // 2).first()
    return {"big": BIG, "small": SMALL, "slot": middle.id, "day": from_db(middle.starts_at).date()}


def postgres_plans(size):
    import psycopg2

    admin_url = os.environ.get("COCOON_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    name = f"cocoon_bench_lists_{os.getpid()}"
    admin = psycopg2.connect(admin_url)
    admin.autocommit = True
    admin.cursor().execute(f"CREATE DATABASE {name}")
    try:
        url = admin_url.rsplit("/", 1)[0] + "/" + name
        migrate.migrate("bookings", url)
        with models.database.connection_context():
            seed(size)
        return query_plans(_ids(), url)
    finally:
        models.database.close_all() if hasattr(models.database, "close_all") else None
        admin.cursor().execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--postgres", action="store_true", help="also print PostgreSQL's plans at the largest size")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="cocoon-bench-lists-") as work_dir:
        timings = measure(sizes, args.calls, work_dir)
        p50s = {size: {case: percentile(values, 50) for case, values in timings[size].items()} for size in sizes}
        print(f"\nSQLite query plans at {sizes[-1]} bookings:")
        _print_plans(query_plans(_ids()))
    if args.postgres:
        print(f"\nPostgreSQL plans at {sizes[-1]} bookings (after ANALYZE):")
        _print_plans(postgres_plans(sizes[-1]))
    _print_table(sizes, p50s)
    print("BENCH_LISTS " + json.dumps({str(size): p50s[size] for size in sizes}))


def _print_plans(plans):
    for case, lines in plans.items():
        print(f"  {case}: " + " | ".join(line.strip() for line in lines))


def _print_table(sizes, p50s):
    first, last = sizes[0], sizes[-1]
    columns = " | ".join(f"{size:,}" for size in sizes)
    print(f"\n| GET /bookings, first page (limit 100), p50 | {columns} | {last:,} / {first:,} |")
    print("| --- |" + " ---: |" * (len(sizes) + 1))
    for case in p50s[first]:
        cells = " | ".join(f"{p50s[size][case]:.1f} ms" for size in sizes)
        print(f"| {case} | {cells} | {p50s[last][case] / p50s[first][case]:.2f} |")


if __name__ == "__main__":
    main()
