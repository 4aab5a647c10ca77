"""Who may call each route is declared once (`api_route(..., roles=...)`): what the gateway
enforces is what /api/openapi.json documents (no broker: services are stood in for)."""

import re
from types import SimpleNamespace

import pytest
from flask import Blueprint

from services.gateway import access, auth
from services.gateway.routing import api_route
from shared.vocabulary import ROLES, STAFF_ROLES
from tests.unit.gateway.conftest import NO_STAFF_ROLE, PEOPLE, bearer_of

REVOKES_ITS_TOKEN = ("DELETE", "/api/v1/auth/token")


def operations(client):
    for path, methods in client.get("/api/openapi.json").json["paths"].items():
        for method, operation in methods.items():
            yield path, method.upper(), operation


def call(client, path, method, headers=None):
    url = re.sub(r"{\w+}", "x-1", path)
    return client.open(url, method=method, headers=headers or {}, json={} if method in ("POST", "PATCH") else None)


def person(role):
    """The account role_headers signed in as `role`, as the access rule sees it."""
    if role in STAFF_ROLES:
        return SimpleNamespace(role="staff", staff_roles=[role])
    if role == NO_STAFF_ROLE:
        return SimpleNamespace(role="staff", staff_roles=[])
    return SimpleNamespace(role=role, staff_roles=["director"] if role == "staff" else [])


def test_every_route_answers_each_role_as_its_document_says(client, role_headers, recorded_rpc):
    checked = 0
    for path, method, operation in operations(client):
        allowed = operation["x-roles"]
        anonymous = call(client, path, method)
        if allowed:
            assert (anonymous.status_code, anonymous.json["error"]["code"]) == (401, "unauthorized"), (method, path)
        else:
            assert anonymous.status_code not in (401, 403, 500), (method, path, anonymous.json)
        for role in PEOPLE:
            response = call(client, path, method, role_headers[role])
            if not allowed or access.refusal(person(role), tuple(allowed)) is None:
                assert response.status_code not in (401, 403, 500), (method, path, role, response.json)
            else:
                assert (response.status_code, response.json["error"]["code"]) == (403, "forbidden"), (
                    method,
                    path,
                    role,
                )
            if (method, path) == REVOKES_ITS_TOKEN:
                role_headers[role] = bearer_of(client, role)  # the routes after it need a token that works
        checked += 1
    assert checked >= 25


def test_the_document_says_who_may_call_each_route(client):
    documented = {(method, path): operation for path, method, operation in operations(client)}
    assert documented[("POST", "/api/v1/rooms")]["x-roles"] == ["director"]
    assert documented[("POST", "/api/v1/rooms")]["security"] == [{"bearer": []}]
    assert documented[("GET", "/api/v1/rooms")]["x-roles"] == list(ROLES)  # any signed-in account
    assert documented[("GET", "/api/v1/fees/quote")]["x-roles"] == []  # anyone
    assert "security" not in documented[("GET", "/api/v1/fees/quote")]


def test_every_api_route_of_the_app_is_in_the_document(app, client):
    documented = {(method, path) for path, method, _ in operations(client)}
    served = {
        (method, re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(("/api/v1", "/calendar/"))  # the calendar feeds too, outside /api/v1
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert served == documented


def test_a_route_must_say_who_may_call_it():
    bp = Blueprint("declarations", __name__)
    with pytest.raises(TypeError):
        api_route(bp, "/nobody-said", "GET", "Sans rôles")(lambda: None)
    with pytest.raises(ValueError, match="admin"):
        api_route(bp, "/unknown-role", "GET", "Rôle inconnu", roles=("admin",))(lambda: None)
    assert auth.PUBLIC == () and auth.SIGNED_IN == ROLES


# What each staff role may do, said once here in plain cases (the matrix above follows the document).
REFUSED = {
    "educator": [("GET", "/api/v1/invoices"), ("GET", "/api/v1/billing/balances"), ("GET", "/api/v1/audit")],
    "accounting": [("POST", "/api/v1/bookings/x-1/check-in"), ("POST", "/api/v1/contracts/x-1/check-in")],
    "coordinator": [("GET", "/api/v1/audit"), ("POST", "/api/v1/accounts/x-1/deactivate"), ("GET", "/api/v1/invoices")],
    "trainer": [("GET", "/api/v1/volunteers"), ("POST", "/api/v1/childcare-slots")],
    NO_STAFF_ROLE: [("GET", "/api/v1/families"), ("POST", "/api/v1/sessions"), ("GET", "/api/v1/staff")],
}
OPENED = {
    "educator": [("POST", "/api/v1/bookings/x-1/check-in"), ("GET", "/api/v1/children/x-1/incidents")],
    "accounting": [("GET", "/api/v1/invoices"), ("POST", "/api/v1/billing/2026-03/close")],
    "coordinator": [("GET", "/api/v1/volunteers"), ("POST", "/api/v1/placements")],
    "trainer": [("POST", "/api/v1/sessions"), ("GET", "/api/v1/reports/bpf/2026")],
    NO_STAFF_ROLE: [("GET", "/api/v1/me"), ("GET", "/api/v1/notifications")],
}


@pytest.mark.parametrize("role", sorted(REFUSED))
def test_a_staff_role_is_refused_what_belongs_to_another(client, role_headers, recorded_rpc, role):
    for method, path in REFUSED[role]:
        response = call(client, path, method, role_headers[role])
        assert (response.status_code, response.json["error"]["code"]) == (403, "forbidden"), (role, method, path)


@pytest.mark.parametrize("role", sorted(OPENED))
def test_a_staff_role_opens_its_own_routes(client, role_headers, recorded_rpc, role):
    for method, path in OPENED[role]:
        assert call(client, path, method, role_headers[role]).status_code not in (401, 403, 500), (role, method, path)


def test_the_director_passes_every_route_open_to_some_staff(client, role_headers, recorded_rpc):
    for path, method, operation in operations(client):
        if any(role in operation["x-roles"] for role in ("staff", *STAFF_ROLES)):
            assert call(client, path, method, role_headers["director"]).status_code not in (401, 403, 500), (
                method,
                path,
            )
            if (method, path) == REVOKES_ITS_TOKEN:
                role_headers["director"] = bearer_of(client, "director")
