"""Preparing a stack's requests: people signed up through the API, then slots, children and
bookings written straight into its bookings database by tree_seed.py, run in the stack's tree
(bench set-up, not a service path: thousands per second where the API would take minutes)."""

import json
import os
import subprocess
import time
import uuid
from pathlib import Path

from tests.api import Api, Http
from tests.benchmarks.progress import say
from tests.factories import PASSWORD, family_fields, volunteer_fields

FAMILIES = 8  # signed up through the API (a password hash each: slow on purpose); children dealt round them
TREE_SEED = Path(__file__).resolve().parent / "tree_seed.py"


def in_tree(stack, request):
    """tree_seed.py's answer to `request`, run with the models of the stack's tree."""
    env = dict(os.environ, PYTHONPATH=str(stack.tree.path))
    done = subprocess.run(
        [stack.tree.python, "-P", str(TREE_SEED)],
        cwd=stack.tree.path,
        env=env,
        input=json.dumps(dict(request, url=stack.urls["bookings"])),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"tree_seed.py {request['op']} failed in {stack.tree.path}:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


UNAVAILABLE = (502, 503, 504)
ATTEMPTS = 5


def signed_up(api, path, make_fields):
    """POST `path` with make_fields(a new email) until a 201 (a stack still busy with a previous
    load may answer 503: a new email each time, in case the refused one went through later)."""
    for attempt in range(ATTEMPTS):
        fields = make_fields(email=f"banc-{uuid.uuid4().hex[:10]}@example.fr", password=PASSWORD)
        answer = api.post(path, json=fields)
        if answer.status_code not in UNAVAILABLE or attempt == ATTEMPTS - 1:
            break
        time.sleep(3)
    assert answer.status_code == 201, answer.text
    return fields, answer.json()


def sign_up_family(base):
    """A family signed up through the API: (its id, its bearer token)."""
    api = Api(Http(base, timeout=60))
    fields, profile = signed_up(api, "/api/v1/families", family_fields)
    token = api.post("/api/v1/auth/token", json={"email": fields["email"], "password": PASSWORD}).json()["token"]
    return profile["id"], token


def sign_up_volunteer(base):
    """A volunteer signed up through the API, then signed in: the Api as them."""
    api = Api(Http(base, timeout=60))
    fields, _ = signed_up(api, "/api/v1/volunteers", volunteer_fields)
    return api.signed_in(fields)


def prepare_bookings(stack, path, count, per_slot=1, places=10):
    """Write `count` booking requests to `path` ("token<TAB>body" lines): a new child each, a new
    slot every `per_slot` requests."""
    started = time.monotonic()
    while len(stack.families) < FAMILIES:
        stack.families.append(sign_up_family(stack.base))
    request = {"op": "requests", "tokens": dict(stack.families), "count": count, "per_slot": per_slot}
    in_tree(stack, dict(request, places=places, out=str(path)))
    say(f"{stack.label}: prepared {count} booking requests in {time.monotonic() - started:.1f} s")
    return path


def booking_pairs(stack, family, count):
    """`count` (slot id, child id, first name) a family can book, each on a new slot of 10 places,
    each child with a first name of its own (which its notifications show)."""
    names = [f"Sonde{uuid.uuid4().hex[:8]}" for _ in range(count)]
    request = {"op": "requests", "tokens": {family[0]: family[1]}, "count": count, "out": None, "first_names": names}
    return [(p["slot_id"], p["child_id"], p["first_name"]) for p in in_tree(stack, request)["pairs"]]


def overbooked_slots(stack):
    """Slots holding more confirmed bookings than places, and the count of bookings per status."""
    answer = in_tree(stack, {"op": "overbooked"})
    return answer["over"], answer["statuses"]


def seed_bookings(stack, total):
    """Confirmed bookings for one family until the stack's database holds `total` bookings."""
    family_id = stack.families[0][0] if stack.families else None
    answer = in_tree(stack, {"op": "bookings", "total": total, "family_id": family_id})
    if not stack.families:
        stack.families.append((answer["family_id"], ""))
