"""A steady flow of the venue's commands through the gateway's HTTP API, as clients send them,
and the check that each accepted command's effect is in every service that should see it, once.

Every command carries its own Idempotency-Key and is sent again with the same key while the
answer is not a final one (no answer, 5xx, or a 404 while the thing it is about has not reached
the service yet), as a client should: a command is *accepted* when it is answered 200/201.

Each round of the flow sends:
- staff schedule an activity ahead (bookings) → the volunteers service opens its opportunity;
- a cleared volunteer signs up to it (volunteers, once the opportunity arrived) → bookings counts
  the volunteer on the activity;
- a family books a childcare slot (bookings) → notifications tells the family (confirmed or
  waitlisted);
- staff schedule an activity that took place (yesterday or before), assign the trainee and
  complete it (bookings) → the placements service pre-fills the trainee's hour log; the
  volunteers service opens, then completes, its opportunity.
"""

import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

import eventlet
import requests

from services.volunteers.domain.clearance import DEFAULT_CHARTER_VERSION as CHARTER
from shared import topology
from shared.queues import event_queue, side_queues
from tests.api import STAFF, Api, Http, body_of
from tests.dates import at, today
from tests.factories import child_fields, family_fields, room_fields, slot_fields
from tests.reliability.stack import RETRY_DELAY_MS
from tests.staff_on_duty import publish_on, tell_venue, trainee_cleared_event

PASSWORD = "une-preuve-de-fiabilite"
COMMAND_PATIENCE = 240  # seconds a client keeps sending one command again (an event may come a 60 s lease late)
RETRY_PAUSE = 0.5


class CommandFailed(AssertionError):
    pass


@dataclass
class Attempts:
    sent: int = 0
    unanswered: int = 0  # no HTTP answer (connection refused, reset, timeout)
    unavailable: int = 0  # 5xx
    not_yet: int = 0  # 404 on something not arrived yet


def send(api, path, body, key, attempts, wait_for_404=False, patience=COMMAND_PATIENCE):
    """POST `body` to `path` with Idempotency-Key `key` until a final answer; the JSON answer of a
    200/201, else CommandFailed with the answer."""
    deadline = time.monotonic() + patience
    while True:
        attempts.sent += 1
        try:
            response = api.post(path, json=body, key=key)
        except requests.RequestException:
            attempts.unanswered += 1
        else:
            if response.status_code in (200, 201):
                return body_of(response)
            if response.status_code >= 500:
                attempts.unavailable += 1
            elif response.status_code == 404 and wait_for_404:
                attempts.not_yet += 1
            else:
                raise CommandFailed(f"POST {path} [{key}] answered {response.status_code}: {response.text[:500]}")
        if time.monotonic() > deadline:
            raise CommandFailed(f"POST {path} [{key}] got no final answer within {patience}s")
        time.sleep(RETRY_PAUSE)


def client(base_url, timeout=10):
    return Api(Http(base_url, timeout=timeout))


def signed_in(base_url, credentials, attempts):
    """Sign in (retried like a command: the gateway may be starting or the broker away)."""
    deadline = time.monotonic() + COMMAND_PATIENCE
    while True:
        attempts.sent += 1
        try:
            return client(base_url).signed_in(credentials)
        except (requests.RequestException, AssertionError):
            attempts.unavailable += 1
            if time.monotonic() > deadline:
                raise
            time.sleep(RETRY_PAUSE)


@dataclass
class Venue:
    """What the flow needs, made before it starts (staff, rooms, a slot, families with a child
    each, cleared volunteers, a trainee with an active placement under a tutor of its own)."""

    tag: str
    staff: Api
    future_room: dict
    past_room: dict
    slot: dict
    families: list  # [(family id, its Api, child id)]
    volunteers: list  # [(volunteer id, its Api)]
    trainee_id: str
    placement_id: str
    leads: tuple  # the two cleared professionals of this venue's activities (one place at a time)


def unique(what):
    return f"{what}-{uuid.uuid4().hex[:10]}@example.fr"


def prepare(base_url, rounds, volunteer_count=3, attempts=None, amqp=None):
    """`amqp`: the venue's broker, where the team and placements services' events are published (the
    activities' two cleared leads, the trainee's clearance: tests/staff_on_duty.py)."""
    attempts = attempts or Attempts()
    tag = uuid.uuid4().hex[:8]
    staff = signed_in(base_url, STAFF, attempts)
    # leads of its own: two flows on one venue schedule activities at the same hours
    leads = (f"lead-{tag}", f"second-{tag}")
    if amqp:
        tell_venue(amqp, staff, *leads)

    def made(api, path, body, what):
        return send(api, path, body, f"{tag}-prep-{what}", attempts)

    future_room = made(staff, "/api/v1/rooms", room_fields(name=f"Atelier {tag}"), "room-f")
    past_room = made(staff, "/api/v1/rooms", room_fields(name=f"Salle passée {tag}"), "room-p")
    childcare = made(staff, "/api/v1/rooms", room_fields(name=f"Crèche {tag}", kind="childcare", capacity=40), "room-c")
    day = today() + timedelta(days=20)
    slot = made(
        staff,
        "/api/v1/childcare-slots",
        slot_fields(childcare["id"], starts_at=at(8, 0, day), ends_at=at(12, 0, day), staff_on_duty=3),
        "slot",
    )

    families = []
    for i in range(rounds):
        fields = family_fields(email=unique(f"famille-{tag}"), password=PASSWORD)
        profile = send(client(base_url), "/api/v1/families", fields, f"{tag}-prep-family-{i}", attempts)
        family = signed_in(base_url, fields, attempts)
        child = made(family, "/api/v1/families/me/children", child_fields(first_name=f"Enfant{i}"), f"child-{i}")
        families.append((profile["id"], family, child["id"]))

    volunteers = []
    issued = (today() - timedelta(days=20)).isoformat()
    for i in range(volunteer_count):
        fields = {
            "email": unique(f"benevole-{tag}"),
            "password": PASSWORD,
            "first_name": f"Bénévole{i}",
            "last_name": "Preuve",
            "birth_date": "1950-03-02",
            "phone": "0612345678",
            "interests": ["story_time"],
            "availability": [{"weekday": 1, "part": "afternoon"}],
        }
        profile = send(client(base_url), "/api/v1/volunteers", fields, f"{tag}-prep-volunteer-{i}", attempts)
        made(
            staff,
            f"/api/v1/volunteers/{profile['id']}/honorability",
            {"issued_on": issued, "verified_on": issued},
            f"honorability-{i}",
        )
        cover = {"insurer": "MAIF", "policy": "RC 42", "valid_from": issued, "valid_until": f"{today().year + 1}-12-31"}
        made(staff, f"/api/v1/volunteers/{profile['id']}/insurance", cover, f"ins-{i}")
        volunteer = signed_in(base_url, fields, attempts)
        charter = send(volunteer, "/api/v1/volunteers/me/charter", {"version": CHARTER}, f"{tag}-charter-{i}", attempts)
        assert charter["charter_accepted"], charter
        volunteers.append((profile["id"], volunteer))

    tutor = {"email": unique(f"tuteur-{tag}"), "password": PASSWORD, "first_name": "Marc", "last_name": "Tuteur"}
    tutor_id = made(staff, "/api/v1/staff", tutor, "tutor")["id"]
    trainee = made(
        staff,
        "/api/v1/trainees",
        {
            "email": unique(f"stagiaire-{tag}"),
            "password": PASSWORD,
            "first_name": "Lina",
            "last_name": "Preuve",
            "birth_date": "2000-05-04",
            "programme": "cap_aepe",
            "school": "Lycée Jean-Moulin",
        },
        "trainee",
    )
    placement = made(
        staff,
        "/api/v1/placements",
        {
            "trainee_id": trainee["id"],
            "tutor_id": tutor_id,
            "starts_on": (today() - timedelta(days=rounds + 10)).isoformat(),
            "ends_on": (today() + timedelta(days=60)).isoformat(),
            "required_hours": "400",
        },
        "placement",
    )
    if amqp:
        publish_on(amqp, trainee_cleared_event(trainee["id"]))
    return Venue(tag, staff, future_room, past_room, slot, families, volunteers, trainee["id"], placement["id"], leads)


@dataclass
class Flow:
    """The flow's rounds, sent one after the other in a green thread (`start`), and what each
    accepted command should have caused."""

    venue: Venue
    rounds: int
    attempts: Attempts = field(default_factory=Attempts)
    done: int = 0  # rounds completed
    ahead: dict = field(default_factory=dict)  # activity id -> (volunteer id, signup id)
    past: list = field(default_factory=list)  # ids of the completed activities
    bookings: dict = field(default_factory=dict)  # family id -> booking id
    error: BaseException = None
    thread: object = None

    def start(self):
        self.thread = eventlet.spawn(self._run)
        return self

    def _run(self):
        try:
            for i in range(self.rounds):
                self.round(i)
                self.done += 1
        except BaseException as exc:  # kept for `finish`, which raises it in the test
            self.error = exc

    def round(self, i):
        v, tag, staff = self.venue, self.venue.tag, self.venue.staff
        key = f"{tag}-{i}"
        ahead_day = today() + timedelta(days=30 + i)
        activity = send(
            staff,
            "/api/v1/activities",
            activity_body(v, v.future_room, f"Conte {tag} {i}", at(14, 0, ahead_day), at(15, 0, ahead_day), 2, 0),
            f"{key}-ahead",
            self.attempts,
        )
        volunteer_id, volunteer = v.volunteers[i % len(v.volunteers)]
        signup = send(
            volunteer,
            f"/api/v1/opportunities/{activity['id']}/signup",
            {},
            f"{key}-signup",
            self.attempts,
            wait_for_404=True,  # the opportunity reaches the volunteers service by an event
        )
        self.ahead[activity["id"]] = (volunteer_id, signup["id"])

        family_id, family, child_id = v.families[i]
        booking = send(
            family, "/api/v1/bookings", {"slot_id": v.slot["id"], "child_id": child_id}, f"{key}-book", self.attempts
        )
        self.bookings[family_id] = booking["id"]

        past_day = today() - timedelta(days=i + 1)
        done = send(
            staff,
            "/api/v1/activities",
            activity_body(v, v.past_room, f"Atelier {tag} {i}", at(9, 0, past_day), at(10, 30, past_day), 0, 1),
            f"{key}-past",
            self.attempts,
        )
        send(
            staff,
            f"/api/v1/activities/{done['id']}/trainees",
            {"trainee_id": v.trainee_id},
            f"{key}-assign",
            self.attempts,
        )
        send(staff, f"/api/v1/activities/{done['id']}/complete", {}, f"{key}-complete", self.attempts)
        self.past.append(done["id"])

    def wait_rounds(self, count, timeout=300):
        deadline = time.monotonic() + timeout
        while self.done < count:
            if self.error is not None or self.thread.dead:
                self.finish()
                raise AssertionError(f"the flow ended after {self.done} rounds, before round {count}")
            if time.monotonic() > deadline:
                raise AssertionError(f"the flow did only {self.done} of {count} rounds in {timeout}s")
            time.sleep(0.2)

    def finish(self, timeout=600):
        with eventlet.Timeout(timeout):
            self.thread.wait()
        if self.error is not None:
            raise self.error
        assert self.done == self.rounds


def activity_body(venue, room, title, starts_at, ends_at, volunteer_slots, trainee_slots):
    return {
        "title": title,
        "kind": "story_time",
        "room_id": room["id"],
        "starts_at": starts_at,
        "ends_at": ends_at,
        "children_capacity": 8,
        "volunteer_slots": volunteer_slots,
        "trainee_slots": trainee_slots,
        "lead_staff_id": venue.leads[0],
        "staff_ids": [venue.leads[1]],
    }


# --- the check ---------------------------------------------------------------------------------------
def _in(ids):
    ids = list(ids)
    return ", ".join("?" for _ in ids), tuple(ids)


def _counts(rows):
    found = {}
    for (key,) in rows:
        found[key] = found.get(key, 0) + 1
    return found


def _compare(what, expected, found):
    """Lines naming each expected key not found exactly once, and each key found but not expected."""
    lines = [f"{what}: {key} found {found.get(key, 0)} times" for key in expected if found.get(key, 0) != 1]
    lines += [f"{what}: {key} not expected ({n} times)" for key, n in found.items() if key not in expected]
    return lines


def discrepancies(stack, flow):
    """Every accepted command's effect not present exactly once where it should be; [] when all are."""
    v = flow.venue
    problems = []
    ahead, past, families = list(flow.ahead), list(flow.past), list(flow.bookings)
    activities = ahead + past

    problems += _compare(
        "bookings activity",
        activities,
        _counts(
            stack.rows(
                "bookings",
                "SELECT a.id FROM activity a JOIN room r ON a.room_id = r.id WHERE r.id IN (?, ?)",
                (v.future_room["id"], v.past_room["id"]),
            )
        ),
    )
    marks_a, ids_a = _in(ahead)
    opened = stack.rows(
        "volunteers", f"SELECT activity_id FROM opportunity WHERE status = 'open' AND activity_id IN ({marks_a})", ids_a
    )
    problems += _compare("volunteers open opportunity", ahead, _counts(opened))
    # A completed activity ends its opportunity: the completion buries it, once, whichever of its
    # two events came first (when the completion came first, no opportunity is ever opened).
    marks_p, ids_p = _in(past)
    buried = stack.rows(
        "volunteers",
        f"SELECT key FROM tombstone WHERE event_type = 'bookings.activity_completed' AND key IN ({marks_p})",
        ids_p,
    )
    problems += _compare("volunteers completion", past, _counts(buried))
    still_open = stack.rows(
        "volunteers",
        f"SELECT activity_id FROM opportunity WHERE status <> 'completed' AND activity_id IN ({marks_p})",
        ids_p,
    )
    problems += [f"volunteers opportunity {a} of a completed activity is not completed" for (a,) in still_open]

    signups = stack.rows(
        "volunteers", f"SELECT activity_id, volunteer_id, id FROM signup WHERE activity_id IN ({marks_a})", ids_a
    )
    problems += _compare("volunteers signup", ahead, _counts([(a,) for a, _, _ in signups]))
    counted = stack.rows(
        "bookings",
        f"SELECT activity_id, volunteer_id, signup_id FROM activityvolunteer WHERE activity_id IN ({marks_a})",
        ids_a,
    )
    problems += _compare("bookings counted volunteer", ahead, _counts([(a,) for a, _, _ in counted]))
    expected_people = {a: flow.ahead[a] for a in ahead}
    for a, volunteer_id, signup_id in counted:
        if expected_people.get(a) != (volunteer_id, signup_id):
            problems.append(f"bookings counted volunteer: {a} counts {volunteer_id}/{signup_id}")
    marks_f, ids_f = _in(families)
    problems += _compare(
        "bookings booking",
        families,
        _counts(stack.rows("bookings", f"SELECT family_id FROM booking WHERE family_id IN ({marks_f})", ids_f)),
    )
    told = stack.rows(
        "notifications",
        f"SELECT subject_id FROM notification WHERE role = 'family' AND kind IN ('booking_confirmed', "
        f"'booking_waitlisted') AND subject_id IN ({marks_f})",
        ids_f,
    )
    problems += _compare("notifications booking notice", families, _counts(told))

    logs = stack.rows("placements", f"SELECT activity_id FROM hourlog WHERE activity_id IN ({marks_p})", ids_p)
    problems += _compare("placements hour log", past, _counts(logs))
    return problems


def handler_queues():
    """The name of every deployed reliable handler's queue, with its retry queue and its DLQ."""
    names = []
    for service_cls, method, entrypoint in topology.deployed_handlers():
        queue = event_queue(entrypoint.source_service, entrypoint.event_type, service_cls.name, method)
        retry, dead = side_queues(queue, RETRY_DELAY_MS)
        names.append((queue.name, retry.name, dead.name))
    return names


def backlog(stack, broker):
    """What is still on its way: outbox rows not yet sent and messages waiting in a handler queue
    or its retry queue; {} when nothing is."""
    waiting = {}
    for name in ("bookings", "placements", "education", "volunteers", "notifications"):
        [(pending,)] = stack.rows(
            name, "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL AND unconsumed_at IS NULL"
        )
        if pending:
            waiting[f"{name} outbox"] = pending
    queues = [name for q, retry, _ in handler_queues() for name in (q, retry)]
    waiting.update({name: n for name, n in broker.depths(queues, stack.vhost).items() if n})
    return waiting


def dead_letters(broker, vhost="/"):
    return {name: n for name, n in broker.depths([dead for _, _, dead in handler_queues()], vhost).items() if n}


def settled(stack, broker, flow, timeout=180):
    """Wait until nothing is on its way any more and every accepted command's effect is where it
    should be; then fail with what is missing or doubled, if anything is."""
    deadline = time.monotonic() + timeout
    while True:
        waiting = backlog(stack, broker)
        problems = discrepancies(stack, flow)
        if not waiting and not problems:
            break
        if time.monotonic() > deadline:
            stack.print_logs()
            break
        time.sleep(1)
    assert waiting == {}, f"still on its way after {timeout}s: {waiting}"
    assert problems == [], "\n".join(problems)
