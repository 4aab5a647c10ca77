"""`make bench`: the system as `make run` starts it, loaded by wrk; prints one table.

    .venv/bin/python -m tests.benchmarks.bench [--only floor,fees,bookings,propagation,lists,postgres]
        [--seconds 10] [--connections 1,8,32] [--list-sizes 1000,10000,100000] [--events 30]
        [--postgres URL] [--keep]

Each stack is `make migrate` then the Procfile under shared/supervisor.py (`make run`), on a
fresh COCOON_VAR_DIR under var/, a fresh RabbitMQ vhost and a free port. wrk (C, Debian package
`wrk`) drives the gateway with booking_load.lua, so the client takes little of the CPU it
measures. Booking requests are prepared first: families signed up through the API (their
tokens), then a new slot and a new child per request written straight into the bookings
database with peewee (bench set-up, not a service path: thousands per second where the API
would take minutes). Lists are seeded the same way. Phases:
- floor: `book` in process on SQLite, one RPC round trip (health), the fee function (in_process.py);
- fees: GET /api/v1/fees/quote at each connection count (and GET /healthz, no RPC, at 1);
- bookings: POST /api/v1/bookings at each connection count, every request a new slot/child pair;
- propagation: activities scheduled through the API, timed from the 201 to the row in the
  volunteers' SQLite file (read-only), idle then under the booking load at the largest count;
- lists: GET /api/v1/bookings as staff at each size (its own stack);
- postgres: the largest booking load with one then two bookings instances, 4 requests per slot
  of 3 places, then a check that no slot holds more confirmed bookings than places.
Figures only, no pass/fail (docs/performance.md has the targets). Needs RabbitMQ with its
management plugin, PostgreSQL for the last phase (as `make test`), and wrk.
"""

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path

import requests

from shared import config
from shared.components import COMPONENT_NAMES
from shared.models import new_id
from shared.timeutil import VENUE_TZ, db_now
from tests.api import STAFF, STAFF_ENV, Api, Http
from tests.benchmarks import broker
from tests.benchmarks.figures import parse_wrk, percentile, render_table, row, samples_row, wrk_row
from tests.factories import PASSWORD, activity_fields, family_fields
from tests.support import REPO, free_port, serving, wait_for

PHASES = ("floor", "fees", "bookings", "propagation", "lists", "postgres")
HERE = Path(__file__).resolve().parent
LUA = HERE / "booking_load.lua"
WRK_THREADS = 2  # the machine's cores; more threads only take CPU from what is measured
WRK_HELP = "wrk est introuvable (wrk not found): `sudo apt-get install -y wrk` (Debian/Ubuntu), `brew install wrk`."
FAMILIES = 8  # signed up through the API (a password hash each: slow on purpose); children dealt round them
LINES_PER_SECOND = 1000  # requests prepared per second of wrk: more than any rate seen (reuse is reported)
ARRIVAL_LIMIT = 30.0  # seconds after its commit an event counts as arrived
QUOTE_QUERY = "monthly_resources=3000&dependent_children=1"


def say(text):
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


# --- a stack as `make run` starts it ------------------------------------------------------------
@dataclass
class Stack:
    base: str
    vhost: str
    var_dir: Path
    urls: dict  # component -> database URL
    staff: Api
    families: list = field(default_factory=list)  # (family id, bearer token)
    activities: int = 0  # scheduled so far (each on its own day)
    room_id: str = ""


def _procfile(var_dir, bookings_instances):
    """The Procfile, with `bookings2:` … lines for more bookings instances."""
    text = (REPO / "Procfile").read_text()
    if bookings_instances == 1:
        return REPO / "Procfile"
    command = next(line for line in text.splitlines() if line.startswith("bookings:")).split(":", 1)[1]
    extra = "".join(f"bookings{n}:{command}\n" for n in range(2, bookings_instances + 1))
    path = var_dir / "Procfile"
    path.write_text(text + extra)
    return path


def _rpc_consumers(vhost):
    answer = requests.get(f"{broker.API}/queues/{vhost}/rpc-bookings", auth=broker.AUTH, timeout=5)
    return answer.json().get("consumers", 0) if answer.ok else 0


@contextmanager
def running_stack(workdir, label, database_urls=None, bookings_instances=1):
    var_dir = workdir / label
    var_dir.mkdir()
    vhost, port = broker.make_vhost(), free_port()
    env = dict(
        os.environ,
        AMQP_URI=broker.amqp_uri(vhost),
        COCOON_VAR_DIR=str(var_dir),
        GATEWAY_BIND=f"127.0.0.1:{port}",
        PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"],
        **STAFF_ENV,
    )
    for key in [k for k in env if k.endswith("_DATABASE_URL")]:
        del env[key]
    urls = database_urls or {c: f"sqlite:///{var_dir / (c + '.db')}" for c in COMPONENT_NAMES}
    env.update({f"{c.upper()}_DATABASE_URL": u for c, u in urls.items()})
    base = f"http://127.0.0.1:{port}"
    try:
        subprocess.run([sys.executable, "-m", "shared.migrate"], cwd=REPO, env=env, check=True, capture_output=True)
        command = [sys.executable, "-m", "shared.dev", "run", "-f", str(_procfile(var_dir, bookings_instances))]
        with serving(command, env, var_dir / "run.log", f"{base}/readyz", timeout=120):
            wait_for(
                lambda: _rpc_consumers(vhost) >= bookings_instances,
                timeout=60,
                interval=0.5,
                message=f"{bookings_instances} bookings instance(s) to consume RPCs",
            )
            say(f"stack {label} ready on {base} (vhost {vhost})")
            yield Stack(base, vhost, var_dir, urls, Api(Http(base, timeout=120)).signed_in(STAFF))
    finally:
        broker.delete_vhost(vhost)


# --- preparing requests ---------------------------------------------------------------------------
def sign_up_families(stack, count=FAMILIES):
    api = Api(Http(stack.base))
    for _ in range(count):
        fields = family_fields(email=f"banc-{uuid.uuid4().hex[:10]}@example.fr", password=PASSWORD)
        profile = api.created("/api/v1/families", fields)
        token = api.post("/api/v1/auth/token", json={"email": fields["email"], "password": PASSWORD}).json()["token"]
        stack.families.append((profile["id"], token))


@contextmanager
def bookings_database(url):
    """The stack's bookings database, bound to the bookings models in this process."""
    from services.bookings import models
    from shared.db import make_database

    database = make_database(url)
    models.database.initialize(database)
    try:
        with database.connection_context():
            yield models
    finally:
        if hasattr(database, "close_all"):
            database.close_all()


def _insert(model, rows, batch=500):
    for start in range(0, len(rows), batch):
        model.insert_many(rows[start : start + batch]).execute()


def seed_slots(models, count, places, rooms=100):
    """`count` one-hour childcare slots for walking children, from tomorrow, `rooms` at a time."""
    room_ids = [new_id() for _ in range(min(rooms, count))]
    now, first = db_now(), db_now().replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    tag = uuid.uuid4().hex[:8]
    _insert(
        models.Room,
        [
            {"id": r, "created_at": now, "name": f"Banc {tag} {n}", "kind": "childcare", "capacity": places}
            for n, r in enumerate(room_ids)
        ],
    )
    slots = [
        {
            "id": new_id(),
            "created_at": now,
            "room": room_ids[j % len(room_ids)],
            "starts_at": first + timedelta(hours=j // len(room_ids)),
            "ends_at": first + timedelta(hours=j // len(room_ids) + 1),
            "age_group": "walking",
            "staff_on_duty": 2,
            "places": places,
        }
        for j in range(count)
    ]
    _insert(models.ChildcareSlot, slots)
    return [s["id"] for s in slots]


def seed_children(models, family_ids, count):
    """`count` three-year-old children, dealt round the families."""
    now, born = db_now(), date.today() - timedelta(days=3 * 365)
    children = [
        {
            "id": new_id(),
            "created_at": now,
            "family": family_ids[i % len(family_ids)],
            "first_name": "Léa",
            "birth_date": born,
            "walking_override": None,
        }
        for i in range(count)
    ]
    _insert(models.Child, children)
    return children


def prepare_bookings(stack, path, count, per_slot=1, places=10):
    """Write `count` booking requests to `path` ("token<TAB>body" lines): a new child each, a new
    slot every `per_slot` requests."""
    started = time.monotonic()
    if not stack.families:
        sign_up_families(stack)
    tokens = dict(stack.families)
    with bookings_database(stack.urls["bookings"]) as models:
        with models.database.atomic():
            slot_ids = seed_slots(models, -(-count // per_slot), places)
            children = seed_children(models, list(tokens), count)
    with open(path, "w") as lines:
        for i, child in enumerate(children):
            body = json.dumps({"slot_id": slot_ids[i // per_slot], "child_id": child["id"]})
            lines.write(f"{tokens[child['family']]}\t{body}\n")
    say(f"prepared {count} booking requests in {time.monotonic() - started:.1f} s")
    return path


def overbooked_slots(stack):
    """Slots holding more confirmed bookings than places, and the confirmed / waitlisted counts."""
    from peewee import fn

    from shared.vocabulary import BOOKING_CONFIRMED

    with bookings_database(stack.urls["bookings"]) as models:
        slot, booking = models.ChildcareSlot, models.Booking
        over = (
            slot.select(slot.id)
            .join(booking)
            .where(booking.status == BOOKING_CONFIRMED)
            .group_by(slot.id, slot.places)
            .having(fn.COUNT(booking.id) > slot.places)
            .count()
        )
        statuses = dict(booking.select(booking.status, fn.COUNT(booking.id)).group_by(booking.status).tuples())
    return over, statuses


# --- wrk ----------------------------------------------------------------------------------------------
def wrk_command(url, connections, seconds, lines_path=None):
    threads = min(connections, WRK_THREADS)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", str(LUA), url]
    return command + (["--", str(lines_path), str(threads)] if lines_path else [])


def run_wrk(url, connections, seconds, lines_path=None):
    command = wrk_command(url, connections, seconds, lines_path)
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    return parse_wrk(done.stdout + done.stderr)


def booking_load(stack, connections, seconds, per_slot=1, places=10):
    lines = prepare_bookings(
        stack, stack.var_dir / f"bookings-{connections}-{uuid.uuid4().hex[:6]}.tsv", LINES_PER_SECOND * seconds
    )
    return run_wrk(f"{stack.base}/api/v1/bookings", connections, seconds, lines)


# --- event propagation ----------------------------------------------------------------------------------
class OpportunityWatch:
    """Polls the volunteers' SQLite file (read-only) every 2 ms for the activities it expects."""

    def __init__(self, volunteers_db):
        from services.volunteers.models import Opportunity

        self.query = f"SELECT activity_id FROM {Opportunity._meta.table_name} WHERE activity_id IN "
        self.path, self.pending, self.latencies = volunteers_db, {}, []
        self.lock, self.stopped = threading.Lock(), threading.Event()
        self.thread = threading.Thread(target=self._poll, daemon=True)
        self.thread.start()

    def expect(self, activity_id, committed):
        with self.lock:
            self.pending[activity_id] = committed

    def settled(self):
        """True when nothing is pending any more within ARRIVAL_LIMIT of its commit."""
        with self.lock:
            return all(time.perf_counter() - c > ARRIVAL_LIMIT for c in self.pending.values())

    def _poll(self):
        connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        while not self.stopped.is_set():
            with self.lock:
                ids = list(self.pending)
            if ids:
                found = connection.execute(self.query + f"({','.join('?' * len(ids))})", ids).fetchall()
                seen = time.perf_counter()
                with self.lock:
                    for (activity_id,) in found:
                        latency = seen - self.pending.pop(activity_id)
                        if latency <= ARRIVAL_LIMIT:
                            self.latencies.append(latency * 1000)
            time.sleep(0.002)
        connection.close()

    def stop(self):
        self.stopped.set()
        self.thread.join()


def schedule_activity(stack, watch):
    """One activity through the API (a day of its own); the watch times it from the 201."""
    if not stack.room_id:
        stack.room_id = stack.staff.created(
            "/api/v1/rooms", {"name": "Salle du banc", "kind": "workshop", "capacity": 20}
        )["id"]
    stack.activities += 1
    starts = datetime.combine(date.today() + timedelta(days=60 + stack.activities), clock(10), tzinfo=VENUE_TZ)
    body = activity_fields(
        stack.room_id,
        title=f"Atelier {stack.activities}",
        starts_at=starts.isoformat(),
        ends_at=(starts + timedelta(hours=1)).isoformat(),
        children_capacity=0,  # no child: no lead professional the bench's bookings would need to know
    )
    del body["lead_staff_id"], body["staff_ids"]
    activity = stack.staff.created("/api/v1/activities", body)
    watch.expect(activity["id"], time.perf_counter())


def propagation(stack, count, load_connections=None, load_seconds=None):
    """(latencies in ms of the events arrived within ARRIVAL_LIMIT, how many sent, the load's figures)."""
    watch = OpportunityWatch(stack.var_dir / "volunteers.db")
    load, sent = None, 0
    try:
        if load_connections is None:
            for _ in range(count):  # one at a time, on an idle system
                schedule_activity(stack, watch)
                sent += 1
                wait_for(lambda: not watch.pending or watch.settled(), timeout=ARRIVAL_LIMIT + 5, interval=0.01)
        else:
            lines = prepare_bookings(stack, stack.var_dir / "load.tsv", LINES_PER_SECOND * load_seconds)
            command = wrk_command(f"{stack.base}/api/v1/bookings", load_connections, load_seconds, lines)
            wrk = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            time.sleep(2)  # the load is on
            while wrk.poll() is None and sent < count:
                schedule_activity(stack, watch)
                sent += 1
                time.sleep(0.3)
            output = wrk.communicate(timeout=load_seconds + 120)[0]
            load = parse_wrk(output)
            wait_for(lambda: not watch.pending or watch.settled(), timeout=ARRIVAL_LIMIT + 5, interval=0.1)
    finally:
        watch.stop()
    return watch.latencies, sent, load


def propagation_row(label, latencies, sent, load=None):
    notes = f"{len(latencies)}/{sent} arrived within {ARRIVAL_LIMIT:.0f} s"
    if load:
        notes = f"{len(latencies)}/{sent} (sent during the load) arrived within {ARRIVAL_LIMIT:.0f} s"
        notes += f"; load {load['rps']:.0f} req/s, {load['non_2xx']} non-2xx"
    return row(label, p50=percentile(latencies, 50), p99=percentile(latencies, 99), notes=notes)


# --- lists ------------------------------------------------------------------------------------------------
def seed_bookings(stack, total):
    """Confirmed bookings for one family until the database holds `total` bookings."""
    with bookings_database(stack.urls["bookings"]) as models:
        missing = total - models.Booking.select().count()
        if missing <= 0:
            return
        if not stack.families:
            family_id = new_id()
            models.Family.insert(
                id=family_id,
                email=f"liste-{family_id[:8]}@example.fr",
                guardians="[]",
                monthly_resources=Decimal("3000"),
                dependent_children=1,
            ).execute()
            stack.families.append((family_id, ""))
        family_id = stack.families[0][0]
        with models.database.atomic():
            slot_ids = seed_slots(models, 100, places=10)
            children = seed_children(models, [family_id], 100)
            now = db_now()
            rows = [
                {
                    "id": new_id(),
                    "created_at": now,
                    "slot": slot_ids[i % 100],
                    "child": children[(i // 100) % 100]["id"],
                    "family": family_id,
                    "status": "confirmed",
                    "avip": False,
                    "walks": True,
                    "requested_at": now,
                    "hourly_rate": Decimal("1.25"),
                }
                for i in range(missing)
            ]
            _insert(models.Booking, rows)


def list_timings(stack, samples=11, budget_seconds=60):
    """Milliseconds per GET /api/v1/bookings as staff (the first, warm-up, dropped), status, size."""
    timings, statuses, size = [], set(), 0
    started = time.perf_counter()
    for n in range(samples):
        begun = time.perf_counter()
        answer = stack.staff.get("/api/v1/bookings")
        if n:
            timings.append((time.perf_counter() - begun) * 1000)
        statuses.add(answer.status_code)
        size = len(answer.content)
        if time.perf_counter() - started > budget_seconds and timings:
            break
    return timings, statuses, size


# --- PostgreSQL ------------------------------------------------------------------------------------------
@contextmanager
def postgres_databases(admin_url):
    import psycopg2
    from psycopg2 import sql

    admin = psycopg2.connect(admin_url)
    admin.autocommit = True
    names = {c: f"cocoon_bench_{c}_{uuid.uuid4().hex[:8]}" for c in COMPONENT_NAMES}
    try:
        with admin.cursor() as cursor:
            for name in names.values():
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        yield {c: admin_url.rsplit("/", 1)[0] + "/" + n for c, n in names.items()}
    finally:
        with admin.cursor() as cursor:
            for name in names.values():
                cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.close()


# --- the run -------------------------------------------------------------------------------------------------
def floor_rows(stack, workdir):
    vhost = broker.make_vhost()
    try:
        command = [sys.executable, "-m", "tests.benchmarks.in_process", "--db-dir", str(stack.var_dir)]
        command += ["--own-vhost", vhost, "--stack-vhost", stack.vhost]
        done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
        if done.returncode:
            raise RuntimeError(f"in_process.py failed:\n{done.stderr[-3000:]}")
        figures = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        broker.delete_vhost(vhost)
    book, health, quote = figures["book"], figures["health_rpc"], figures["fee_quote"]
    rows = [
        samples_row("floor: `book` in process (SQLite, pooled connection)", book),
        samples_row("one RPC round trip (bookings.health)", health),
        samples_row("fee quote, the function alone", quote, with_p95=False),
    ]
    return rows, statistics.median(book)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(PHASES), help=f"comma-separated among {', '.join(PHASES)}")
    parser.add_argument("--seconds", type=int, default=10, help="wrk's duration per point")
    parser.add_argument("--connections", default="1,8,32")
    parser.add_argument("--list-sizes", default="1000,10000,100000")
    parser.add_argument("--events", type=int, default=30, help="activities per propagation measure")
    parser.add_argument(
        "--postgres",
        default=config.env("COCOON_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"),
        help="admin URL of a PostgreSQL server (databases are created and dropped)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the stacks' directories (logs, databases)")
    args = parser.parse_args(argv)
    phases = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = sorted(set(phases) - set(PHASES))
    if unknown:
        parser.error(f"unknown phase(s) {', '.join(unknown)}: choose among {', '.join(PHASES)}")
    if not shutil.which("wrk"):
        print(WRK_HELP, file=sys.stderr)
        return 1
    connections = [int(c) for c in args.connections.split(",")]
    workdir = Path(tempfile.mkdtemp(prefix="bench-", dir=config.var_dir()))
    rows, started, load_before = [], time.monotonic(), os.getloadavg()[0]
    try:
        rows = run_phases(phases, args, connections, workdir)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            say(f"kept {workdir}")
    print(header(time.monotonic() - started, load_before))
    print(render_table(rows))
    return 0


def run_phases(phases, args, connections, workdir):
    rows = []
    if {"floor", "fees", "bookings", "propagation"} & set(phases):
        with running_stack(workdir, "sqlite") as stack:
            rows += sqlite_rows(stack, phases, args, connections, workdir)
    if "lists" in phases:
        rows += list_rows(workdir, args)
    if "postgres" in phases:
        rows += postgres_rows(workdir, args, connections)
    return rows


def sqlite_rows(stack, phases, args, connections, workdir):
    """The phases run on one SQLite stack, in this order: the in-process floor (which the
    bookings rows compare with), fees, bookings, propagation."""
    rows, floor_ms = [], None
    if "floor" in phases:
        say("floor: in process, one RPC, the fee function")
        floor, floor_ms = floor_rows(stack, workdir)
        rows += floor
    if "fees" in phases:
        rows += fee_rows(stack, connections, args.seconds)
    if "bookings" in phases:
        rows += booking_rows(stack, connections, args.seconds, floor_ms)
    if "propagation" in phases:
        rows += propagation_rows(stack, connections, args)
    return rows


def fee_rows(stack, connections, seconds):
    say("fees")
    rows = [wrk_row("gateway GET /healthz (no RPC), 1 conn", run_wrk(f"{stack.base}/healthz", 1, seconds))]
    for c in connections:
        result = run_wrk(f"{stack.base}/api/v1/fees/quote?{QUOTE_QUERY}", c, seconds)
        rows.append(wrk_row(f"fee quote GET /api/v1/fees/quote, {c} conn", result))
    return rows


def booking_rows(stack, connections, seconds, floor_ms):
    rows = []
    for c in connections:
        say(f"bookings at {c} connection(s)")
        result = booking_load(stack, c, seconds)
        line = wrk_row(f"bookings POST /api/v1/bookings, {c} conn", result)
        if c == 1 and floor_ms:
            line = line[:-1] + (f"{line[-1]}; p50 = {result['p50'] / floor_ms:.1f}× in process",)
        rows.append(line)
    over, statuses = overbooked_slots(stack)
    rows.append(row("bookings on SQLite: overbooked slots", notes=f"{over} overbooked; {statuses}"))
    return rows


def propagation_rows(stack, connections, args):
    say("propagation, idle")
    rows = [propagation_row("event propagation idle (201 → volunteers)", *propagation(stack, args.events))]
    load_seconds = max(15, args.seconds * 3 // 2)
    say(f"propagation under {max(connections)}-connection booking load ({load_seconds} s)")
    latencies, sent, load = propagation(stack, args.events, max(connections), load_seconds)
    rows.append(propagation_row(f"event propagation, {max(connections)}-conn booking load", latencies, sent, load))
    return rows


def list_rows(workdir, args):
    rows = []
    with running_stack(workdir, "lists") as stack:
        for size in [int(s) for s in args.list_sizes.split(",")]:
            say(f"lists at {size} bookings")
            seed_bookings(stack, size)
            timings, statuses, size_bytes = list_timings(stack)
            notes = f"HTTP {','.join(map(str, sorted(statuses)))}, {size_bytes / 1024:,.0f} KB, n={len(timings)}"
            rows.append(
                row(
                    f"list GET /api/v1/bookings (staff), {size:,} bookings",
                    p50=percentile(timings, 50),
                    notes=notes,
                )
            )
    return rows


def postgres_rows(workdir, args, connections):
    """Bookings on PostgreSQL with one instance, then two (and the second's rate against the first's)."""
    rows, single, seconds = [], None, args.seconds
    for instances in (1, 2):
        say(f"PostgreSQL, {instances} bookings instance(s)")
        with postgres_databases(args.postgres) as urls:
            with running_stack(workdir, f"postgres-{instances}", urls, instances) as stack:
                lines = prepare_bookings(
                    stack, stack.var_dir / "load.tsv", LINES_PER_SECOND * seconds, per_slot=4, places=3
                )
                result = run_wrk(f"{stack.base}/api/v1/bookings", max(connections), seconds, lines)
                over, statuses = overbooked_slots(stack)
        line = wrk_row(f"bookings on PostgreSQL, {instances} instance(s), {max(connections)} conn", result)
        notes = f"{line[-1]}; {over} slots overbooked; {statuses}"
        if single:
            notes += f"; ×{result['rps'] / single:.2f} the 1-instance rate"
        single = single or result["rps"]
        rows.append(line[:-1] + (notes,))
    return rows


def header(elapsed, load_before):
    """When, what code, which machine, and how busy it was (1-minute load average before and after)."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        "?",
    )
    memory = next(
        (line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), "0"
    )
    tree = " (working tree with uncommitted changes)" if dirty else ""
    return (
        f"make bench — {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, commit {commit.strip()}{tree}; "
        f"{os.cpu_count()} cores ({cpu}), {int(memory) / 1024 / 1024:.1f} GiB; {elapsed:.0f} s; "
        f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after\n"
    )


if __name__ == "__main__":
    sys.exit(main())
