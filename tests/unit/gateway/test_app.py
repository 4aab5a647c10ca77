"""The gateway app alone (no broker, no services): error shape, auth, OpenAPI, pages."""

from tests.unit.gateway.conftest import STAFF


def test_bootstrap_staff_can_sign_in_and_wrong_passwords_cannot(client):
    ok = client.post("/api/v1/auth/token", json=STAFF)
    assert ok.status_code == 200
    assert ok.json["role"] == "staff" and len(ok.json["token"]) >= 40
    for creds in (dict(STAFF, password="nope-nope"), dict(STAFF, email="inconnu@example.fr")):
        refused = client.post("/api/v1/auth/token", json=creds)
        assert refused.status_code == 401
        assert refused.json["error"]["code"] == "unauthorized"


def test_tokens_are_checked(client):
    assert client.get("/api/v1/rooms").status_code == 401
    assert client.get("/api/v1/rooms", headers={"Authorization": "Bearer forged"}).status_code == 401
    assert client.get("/api/v1/rooms", headers={"Authorization": "Basic abc"}).status_code == 401


def test_errors_have_one_shape_in_french(client):
    for response in (
        client.get("/api/v1/nowhere"),
        client.delete("/api/v1/rooms"),
        client.post("/api/v1/auth/token", data="{", content_type="application/json"),
        client.post("/api/v1/auth/token", json=["not", "an", "object"]),
        client.post("/api/v1/auth/token", json={"email": "pas-une-adresse"}),
    ):
        error = response.json["error"]
        assert set(error) == {"code", "message", "fields"}
        assert response.status_code in (400, 404, 405, 422)
    invalid = client.post("/api/v1/auth/token", json={"email": "pas-une-adresse"}).json["error"]["fields"]
    assert invalid == {"email": ["Adresse e-mail invalide."], "password": ["Ce champ est obligatoire."]}


def test_services_unreachable_is_503_with_nothing_half_done(client):
    staff = {"Authorization": "Bearer " + client.post("/api/v1/auth/token", json=STAFF).json["token"]}
    response = client.post("/api/v1/rooms", json={"name": "X", "kind": "other", "capacity": 3}, headers=staff)
    assert response.status_code == 503
    assert response.json["error"]["code"] == "unavailable"
    signup = client.post("/api/v1/volunteers", json={"email": "v@example.fr", "password": "jardins-partages"})
    assert signup.status_code == 503
    again = client.post("/api/v1/auth/token", json={"email": "v@example.fr", "password": "jardins-partages"})
    assert again.status_code == 401  # no account was left behind


def test_readyz_names_the_broker_when_it_is_down(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "broker" in response.json["failed"]
    assert client.get("/healthz").json == {"status": "ok"}


def test_openapi_document_lists_the_contract_paths(client):
    spec = client.get("/api/openapi.json").json
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    for path, method in [
        ("/api/v1/auth/token", "post"),
        ("/api/v1/rooms", "get"),
        ("/api/v1/activities", "post"),
        ("/api/v1/activities/{activity_id}", "patch"),
        ("/api/v1/childcare-slots", "post"),
        ("/api/v1/bookings", "post"),
        ("/api/v1/bookings/{booking_id}/check-in", "post"),
        ("/api/v1/fees/quote", "get"),
        ("/api/v1/families/me/statements/{month}", "get"),
        ("/api/v1/opportunities", "get"),
        ("/api/v1/volunteers", "post"),
    ]:
        assert method in paths[path], (path, method)
    body = paths["/api/v1/activities"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/ActivityIn"}
    assert "starts_at" in spec["components"]["schemas"]["ActivityIn"]["properties"]


def test_home_page_is_french_and_links_the_api(client):
    page = client.get("/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert '<html lang="fr">' in text and "/api/openapi.json" in text
