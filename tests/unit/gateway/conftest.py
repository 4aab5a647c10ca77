"""The gateway app alone: its own SQLite database, a bootstrap staff account, a broker that is not there."""

from contextlib import contextmanager

import pytest
from flask import request

from services.gateway import auth
from services.gateway.app import create_app
from services.gateway.models import database
from shared import migrate
from shared.errors import Unavailable
from shared.vocabulary import ROLES
from tests.api import STAFF, STAFF_ENV


@pytest.fixture
def app(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    migrate.migrate("gateway", url)
    for name, value in STAFF_ENV.items():
        monkeypatch.setenv(name, value)
    return create_app({"GATEWAY_DATABASE_URL": url, "AMQP_URI": "amqp://guest:guest@127.0.0.1:1/"})


@pytest.fixture
def client(app):
    return app.test_client()


class RecordingServices:
    """Stands in for the services' RPC pool: records each call a view makes (service, method,
    arguments); a read (GET) gets an empty answer (an empty page from `list_*`), or what
    `answers[method]` holds, a write a 503."""

    def __init__(self):
        self.calls = []
        self.answers = {}

    @contextmanager
    def cluster(self, correlation_id=None, context=None):
        yield _RecordingProxy(self.calls, self.answers)

    def close(self):
        pass


class _RecordingProxy:
    def __init__(self, calls, answers):
        self._calls, self._answers = calls, answers

    def __getattr__(self, service):
        calls, answers = self._calls, self._answers

        class Service:
            def __getattr__(self, method):
                def call(*args):
                    calls.append((service, method, args))
                    if request.method != "GET":
                        raise Unavailable(Unavailable.default_message)
                    if method in answers:
                        return answers[method]
                    return {"items": [], "next_cursor": None} if method.startswith("list_") else {}

                return call

        return Service()


@pytest.fixture
def recorded_rpc(app):
    app.extensions["rpc_pool"] = recording = RecordingServices()
    return recording


@pytest.fixture
def role_headers(app, client):
    """{role: Authorization header} for one signed-in account of each role."""
    with app.app_context(), database.connection_context():
        for role in ROLES:
            if role != "staff":
                auth.create_account(f"{role}@example.fr", STAFF["password"], role, subject_id=f"{role}-1")
    emails = dict({role: f"{role}@example.fr" for role in ROLES}, staff=STAFF["email"])
    return {
        role: {
            "Authorization": "Bearer "
            + client.post("/api/v1/auth/token", json={"email": email, "password": STAFF["password"]}).json["token"]
        }
        for role, email in emails.items()
    }
