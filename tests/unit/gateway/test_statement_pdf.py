"""The statement routes of the gateway, JSON and PDF, for a family and for staff (no broker: the
bookings service is stood in for by its answers)."""

from contextlib import contextmanager

import pytest

from tests.pdf import pdf_text
from tests.unit.gateway.test_invoice import FAMILY, statement


class StatementServices:
    """Stands in for the RPC pool: `bookings.monthly_statement` and `bookings.get_family` answer
    a December statement and its family; every call is recorded."""

    def __init__(self):
        self.calls = []

    @contextmanager
    def cluster(self, correlation_id=None, context=None):
        services = self

        class Bookings:
            def monthly_statement(self, family_id, month):
                services.calls.append(("monthly_statement", family_id, month))
                return statement(family_id=family_id, month=month)

            def get_family(self, family_id):
                services.calls.append(("get_family", family_id))
                return dict(FAMILY, id=family_id)

        class Proxy:
            bookings = Bookings()

        yield Proxy()

    def close(self):
        pass


@pytest.fixture
def bookings(app):
    app.extensions["rpc_pool"] = stand_in = StatementServices()
    return stand_in


def test_a_family_downloads_its_statement_as_a_pdf_named_after_the_month(client, role_headers, bookings):
    response = client.get("/api/v1/families/me/statements/2026-12.pdf", headers=role_headers["family"])
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="releve-2026-12.pdf"'
    assert response.data.startswith(b"%PDF-")
    assert "Relevé mensuel — décembre 2026" in pdf_text(response.data)
    assert bookings.calls == [("monthly_statement", "family-1", "2026-12"), ("get_family", "family-1")]


def test_the_json_statement_and_the_pdf_are_told_apart_by_the_suffix(client, role_headers, bookings):
    family, staff = role_headers["family"], role_headers["staff"]
    assert client.get("/api/v1/families/me/statements/2026-12", headers=family).json["month"] == "2026-12"
    assert client.get("/api/v1/families/f-9/statements/2026-11", headers=staff).json["family_id"] == "f-9"
    assert client.get("/api/v1/families/f-9/statements/2026-11.pdf", headers=staff).mimetype == "application/pdf"
    assert [call[1:] for call in bookings.calls if call[0] == "monthly_statement"] == [
        ("family-1", "2026-12"),
        ("f-9", "2026-11"),
        ("f-9", "2026-11"),
    ]


def test_a_bad_month_is_a_422_in_french_before_any_service_is_called(client, role_headers, bookings):
    for path in ("/api/v1/families/me/statements/2026-13.pdf", "/api/v1/families/me/statements/décembre.pdf"):
        response = client.get(path, headers=role_headers["family"])
        assert response.status_code == 422, path
        assert response.json["error"]["fields"] == {"month": ["Mois attendu au format AAAA-MM."]}
    assert bookings.calls == []


def test_only_staff_download_another_family_s_statement(client, role_headers, bookings):
    for role in ("family", "volunteer"):
        for suffix in ("", ".pdf"):
            response = client.get(f"/api/v1/families/f-9/statements/2026-12{suffix}", headers=role_headers[role])
            assert response.status_code == 403, (role, suffix)
    assert bookings.calls == []


def test_the_pdf_is_a_503_in_json_when_the_services_do_not_answer(client, role_headers):
    response = client.get("/api/v1/families/me/statements/2026-12.pdf", headers=role_headers["family"])
    assert response.status_code == 503
    assert response.json["error"]["code"] == "unavailable"


def test_the_document_describes_the_pdf_answers(client):
    paths = client.get("/api/openapi.json").json["paths"]
    for path in ("/api/v1/families/me/statements/{month}.pdf", "/api/v1/families/{family_id}/statements/{month}.pdf"):
        assert paths[path]["get"]["responses"]["200"]["content"] == {
            "application/pdf": {"schema": {"type": "string", "format": "binary"}}
        }, path
    assert paths["/api/v1/families/{family_id}/statements/{month}"]["get"]["x-roles"] == ["accounting"]
    assert paths["/api/v1/families/{family_id}/statements/{month}.pdf"]["get"]["x-roles"] == ["accounting"]
