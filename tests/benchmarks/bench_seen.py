"""Benchmark: events as people see them, through the API, during a booking load.

    .venv/bin/python -m tests.benchmarks.bench_seen [--connections 32] [--seconds 60]
        [--every 1.0] [--poll 0.05] [--lines-per-second 300] [--keep] [--json]

A stack as `make bench` starts it (bench.running_stack: migrate, then the Procfile under the
supervisor, SQLite files, a fresh vhost). A volunteer and a family sign up through the API; the
family gets children and slots of its own, written into the bookings database as the bench's
load is (each slot on a day of its own, so its notification names it). While wrk books at
`--connections` (booking_load.lua, as `make bench`), every `--every` s, each in a thread of its
own (a 201 that takes seconds does not space the next ones out):
- staff schedule an activity, timed from its 201 to the first answer of
  `GET /api/v1/opportunities`, as the signed-in volunteer, that lists it;
- the family books one of its slots, timed from its 201 to the first answer of
  `GET /api/v1/notifications`, as the family, that holds its confirmation.
Each page is polled by one client every `--poll` s, one request at a time, as a person keeps
reloading it. Then each delay is split with the stack's log lines (one correlation id per call,
sent as X-Request-ID): the consumer's "event applied" (its transaction committed) and the
relay's "event published" (written once the row is marked, after the confirm); and each poll's
time at the client is set against the gateway's own duration for it (the rest is waiting for a
gunicorn thread). Prints p50/p99/max; no pass/fail (docs/performance.md, "Events as people see
them").
"""

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

from shared.models import new_id
from shared.timeutil import VENUE_TZ, db_now
from tests.api import Api, Http
from tests.benchmarks.bench import (
    bookings_database,
    prepare_bookings,
    running_stack,
    say,
    wrk_command,
)
from tests.benchmarks.figures import parse_wrk, percentile
from tests.factories import PASSWORD, activity_fields, family_fields, volunteer_fields

ARRIVAL_LIMIT = 30.0
OPPORTUNITIES = "/api/v1/opportunities?limit=500"
NOTIFICATIONS = "/api/v1/notifications?limit=100"


def _iso_ts(text):
    return datetime.fromisoformat(text).timestamp()


class Watch:
    """One poller: GET `path` as `api` until stopped; `found(body)` -> keys present in the answer."""

    def __init__(self, api, path, found, poll):
        self.api, self.path, self.found, self.poll = api, path, found, poll
        self.pending, self.seen, self.polls = {}, {}, []
        self.lock, self.stopped = threading.Lock(), threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def expect(self, key, answered):
        with self.lock:
            self.pending[key] = answered

    def settled(self):
        with self.lock:
            return all(time.time() - t > ARRIVAL_LIMIT for t in self.pending.values())

    def _run(self):
        while not self.stopped.is_set():
            with self.lock:
                waiting = bool(self.pending)
            if not waiting:
                time.sleep(self.poll)
                continue
            asked = time.time()
            try:
                answer = self.api.get(self.path)
            except Exception as exc:  # a timeout under load: poll again
                say(f"poll {self.path} failed: {exc!r}")
                continue
            got = time.time()
            self.polls.append((got - asked) * 1000)
            if answer.status_code == 200:
                keys = self.found(answer.json())
                with self.lock:
                    for key in [k for k in self.pending if k in keys]:
                        self.seen[key] = (self.pending.pop(key), asked, got)
            time.sleep(self.poll)

    def stop(self):
        self.stopped.set()
        self.thread.join()

    def latencies(self):
        """ms from the 201 to the answer that showed it (the lower bound: to the poll's start)."""
        return [(got - answered) * 1000 for answered, _, got in self.seen.values()], [
            max(0.0, asked - answered) * 1000 for answered, asked, _ in self.seen.values()
        ]


def prepare_family(stack, api, slots):
    """A family of its own (not in the load), `slots` slots each on a day of its own, a child each."""
    fields = family_fields(email=f"vu-{uuid.uuid4().hex[:10]}@example.fr", password=PASSWORD)
    family = api.created("/api/v1/families", fields)
    signed = api.signed_in({"email": fields["email"], "password": PASSWORD})
    from services.notifications.domain.messages import when

    room_id, now, born = new_id(), db_now(), date.today() - timedelta(days=3 * 365)
    first = datetime.combine(date.today() + timedelta(days=2), clock(9), tzinfo=VENUE_TZ)
    pairs = []
    with bookings_database(stack.urls["bookings"]) as models:
        with models.database.atomic():
            models.Room.insert(id=room_id, created_at=now, name="Salle vue", kind="childcare", capacity=10).execute()
            for n in range(slots):
                starts = first + timedelta(days=n)
                slot_id, child_id = new_id(), new_id()
                models.ChildcareSlot.insert(
                    id=slot_id,
                    created_at=now,
                    room=room_id,
                    starts_at=_db_time(starts),
                    ends_at=_db_time(starts + timedelta(hours=1)),
                    age_group="walking",
                    staff_on_duty=2,
                    places=10,
                ).execute()
                models.Child.insert(
                    id=child_id,
                    created_at=now,
                    family=family["id"],
                    first_name="Léa",
                    birth_date=born,
                    walking_override=None,
                ).execute()
                pairs.append((slot_id, child_id, when(starts, VENUE_TZ)))
    return signed, pairs


def _db_time(moment):
    from shared.timeutil import to_db

    return to_db(moment)


def sign_up_volunteer(api):
    fields = volunteer_fields(email=f"vu-{uuid.uuid4().hex[:10]}@example.fr")
    api.created("/api/v1/volunteers", fields)
    return api.signed_in({"email": fields["email"], "password": PASSWORD})


class Activities:
    def __init__(self, stack):
        self.stack, self.count, self.sent, self.lock = stack, 0, {}, threading.Lock()
        self.headers = stack.staff.headers
        self.room_id = stack.staff.created(
            "/api/v1/rooms", {"name": f"Salle vue {uuid.uuid4().hex[:6]}", "kind": "workshop", "capacity": 20}
        )["id"]

    def schedule(self, watch):
        with self.lock:
            self.count += 1
            number = self.count
        staff = Api(Http(self.stack.base, timeout=60), self.headers)
        starts = datetime.combine(date.today() + timedelta(days=30 + number), clock(10), tzinfo=VENUE_TZ)
        body = activity_fields(
            self.room_id,
            title=f"Atelier vu {number}",
            starts_at=starts.isoformat(),
            ends_at=(starts + timedelta(hours=1)).isoformat(),
            children_capacity=0,
        )
        del body["lead_staff_id"], body["staff_ids"]
        correlation = f"seen-act-{number}-{uuid.uuid4().hex[:6]}"
        asked = time.time()
        answer = staff.post("/api/v1/activities", json=body, headers={"X-Request-ID": correlation})
        answered = time.time()
        if answer.status_code != 201:
            say(f"activity refused: {answer.status_code} {answer.text[:200]}")
            return
        activity_id = answer.json()["id"]
        self.sent[activity_id] = (correlation, asked, answered)
        watch.expect(activity_id, answered)


class Bookings:
    def __init__(self, stack, family, pairs):
        self.stack, self.headers, self.pairs, self.sent = stack, family.headers, list(pairs), {}
        self.lock = threading.Lock()

    def book(self, watch):
        with self.lock:
            if not self.pairs:
                return
            slot_id, child_id, text = self.pairs.pop(0)
            number = len(self.pairs)
        family = Api(Http(self.stack.base, timeout=60), self.headers)
        correlation = f"seen-bk-{number}-{uuid.uuid4().hex[:6]}"
        asked = time.time()
        answer = family.post(
            "/api/v1/bookings", json={"slot_id": slot_id, "child_id": child_id}, headers={"X-Request-ID": correlation}
        )
        answered = time.time()
        if answer.status_code != 201:
            say(f"booking refused: {answer.status_code} {answer.text[:200]}")
            return
        self.sent[text] = (correlation, asked, answered)
        watch.expect(text, answered)


def _opportunity_ids(body):
    return {o["activity_id"] for o in body}


def _notification_texts(body):
    keys = set()
    for n in body:
        if n["kind"] == "booking_confirmed":
            match = re.search(r": (.+?) –", n["text"])
            if match:
                keys.add(match.group(1))
    return keys


def log_marks(run_log, correlations):
    """For each correlation id: the first log timestamp of each (service, message) seen with it."""
    wanted = set(correlations)
    marks = {c: {} for c in wanted}
    with open(run_log, errors="replace") as lines:
        for line in lines:
            start = line.find("{")
            if start < 0 or "seen-" not in line:
                continue
            try:
                record = json.loads(line[start:])
            except ValueError:
                continue
            correlation = record.get("correlation_id")
            if correlation not in wanted:
                continue
            key = f"{record.get('service')}: {record.get('message')}"
            if record.get("event_type"):
                key += f" ({record['event_type']})"
            marks[correlation].setdefault(key, _iso_ts(record["ts"]))
    return marks


def figures(values):
    return {
        "n": len(values),
        "p50": percentile(values, 50),
        "p99": percentile(values, 99),
        "max": max(values) if values else None,
        "values": [round(v, 1) for v in sorted(values)],  # to pool runs (--json)
    }


def show(label, values):
    f = figures(values)
    if not values:
        print(f"{label}: none")
        return f
    print(f"{label}: n={f['n']} p50 {f['p50']:.0f} ms, p99 {f['p99']:.0f} ms, max {f['max']:.0f} ms")
    return f


def run(args):
    workdir = Path(tempfile.mkdtemp(prefix="bench-seen-"))
    try:
        with running_stack(workdir, "seen") as stack:
            return measure(stack, args)
    finally:
        if args.keep:
            say(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def measure(stack, args):
    api = Api(Http(stack.base, timeout=60))
    volunteer = sign_up_volunteer(api)
    family, pairs = prepare_family(stack, api, int(args.seconds / args.every) + 5)
    activities, bookings = Activities(stack), Bookings(stack, family, pairs)
    opportunities = Watch(
        Api(Http(stack.base, timeout=60), volunteer.headers), OPPORTUNITIES, _opportunity_ids, args.poll
    )
    notifications = Watch(
        Api(Http(stack.base, timeout=60), family.headers), NOTIFICATIONS, _notification_texts, args.poll
    )
    lines = prepare_bookings(stack, stack.var_dir / "load.tsv", args.lines_per_second * args.seconds)
    command = wrk_command(f"{stack.base}/api/v1/bookings", args.connections, args.seconds, lines)
    wrk = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    time.sleep(2)  # the load is on
    makers = [
        threading.Thread(target=every, args=(wrk, args.every, activities.schedule, opportunities), daemon=True),
        threading.Thread(target=every, args=(wrk, args.every, bookings.book, notifications), daemon=True),
    ]
    for maker in makers:
        maker.start()
    output = wrk.communicate(timeout=args.seconds + 120)[0]
    for maker in makers:
        maker.join()
    deadline = time.time() + ARRIVAL_LIMIT + 5
    while time.time() < deadline and (opportunities.pending or notifications.pending):
        if opportunities.settled() and notifications.settled():
            break
        time.sleep(0.2)
    opportunities.stop()
    notifications.stop()
    return report(stack, parse_wrk(output), activities, opportunities, bookings, notifications)


def every(wrk, seconds, action, watch):
    """`action` every `seconds` while the load runs, each in a thread of its own: a 201 that
    takes seconds under the load does not space the next ones out."""
    started = []
    while wrk.poll() is None:
        thread = threading.Thread(target=action, args=(watch,), daemon=True)
        thread.start()
        started.append(thread)
        time.sleep(seconds)
    for thread in started:
        thread.join()


def report(stack, load, activities, opportunities, bookings, notifications):
    results = {"load": load}
    print(
        f"load: {load['rps']:.0f} req/s, p50 {load['p50']:.0f} ms, p99 {load['p99']:.0f} ms, {load['non_2xx']} non-2xx"
    )
    served = gateway_durations(stack.var_dir / "run.log")
    for label, sent, watch, path in (
        ("activities", activities.sent, opportunities, OPPORTUNITIES),
        ("bookings", bookings.sent, notifications, NOTIFICATIONS),
    ):
        seen, lower = watch.latencies()
        print(f"{label}: {len(watch.seen)}/{len(sent)} seen within {ARRIVAL_LIMIT:.0f} s")
        page = path.split("?")[0]
        results[label] = {
            "seen": show(f"  201 → in GET {page} (answer received)", seen),
            "seen_lower": show("  201 → start of that poll (lower bound)", lower),
            "poll": show(f"  one GET {page}, at the client", watch.polls),
            "poll_served": show(f"  one GET {page}, in the gateway (its request line)", served.get(page, [])),
        }
    results["split"] = split(stack.var_dir / "run.log", activities, opportunities, bookings, notifications)
    return results


def gateway_durations(run_log):
    """path -> the gateway's own durations (ms) of the GETs it logged."""
    durations = {}
    with open(run_log, errors="replace") as lines:
        for line in lines:
            if '"request"' not in line or '"GET"' not in line:
                continue
            try:
                record = json.loads(line[line.find("{") :])
            except ValueError:
                continue
            durations.setdefault(record["path"], []).append(record["duration_ms"])
    return durations


def split(run_log, activities, opportunities, bookings, notifications):
    """Each delay cut at the log lines of its correlation id (the relay logs "event published"
    once the row is marked, the consumer "event applied" once its transaction committed)."""
    out = {}
    for label, sent, watch, event_type, consumer in (
        ("activity", activities.sent, opportunities, "bookings.activity_scheduled", "volunteers"),
        ("booking", bookings.sent, notifications, "bookings.booking_confirmed", "notifications"),
    ):
        marks = log_marks(run_log, [c for c, _, _ in sent.values()])
        parts = {"201 → published (relay's line)": [], "201 → applied (consumer's line)": [], "applied → seen": []}
        missing = 0
        for key, (correlation, _, answered) in sent.items():
            m = marks.get(correlation, {})
            published = m.get(f"bookings: event published ({event_type})")
            applied = m.get(f"{consumer}: event applied ({event_type})")
            if published is None or applied is None or key not in watch.seen:
                missing += 1
                continue
            parts["201 → published (relay's line)"].append((published - answered) * 1000)
            parts["201 → applied (consumer's line)"].append((applied - answered) * 1000)
            parts["applied → seen"].append((watch.seen[key][2] - applied) * 1000)
        print(f"{label}, split by the log lines ({missing} without every mark):")
        out[label] = {name: show(f"  {name}", values) for name, values in parts.items()}
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=60, help="wrk's duration")
    parser.add_argument("--every", type=float, default=1.0, help="seconds between activities (and bookings)")
    parser.add_argument("--poll", type=float, default=0.05, help="seconds between two polls of a page")
    parser.add_argument(
        "--lines-per-second",
        type=int,
        default=300,
        help="booking requests prepared per second of wrk (each a new slot/child pair; reuse is reported)",
    )
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results = run(args)
    if args.json:
        print(json.dumps(results, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
