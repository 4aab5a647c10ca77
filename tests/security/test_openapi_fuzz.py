"""The JSON API as /api/openapi.json describes it, fuzzed by schemathesis against the running venue
(the processes `make run` starts, tests/venue.py) with a staff token: every operation with
generated requests, valid and invalid (an operation only a family, a trainee or a volunteer may
call is sent with such an account's token), then stateful scenarios that follow the links between
operations (a room created, then its id in an activity, the activity read, moved, cancelled…).

Each answer must be no 5xx (`not_a_server_error`), a documented status
(`status_code_conformance`) and a body that matches the documented schema of that status
(`response_schema_conformance`), with no field the document does not name (`closed_answers`).

Bounded by settings (environment variables), so the suite runs in minutes on a busy machine:
COCOON_FUZZ_EXAMPLES generated requests per operation (default 15, besides schemathesis's
boundary cases), COCOON_FUZZ_SCENARIOS stateful scenarios (default 40) of at most
COCOON_FUZZ_STEPS calls each (default 8). Part of `make test-proof`, not of `make test`. Every
answer's status, per operation, is written to test-artifacts/openapi-fuzz.txt.
"""

import copy
import json
import os
import re
import time
from collections import Counter, defaultdict
from datetime import timedelta

import hypothesis
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase
from hypothesis.errors import Flaky
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

import services.gateway.api  # noqa: F401  (registers every route of the document)
from services.gateway import openapi
from shared.vocabulary import STAFF_ROLES
from tests.api import Api, Http
from tests.dates import DAY, at
from tests.factories import (
    activity_fields,
    child_fields,
    contract_fields,
    course_fields,
    placement_fields,
    room_fields,
    sign_up_family,
    slot_fields,
    trainee_fields,
    volunteer_fields,
)
from tests.staff_on_duty import tell_venue
from tests.support import REPO
from tests.venue import amqp_uri, rabbit_vhost, shared_venue, staff_of

pytestmark = pytest.mark.proof

EXAMPLES = int(os.environ.get("COCOON_FUZZ_EXAMPLES", "15"))
SCENARIOS = int(os.environ.get("COCOON_FUZZ_SCENARIOS", "40"))
STEPS = int(os.environ.get("COCOON_FUZZ_STEPS", "8"))
UNAVAILABLE_TRIES = 3  # a 503 is tried again, as docs/api.md tells a client to; a third 503 is a failure
RESTARTS = 5  # scenario runs cut short by a replay that the venue's state made diverge
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
ARTIFACTS = REPO / "test-artifacts"
REQUEST_TIMEOUT = 30  # seconds: a busy machine answers slowly; a service that does not answer is a 503


def fuzz_settings(**bounds):
    """No wall-clock deadline (the machine is shared), no example database left in the tree, and no
    shrinking: against a live venue, a replay meets another state and each costs requests."""
    return hypothesis.settings(
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        **bounds,
    )


def closed_answers(document):
    """The document with every answer schema (…Out) closed (`additionalProperties: false`): an
    answer field the document does not name fails `response_schema_conformance`, where OpenAPI
    would let it pass. The requests' schemas stay as served."""
    document = copy.deepcopy(document)
    for name, component in document["components"]["schemas"].items():
        if re.search(r"Out\d*$", name) and "properties" in component:
            component["additionalProperties"] = False
    return document


# The document of the code the venue runs, read when the tests are collected so that each operation
# is a test of its own; test_the_venue_serves_the_document_fuzzed checks it is the one served.
schema = schemathesis.openapi.from_dict(closed_answers(openapi.document()))
# The staff token goes on every request; tokens made up by the generator would only meet the 401
# that tests/unit/gateway/test_route_access.py proves for every route.
schema.config.generation.update(max_examples=EXAMPLES, database="none", with_security_parameters=False)
# A scenario goes deep only through what was created: its steps send valid requests.
schema.config.phases.stateful.generation.update(modes=["positive"])


def for_staff(roles):
    """The venue's staff account (a director) passes wherever "staff" or any staff role does."""
    return "staff" in roles or any(role in STAFF_ROLES for role in roles)


# The operations only another role may call (a family's booking, a trainee's hours, a volunteer's
# sign-up): as staff they answer 403, which the operation's own test sees; a scenario's steps go
# to what staff may do.
NOT_FOR_STAFF = [
    f"{method.upper()} {path}"
    for path, operations in schema.raw_schema["paths"].items()
    for method, operation in operations.items()
    if operation["x-roles"] and not for_staff(operation["x-roles"])
]
# Who sends them in the per-operation test: an account of the first role the operation names.
ROLE_OF = {
    f"{method.upper()} {path}": operation["x-roles"][0]
    for path, operations in schema.raw_schema["paths"].items()
    for method, operation in operations.items()
    if operation["x-roles"] and not for_staff(operation["x-roles"])
}
# Revoking the token a request carries: sent with a token of its own each time (the staff token of
# every other request must live on), and left out of the scenarios.
ENDS_ITS_TOKEN = ["DELETE /api/v1/auth/token"]


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with rabbit_vhost("cocoon-fuzz") as vhost, shared_venue(tmp_path_factory.mktemp("var"), vhost) as base_url:
        tell_venue(amqp_uri(vhost), staff_of(base_url))  # the activities' leads, as team tells bookings
        yield base_url


@pytest.fixture(scope="module")
def answers():
    """{operation: Counter of statuses} of every request sent, written to test-artifacts/openapi-fuzz.txt at the end."""
    counted = defaultdict(Counter)
    yield counted
    lines = sorted(
        f"{label}: " + ", ".join(f"{n}×{status}" for status, n in sorted(c.items())) for label, c in counted.items()
    )
    total = sum(sum(c.values()) for c in counted.values())
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "openapi-fuzz.txt").write_text("\n".join([*lines, f"{total} requests"]) + "\n")


@pytest.fixture(scope="module")
def staff(stack):
    """The API signed in as the bootstrap staff account (once: sign-ins are limited per account)."""
    return staff_of(stack)


@pytest.fixture(scope="module")
def to_the_venue(stack, staff, seeded):
    """How every generated request is sent: to the running venue (with its seeded resources, so that
    lists answer items whose schema is checked), with the staff account's bearer token."""
    return {"base_url": stack, "headers": {"Authorization": staff.headers["Authorization"]}, "timeout": REQUEST_TIMEOUT}


@pytest.fixture(scope="module")
def seeded(stack, staff):
    """A few of each main resource, made through the API as staff, a family, as the venue has them:
    the lists the scenarios start from are not empty, so the links from a list to its items (an
    activity, a booking, a contract, a session, a family…) reach real ids, whose changes the
    scenarios then try (move, cancel, check in, accept, enrol…)."""
    tutor = staff.get("/api/v1/me").json()["id"]
    for day in (DAY, DAY + timedelta(days=1)):
        workshop = staff.created("/api/v1/rooms", room_fields())
        staff.created(
            "/api/v1/activities", activity_fields(workshop["id"], starts_at=at(9, day=day), ends_at=at(10, day=day))
        )
        nursery = staff.created("/api/v1/rooms", room_fields(kind="childcare", capacity=10))
        slot = staff.created(
            "/api/v1/childcare-slots", slot_fields(nursery["id"], starts_at=at(8, day=day), ends_at=at(12, day=day))
        )
        course = staff.created("/api/v1/courses", course_fields())
        parts = [{"starts_at": at(14, day=day), "ends_at": at(17, day=day)}]
        staff.created(
            "/api/v1/sessions",
            {
                "course_id": course["id"],
                "room_id": workshop["id"],
                "capacity": 8,
                "min_participants": 2,
                "parts": parts,
            },
        )
        _, family = sign_up_family(Api(Http(stack)))
        child = family.created("/api/v1/families/me/children", child_fields())
        family.created("/api/v1/bookings", {"slot_id": slot["id"], "child_id": child["id"]})
        family.created("/api/v1/contracts", contract_fields(child["id"], DAY, DAY + timedelta(days=90)))
        trainee_account = trainee_fields()
        trainee = staff.created("/api/v1/trainees", trainee_account)
        staff.created("/api/v1/placements", placement_fields(trainee["id"], tutor))
        volunteer_account = volunteer_fields()
        Api(Http(stack)).created("/api/v1/volunteers", volunteer_account)
    # The last family, trainee and volunteer made: the other roles' operations are fuzzed as them.
    return {
        "family": family.headers["Authorization"],
        "trainee": Api(Http(stack)).signed_in(trainee_account).headers["Authorization"],
        "volunteer": Api(Http(stack)).signed_in(volunteer_account).headers["Authorization"],
    }


def sent(case, to_the_venue):
    """The answer to `case`, after the retries docs/api.md asks of a client on a 503 `unavailable`
    (a service did not answer in time, nothing was done): on this busy machine a service may be late."""
    for _ in range(UNAVAILABLE_TRIES - 1):
        response = case.call(**to_the_venue)
        if response.status_code != 503:
            return response
        time.sleep(1)
    return case.call(**to_the_venue)


def test_the_venue_serves_the_document_fuzzed(stack):
    served = requests.get(f"{stack}/api/openapi.json", timeout=REQUEST_TIMEOUT)
    assert served.status_code == 200
    assert served.json() == json.loads(json.dumps(openapi.document()))


@schema.parametrize()
@fuzz_settings(max_examples=EXAMPLES)
def test_every_operation_answers_as_documented(case, to_the_venue, answers, stack, seeded):
    if case.operation.label in ENDS_ITS_TOKEN:
        to_the_venue = dict(to_the_venue, headers={"Authorization": staff_of(stack).headers["Authorization"]})
    elif case.operation.label in ROLE_OF:  # a family's, a trainee's or a volunteer's own operation
        to_the_venue = dict(to_the_venue, headers={"Authorization": seeded[ROLE_OF[case.operation.label]]})
    response = sent(case, to_the_venue)
    answers[case.operation.label][response.status_code] += 1
    case.validate_response(response, checks=CHECKS)


def test_scenarios_following_the_links_answer_as_documented(to_the_venue, answers):
    """Hypothesis replays a scenario's first steps to explore from there; the venue has changed since
    (a name now taken, an activity cancelled), so a replay may take another path and Hypothesis
    stops the run as flaky. Every failed check is kept when it happens, and the run goes on from a
    new start until SCENARIOS scenarios have run (RESTARTS at most)."""
    failures, ran = [], Counter()

    class Scenarios(schema.exclude(name=NOT_FOR_STAFF + ENDS_ITS_TOKEN).as_state_machine()):
        def setup(self):
            ran["scenarios"] += 1

        def call(self, case, **kwargs):
            return sent(case, to_the_venue)

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            answers[f"{case.operation.label} (scenario)"][response.status_code] += 1
            try:
                case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)
            except Exception as failure:
                failures.append(str(failure))  # with the curl command that reproduces it
                raise

    for _ in range(RESTARTS):
        try:
            Scenarios.run(settings=fuzz_settings(max_examples=SCENARIOS - ran["scenarios"], stateful_step_count=STEPS))
        except Flaky:
            if failures or ran["scenarios"] >= SCENARIOS:
                break
            continue
        except Exception:
            if not failures:
                raise
        break
    assert not failures, "\n\n".join(dict.fromkeys(failures))
