"""The ownership matrix (test_authorization_matrix.py) for one account holding two roles, a parent
who is also a trainee: on every route naming someone else's id that only one of its roles opens,
the gateway refuses, or tells the service who asks with that role's record, never the other
role's (each space sees its own data and nothing more; docs/accounts-rules.md, "Several roles")."""

import pytest

from services.gateway import account_roles, auth
from services.gateway.models import Account, database
from services.gateway.routing import ROUTES
from tests.api import STAFF
from tests.security.test_authorization_matrix import SHARED, carries, declared, names_an_id, url_of

EMAIL = "parent-stagiaire@example.fr"
RECORDS = {"family": "family-of-two", "trainee": "trainee-of-two"}


@pytest.fixture(scope="module")
def two_roles(app, client):
    """(the account, its Authorization header): a family that is also a trainee."""
    with app.app_context(), database.connection_context():
        auth.create_account(EMAIL, STAFF["password"], "family", subject_id=RECORDS["family"])
        account, _ = account_roles.grant_role(EMAIL, "trainee", RECORDS["trainee"])
        account = Account.get_by_id(account.id)
    token = client.post("/api/v1/auth/token", json={"email": EMAIL, "password": STAFF["password"]}).json["token"]
    return account, {"Authorization": f"Bearer {token}"}


def one_role_routes():
    for route in filter(names_an_id, ROUTES):
        opened = [role for role in RECORDS if role in route.roles]
        if len(opened) == 1:
            yield pytest.param(route.method, route.prefix + route.path, opened[0], id=f"{route.method}-{route.path}")


@pytest.mark.parametrize("method, rule, role", list(one_role_routes()))
def test_a_parent_also_a_trainee_is_known_on_each_route_by_the_record_of_its_role(
    client, two_roles, services, method, rule, role
):
    account, headers = two_roles
    route = declared(method, rule)
    del services.calls[:]
    body = {"json": {}} if method in ("POST", "PATCH", "PUT") else {}
    if route.upload:
        body = {"data": b"%PDF-1.4\n", "content_type": "application/pdf"}
    response = client.open(url_of(rule, route), method=method, headers=headers, **body)
    if response.status_code in (403, 404) or (method, rule) in SHARED:
        return
    other = next(r for r in RECORDS if r != role)
    told = [args for _, _, args in services.calls]
    assert all(carries(args, {account.id, RECORDS[role]}) for args in told), (method, rule, told)
    assert not carries(told, {RECORDS[other]}), f"{method} {rule}: the {other}'s record reached a {role} route"
