"""No database error reaches a client as a bare 500: the gateway's own database or a service's
is a 503 "unavailable" with a French message (no broker, no services)."""

import peewee
import psycopg2.errors
import pytest
from nameko.exceptions import RemoteError
from playhouse.pool import MaxConnectionsExceeded

from services.gateway.models import database
from shared.errors import Unavailable
from tests.unit.gateway.conftest import STAFF

FAILURES = {
    "lost": peewee.OperationalError("server closed the connection unexpectedly"),
    "closed": peewee.InterfaceError("connection already closed"),
    "pool": MaxConnectionsExceeded("Max connections exceeded, timed out attempting to connect."),
    "locked": peewee.OperationalError("database is locked"),
    "service": Unavailable(Unavailable.default_message),
    "older_service": RemoteError("OperationalError", "could not connect to server"),
    "deadlock": psycopg2.errors.DeadlockDetected("deadlock detected"),
}


@pytest.fixture
def app(app):
    def fail(kind):
        raise FAILURES[kind]

    app.add_url_rule("/api/test-failure/<kind>", view_func=fail)  # an API path: errors in JSON
    return app


@pytest.mark.parametrize("kind", sorted(FAILURES))
def test_a_database_failure_is_a_503_with_a_french_message(app, kind):
    response = app.test_client().get(f"/api/test-failure/{kind}")
    assert response.status_code == 503
    error = response.json["error"]
    assert error["code"] == "unavailable"
    assert "réessayez" in error["message"]
    assert "connection" not in error["message"] and "database" not in error["message"]


def test_signing_in_while_the_gateway_database_has_lost_its_tables_is_a_503_not_a_500(app):
    with database.connection_context():
        database.execute_sql("DROP TABLE token")
    response = app.test_client().post("/api/v1/auth/token", json=STAFF)
    assert response.status_code == 503
    assert response.json["error"]["code"] == "unavailable"


def test_other_unexpected_errors_stay_a_500(app):
    app.add_url_rule("/api/test-bug", view_func=lambda: 1 / 0)
    response = app.test_client().get("/api/test-bug")
    assert response.status_code == 500
    assert response.json["error"]["code"] == "internal"
