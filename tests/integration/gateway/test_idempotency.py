"""Idempotency-Key through the gateway on the real broker (and PostgreSQL for the twin race):
a retry gets the first answer without a second effect, whatever the first attempt left behind."""

from contextlib import contextmanager

import eventlet
import psycopg2
import pytest
from nameko.exceptions import RpcTimeout

from services.bookings import models as bookings_models
from services.bookings.service import BookingsService
from services.gateway import sign_ups
from services.gateway.models import Account
from services.volunteers.service import VolunteersService
from tests.factories import PASSWORD, child_fields, family_fields, sign_up_family
from tests.support import wait_for

CHILD = child_fields(first_name="Léa")


@pytest.fixture
def running(container_factory, service_config):
    for cls in (BookingsService, VolunteersService):
        container_factory(cls, service_config).start()


def children(family):
    return family.get("/api/v1/families/me").json["children"]


def test_a_retried_add_child_with_the_same_key_makes_one_child_and_answers_the_same(running, api):
    _, family = sign_up_family(api)
    first = family.post("/api/v1/families/me/children", json=CHILD, key="form-child-1")
    again = family.post("/api/v1/families/me/children", json=CHILD, key="form-child-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json == first.json
    assert [c["id"] for c in children(family)] == [first.json["id"]]


def test_a_request_without_a_key_after_one_with_a_key_is_a_new_command(running, api):
    """The pooled RPC proxy must not carry the previous request's key."""
    _, family = sign_up_family(api)
    keyed = family.post("/api/v1/families/me/children", json=CHILD, key="k1")
    plain = family.post("/api/v1/families/me/children", json=CHILD)
    assert (keyed.status_code, plain.status_code) == (201, 201)
    assert plain.json["id"] != keyed.json["id"]
    assert len(children(family)) == 2


def test_the_same_key_with_another_body_is_a_422_and_changes_nothing(running, api):
    _, family = sign_up_family(api)
    assert family.post("/api/v1/families/me/children", json=CHILD, key="form-child-2").status_code == 201
    refused = family.post("/api/v1/families/me/children", json=dict(CHILD, first_name="Léo"), key="form-child-2")
    assert refused.status_code == 422
    error = refused.json["error"]
    assert error["code"] == "validation_failed"
    assert error["message"].startswith("Cette clé d'idempotence a déjà servi")
    assert list(error["fields"]) == ["Idempotency-Key"]
    assert [c["first_name"] for c in children(family)] == ["Léa"]


def test_two_accounts_may_send_the_same_key_without_seeing_each_others_answer(running, api):
    (_, one), (_, two) = sign_up_family(api), sign_up_family(api)
    first = one.post("/api/v1/families/me/children", json=CHILD, key="same")
    second = two.post("/api/v1/families/me/children", json=CHILD, key="same")
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json["id"] != second.json["id"]
    assert len(children(one)) == len(children(two)) == 1


@pytest.fixture
def answer_lost_once(monkeypatch):
    """The first sign-up's RPC commits in the service, then the gateway gets no answer in time."""
    real = sign_ups.services
    lost = []

    @contextmanager
    def services():
        with real() as rpc:
            yield rpc
        if not lost:
            lost.append(True)
            raise RpcTimeout(5)

    monkeypatch.setattr(sign_ups, "services", services)
    return lost


def test_a_sign_up_that_timed_out_after_the_profile_was_stored_completes_on_retry(running, api, answer_lost_once):
    body = family_fields(email="retry@example.fr", password=PASSWORD)
    first = api.post("/api/v1/families", json=body, key="sign-up-form-1")
    assert first.status_code == 503 and answer_lost_once  # the profile is stored, the account is not
    assert not Account.select().where(Account.email == "retry@example.fr").exists()

    retried = api.post("/api/v1/families", json=body, key="sign-up-form-1")
    assert retried.status_code == 201, retried.json
    me = api.signed_in(body).get("/api/v1/families/me")
    assert me.json["id"] == retried.json["id"]

    again = api.post("/api/v1/families", json=body, key="sign-up-form-1")  # a retry after it all worked
    assert (again.status_code, again.json) == (201, retried.json)
    assert Account.select().where(Account.email == "retry@example.fr").count() == 1


def test_a_completed_sign_up_retried_with_another_password_or_without_the_key_is_refused(running, api):
    body = family_fields(password=PASSWORD)
    assert api.post("/api/v1/families", json=body, key="sign-up-form-2").status_code == 201
    other_password = api.post("/api/v1/families", json=dict(body, password="un-autre-secret"), key="sign-up-form-2")
    assert other_password.status_code == 422
    assert list(other_password.json["error"]["fields"]) == ["Idempotency-Key"]
    other_profile = api.post("/api/v1/families", json=dict(body, monthly_resources="900"), key="sign-up-form-2")
    assert other_profile.status_code == 422
    assert api.post("/api/v1/families", json=body).status_code == 409


# --- twin requests at the same moment, on PostgreSQL -----------------------------------------------
@pytest.fixture
def bookings_on_postgres(start_on_postgres, postgres_url):
    start_on_postgres(BookingsService, max_workers=4)
    return postgres_url


def backends_waiting_for_a_lock(url):
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cur.fetchone()[0]


@pytest.fixture
def child_created_only_once_a_twin_waits(monkeypatch, bookings_on_postgres):
    """The first add_child pauses before creating the child until another database session waits
    for a lock (its twin, blocked by the claimed key): both are in flight at once. Without
    idempotency nothing ever waits: after 3 s (under the RPC timeout) both go on."""
    original = bookings_models.Child.create
    seen = []

    def create(**fields):
        try:
            seen.append(
                wait_for(
                    lambda: backends_waiting_for_a_lock(bookings_on_postgres),
                    timeout=3,
                    message="a twin waiting for a lock",
                )
            )
        except AssertionError:
            seen.append(0)
        return original(**fields)

    monkeypatch.setattr(bookings_models.Child, "create", create)
    return seen


def test_twin_requests_with_the_same_key_at_the_same_moment_have_one_effect_on_postgresql(
    bookings_on_postgres, client, api, child_created_only_once_a_twin_waits
):
    _, family = sign_up_family(api)
    twins = [
        eventlet.spawn(
            family.on(client.application.test_client()).post, "/api/v1/families/me/children", json=CHILD, key="twin-key"
        )
        for _ in range(2)
    ]
    first, second = [twin.wait() for twin in twins]
    assert (first.status_code, second.status_code) == (201, 201), (first.json, second.json)
    assert first.json == second.json
    assert [c["id"] for c in children(family)] == [first.json["id"]]
    assert child_created_only_once_a_twin_waits == [1]  # one child made, while its twin was waiting
