"""Events as people see them, and the row they come from.

An activity scheduled by staff through the API is timed from its 201 to (a) its row in the
volunteers' SQLite file and (b) its line in a signed-in volunteer's GET /api/v1/opportunities;
a booking a family makes through the API, from its 201 to its notification in the family's
GET /api/v1/notifications. Idle: one activity at a time (with a booking, for a third of them).
Under the booking load at the largest connection count: an activity and a booking every ~0.3 s
while wrk runs.
"""

import time
from datetime import date, datetime, timedelta
from datetime import time as clock

from shared.timeutil import VENUE_TZ
from tests.api import Api, Http
from tests.benchmarks import load, seeding
from tests.benchmarks.progress import say
from tests.benchmarks.report import Line, latency_line, wrk_line
from tests.benchmarks.watchers import ARRIVAL_LIMIT, NotificationWatch, OpportunityWatch, RowWatch
from tests.factories import activity_fields
from tests.support import wait_for

PAUSE = 0.3  # seconds between two things sent during the load


def schedule_activity(stack):
    """One activity through the API (a day of its own, no child, no staff): (its id, when its
    201 came), None when it was refused (a 503 under load)."""
    if not stack.room_id:
        room = {"name": "Salle du banc", "kind": "workshop", "capacity": 20}
        stack.room_id = stack.staff.created("/api/v1/rooms", room)["id"]
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
    answer = stack.staff.post("/api/v1/activities", json=body)
    return (answer.json()["id"], time.perf_counter()) if answer.status_code == 201 else None


class Watchers:
    """The three watches on one stack; `probe` books for a family of its own."""

    def __init__(self, stack, volunteer, family, pairs):
        self.stack, self.family, self.pairs = stack, family, list(pairs)
        self.rows = RowWatch(stack.var_dir / "volunteers.db")
        self.opportunities = OpportunityWatch(volunteer)
        self.notifications = NotificationWatch(family)
        self.activities = self.bookings = self.refused = 0  # refused: answers other than 201, not timed

    def activity(self):
        scheduled = schedule_activity(self.stack)
        if scheduled is None:
            self.refused += 1
            return
        self.rows.expect(*scheduled)
        self.opportunities.expect(*scheduled)
        self.activities += 1

    def booking(self):
        slot_id, child_id, first_name = self.pairs.pop()
        answer = self.family.post("/api/v1/bookings", json={"slot_id": slot_id, "child_id": child_id})
        if answer.status_code != 201:
            self.refused += 1
            return
        self.bookings += 1
        self.notifications.expect(first_name, time.perf_counter())

    def all(self):
        return (self.rows, self.opportunities, self.notifications)

    def wait(self, timeout=ARRIVAL_LIMIT + 5):
        wait_for(lambda: all(not w.pending or w.settled() for w in self.all()), timeout=timeout, interval=0.01)

    def stop(self):
        for watch in self.all():
            watch.stop()


def watchers(stack, probe_bookings):
    volunteer = seeding.sign_up_volunteer(stack.base)
    family_id, token = seeding.sign_up_family(stack.base)
    family = Api(Http(stack.base, timeout=60), {"Authorization": f"Bearer {token}"})
    pairs = seeding.booking_pairs(stack, (family_id, token), probe_bookings) if probe_bookings else []
    return Watchers(stack, volunteer, family, pairs)


def idle(stack, count):
    """`count` activities one at a time, a booking with each of the first third of them."""
    load.quiet(stack)  # done with what an earlier load set off
    watch = watchers(stack, count // 3)
    try:
        for _ in range(count):
            watch.activity()
            if watch.pairs:
                watch.booking()
            watch.wait()
    finally:
        watch.stop()
    return watch


def under_load(stack, count, connections, seconds):
    watch = watchers(stack, 2 * count)  # room for bookings refused under the load (not timed)
    try:
        lines = seeding.prepare_bookings(
            stack, stack.var_dir / f"load-{time.monotonic_ns()}.tsv", load.LINES_PER_SECOND * seconds
        )
        wrk = load.Background(stack, "/api/v1/bookings", connections, seconds, lines)
        time.sleep(2)  # the load is on
        while wrk.running() and (watch.activities < count or (watch.bookings < count and watch.pairs)):
            if watch.activities < count:
                watch.activity()
            if watch.bookings < count and watch.pairs:
                watch.booking()
            time.sleep(PAUSE)
        result = wrk.finish()
        watch.wait()
    finally:
        watch.stop()
    return watch, result


def _figures(watches, name, sent):
    return {label: (getattr(w, name).latencies, getattr(w, sent)) for label, w in watches.items()}


def lines(stacks, events, connections, seconds):
    idle_watches, load_watches, loads = {}, {}, {}
    for label, stack in stacks.items():
        say(f"{label}: events, idle ({events} activities)")
        idle_watches[label] = idle(stack, events)
    load_seconds = max(15, seconds * 3 // 2)
    for label, stack in stacks.items():
        say(f"{label}: events under the {connections}-connection booking load ({load_seconds} s)")
        load_watches[label], loads[label] = under_load(stack, events, connections, load_seconds)
    arrived = f"n/sent = arrived within {ARRIVAL_LIMIT:.0f} s"
    refused = "; ".join(f"{label} {w.refused} refused (not 201, not timed)" for label, w in load_watches.items())
    return [
        latency_line(
            "activity → volunteer's GET /opportunities, idle",
            _figures(idle_watches, "opportunities", "activities"),
            arrived,
        ),
        latency_line(
            "booking → family's GET /notifications, idle",
            _figures(idle_watches, "notifications", "bookings"),
            arrived,
        ),
        latency_line(
            f"activity → volunteer's GET /opportunities, {connections}-conn booking load (target p99 ≤ 1 s)",
            _figures(load_watches, "opportunities", "activities"),
            f"polled every ~20 ms; {arrived}",
        ),
        latency_line(
            f"booking → family's GET /notifications, {connections}-conn booking load (target p99 ≤ 2 s)",
            _figures(load_watches, "notifications", "bookings"),
            f"a family of its own booking through the API; {arrived}",
        ),
        latency_line("event propagation idle (201 → volunteers' row)", _figures(idle_watches, "rows", "activities")),
        latency_line(
            f"event propagation, {connections}-conn booking load (201 → row)",
            _figures(load_watches, "rows", "activities"),
        ),
        wrk_line(f"the booking load during those, {connections} conn", loads),
        Line("requests of the watched people refused under the load", {}, notes=refused),
    ]
