"""GET /api/v1/insights/summary: the pilot's bilan of a period for the director and the
coordinator, exact (the API is the staff's), the period checked at the gateway (422)."""

from tests.unit.gateway.insights_example import SUMMARY, InsightsStandIn

URL = "/api/v1/insights/summary"


def test_the_coordinator_gets_the_summary_of_the_period_with_exact_counts(app, client, role_headers):
    app.extensions["rpc_pool"] = stand_in = InsightsStandIn()
    answer = client.get(f"{URL}?from=2026-09-01&to=2026-11-30", headers=role_headers["coordinator"])
    assert answer.status_code == 200
    assert answer.json == SUMMARY
    assert answer.json["indicators"]["back_to_work_3_months"] == 1  # not masked: the staff's own figures
    assert stand_in.calls == [("summary", "2026-09-01", "2026-11-30")]


def test_without_a_period_the_service_chooses_it(app, client, role_headers):
    app.extensions["rpc_pool"] = stand_in = InsightsStandIn()
    assert client.get(URL, headers=role_headers["director"]).status_code == 200
    assert client.get(f"{URL}?to=2026-11-30", headers=role_headers["director"]).status_code == 200
    assert stand_in.calls == [("summary", None, None), ("summary", None, "2026-11-30")]


def test_a_period_of_one_day_is_accepted(app, client, role_headers):
    app.extensions["rpc_pool"] = InsightsStandIn()
    assert client.get(f"{URL}?from=2026-11-30&to=2026-11-30", headers=role_headers["director"]).status_code == 200


def test_a_period_that_ends_before_it_starts_is_refused_under_to(app, client, role_headers):
    app.extensions["rpc_pool"] = stand_in = InsightsStandIn()
    answer = client.get(f"{URL}?from=2026-12-01&to=2026-11-30", headers=role_headers["director"])
    assert answer.status_code == 422
    assert answer.json["error"]["fields"] == {"to": ["La fin de la période doit être le jour de son début ou après."]}
    assert stand_in.calls == []


def test_a_date_not_understood_is_refused_under_its_name(app, client, role_headers):
    app.extensions["rpc_pool"] = stand_in = InsightsStandIn()
    answer = client.get(f"{URL}?from=30/11/2026&to=2026-02-30", headers=role_headers["director"])
    assert answer.status_code == 422
    assert set(answer.json["error"]["fields"]) == {"from", "to"}
    assert "AAAA-MM-JJ" in answer.json["error"]["fields"]["from"][0]
    far = client.get(f"{URL}?from=0001-01-01", headers=role_headers["director"])
    assert far.status_code == 422 and "from" in far.json["error"]["fields"]
    assert stand_in.calls == []


def test_only_the_director_and_the_coordinator_may_read_it(app, client, role_headers):
    app.extensions["rpc_pool"] = stand_in = InsightsStandIn()
    for role in ("educator", "trainer", "accounting", "staff_without_role", "family", "volunteer", "trainee"):
        answer = client.get(URL, headers=role_headers[role])
        assert (answer.status_code, answer.json["error"]["code"]) == (403, "forbidden"), role
    assert client.get(URL).status_code == 401
    assert client.get(URL, headers=role_headers["staff"]).status_code == 200  # the bootstrap director
    assert len(stand_in.calls) == 1


def test_the_document_lists_the_route_with_its_roles_and_parameters(client):
    operation = client.get("/api/openapi.json").json["paths"][URL]["get"]
    assert operation["x-roles"] == ["director", "coordinator"]
    assert {parameter["name"] for parameter in operation["parameters"]} == {"from", "to"}


def test_an_open_ended_period_is_documented_as_a_null_day(app):
    with app.app_context():
        from services.gateway.openapi import document

        summary = document()["components"]["schemas"]["SummaryOut"]["properties"]
    assert summary["from"].get("nullable") or "null" in summary["from"].get("type", [])
    assert summary["to"].get("nullable") or "null" in summary["to"].get("type", [])
