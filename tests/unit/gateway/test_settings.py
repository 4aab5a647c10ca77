"""The gateway reads its settings from the environment once, in create_app, and checks them there."""

import json
import subprocess
import sys
from datetime import datetime, timedelta

import pytest

from services.gateway.app import create_app
from shared import config, migrate
from tests.unit.gateway.conftest import STAFF

# Run in a fresh interpreter: import every gateway module with os.environ recording who reads it.
IMPORT_PROBE = r"""
import importlib, json, os, pkgutil, sys
GATEWAY = os.path.join(os.getcwd(), "services", "gateway")
HELPERS = ("<frozen os>", "os.py", os.path.join("shared", "config.py"))  # they read for their caller
reads = []

class RecordingEnviron(dict):
    def _note(self, name):
        frame = sys._getframe(2)
        while frame and frame.f_code.co_filename.endswith(HELPERS):
            frame = frame.f_back
        if frame and frame.f_code.co_filename.startswith(GATEWAY):
            reads.append(f"{name} ({os.path.relpath(frame.f_code.co_filename)})")

    def get(self, name, default=None):
        self._note(name)
        return super().get(name, default)

    def __getitem__(self, name):
        self._note(name)
        return super().__getitem__(name)

    def __contains__(self, name):
        self._note(name)
        return super().__contains__(name)

os.environ = RecordingEnviron(os.environ)
import services.gateway
for module in pkgutil.walk_packages(services.gateway.__path__, "services.gateway."):
    importlib.import_module(module.name)
print(json.dumps(reads))
"""


def test_importing_the_gateway_reads_no_environment_variable():
    probe = subprocess.run(
        [sys.executable, "-c", IMPORT_PROBE], cwd=config.REPO_ROOT, capture_output=True, text=True, timeout=120
    )
    assert probe.returncode == 0, probe.stderr
    assert json.loads(probe.stdout.splitlines()[-1]) == []


@pytest.fixture
def gateway_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    migrate.migrate("gateway", url)
    monkeypatch.setenv("COCOON_BOOTSTRAP_STAFF_EMAIL", STAFF["email"])
    monkeypatch.setenv("COCOON_BOOTSTRAP_STAFF_PASSWORD", STAFF["password"])
    return url


def test_the_token_lifetime_is_the_one_set_when_the_app_is_created(gateway_url, monkeypatch):
    monkeypatch.setenv("COCOON_TOKEN_HOURS", "2")
    app = create_app({"GATEWAY_DATABASE_URL": gateway_url})
    monkeypatch.setenv("COCOON_TOKEN_HOURS", "40")  # read once: a later change is not seen
    signed_in = app.test_client().post("/api/v1/auth/token", json=STAFF).json
    lifetime = datetime.fromisoformat(signed_in["expires_at"]) - datetime.now().astimezone()
    assert timedelta(hours=1, minutes=50) < lifetime <= timedelta(hours=2)


@pytest.mark.parametrize(
    "variable, value",
    [
        ("COCOON_TOKEN_HOURS", "douze"),
        ("COCOON_TOKEN_HOURS", "0"),
        ("COCOON_RPC_TIMEOUT", "-1"),
        ("IDEMPOTENCY_RETENTION_HOURS", "x"),
        ("COCOON_ORGANISATION_DECLARATION_NUMBER", "8469123456"),  # 10 digits: one short
        ("COCOON_ORGANISATION_SIRET", "123456789ABCDE"),
        ("COCOON_LOGIN_LIMIT_PER_ADDRESS", "vingt par minute"),
        ("COCOON_PUBLIC_URL", "cocoonage.fr"),  # no scheme
        ("COCOON_PUBLIC_URL", "https://cocoonage.fr/agenda"),
        ("COCOON_PUBLIC_URL", "ftp://cocoonage.fr"),
        ("COCOON_TRUSTED_PROXIES", "-1"),
        ("COCOON_TRUSTED_PROXIES", "oui"),
    ],
)
def test_a_setting_that_is_not_understood_stops_the_start_naming_it(gateway_url, monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValueError, match=f"{variable}='{value}'"):
        create_app({"GATEWAY_DATABASE_URL": gateway_url})


def test_the_first_staff_credentials_are_used_at_start_and_not_kept_in_the_app_config(gateway_url):
    app = create_app({"GATEWAY_DATABASE_URL": gateway_url})
    assert app.test_client().post("/api/v1/auth/token", json=STAFF).status_code == 200
    assert STAFF["password"] not in {str(value) for value in app.config.values()}


def test_the_training_organisation_s_identity_is_read_at_start_with_its_spaces_trimmed(gateway_url, monkeypatch):
    monkeypatch.setenv("COCOON_ORGANISATION_DECLARATION_NUMBER", " 84 69 12345 69 ")
    monkeypatch.setenv("COCOON_ORGANISATION_TOWN", "Lyon")
    app = create_app({"GATEWAY_DATABASE_URL": gateway_url})
    assert app.config["ORGANISATION_DECLARATION_NUMBER"] == "84 69 12345 69"
    assert (app.config["ORGANISATION_TOWN"], app.config["ORGANISATION_SIRET"]) == ("Lyon", "")


@pytest.mark.parametrize("password", ["password12", "equipe@cocoonage.local", "azertyuiop"])
def test_a_first_staff_password_the_policy_refuses_stops_the_start(gateway_url, monkeypatch, password):
    monkeypatch.setenv("COCOON_BOOTSTRAP_STAFF_EMAIL", "equipe@cocoonage.local")
    monkeypatch.setenv("COCOON_BOOTSTRAP_STAFF_PASSWORD", password)
    with pytest.raises(ValueError, match="COCOON_BOOTSTRAP_STAFF_PASSWORD is refused"):
        create_app({"GATEWAY_DATABASE_URL": gateway_url})


def test_the_venue_name_on_the_bilan_is_cocoon_venue_name_else_cocoonage(gateway_url, monkeypatch):
    monkeypatch.delenv("COCOON_VENUE_NAME", raising=False)
    assert create_app({"GATEWAY_DATABASE_URL": gateway_url}).config["VENUE_NAME"] == "Cocoon'Age"
    monkeypatch.setenv("COCOON_VENUE_NAME", "  Les   Petits Cocons ")
    assert create_app({"GATEWAY_DATABASE_URL": gateway_url}).config["VENUE_NAME"] == "Les Petits Cocons"
