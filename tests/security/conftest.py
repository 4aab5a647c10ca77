"""The gateway alone, as tests/unit/gateway builds it (one app per module: the requests here are
refused and change nothing), with stand-ins for the services that validate what they are sent
with the route's published schemas, as every service does first."""

from contextlib import contextmanager

import pytest
from flask import request

from services.gateway import auth
from services.gateway.app import create_app
from services.gateway.models import Account, database
from services.gateway.routing import ROUTES
from shared import migrate
from shared.errors import load
from shared.vocabulary import ROLES
from tests.api import STAFF, STAFF_ENV


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('gateway') / 'gateway.db'}"
    migrate.migrate("gateway", url)
    with pytest.MonkeyPatch.context() as environment:
        for name, value in STAFF_ENV.items():
            environment.setenv(name, value)
        return create_app({"GATEWAY_DATABASE_URL": url, "AMQP_URI": "amqp://guest:guest@127.0.0.1:1/"})


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def accounts(app):
    """{role: its Account}: one signed-in account of each role, the staff one made at start."""
    with app.app_context(), database.connection_context():
        for role in ROLES:
            if role != "staff":
                auth.create_account(f"{role}@example.fr", STAFF["password"], role, subject_id=f"{role}-1")
        return {role: Account.get(Account.role == role) for role in ROLES}


@pytest.fixture(scope="module")
def role_headers(client, accounts):
    """{role: Authorization header} for the account of each role."""
    tokens = {}
    for role, account in accounts.items():
        answer = client.post("/api/v1/auth/token", json={"email": account.email, "password": STAFF["password"]})
        tokens[role] = {"Authorization": "Bearer " + answer.json["token"]}
    return tokens


class ValidatingServices:
    """Records each call, then checks its body or query with the route's In or Query schema
    (shared.errors.load: a 422 naming the field, as the service answers). What passes gets an
    empty answer, so a bad input that nothing refuses shows as a 2xx, never hidden by a 503."""

    def __init__(self):
        self.calls = []

    @contextmanager
    def cluster(self, correlation_id=None, context=None):
        yield _Proxy(self.calls)

    def close(self):
        pass


class _Proxy:
    def __init__(self, calls):
        self._calls = calls

    def __getattr__(self, service):
        return _Service(self._calls, service)


class _Service:
    def __init__(self, calls, name):
        self._calls, self._name = calls, name

    def __getattr__(self, method):
        def call(*args):
            self._calls.append((self._name, method, args))
            route = route_of_request()
            for value in args:
                if isinstance(value, dict) and route is not None:
                    _validate(route, value)
            return {"items": [], "next_cursor": None} if method.startswith("list_") else {}

        return call


def route_of_request():
    rule = request.url_rule.rule if request.url_rule else None
    return next((r for r in ROUTES if r.prefix + r.path == rule and r.method == request.method), None)


def _validate(route, value):
    if route.query is not None and request.method == "GET":
        load(route.query(), value)
    elif route.body is not None:
        data = {key: item for key, item in value.items() if key != "id"}  # a sign-up's id, set by the gateway
        load(route.body(), data, partial=() if "password" in data else ("password",))  # kept by the gateway


@pytest.fixture
def services(app):  # noqa: F811
    app.extensions["rpc_pool"] = validating = ValidatingServices()
    return validating
