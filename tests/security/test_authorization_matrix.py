"""Every route × every role that may call it × another person's ids, generated from the app's
route table (app.url_map), so a new route cannot be forgotten. tests/unit/gateway/test_route_access.py
checks the roles; this checks ownership: a family, a trainee or a volunteer naming someone
else's record either gets a 403/404 from the gateway, or the service is told who is asking
(the caller's account or profile id is in every call it makes) so that it can refuse. Staff act
for everyone. A resource every holder of a role may read is listed in SHARED, with why."""

import re

import pytest

from services.gateway.routing import ROUTES
from shared.vocabulary import ROLES

OTHER = "someone-else-1"
OWN_ROLES = [role for role in ROLES if role != "staff"]

# (method, rule) -> why a caller of that role may name any id: the resource is not a person's.
SHARED = {
    ("GET", "/api/v1/activities/<activity_id>"): "the venue's calendar, read by every signed-in person",
    ("GET", "/api/v1/courses/<course_id>"): "the training catalogue",
    ("GET", "/api/v1/sessions/<session_id>"): "a training session open to trainees and volunteers",
}


def rules(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(("/api/v1", "/calendar/")):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, rule.rule


def declared(method, rule):
    return next(r for r in ROUTES if r.prefix + r.path == rule and r.method == method)


def url_of(rule, route):
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "2030-01" if m.group(1) in ("month",) else OTHER, rule)
    path = path.replace(f"{OTHER}.ics", f"{OTHER}-{'0' * 32}.ics")  # a calendar secret of the right shape
    if route.query is None:
        return path
    ids = [f.data_key or name for name, f in route.query().fields.items() if name.endswith("_id")]
    return path + ("?" + "&".join(f"{name}={OTHER}" for name in ids) if ids else "")


def carries(value, identities):
    if isinstance(value, dict):
        return any(carries(v, identities) for v in value.values())
    if isinstance(value, list | tuple):
        return any(carries(v, identities) for v in value)
    return value in identities


def test_the_matrix_covers_every_route_of_the_app(app):
    """The matrix below is built from ROUTES when the tests are collected: the app serves those
    routes and no other, so a route added any other way fails here."""
    assert set(rules(app)) == {(route.method, route.prefix + route.path) for route in ROUTES}
    assert len(ROUTES) >= 90


def names_an_id(route):
    query_ids = route.query is not None and any(name.endswith("_id") for name in route.query().fields)
    return "<" in route.path or query_ids


def matrix():
    for route in filter(names_an_id, ROUTES):
        for role in OWN_ROLES:
            if not route.roles or role in route.roles:
                yield pytest.param(
                    route.method, route.prefix + route.path, role, id=f"{role}-{route.method}-{route.path}"
                )


@pytest.mark.parametrize("method, rule, role", list(matrix()))
def test_someone_else_s_ids_are_refused_or_the_service_is_told_who_asks(
    client, role_headers, accounts, services, method, rule, role
):
    route = declared(method, rule)
    del services.calls[:]
    body = {"json": {}} if method in ("POST", "PATCH", "PUT") else {}
    if route.upload:  # a file as the body (an absence's certificate): non-empty, so the service is asked
        body = {"data": b"%PDF-1.4\n", "content_type": "application/pdf"}
    response = client.open(url_of(rule, route), method=method, headers=role_headers[role], **body)
    if response.status_code in (403, 404) or (method, rule) in SHARED:
        return
    account = accounts[role]
    identities = {account.id, account.subject_id}
    blind = [(service, name) for service, name, args in services.calls if not carries(args, identities)]
    assert not blind, f"{role} {method} {rule}: the service is not told who asks in {blind}"
    if not services.calls and "<" in rule:
        pytest.fail(f"{role} {method} {rule} answered {response.status_code} for someone else's id without asking")
