"""X-Request-ID and Idempotency-Key as the gateway reads them (no broker, no services)."""

import pytest

from shared import logs
from tests.unit.gateway.conftest import STAFF


def test_a_safe_request_id_is_echoed(client):
    response = client.get("/healthz", headers={"X-Request-ID": "demande-42.a_b"})
    assert response.headers["X-Request-ID"] == "demande-42.a_b"


@pytest.mark.parametrize("sent", ["x" * 200, "x" * 65, "deux mots", "<script>"])
def test_an_unsafe_request_id_is_replaced_by_a_new_one(client, sent):
    echoed = client.get("/healthz", headers={"X-Request-ID": sent}).headers["X-Request-ID"]
    assert echoed != sent and logs.SAFE_CORRELATION_ID.fullmatch(echoed)


@pytest.mark.parametrize("key", ["", "k" * 65, "clé", "a b"])
def test_a_malformed_idempotency_key_is_a_422_in_french_before_anything_runs(client, key):
    response = client.post(
        "/api/v1/staff",
        headers={"Idempotency-Key": key},
        json={
            "email": "nouvelle@example.fr",
            "password": "mot-de-passe-long",
            "first_name": "Anne",
            "last_name": "Lenoir",
        },
    )
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "validation_failed"
    assert error["message"] == "L'en-tête Idempotency-Key n'est pas valide."
    assert list(error["fields"]) == ["Idempotency-Key"]
    assert logs.SAFE_CORRELATION_ID.fullmatch(response.headers["X-Request-ID"])


def test_reads_ignore_the_idempotency_key(client):
    assert client.get("/healthz", headers={"Idempotency-Key": "not valid but ignored"}).status_code == 200


def staff_headers(client, key=None):
    token = client.post("/api/v1/auth/token", json=STAFF).json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    if key:
        headers["Idempotency-Key"] = key
    return headers


NEW_STAFF = {
    "email": "nouvelle@example.fr",
    "password": "mot-de-passe-long",
    "first_name": "Anne",
    "last_name": "Lenoir",
}


def test_a_retried_staff_creation_gives_the_first_answer_and_one_account(client, team_profiles):
    headers = staff_headers(client, key="staff-form-1")
    first = client.post("/api/v1/staff", json=NEW_STAFF, headers=headers)
    again = client.post("/api/v1/staff", json=NEW_STAFF, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json == first.json
    plain_retry = client.post("/api/v1/staff", json=NEW_STAFF, headers=staff_headers(client))
    assert plain_retry.status_code == 409  # without the key it is a new request, refused as before


@pytest.mark.parametrize("change", [{"last_name": "Leblanc"}, {"password": "un-autre-mot-de-passe"}])
def test_the_same_key_for_another_staff_creation_is_a_422(client, change, team_profiles):
    headers = staff_headers(client, key="staff-form-2")
    assert client.post("/api/v1/staff", json=NEW_STAFF, headers=headers).status_code == 201
    refused = client.post("/api/v1/staff", json=dict(NEW_STAFF, **change), headers=headers)
    assert refused.status_code == 422
    assert list(refused.json["error"]["fields"]) == ["Idempotency-Key"]
