"""The RGPD export's ZIP (services/gateway/personal_export.py), with the services stood in for:
one JSON file per service and the gateway's, a README in French, a 503 naming the service that
did not answer, and an audit line when staff export someone else's data."""

import io
import json
import zipfile
from contextlib import contextmanager

import pytest
from nameko.exceptions import RpcTimeout

from services.gateway import personal_export
from services.gateway.models import Account, AuditEntry, database


class ExportingServices:
    """Every service answers export_person with what it was asked; `silent` names one that does not."""

    def __init__(self, silent=None):
        self.silent, self.asked = silent, []

    @contextmanager
    def cluster(self, correlation_id=None, context=None):
        yield self

    def __getattr__(self, name):
        if name not in personal_export.SERVICES:
            raise AttributeError(name)
        return ExportingService(self, name)


class ExportingService:
    def __init__(self, pool, name):
        self.pool, self.name = pool, name

    def export_person(self, person):
        self.pool.asked.append((self.name, person))
        if self.name == self.pool.silent:
            raise RpcTimeout()
        return {"service": self.name, "person": person}


@pytest.fixture
def exporting(app):
    app.extensions["rpc_pool"] = pool = ExportingServices()
    return pool


def opened(response):
    return zipfile.ZipFile(io.BytesIO(response.data))


def account_of(app, role):
    with app.app_context(), database.connection_context():
        return Account.get(Account.email == f"{role}@example.fr")


def test_a_family_downloads_one_json_file_per_service_the_gateways_and_a_french_readme(
    app, client, role_headers, exporting
):
    response = client.get("/api/v1/me/export", headers=role_headers["family"])
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="cocoonage-donnees-')
    archive = opened(response)
    expected = {f"{name}.json" for name in personal_export.SERVICES} | {"gateway.json", "README.txt"}
    assert set(archive.namelist()) == expected
    family = account_of(app, "family")
    asked = {"account_id": family.id, "subject_id": "family-1", "email": "family@example.fr", "role": "family"}
    assert json.loads(archive.read("bookings.json")) == {"service": "bookings", "person": asked}
    readme = archive.read("README.txt").decode("utf-8")
    assert "Date de l'export" in readme and "bookings.json" in readme and "RGPD" in readme


def test_the_gateways_file_holds_the_account_without_its_password_and_its_sign_in(app, client, role_headers, exporting):
    gateway = json.loads(opened(client.get("/api/v1/me/export", headers=role_headers["trainee"])).read("gateway.json"))
    assert gateway["account"]["email"] == "trainee@example.fr"
    assert "password_hash" not in json.dumps(gateway)
    assert (gateway["api_tokens_alive"], gateway["password_reset_links"]) == (1, 0)
    assert "sign_in" in [line["action"] for line in gateway["audit"]]


def test_a_service_that_does_not_answer_fails_the_whole_export_with_a_503_naming_it(app, client, role_headers):
    app.extensions["rpc_pool"] = ExportingServices(silent="education")
    response = client.get("/api/v1/me/export", headers=role_headers["volunteer"])
    assert response.status_code == 503
    assert "education" in response.json["error"]["message"]
    assert response.mimetype == "application/json"


def test_staff_export_someone_elses_data_and_an_audit_line_names_both(app, client, role_headers, exporting):
    family = account_of(app, "family")
    response = client.get(f"/api/v1/accounts/{family.id}/export", headers=role_headers["staff"])
    assert response.status_code == 200
    assert json.loads(opened(response).read("team.json"))["person"]["account_id"] == family.id
    with app.app_context(), database.connection_context():
        [line] = AuditEntry.select().where(AuditEntry.action == personal_export.PERSONAL_DATA_EXPORTED)
        assert line.subjects.split() == [family.id, "family-1"]
        assert line.actor_role == "staff"


def test_a_persons_own_export_writes_no_audit_line(app, client, role_headers, exporting):
    client.get("/api/v1/me/export", headers=role_headers["staff"])
    with app.app_context(), database.connection_context():
        assert not AuditEntry.select().where(AuditEntry.action == personal_export.PERSONAL_DATA_EXPORTED).exists()


def test_an_unknown_account_is_not_found(client, role_headers, exporting):
    assert client.get("/api/v1/accounts/nobody/export", headers=role_headers["staff"]).status_code == 404


def test_only_staff_export_another_account(app, client, role_headers, exporting):
    family = account_of(app, "family")
    assert client.get(f"/api/v1/accounts/{family.id}/export", headers=role_headers["volunteer"]).status_code == 403
