"""The deployment files agree with the list of components (shared/components.py), with each
other and with the code: Procfile, docker-compose.yml, deploy/postgres-init.sql,
deploy/Dockerfile, .dockerignore and deploy/nameko.yaml; and the one-process packaging's
(COCOON_PROCESSES=one): Procfile.one and docker-compose.one.yml, docker-compose.prod.yml with
every nameko service in one container.

Static checks only (no Docker engine, no broker): they catch a service added to the list but
not to the Procfile or compose, two services sharing a database, a database nobody creates, or
a nameko.yaml that `nameko run` would read differently from what we expect. When one fails
after adding a service, its message says which line to add where.
"""

import importlib
import importlib.util
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from yaml.resolver import Resolver

from shared import components, topology

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = components.COMPONENT_NAMES
TARGET = re.compile(r"^services\.[\w.]+:\w+(\(\))?$")  # module:Class or module:factory()


class ComposeLoader(yaml.SafeLoader):
    """Plain YAML (merge keys included), immune to nameko's `${VAR}` resolver, which
    nameko.cli.main.setup_yaml_parser() installs on yaml.SafeLoader for the whole process."""


ComposeLoader.yaml_implicit_resolvers = {k: list(v) for k, v in Resolver.yaml_implicit_resolvers.items()}


def load_compose():
    with open(ROOT / "docker-compose.yml", encoding="utf-8") as fh:
        return yaml.load(fh, Loader=ComposeLoader)


def procfile(text=None, name="Procfile"):
    """{process name: argv without the leading `env VAR=value` part}, plus those env values."""
    entries = {}
    text = (ROOT / name).read_text(encoding="utf-8") if text is None else text
    for line in text.splitlines():
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


# --- the list of components against the code and the deployment files -----------------------
def procfile_line(component):
    """The Procfile line a component of the list needs (failure messages show it)."""
    if component.runner == components.NAMEKO:
        command = f"python -m shared.run_service {component.target}"
    else:
        command = f'gunicorn --config deploy/gunicorn.conf.py "{component.target}"'
    return f"{component.name}: env COCOON_SERVICE_NAME={component.name} {command}"


def procfile_names():
    return [
        line.partition(":")[0].strip()
        for line in (ROOT / "Procfile").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


@pytest.mark.parametrize("component", components.COMPONENTS, ids=lambda c: c.name)
def test_the_procfile_runs_each_listed_component_with_its_target(component):
    expected = procfile_line(component)
    entries = procfile()
    assert component.name in entries, f"the Procfile has no {component.name!r}: add the line\n{expected}"
    assert entries[component.name] == procfile(text=expected)[component.name], (
        f"the Procfile's {component.name!r} line should read\n{expected}"
    )


def test_the_procfile_runs_nothing_but_the_listed_components_each_once():
    names = procfile_names()
    assert sorted(names) == sorted(components.COMPONENT_NAMES), (
        f"Procfile processes {names} vs shared/components.py {list(components.COMPONENT_NAMES)}"
    )


@pytest.mark.parametrize("component", components.COMPONENTS, ids=lambda c: c.name)
def test_compose_runs_each_listed_component_with_its_target_and_its_own_database(compose, component):
    services = compose["services"]
    assert component.name in services, (
        f"docker-compose.yml has no service {component.name!r}: add one like bookings's, running {component.target}"
    )
    service = services[component.name]
    assert target_of(argv_of(service["command"])) == component.target, component.name
    env = environment(service)
    assert env.get("COCOON_SERVICE_NAME") == component.name, f"{component.name}: COCOON_SERVICE_NAME"
    assert component.database_env in env, f"{component.name}: no {component.database_env} in docker-compose.yml"
    assert database_name(env[component.database_env]) == component.name, (
        f"{component.name}: {component.database_env} should name the database {component.name!r}"
    )


def test_compose_builds_no_app_service_missing_from_the_list(compose):
    built = {name for name, service in compose["services"].items() if "build" in service} - {"migrate"}
    assert built == set(components.COMPONENT_NAMES), (
        f"app services in docker-compose.yml {sorted(built)} "
        f"vs shared/components.py {sorted(components.COMPONENT_NAMES)}"
    )


def test_postgres_init_creates_one_database_per_listed_component_named_after_it():
    sql = (ROOT / "deploy" / "postgres-init.sql").read_text(encoding="utf-8")
    created = [name.lower() for name in re.findall(r"CREATE\s+DATABASE\s+\"?(\w+)\"?", sql, re.IGNORECASE)]
    missing = sorted(set(components.COMPONENT_NAMES) - set(created))
    assert not missing, f"add to deploy/postgres-init.sql: {' '.join(f'CREATE DATABASE {m};' for m in missing)}"
    assert sorted(created) == sorted(components.COMPONENT_NAMES), f"databases of no listed component: {created}"


@pytest.mark.parametrize("service", components.SERVICES, ids=lambda c: c.name)
def test_each_listed_nameko_service_is_a_class_carrying_the_same_name(service):
    # the name is in its queues, its RPC routing key and its events' exchange
    assert topology.service_class(service.target).name == service.name


@pytest.mark.parametrize("component", components.COMPONENTS, ids=lambda c: c.name)
def test_each_listed_component_has_the_models_migrate_creates(component):
    assert importlib.import_module(component.models_module).MODELS, component.models_module


def test_a_gunicorn_component_names_its_app_factory():
    for component in components.COMPONENTS:
        if component.runner == components.GUNICORN:
            module, _, factory = component.target.partition(":")
            assert factory.endswith("()") and callable(getattr(importlib.import_module(module), factory[:-2]))


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
    used = {
        database_name(value)
        for service in compose["services"].values()
        for key, value in environment(service).items()
        if key.endswith("_DATABASE_URL")
    }
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
    allowed = {
        line[1:].strip().rstrip("/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.startswith("!")
    }
    sources = [
        src
        for line in re.findall(r"^COPY\s+(.+)$", dockerfile, re.MULTILINE)
        for src in line.split()[:-1]
        if not src.startswith("--")
    ]
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
    saved = {
        attr: (None if value is None else {k: (list(v) if isinstance(v, list) else v) for k, v in value.items()})
        for attr, value in saved.items()
    }
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


# --- the one-process packaging: Procfile.one, docker-compose.one.yml -----------------------------
def test_procfile_one_runs_every_nameko_service_in_one_process_beside_the_same_gateway():
    from shared import run_services

    one = procfile(name="Procfile.one")
    assert set(one) == {"services", "gateway"}
    argv, env = one["services"]
    assert argv == ["python", "-m", "shared.run_services"], argv  # no name given: every service
    assert env == {"COCOON_SERVICE_NAME": "services"}
    assert run_services.targets([]) == [c.target for c in components.SERVICES]
    assert one["gateway"] == procfile()["gateway"], (
        "the gateway runs as in the Procfile (its workers: COCOON_PROCESSES)"
    )


def test_run_services_refuses_an_unknown_name_and_the_gateway():
    from shared import run_services

    assert run_services.targets(["team", "bookings"]) == [
        components.named("team").target,
        components.named("bookings").target,
    ]
    with pytest.raises(SystemExit, match="unknown component"):
        run_services.targets(["nope"])
    with pytest.raises(SystemExit, match="gunicorn"):
        run_services.targets(["gateway"])


def load_file(name):
    with open(ROOT / name, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=ComposeLoader)


@pytest.fixture(scope="module")
def prod():
    return load_file("docker-compose.prod.yml")


@pytest.fixture(scope="module")
def one():
    return load_file("docker-compose.one.yml")


def test_compose_one_is_the_production_file_with_the_nameko_services_in_one_container(prod, one):
    nameko = set(components.SERVICE_NAMES)
    assert set(one["services"]) == (set(prod["services"]) - nameko) | {"services"}
    for name in set(prod["services"]) - nameko - {"gateway"}:
        assert one["services"][name] == prod["services"][name], f"{name} differs from docker-compose.prod.yml's"
    gateway = dict(one["services"]["gateway"], environment=dict(environment(one["services"]["gateway"])))
    assert gateway["environment"].pop("COCOON_PROCESSES") == "one"
    expected = dict(prod["services"]["gateway"], environment=environment(prod["services"]["gateway"]))
    assert gateway == expected
    for key in ("networks", "x-logging", "x-app", "x-app-env", "x-service-health"):
        assert one[key] == prod[key], key
    assert set(one["volumes"]) <= set(prod["volumes"]), "switching packagings keeps the volumes"


def test_compose_one_gives_the_services_container_each_service_s_own_database_and_keys(prod, one):
    service = one["services"]["services"]
    assert argv_of(service["command"]) == ["python", "-m", "shared.run_services"]
    env = environment(service)
    assert env["COCOON_SERVICE_NAME"] == "services" and env["COCOON_PROCESSES"] == "one"
    urls = {key: value for key, value in env.items() if key.endswith("_DATABASE_URL")}
    assert set(urls) == {c.database_env for c in components.SERVICES}, "not the gateway's"
    for component in components.SERVICES:
        assert urls[component.database_env] == environment(prod["services"][component.name])[component.database_env]
    # every key a nameko service of docker-compose.prod.yml gets, and no other
    theirs = {key for name in components.SERVICE_NAMES for key in environment(prod["services"][name])}
    assert set(env) == (theirs - {"COCOON_SERVICE_NAME"}) | {"COCOON_SERVICE_NAME", "COCOON_PROCESSES"}
    assert set(service["networks"]) == {"internal", "outbound"}  # notifications' SMTP server is outside
    assert ["notifications-var", "/app/var"] in [str(v).split(":")[:2] for v in service["volumes"]]
    assert service["healthcheck"]["test"] == ["CMD", "cocoon", "health", *components.SERVICE_NAMES]
    assert service["restart"] == "unless-stopped" and service["mem_limit"]


@pytest.mark.parametrize("name", ["docker-compose.prod.yml", "docker-compose.one.yml"])
def test_the_database_server_gets_every_component_s_role_password(name):
    """deploy/postgres-roles.sh makes one role per component from <COMPONENT>_DB_PASSWORD: a
    missing one stops the database's first start."""
    env = environment(load_file(name)["services"]["postgres"])
    missing = [c.name for c in components.COMPONENTS if f"{c.name.upper()}_DB_PASSWORD" not in env]
    assert not missing, f"{name}: postgres gets no password for {missing}"


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="apt-get install -y docker-compose")
def test_docker_compose_accepts_the_one_process_file_with_the_env_make_secrets_writes(tmp_path):
    spec = importlib.util.spec_from_file_location("make_secrets", ROOT / "deploy" / "make_secrets.py")
    make_secrets = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_secrets)
    shutil.copy(ROOT / "docker-compose.one.yml", tmp_path)
    shutil.copy(ROOT / "deploy" / "venue.env.example", tmp_path / "venue.env")
    assert make_secrets.main(["--env-file", str(tmp_path / ".env")]) == 0
    checked = subprocess.run(
        ["docker-compose", "-f", "docker-compose.one.yml", "config", "--quiet"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr


# --- deploy/nameko.yaml, read by shared/run_service.py as nameko's CLI reads it -------------------
@pytest.mark.parametrize(
    "environ",
    [{}, {"AMQP_URI": "amqp://u:p@rabbitmq:5672/v", "NAMEKO_MAX_WORKERS": "4", "LOG_LEVEL": "DEBUG"}],
    ids=["defaults", "set"],
)
def test_run_service_reads_nameko_yaml_as_nameko_s_cli_does(nameko_yaml, monkeypatch, environ):
    from shared import run_service

    expected = nameko_yaml(**environ)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    assert run_service.load_config() == expected


def test_run_service_does_not_import_nameko_s_cli_module():
    """nameko.cli.main imports pkg_resources (for `nameko --version`): memory of every service process."""
    import ast

    tree = ast.parse((ROOT / "shared" / "run_service.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert "nameko.cli.main" not in imported and "nameko.cli.run" in imported


def test_a_service_process_keeps_a_few_connections_to_publish_on(monkeypatch):
    from shared import run_service

    monkeypatch.delenv("COCOON_PUBLISH_CONNECTIONS", raising=False)
    assert run_service.publish_connections(1) == run_service.PUBLISH_CONNECTIONS < 10  # kombu's own bound
    assert run_service.publish_connections(7) == run_service.SHARED_PUBLISH_CONNECTIONS
    monkeypatch.setenv("COCOON_PUBLISH_CONNECTIONS", "6")
    assert run_service.publish_connections(7) == 6
    monkeypatch.setenv("COCOON_PUBLISH_CONNECTIONS", "0")
    with pytest.raises(SystemExit, match="COCOON_PUBLISH_CONNECTIONS"):
        run_service.publish_connections(1)
