"""/api/openapi.json against what the views do: lists typed as arrays, every query parameter a
view reads documented (no broker: services are stood in for, tests/unit/gateway/conftest.py)."""

import pytest
from flask import Request
from werkzeug.datastructures import ImmutableMultiDict

from services.gateway.routing import ROUTES

EVERY_PARAMETER = "<all of them>"


def get_operations(client):
    """The GET operations that answer JSON (a PDF invoice is a file: test_statement_pdf.py)."""
    for path, methods in client.get("/api/openapi.json").json["paths"].items():
        if "get" in methods and "application/json" in methods["get"]["responses"]["200"]["content"]:
            yield path, methods["get"]


GATEWAY_LISTS = {"/api/v1/audit"}  # lists the gateway keeps in its own database (services/gateway/audit.py)


def url(path, account_id="x-1"):
    """`account_id`: an account the gateway holds (GET /accounts/{id} reads its own database)."""
    return path.replace("{month}", "2030-01").replace("{activity_id}", "a-1").replace("{account_id}", account_id)


def an_account(client, role_headers):
    return client.get("/api/v1/me", headers=role_headers["staff"]).json["id"]


def signed_in(operation, role_headers):
    return role_headers[operation["x-roles"][0]] if operation["x-roles"] else {}


def answer_schema(operation):
    return operation["responses"]["200"]["content"]["application/json"]["schema"]


def test_every_get_route_that_answers_a_list_is_documented_as_an_array(client, role_headers, recorded_rpc):
    """The services' reads that answer a list are named list_* (rooms, activities, slots...)."""
    for path, operation in get_operations(client):
        del recorded_rpc.calls[:]
        response = client.get(url(path, an_account(client, role_headers)), headers=signed_in(operation, role_headers))
        assert response.status_code == 200, (path, response.json)
        documented = answer_schema(operation)
        if path in GATEWAY_LISTS:  # a list of the gateway's own rows, paged as the services' are
            assert documented.get("type") == "array", path
            continue
        if not recorded_rpc.calls:  # the gateway answers it from its own account (a calendar link)
            assert documented.get("type") != "array", path
            continue
        if len(recorded_rpc.calls) > 1:  # a view combining several services' answers (the renewals)
            assert documented.get("type") != "array", path
            assert not [m for _service, m, _args in recorded_rpc.calls if m.startswith("list_")], path
            continue
        [(_service, method, _args)] = recorded_rpc.calls
        assert (documented.get("type") == "array") == method.startswith("list_"), (path, method, documented)
        if documented.get("type") == "array":
            assert documented["items"], path


def test_list_answers_name_their_item_schema_when_there_is_one(client):
    paths = client.get("/api/openapi.json").json["paths"]
    assert answer_schema(paths["/api/v1/rooms"]["get"]) == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/RoomOut"},
    }
    assert answer_schema(paths["/api/v1/activities"]["get"])["items"] == {"$ref": "#/components/schemas/ActivityOut"}


class _RecordingArgs(ImmutableMultiDict):
    """request.args noting which parameters a view looks up."""

    reads = set()

    def __getitem__(self, key):
        self.reads.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):
        self.reads.add(key)
        return super().get(key, default, type)

    def __contains__(self, key):
        self.reads.add(key)
        return super().__contains__(key)

    def getlist(self, key, type=None):
        self.reads.add(key)
        return super().getlist(key, type)

    def __iter__(self):
        self.reads.add(EVERY_PARAMETER)
        return super().__iter__()

    def items(self, multi=False):
        self.reads.add(EVERY_PARAMETER)
        return super().items(multi)

    def to_dict(self, flat=True):
        self.reads.add(EVERY_PARAMETER)
        return super().to_dict(flat)


class _RecordingRequest(Request):
    @property
    def args(self):
        return _RecordingArgs(super().args)


@pytest.fixture
def reads(app):
    app.request_class = _RecordingRequest
    _RecordingArgs.reads = set()
    return _RecordingArgs.reads


def test_every_query_parameter_a_view_reads_is_in_the_document(client, role_headers, recorded_rpc, reads):
    seen = set()
    for path, operation in get_operations(client):
        documented = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        reads.clear()
        response = client.get(url(path, an_account(client, role_headers)), headers=signed_in(operation, role_headers))
        assert response.status_code == 200, (path, response.json)
        assert reads <= documented, (path, reads - documented)
        seen |= reads
    assert {"from", "to", "date", "family_id", "monthly_resources", "on"} <= seen  # the recording works


def test_the_documented_query_parameters_are_those_of_each_route_query_schema(client):
    paths = client.get("/api/openapi.json").json["paths"]
    for route in ROUTES:
        operation = paths[route.prefix + route.path.replace("<", "{").replace(">", "}")][route.method.lower()]
        documented = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
        expected = [field.data_key or name for name, field in route.query().fields.items()] if route.query else []
        assert documented == expected, route.path
    quote = paths["/api/v1/fees/quote"]["get"]["parameters"]
    assert [(p["name"], p["required"]) for p in quote] == [
        ("monthly_resources", False),  # required unless resources_known=false (emergency care)
        ("dependent_children", True),
        ("aeeh", False),
        ("aeeh_children", False),
        ("on", False),
        ("resources_known", False),
    ]
    assert [p["name"] for p in paths["/api/v1/bookings"]["get"]["parameters"]] == [
        "family_id",
        "slot_id",
        "status",
        "date",
        "limit",
        "cursor",
    ]
    assert [p["name"] for p in paths["/api/v1/activities"]["get"]["parameters"]] == ["from", "to", "limit", "cursor"]
    assert [p["name"] for p in paths["/api/v1/childcare-slots"]["get"]["parameters"]] == [
        "date",
        "from",
        "to",
        "limit",
        "cursor",
    ]


def test_a_view_gets_the_declared_query_parameters_given_and_an_unencoded_offset_back(
    client, role_headers, recorded_rpc
):
    client.get("/api/v1/activities?from=2030-12-03T09:00:00+01:00&to=&other=1", headers=role_headers["staff"])
    client.get("/api/v1/fees/quote?monthly_resources=3200&dependent_children=2&aeeh=&on=2030-01-01")
    [(_, listed, (period,)), (_, quoted, (quote,))] = recorded_rpc.calls
    assert (listed, quoted) == ("list_activities", "quote_fee")
    assert period == {"from": "2030-12-03T09:00:00+01:00"}
    assert quote == {"monthly_resources": "3200", "dependent_children": "2", "on": "2030-01-01"}


def test_every_list_takes_limit_and_cursor_and_documents_its_next_page_headers(client):
    for path, operation in get_operations(client):
        if answer_schema(operation).get("type") != "array":
            continue
        limit, cursor = (p for p in operation["parameters"] if p["in"] == "query" and p["name"] in ("limit", "cursor"))
        assert limit["schema"] == {"type": "integer", "default": 100, "minimum": 1, "maximum": 500}, path
        assert cursor["schema"]["type"] == "string", path
        assert set(operation["responses"]["200"]["headers"]) == {"Link", "X-Next-Cursor"}, path


def test_the_idempotency_key_header_is_documented_on_writes_but_not_on_sign_in(client):
    paths = client.get("/api/openapi.json").json["paths"]
    for path, methods in paths.items():
        for method, operation in methods.items():
            headers = [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]
            expected = ["Idempotency-Key"] if method in ("post", "patch") and path != "/api/v1/auth/token" else []
            assert headers == expected, (method, path)


def test_decimal_bounds_are_json_numbers(client):
    family = client.get("/api/openapi.json").json["components"]["schemas"]["FamilySignUpIn"]
    assert family["properties"]["monthly_resources"]["minimum"] == 0
