"""The whole venue as `make run` starts it (the Procfile under shared/supervisor.py: the nameko
services and the gunicorn gateway; COCOON_PROCESSES=one: Procfile.one), for the tests that drive
it over HTTP: on the real RabbitMQ, a vhost, SQLite files and a free port of its own.

`running_venue` starts it for one test (tests/e2e); `shared_venue` starts one for all the tests of a
pytest process (the session fixture `stack` of tests/browser and tests/security).
"""

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import requests

from tests.api import STAFF, STAFF_ENV, Api, Http
from tests.support import REPO, free_port, serving

RABBIT_API = "http://guest:guest@127.0.0.1:15672/api"

# Every client of a shared venue signs in and registers from 127.0.0.1: the per-address limits would
# count them all as one person (the per-account limit stays as shipped, and has its own test).
SHARED_VENUE_SETTINGS = {
    "GATEWAY_WORKERS": "1",  # one gateway process: the sign-in limits are counted per process
    "COCOON_LOGIN_LIMIT_PER_ADDRESS": "600 per minute",
    "COCOON_REGISTRATION_LIMIT_PER_ADDRESS": "600 per minute",
    "COCOON_DEMO": "0",  # these tests make their own data (the demo has its own test: tests/e2e/test_demo_data.py)
    # Every module places its own trainees around the same days: the weekly trainee quota (3 under
    # 20 staff) would refuse them across modules. The quota has its own tests (unit, integration).
    "COCOON_HOST_STAFF_COUNT": "200",
}


@dataclass(frozen=True)
class Venue:
    base_url: str
    log_path: Path
    env: dict


@contextmanager
def rabbit_vhost(prefix):
    """A RabbitMQ vhost of its own (guest may use it), deleted with everything in it at the end."""
    name = f"{prefix}-{uuid.uuid4().hex[:8]}"
    url = f"{RABBIT_API}/vhosts/{quote(name, safe='')}"
    requests.put(url, timeout=10).raise_for_status()
    requests.put(
        f"{RABBIT_API}/permissions/{quote(name, safe='')}/guest",
        json={"configure": ".*", "write": ".*", "read": ".*"},
        timeout=10,
    ).raise_for_status()
    try:
        yield name
    finally:
        requests.delete(url, timeout=10)


def amqp_uri(vhost):
    return f"amqp://guest:guest@127.0.0.1:5672/{quote(vhost, safe='')}"


@contextmanager
def running_venue(amqp, directory, once=None, **settings):
    """Migrate, then run the Procfile's processes as `make run` does until the block ends, once
    /readyz answers: on the broker `amqp`, SQLite files and a log (run.log) in `directory`, the
    bootstrap staff account of tests/api.py. `settings` are more environment variables (a value
    None removes one); `once`: a `name=command` run once the venue answers (`make run`'s demo)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(
        os.environ,
        AMQP_URI=amqp,
        COCOON_VAR_DIR=str(directory),
        GATEWAY_BIND=f"127.0.0.1:{port}",
        COCOON_PUBLIC_URL=base,  # the links it gives (the personal calendar's) lead to this venue
        OUTBOX_SWEEP_SECONDS="1",
        COCOON_DEMO="0",
        COCOON_METRICS_PORT="0",  # `make run` gives fixed ports (9101…): two venues at once would share them
        PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"],
        **STAFF_ENV,
    )
    for key in [k for k in env if k.endswith("_DATABASE_URL")]:
        del env[key]
    env.update({key: value for key, value in settings.items() if value is not None})
    for key in [key for key, value in settings.items() if value is None]:
        env.pop(key, None)
    subprocess.run([sys.executable, "-m", "shared.migrate"], cwd=REPO, env=env, check=True, capture_output=True)
    log_path = Path(directory) / "run.log"
    # the Procfile of the packaging COCOON_PROCESSES names (split by default: Procfile)
    command = [sys.executable, "-m", "shared.dev", "run"] + (["--once", once] if once else [])
    with serving(command, env, log_path, f"{base}/readyz"):
        try:
            yield Venue(base, log_path, env)
        except AssertionError:
            print(log_path.read_text(errors="replace")[-5000:])
            raise


@contextmanager
def shared_venue(directory, vhost):
    """One venue for every test of a session (SHARED_VENUE_SETTINGS) on the vhost `vhost` (from
    `rabbit_vhost`): its base URL. The session fixtures of a conftest.py:

        @pytest.fixture(scope="session")
        def vhost():
            with rabbit_vhost("cocoon-browser") as name:
                yield name

        @pytest.fixture(scope="session")
        def stack(vhost, tmp_path_factory):
            with shared_venue(tmp_path_factory.mktemp("var"), vhost) as base_url:
                yield base_url
    """
    with running_venue(amqp_uri(vhost), directory, **SHARED_VENUE_SETTINGS) as venue:
        yield venue.base_url


def staff_of(base_url):
    """The API of the venue at `base_url`, signed in as the bootstrap staff account."""
    return Api(Http(base_url)).signed_in(STAFF)
