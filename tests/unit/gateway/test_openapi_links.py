"""/api/openapi.json links a collection to the operations on one of its items (OpenAPI 3 links),
so that a client, and schemathesis's stateful tests (tests/security/test_openapi_fuzz.py), go from
a list or a creation to the item with a real id."""


def document(client):
    return client.get("/api/openapi.json").json


def links_of(doc, method, path, status):
    return doc["paths"][path][method]["responses"][status].get("links", {})


def operation_at(doc, reference):
    """The operation an operationRef (#/paths/<escaped path>/<method>) points to, and its path."""
    escaped, method = reference.removeprefix("#/paths/").rsplit("/", 1)
    path = escaped.replace("~1", "/").replace("~0", "~")
    return doc["paths"][path][method], path


def item_fields(doc, schema):
    if schema.get("type") == "array":
        schema = schema["items"]
    if "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return set(schema["properties"])


def test_a_list_links_to_each_operation_on_its_first_item(client):
    links = links_of(document(client), "get", "/api/v1/placements", "200")

    assert links["get_placement_id"] == {
        "operationRef": "#/paths/~1api~1v1~1placements~1{placement_id}/get",
        "parameters": {"placement_id": "$response.body#/0/id"},
    }
    assert {name for name in links} == {
        "get_placement_id",
        "patch_placement_id",
        "post_placement_id_gratification_payments",
        "post_placement_id_interrupt",
        "post_placement_id_complete",
        "post_placement_id_evaluation",
        "post_placement_id_hours",
        "get_placement_id_hours",
        "get_placement_id_hours_csv",
        "get_placement_id_attestation_pdf",
    }


def test_a_creation_links_to_the_created_item(client):
    links = links_of(document(client), "post", "/api/v1/volunteers", "201")

    assert links["post_volunteer_id_honorability"]["parameters"] == {"volunteer_id": "$response.body#/id"}
    assert (
        links["post_volunteer_id_insurance"]["operationRef"]
        == "#/paths/~1api~1v1~1volunteers~1{volunteer_id}~1insurance/post"
    )


def test_an_item_that_carries_the_parameter_gives_it_rather_than_its_own_id(client):
    """An opportunity has its own id; signing up takes the activity's."""
    links = links_of(document(client), "get", "/api/v1/opportunities", "200")

    assert links["post_activity_id_signup"]["parameters"] == {"activity_id": "$response.body#/0/activity_id"}


def test_every_link_points_to_an_operation_and_names_a_field_the_answer_has(client):
    doc = document(client)
    checked = 0
    for path, methods in doc["paths"].items():
        for method, operation in methods.items():
            for answer in operation["responses"].values():
                for name, link in answer.get("links", {}).items():
                    target, target_path = operation_at(doc, link["operationRef"])
                    [(parameter, expression)] = link["parameters"].items()
                    declared = [p["name"] for p in target.get("parameters", []) if p["in"] == "path"]
                    assert parameter in declared, (method, path, name)
                    assert target_path.startswith(path + "/{" + parameter + "}"), (method, path, name)
                    schema = answer["content"]["application/json"]["schema"]
                    assert expression.rsplit("/", 1)[1] in item_fields(doc, schema), (method, path, name)
                    checked += 1
    assert checked > 50
