"""docker-compose.prod.yml, read as YAML (no Docker engine): only the TLS proxy published, the
broker and the database on an internal network, no credential written in the file, each service
with its own database role, restart policies, health checks, rotated logs, memory limits and
volumes for what must survive a new container; `make secrets` writes every credential the file
asks for, and neither .env nor venue.env can be committed. `docker-compose -f
docker-compose.prod.yml config --quiet` (Debian's docker-compose 1.29) validates it as a whole:
docs/operations.md, "Production compose"."""

import importlib.util
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from shared import components
from tests.unit.test_deploy_files import ComposeLoader, argv_of, environment, published_container_ports, target_of

ROOT = Path(__file__).resolve().parents[2]
INFRASTRUCTURE = ("caddy", "rabbitmq", "postgres")
LONG_RUNNING = (*INFRASTRUCTURE, *components.COMPONENT_NAMES)
SECRET_NAME = re.compile(r"PASSWORD|PASS$|SECRET|_KEY$|TOKEN")
INTERPOLATED = re.compile(r"^\$\{[A-Z_]+(:?[-?][^}]*)?\}$")


@pytest.fixture(scope="module")
def prod():
    with open(ROOT / "docker-compose.prod.yml", encoding="utf-8") as fh:
        return yaml.load(fh, Loader=ComposeLoader)


def make_secrets():
    spec = importlib.util.spec_from_file_location("make_secrets", ROOT / "deploy" / "make_secrets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_only_the_tls_proxy_is_published_on_80_and_443(prod):
    published = {name: published_container_ports(s) for name, s in prod["services"].items() if s.get("ports")}
    assert published == {"caddy": {80, 443}}
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text(encoding="utf-8")
    assert "reverse_proxy gateway:8000" in caddyfile
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in prod["services"]["caddy"]["volumes"]


def test_the_broker_and_the_database_are_only_on_an_internal_network(prod):
    assert prod["networks"]["internal"]["internal"] is True
    for name in ("rabbitmq", "postgres"):
        assert prod["services"][name]["networks"] == ["internal"], name
    assert "internal" not in prod["services"]["caddy"]["networks"]  # the proxy reaches the gateway only
    assert set(prod["services"]["gateway"]["networks"]) == {"internal", "edge"}


def test_no_credential_is_written_in_the_file(prod):
    for name, service in prod["services"].items():
        for key, value in environment(service).items():
            if SECRET_NAME.search(key):
                assert INTERPOLATED.match(value), f"{name}: {key} must come from .env, not be written here"
            parsed = urlparse(value) if "://" in value else None
            if parsed and parsed.password:
                assert parsed.password.startswith("${"), f"{name}: {key} holds a password"
    lines = (ROOT / "docker-compose.prod.yml").read_text(encoding="utf-8").splitlines()
    settings = [line.split("#", 1)[0] for line in lines]  # the comments may name what is not done
    assert not [line for line in settings if "guest" in line or "HOST_AUTH_METHOD" in line]


def test_each_component_runs_its_target_with_its_own_role_and_database_only(prod):
    for component in components.COMPONENTS:
        service = prod["services"][component.name]
        assert target_of(argv_of(service["command"])) == component.target, component.name
        env = environment(service)
        urls = {key: value for key, value in env.items() if key.endswith("_DATABASE_URL")}
        assert list(urls) == [component.database_env], f"{component.name} reaches {sorted(urls)}"
        url = urlparse(urls[component.database_env])
        assert (url.username, url.hostname, url.path) == (component.name, "postgres", f"/{component.name}")
        assert urlparse(env["AMQP_URI"]).username == "${RABBITMQ_USER}"
    migrate = environment(prod["services"]["migrate"])
    for component in components.COMPONENTS:  # migrate creates the tables as their owner
        assert migrate[component.database_env] == environment(prod["services"][component.name])[component.database_env]


def test_the_init_script_makes_one_role_owning_each_components_database():
    script = (ROOT / "deploy" / "postgres-roles.sh").read_text(encoding="utf-8")
    listed = re.search(r"^for name in (.+); do$", script, re.MULTILINE).group(1).split()
    assert sorted(listed) == sorted(components.COMPONENT_NAMES)
    assert 'CREATE DATABASE :"name" OWNER :"name";' in script
    assert 'REVOKE ALL ON DATABASE :"name" FROM PUBLIC;' in script


def test_every_long_running_service_restarts_checks_its_health_rotates_its_logs_and_has_a_memory_limit(prod):
    services = prod["services"]
    assert set(services) == {*LONG_RUNNING, "migrate"}
    for name in LONG_RUNNING:
        service = services[name]
        assert service["restart"] in ("unless-stopped", "always"), name
        assert service["healthcheck"]["test"], name
        assert service["logging"]["options"]["max-size"], name
        assert service["mem_limit"], name
    assert services["migrate"]["restart"] == "no"  # one-shot: the services wait for its exit 0
    for component in components.SERVICES:
        assert services[component.name]["healthcheck"]["test"] == ["CMD", "cocoon", "health", component.name]


def test_what_must_survive_a_new_container_is_on_a_volume(prod):
    mounts = {name: [str(v).split(":")[:2] for v in s.get("volumes", [])] for name, s in prod["services"].items()}
    assert ["rabbitmq-data", "/var/lib/rabbitmq"] in mounts["rabbitmq"]
    assert ["postgres-data", "/var/lib/postgresql/data"] in mounts["postgres"]
    assert ["caddy-data", "/data"] in mounts["caddy"]  # the certificates
    assert ["gateway-var", "/app/var"] in mounts["gateway"]
    assert ["bookings-var", "/app/var"] in mounts["bookings"]
    named = {source for entries in mounts.values() for source, _target in entries if not source.startswith(".")}
    assert named <= set(prod["volumes"])


def test_the_keys_reach_only_the_services_that_use_them(prod):
    holders = {
        key: sorted(name for name, s in prod["services"].items() if key in environment(s))
        for key in ("COCOON_SECRET_KEY", "COCOON_CERTIFICATE_KEY", "COCOON_HEALTH_KEY", "POSTGRES_PASSWORD")
    }
    assert holders == {
        "COCOON_SECRET_KEY": ["gateway"],
        "COCOON_CERTIFICATE_KEY": ["bookings"],
        "COCOON_HEALTH_KEY": ["bookings"],
        "POSTGRES_PASSWORD": ["postgres"],
    }


def test_make_secrets_writes_every_variable_the_file_requires_with_random_values():
    required = set(re.findall(r"\$\{([A-Z_]+):\?", (ROOT / "docker-compose.prod.yml").read_text(encoding="utf-8")))
    secrets = make_secrets()
    first, second = secrets.values("cocoon.example.fr", "a@example.fr"), secrets.values("x", "y")
    assert required <= set(first)
    for key in first:
        if SECRET_NAME.search(key) and first[key]:
            assert first[key] != second[key], key
            assert len(first[key]) >= 32, key


def test_make_secrets_writes_a_private_file_and_never_replaces_one(tmp_path):
    path = tmp_path / ".env"
    assert make_secrets().main(["--env-file", str(path)]) == 0
    assert path.stat().st_mode & 0o777 == 0o600
    written = path.read_text()
    assert make_secrets().main(["--env-file", str(path)]) == 1
    assert path.read_text() == written


def test_neither_env_file_can_be_committed():
    ignored = subprocess.run(
        ["git", "check-ignore", ".env", "venue.env"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert ignored.stdout.split() == [".env", "venue.env"]


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="apt-get install -y docker-compose")
def test_docker_compose_accepts_the_file_with_the_env_make_secrets_writes(tmp_path):
    shutil.copy(ROOT / "docker-compose.prod.yml", tmp_path)
    shutil.copy(ROOT / "deploy" / "venue.env.example", tmp_path / "venue.env")
    assert make_secrets().main(["--env-file", str(tmp_path / ".env")]) == 0
    checked = subprocess.run(
        ["docker-compose", "-f", "docker-compose.prod.yml", "config", "--quiet"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    (tmp_path / ".env").write_text("")  # without make secrets: refused, naming it
    refused = subprocess.run(
        ["docker-compose", "-f", "docker-compose.prod.yml", "config", "--quiet"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode != 0 and "run make secrets" in refused.stderr
