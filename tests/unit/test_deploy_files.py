"""The deployment files agree with each other and with the code: Procfile, docker-compose.yml,
deploy/postgres-init.sql, deploy/Dockerfile, .dockerignore and deploy/nameko.yaml.

Static checks only (no Docker engine, no broker): they catch a service added to the Procfile
but not to compose, two services sharing a database, a database nobody creates, or a
nameko.yaml that `nameko run` would read differently from what we expect.
"""
import re
import shlex
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from yaml.resolver import Resolver

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("bookings", "placements", "education", "volunteers", "gateway")
TARGET = re.compile(r"^services\.[\w.]+:\w+(\(\))?$")  # module:Class or module:factory()


class ComposeLoader(yaml.SafeLoader):
    """Plain YAML (merge keys included), immune to nameko's `${VAR}` resolver, which
    nameko.cli.main.setup_yaml_parser() installs on yaml.SafeLoader for the whole process."""


ComposeLoader.yaml_implicit_resolvers = {k: list(v) for k, v in Resolver.yaml_implicit_resolvers.items()}


def load_compose():
    with open(ROOT / "docker-compose.yml", encoding="utf-8") as fh:
        return yaml.load(fh, Loader=ComposeLoader)


def procfile():
    """{process name: argv without the leading `env VAR=value` part}, plus those env values."""
    entries = {}
    for line in (ROOT / "Procfile").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, _, command = line.partition(":")
        argv = shlex.split(command)
        env = {}
        if argv and argv[0] == "env":
            argv = argv[1:]
            while argv and "=" in argv[0]:
                key, _, value = argv.pop(0).partition("=")
                env[key] = value
        entries[name.strip()] = (argv, env)
    return entries


def argv_of(command):
    return shlex.split(command) if isinstance(command, str) else [str(part) for part in command]


def target_of(argv):
    targets = [arg for arg in argv if TARGET.match(arg)]
    assert len(targets) == 1, f"expected one services.<module>:<object> in {argv}"
    return targets[0]


def environment(service):
    env = service.get("environment") or {}
    if isinstance(env, list):  # ["KEY=value", ...] is also valid compose
        env = dict(item.partition("=")[::2] for item in env)
    return {key: ("" if value is None else str(value)) for key, value in env.items()}


def published_container_ports(service):
    ports = set()
    for entry in service.get("ports") or []:
        if isinstance(entry, dict):
            ports.add(int(entry["target"]))
        else:
            ports.add(int(str(entry).split("/")[0].rsplit(":", 1)[-1]))
    return ports


def database_name(url):
    parsed = urlparse(url)
    assert parsed.scheme in ("postgres", "postgresql"), url
    return parsed.path.lstrip("/")


@pytest.fixture(scope="module")
def compose():
    return load_compose()


# --- docker-compose.yml against the Procfile ------------------------------------------------
def test_every_procfile_process_has_a_compose_service_running_the_same_target(compose):
    services = compose["services"]
    for name, (argv, env) in procfile().items():
        assert name in services, f"Procfile process {name!r} has no service in docker-compose.yml"
        compose_argv = argv_of(services[name]["command"])
        assert target_of(compose_argv) == target_of(argv), name
        assert compose_argv[0] == argv[0], f"{name}: {compose_argv[0]} vs {argv[0]} in the Procfile"
        if "--config" in argv:  # gunicorn: same settings file
            assert compose_argv[compose_argv.index("--config") + 1] == argv[argv.index("--config") + 1]
        for key, value in env.items():
            assert environment(services[name]).get(key) == value, f"{name}: {key}"


def test_the_procfile_lists_every_app_service():
    assert set(procfile()) == set(APP_SERVICES)


# --- configuration of the app services ------------------------------------------------------
def test_each_app_service_gets_the_broker_and_only_its_own_database(compose):
    databases = {}
    for name in APP_SERVICES:
        env = environment(compose["services"][name])
        assert urlparse(env["AMQP_URI"]).hostname == "rabbitmq", name
        own = f"{name.upper()}_DATABASE_URL"
        assert own in env, f"{name} has no {own}"
        others = {key for key in env if key.endswith("_DATABASE_URL")} - {own}
        assert not others, f"{name} can reach other components' databases: {sorted(others)}"
        databases[name] = database_name(env[own])
    assert len(set(databases.values())) == len(APP_SERVICES), f"databases shared: {databases}"


def test_migrate_creates_the_tables_in_the_databases_the_services_use(compose):
    migrate = compose["services"]["migrate"]
    assert argv_of(migrate["command"])[-2:] == ["-m", "shared.migrate"]
    env = environment(migrate)
    for name in APP_SERVICES:
        key = f"{name.upper()}_DATABASE_URL"
        assert env[key] == environment(compose["services"][name])[key], key


def test_migrate_waits_for_a_healthy_broker_to_declare_the_event_queues(compose):
    depends = compose["services"]["migrate"]["depends_on"]
    assert depends["rabbitmq"]["condition"] == "service_healthy"
    assert depends["postgres"]["condition"] == "service_healthy"
    assert compose["services"]["rabbitmq"]["healthcheck"]["test"], "service_healthy needs a healthcheck"
    assert urlparse(environment(compose["services"]["migrate"])["AMQP_URI"]).hostname == "rabbitmq"


def test_app_services_start_after_the_broker_the_database_and_the_migration(compose):
    for name in APP_SERVICES:
        depends = compose["services"][name]["depends_on"]
        assert depends["rabbitmq"]["condition"] == "service_healthy", name
        assert depends["postgres"]["condition"] == "service_healthy", name
        assert depends["migrate"]["condition"] == "service_completed_successfully", name


def test_app_services_are_built_from_the_one_dockerfile(compose):
    for name in APP_SERVICES + ("migrate",):
        build = compose["services"][name]["build"]
        assert build["dockerfile"] == "deploy/Dockerfile", name
        assert build["context"] == ".", name


# --- broker, gateway, database server -------------------------------------------------------
def test_rabbitmq_exposes_amqp_and_its_management_api(compose):
    rabbitmq = compose["services"]["rabbitmq"]
    assert "management" in rabbitmq["image"]  # tests and DLQ inspection use the management API
    assert {5672, 15672} <= published_container_ports(rabbitmq)


def test_the_gateway_listens_on_8000_on_every_interface(compose):
    gateway = compose["services"]["gateway"]
    assert 8000 in published_container_ports(gateway)
    assert environment(gateway)["GATEWAY_BIND"] == "0.0.0.0:8000"


def test_postgres_init_creates_every_database_the_services_use(compose):
    sql = (ROOT / "deploy" / "postgres-init.sql").read_text(encoding="utf-8")
    created = {name.lower() for name in re.findall(r"CREATE\s+DATABASE\s+\"?(\w+)\"?", sql, re.IGNORECASE)}
    postgres = compose["services"]["postgres"]
    created.add(environment(postgres)["POSTGRES_DB"])
    used = {database_name(value) for service in compose["services"].values()
            for key, value in environment(service).items() if key.endswith("_DATABASE_URL")}
    assert used, "no service uses PostgreSQL"
    assert used <= created, f"databases nobody creates: {sorted(used - created)}"
    mounts = [str(volume) for volume in postgres.get("volumes", [])]
    assert any(m.startswith("./deploy/postgres-init.sql:/docker-entrypoint-initdb.d/") for m in mounts), mounts


# --- image ----------------------------------------------------------------------------------
def test_the_dockerfile_runs_as_a_non_root_user_and_exposes_the_gateway():
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in ("root", "0"), users
    assert re.search(r"^EXPOSE\s+8000\b", dockerfile, re.MULTILINE)
    assert re.search(r"^WORKDIR\s+/app\s*$", dockerfile, re.MULTILINE)


def test_the_dockerignore_keeps_everything_the_dockerfile_copies():
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    allowed = {line[1:].strip().rstrip("/") for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.startswith("!")}
    sources = [src for line in re.findall(r"^COPY\s+(.+)$", dockerfile, re.MULTILINE)
               for src in line.split()[:-1] if not src.startswith("--")]
    assert sources
    for src in sources:
        src = src.rstrip("/")
        assert (ROOT / src).exists(), src
        assert src in allowed, f"{src} is copied but excluded by .dockerignore"


# --- deploy/nameko.yaml, read the way `nameko run --config` reads it ------------------------
@pytest.fixture
def nameko_yaml(monkeypatch):
    """Load deploy/nameko.yaml as nameko's CLI does: setup_yaml_parser(), then yaml.safe_load.

    setup_yaml_parser() changes yaml.SafeLoader for the whole process; it is put back after."""
    from nameko.cli.main import setup_yaml_parser

    saved = {attr: yaml.SafeLoader.__dict__.get(attr) for attr in ("yaml_constructors", "yaml_implicit_resolvers")}
    saved = {attr: (None if value is None else {k: (list(v) if isinstance(v, list) else v) for k, v in value.items()})
             for attr, value in saved.items()}
    setup_yaml_parser()
    text = (ROOT / "deploy" / "nameko.yaml").read_text(encoding="utf-8")

    def load(**environ):
        for name in set(re.findall(r"\$\{([^}:\s]+)", text)):
            monkeypatch.delenv(name, raising=False)
        for name, value in environ.items():
            monkeypatch.setenv(name, value)
        return yaml.safe_load(text)

    yield load
    for attr, value in saved.items():
        if value is None:
            if attr in yaml.SafeLoader.__dict__:
                delattr(yaml.SafeLoader, attr)
        else:
            setattr(yaml.SafeLoader, attr, value)


def test_nameko_yaml_defaults_work_with_no_environment(nameko_yaml):
    config = nameko_yaml()
    assert config["AMQP_URI"] == "amqp://guest:guest@127.0.0.1:5672/"
    assert config["max_workers"] == 10  # the env-var constructor yields typed values
    assert config["OUTBOX_SWEEP_SECONDS"] == 5
    assert config["EVENT_MAX_ATTEMPTS"] == 5
    assert config["EVENT_RETRY_DELAY_MS"] == 2000
    assert config["LOGGING"]["root"]["level"] == "INFO"


def test_nameko_yaml_takes_the_broker_from_the_environment(nameko_yaml):
    config = nameko_yaml(AMQP_URI="amqp://guest:guest@rabbitmq:5672/", EVENT_MAX_ATTEMPTS="3")
    assert config["AMQP_URI"] == "amqp://guest:guest@rabbitmq:5672/"
    assert config["EVENT_MAX_ATTEMPTS"] == 3


def test_nameko_yaml_logging_points_at_existing_factories(nameko_yaml):
    import importlib

    logging_config = nameko_yaml()["LOGGING"]
    factories = [logging_config["filters"]["correlation"]["()"], logging_config["formatters"]["json"]["()"]]
    for dotted in factories:
        module, _, attr = dotted.rpartition(".")
        assert callable(getattr(importlib.import_module(module), attr)), dotted


def test_the_compose_loader_is_not_affected_by_nameko_yaml_parser(nameko_yaml):
    nameko_yaml()  # nameko's resolver is installed on yaml.SafeLoader now
    env = environment(load_compose()["services"]["gateway"])
    assert env["COCOON_BOOTSTRAP_STAFF_EMAIL"] == "${COCOON_BOOTSTRAP_STAFF_EMAIL:-}"
