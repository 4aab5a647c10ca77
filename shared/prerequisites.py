"""What `make test` needs running, checked before pytest starts: one line per missing piece,
with the command that fixes it, instead of dozens of connection-refused tracebacks.

    python -m shared.dev check-test-prerequisites [rabbitmq] [postgresql]   # default: both

- RabbitMQ (AMQP, --rabbit-amqp-uri in pyproject.toml);
- its management API (--rabbit-api-uri: every test makes its own vhost through it). When the
  broker runs here and `rabbitmq-plugins` is on the PATH, the plugin is enabled, as .ci/run does;
- PostgreSQL with the database of COCOON_TEST_POSTGRES_URL (default: `test` on 127.0.0.1).
"""

import shlex
import shutil
import subprocess
import sys
import time
import tomllib
from urllib.parse import urlparse

import psycopg2
import requests

from shared import config, topology

DEFAULT_AMQP_URI = "pyamqp://guest:guest@127.0.0.1:5672"
DEFAULT_API_URI = "http://guest:guest@127.0.0.1:15672"
DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
ENABLE_PLUGIN = ["rabbitmq-plugins", "enable", "rabbitmq_management"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
GROUPS = ("rabbitmq", "postgresql")


def test_addresses():
    """(AMQP URI, management API URI, PostgreSQL URL) the test suite itself uses."""
    options = {}
    with open(config.REPO_ROOT / "pyproject.toml", "rb") as fh:
        addopts = tomllib.load(fh)["tool"]["pytest"]["ini_options"].get("addopts", "")
    for word in shlex.split(addopts):
        name, _, value = word.partition("=")
        options[name] = value
    return (
        options.get("--rabbit-amqp-uri", DEFAULT_AMQP_URI),
        options.get("--rabbit-api-uri", DEFAULT_API_URI),
        config.env("COCOON_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL),
    )


def where(uri):
    """host:port as written in the URI (no credentials)."""
    return urlparse(uri).netloc.rpartition("@")[2]


def api_problem(api_uri, timeout=3):
    """None when the management API answers with the test credentials, else why not."""
    parsed = urlparse(api_uri)
    try:
        response = requests.get(
            f"{parsed.scheme}://{where(api_uri)}/api/overview",
            auth=(parsed.username or "guest", parsed.password or "guest"),
            timeout=timeout,
        )
    except requests.RequestException as exc:
        return f"unreachable: {exc.__class__.__name__}"
    return None if response.status_code == 200 else f"HTTP {response.status_code}"


def enable_management_plugin(api_uri, wait_seconds=60, which=shutil.which, run=subprocess.run, say=print):
    """Enable the plugin on the local node (as .ci/run does); True once the API answers."""
    if urlparse(api_uri).hostname not in LOCAL_HOSTS or not which(ENABLE_PLUGIN[0]):
        return False
    say(f"enabling the RabbitMQ management plugin: {' '.join(ENABLE_PLUGIN)}")
    try:
        done = run(ENABLE_PLUGIN, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as exc:
        say(f"  failed: {exc}")
        return False
    if done.returncode != 0:
        output = (done.stderr or done.stdout or "").strip().splitlines()
        say(f"  failed (exit {done.returncode}): {output[-1] if output else 'no output'}")
        return False
    deadline = time.monotonic() + wait_seconds
    while api_problem(api_uri):
        if time.monotonic() > deadline:
            return False
        time.sleep(1)
    return True


def postgres_problem(url, timeout=3):
    """None when `url` accepts a connection, else (why, the command that fixes it)."""
    try:
        psycopg2.connect(url, connect_timeout=timeout).close()
        return None
    except psycopg2.OperationalError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
    parsed = urlparse(url)
    database = parsed.path.lstrip("/")
    if "does not exist" in reason and "database" in reason:
        return (
            reason,
            f"createdb -h {parsed.hostname} -p {parsed.port or 5432} -U {parsed.username or 'postgres'} {database}",
        )
    if "password" in reason or "authentication" in reason:
        return reason, "autoriser l'accès trust de cet utilisateur (pg_hba.conf) ou régler COCOON_TEST_POSTGRES_URL"
    return reason, (
        "pg_ctlcluster $(ls /etc/postgresql) main start (Debian : apt-get install postgresql) ou "
        "docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust -e POSTGRES_DB=test postgres:16"
    )


def missing(groups=GROUPS, addresses=None, enable_plugin=enable_management_plugin):
    """One line per missing prerequisite: what, where, why, and the command that fixes it."""
    amqp_uri, api_uri, postgres_url = addresses or test_addresses()
    lines = []
    if "rabbitmq" in groups:
        broker = topology.broker_problem(amqp_uri)
        if broker:
            lines.append(
                f"RabbitMQ ne répond pas sur {where(amqp_uri)} ({broker}) → rabbitmq-server -detached "
                "(Debian : apt-get install rabbitmq-server) ou docker compose up -d rabbitmq"
            )
        api = api_problem(api_uri)
        if api and not broker and enable_plugin(api_uri):
            api = None
        if api:
            lines.append(
                f"L'API de gestion de RabbitMQ (un vhost par test) ne répond pas sur {where(api_uri)} "
                f"({api}) → {' '.join(ENABLE_PLUGIN)} (en root)"
            )
    if "postgresql" in groups:
        problem = postgres_problem(postgres_url)
        if problem:
            reason, fix = problem
            lines.append(
                f"PostgreSQL : la base {urlparse(postgres_url).path.lstrip('/')} sur {where(postgres_url)} "
                f"ne répond pas ({reason}) → {fix}"
            )
    return lines


def main(groups):
    unknown = [g for g in groups if g not in GROUPS]
    if unknown:
        print(f"unknown prerequisite {', '.join(unknown)}; choose among {', '.join(GROUPS)}", file=sys.stderr)
        return 2
    lines = missing(groups or GROUPS)
    for line in lines:
        print(line, file=sys.stderr)
    return 1 if lines else 0
