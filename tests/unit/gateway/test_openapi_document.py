"""/api/openapi.json is a document a client can use: valid OpenAPI 3, every answer typed as it is
served (amounts and hours as strings), a sign-up that can be made from it, every error documented."""

import re

from openapi_spec_validator import OpenAPIV30SpecValidator

MONEY = re.compile(r"^-?\d+\.\d{2}$")


def document(client):
    return client.get("/api/openapi.json").json


def operations(doc):
    for path, methods in doc["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def success_of(operation):
    [(status, answer)] = [(s, a) for s, a in operation["responses"].items() if s.startswith("2")]
    if status == "204":
        assert "content" not in answer  # no body, and none documented
        return None, None
    [(content_type, body)] = answer["content"].items()
    return content_type, body["schema"]


def test_the_document_is_valid_openapi_3(client):
    errors = [f"{list(e.path)}: {e.message}" for e in OpenAPIV30SpecValidator(document(client)).iter_errors()]
    assert errors == []


def test_every_operation_says_what_its_success_answers(client):
    untyped = []
    for name, operation in operations(document(client)):
        content_type, schema = success_of(operation)
        if content_type is None:  # 204: nothing to type
            continue
        if content_type != "application/json":
            assert schema == {"type": "string", "format": "binary"}, name
            continue
        named = schema.get("items", schema) if schema.get("type") == "array" else schema
        if "$ref" not in named:
            untyped.append(name)
    assert untyped == []


def test_amounts_and_hours_served_as_text_are_documented_as_strings_with_their_pattern(client):
    schemas = document(client)["components"]["schemas"]
    numbers = [
        f"{name}.{prop}"
        for name, schema in schemas.items()
        if name.endswith("Out")
        for prop, field in schema.get("properties", {}).items()
        if field.get("type") == "number"
    ]
    assert numbers == []
    price = schemas["CourseOut"]["properties"]["price"]
    assert (price["type"], price["pattern"]) == ("string", MONEY.pattern)
    assert schemas["PlacementOut"]["properties"]["validated_hours"]["pattern"] == MONEY.pattern
    assert schemas["MonthDueOut"]["properties"]["hourly_rate"]["pattern"] == r"^-?\d+(\.\d+)?$"


def test_decimal_bounds_of_a_text_amount_are_no_longer_typed_as_numbers(client):
    course = document(client)["components"]["schemas"]["CourseIn"]["properties"]
    assert course["price"]["type"] == "string"
    assert "minimum" not in course["price"] and "maximum" not in course["duration_hours"]


def test_a_sign_up_can_be_made_from_the_document(client):
    paths = document(client)["paths"]
    for path, schema_name in [("/api/v1/families", "FamilySignUpIn"), ("/api/v1/volunteers", "VolunteerSignUpIn")]:
        body = paths[path]["post"]["requestBody"]["content"]["application/json"]["schema"]
        assert body == {"$ref": f"#/components/schemas/{schema_name}"}
        schema = document(client)["components"]["schemas"][schema_name]
        assert {"email", "password"} <= set(schema["required"]), path
        assert "id" not in schema["properties"], path  # the gateway sets it


def test_nested_field_errors_are_documented(client):
    schemas = document(client)["components"]["schemas"]
    fields = schemas["Error"]["properties"]["error"]["properties"]["fields"]
    assert fields == {"$ref": "#/components/schemas/ErrorFields"}
    assert {"$ref": "#/components/schemas/ErrorFields"} in schemas["ErrorFields"]["additionalProperties"]["oneOf"]


def test_the_description_lists_every_error_and_asks_for_an_idempotency_key(client):
    description = document(client)["info"]["description"]
    for status in (400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 500, 503):
        assert str(status) in description, status
    assert "Idempotency-Key" in description and "application/json" in description


def test_bookings_amounts_and_exact_figures_are_documented_as_strings_with_their_pattern(client):
    schemas = document(client)["components"]["schemas"]
    untyped = [
        f"{name}.{prop}"
        for name, schema in schemas.items()
        for prop, field in schema.get("properties", {}).items()
        if not ({"type", "$ref", "allOf", "oneOf", "anyOf"} & set(field))
    ]
    assert untyped == []
    assert schemas["ContractQuoteOut"]["properties"]["monthly_amount"]["pattern"] == MONEY.pattern
    assert schemas["ContractQuoteOut"]["properties"]["hourly_rate"]["pattern"] == r"^-?\d+(\.\d+)?$"


def test_a_family_history_entry_may_hold_any_value_before_and_after(client):
    change = document(client)["components"]["schemas"]["FamilyChangeOut"]["properties"]
    for side in ("before", "after"):
        assert change[side]["nullable"] is True
        assert {option["type"] for option in change[side]["anyOf"]} == {
            "string",
            "number",
            "boolean",
            "object",
            "array",
        }
