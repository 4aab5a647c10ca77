"""The pages and the JSON API share gateway modules (service_calls, sign_ups, documents, people),
never each other's views: a page calling an API view would answer with the API's errors and scopes."""

from tests.unit.gateway.test_service_interface import GATEWAY, imported_names


def test_no_page_module_imports_the_json_api():
    offending = [
        f"{path.name}: {name}"
        for path in sorted((GATEWAY / "web").glob("*.py"))
        for name in imported_names(path.read_text())
        if name.startswith("services.gateway.api.")  # the package alone: its blueprint, exempt from CSRF
    ]
    assert offending == []
