"""The gateway imports one module of each service, its published interface: services.<name>.schemas
(the In/Out/Query schemas it validates with and documents). Anything else would tie the gateway
to a service's inside (its models, rules or entrypoints)."""

import ast
from pathlib import Path

from shared import config

GATEWAY = config.REPO_ROOT / "services" / "gateway"


def imported_names(source):
    """Every absolute name a module imports, as `package.module[.name]`."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def reaches_inside_a_service(name):
    parts = name.split(".")
    if parts[0] != "services" or parts[1:2] == ["gateway"] or len(parts) == 1:
        return False
    return parts[2:3] != ["schemas"]


def test_the_gateway_imports_nothing_of_a_service_but_its_schemas():
    offending = [
        f"{path.relative_to(config.REPO_ROOT)}: {name}"
        for path in sorted(GATEWAY.rglob("*.py"))
        for name in imported_names(path.read_text())
        if reaches_inside_a_service(name)
    ]
    assert offending == []


def test_the_check_sees_what_it_must_refuse():
    allowed = "from services.bookings.schemas import RoomIn\nfrom services.volunteers import schemas\nimport services"
    refused = (
        "from services.bookings.models import Room\nfrom services.bookings import store\n"
        "import services.volunteers.service\nfrom services import bookings"
    )
    assert not [name for name in imported_names(allowed) if reaches_inside_a_service(name)]
    assert len([name for name in imported_names(refused) if reaches_inside_a_service(name)]) == 4
    assert Path(GATEWAY / "api" / "accounts.py").exists()  # the walk looks where the views are
