"""The gateway app alone: its own SQLite database, a bootstrap staff account, a broker that is not there."""
import pytest

from services.gateway.app import create_app
from shared import migrate

STAFF = {"email": "direction@cocoonage.fr", "password": "mot-de-passe-long"}


@pytest.fixture
def app(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    migrate.migrate("gateway", url)
    monkeypatch.setenv("COCOON_BOOTSTRAP_STAFF_EMAIL", STAFF["email"])
    monkeypatch.setenv("COCOON_BOOTSTRAP_STAFF_PASSWORD", STAFF["password"])
    return create_app({"GATEWAY_DATABASE_URL": url, "AMQP_URI": "amqp://guest:guest@127.0.0.1:1/"})


@pytest.fixture
def client(app):
    return app.test_client()
