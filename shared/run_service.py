"""Start nameko services, as `nameko run --config deploy/nameko.yaml <module:Class> ...` does.

    python -m shared.run_service services.bookings.service:BookingsService   # one (the split packaging)
    python -m shared.run_services                                             # every one, one process

What differs from nameko's command line:
- eventlet's deprecation notice is silenced before nameko imports it (services/__init__.py), so
  logs stay JSON lines;
- nameko's CLI module is not imported: it imports pkg_resources for its `--version`, 3.5 MiB of
  every service process (docs/hosting.md, "What a venue costs"). deploy/nameko.yaml is read here
  with the same `${VAR:default}` substitution (`load_config`; tests/unit/test_deploy_files.py
  reads it both ways);
- each container's threads name its service in their log lines (shared/service_container.py):
  one process may run several services;
- several services share one consumer connection to the broker (shared/process_consumer.py);
- a process keeps at most PUBLISH_CONNECTIONS open to publish on (kombu's pool: 10);
- `kill -USR1 <pid>`: every greenthread's stack in the log (shared/stack_dump.py).
As with nameko's, SIGTERM stops every service gracefully, and a service killed by an error ends
the process with that error (the supervisor, compose or Kubernetes starts it again).
"""

import functools
import os
import re
import sys

import yaml

import services  # noqa: F401  (first: it silences eventlet's notice before nameko imports eventlet)
from shared import stack_dump
from shared.config import REPO_ROOT

CONFIG_PATH = REPO_ROOT / "deploy" / "nameko.yaml"
CONTAINER_CLASS = "shared.service_container.Container"

# The connections a process publishes its RPC replies and parked events on: kombu's pool, one per
# process, shared by every service in it. kombu keeps up to 10 open once that many replies went out
# at once, which a service starting with a backlog of requests does (10 workers answer together),
# and they stay open, idle. Past the bound, a reply waits for a connection (a publish and its
# confirm take about a millisecond). COCOON_PUBLISH_CONNECTIONS, else these:
PUBLISH_CONNECTIONS = 4  # one service in the process (the split packaging)
SHARED_PUBLISH_CONNECTIONS = 2  # every service in one process (a small venue's)

# deploy/nameko.yaml's `${VAR}` and `${VAR:default}`, as nameko.cli.main reads them without the
# `regex` module (not installed): the variable's value, else the default, then read as YAML
# (`${NAMEKO_MAX_WORKERS:10}` is the number 10).
ENV_VAR = re.compile(r"\$\{([^}:\s]+):?([^}]+)?\}")
IMPLICIT_ENV_VAR = re.compile(r".*\$\{.*\}.*")


class ConfigLoader(yaml.SafeLoader):
    """yaml.SafeLoader with nameko's `${VAR:default}` resolver, on this class only (nameko's CLI
    installs it on yaml.SafeLoader itself, for the whole process)."""


def _replace(match):
    name, default = match.groups()
    value = os.environ.get(name)
    if value is None:
        value = default or ""
        while IMPLICIT_ENV_VAR.match(value):
            value = ENV_VAR.sub(_replace, value)
    return value


def _env_var(loader, node, raw=False):
    text = loader.construct_scalar(node)
    value = ENV_VAR.sub(_replace, text)
    if value == text:
        return value
    return value if raw else yaml.load(value, Loader=ConfigLoader)


ConfigLoader.yaml_implicit_resolvers = {key: list(value) for key, value in ConfigLoader.yaml_implicit_resolvers.items()}
ConfigLoader.add_constructor("!env_var", _env_var)
ConfigLoader.add_constructor("!raw_env_var", functools.partial(_env_var, raw=True))
ConfigLoader.add_implicit_resolver("!env_var", IMPLICIT_ENV_VAR, None)


def load_config(path=CONFIG_PATH):
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=ConfigLoader)


def publish_connections(how_many):
    """COCOON_PUBLISH_CONNECTIONS, else the default for a process running `how_many` services."""
    raw = os.environ.get("COCOON_PUBLISH_CONNECTIONS", "").strip()
    if not raw:
        return SHARED_PUBLISH_CONNECTIONS if how_many > 1 else PUBLISH_CONNECTIONS
    if not raw.isdigit() or int(raw) < 1:
        raise SystemExit(f"COCOON_PUBLISH_CONNECTIONS={raw!r}: expected a whole number, 1 or more")
    return int(raw)


def main(targets):
    """Run the services `targets` ("module:Class") until SIGTERM or Ctrl+C."""
    if not targets:
        sys.exit(__doc__)
    import eventlet

    eventlet.monkey_patch()  # first, as `nameko run` does: before nameko's modules are imported

    import logging.config

    import kombu.pools
    from nameko.cli.run import import_service, run

    from shared import process_consumer

    stack_dump.install()
    config = load_config()
    if "LOGGING" in config:
        logging.config.dictConfig(config["LOGGING"])
    config["SERVICE_CONTAINER_CLS"] = CONTAINER_CLASS
    if len(targets) > 1:
        process_consumer.share()
    kombu.pools.set_limit(publish_connections(len(targets)))
    classes = [cls for target in targets for cls in import_service(target)]
    run(classes, config)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1:]))
