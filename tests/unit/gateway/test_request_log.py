"""Each request is one log line with how long it took, who asked (the account, when the request
knew it) and from which address, behind the trusted proxies the client's own."""

import logging

from tests.api import STAFF


def request_lines(caplog):
    return [r for r in caplog.records if r.getMessage() == "request"]


def test_a_signed_in_request_logs_its_duration_account_and_client_address(app, client, caplog):
    token = client.post("/api/v1/auth/token", json=STAFF).json["token"]
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="services.gateway.app"):
        client.get(
            "/api/v1/rooms", headers={"Authorization": f"Bearer {token}"}, environ_base={"REMOTE_ADDR": "203.0.113.7"}
        )
    (line,) = request_lines(caplog)
    assert line.path == "/api/v1/rooms" and line.client == "203.0.113.7"
    assert line.account_id and isinstance(line.duration_ms, float) and line.duration_ms >= 0


def test_an_anonymous_request_logs_no_account(app, client, caplog):
    with caplog.at_level(logging.INFO, logger="services.gateway.app"):
        client.get("/healthz")
    (line,) = request_lines(caplog)
    assert line.account_id is None and line.status == 200
