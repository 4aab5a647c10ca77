"""Sixteen people sign in at the same moment on the gateway's SQLite database: all get a token.

The real gunicorn serves the app (2 processes × 8 threads, as deployed): in this test process
threads are greenthreads (eventlet), which never run a password check and a database write
side by side, so only real processes and threads show the race.
"""

import os
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from shared import migrate
from tests.api import STAFF, STAFF_ENV
from tests.support import free_port, serving

LOGINS = 16


@pytest.fixture
def gateway(rabbit_config, tmp_path):
    """gunicorn serving the gateway on a file SQLite database of this test, with a staff account."""
    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    migrate.migrate("gateway", url)
    port = free_port()
    env = dict(
        os.environ,
        AMQP_URI=rabbit_config["AMQP_URI"],
        GATEWAY_DATABASE_URL=url,
        COCOON_VAR_DIR=str(tmp_path),
        GATEWAY_BIND=f"127.0.0.1:{port}",
        GATEWAY_WORKERS="2",
        GATEWAY_THREADS="8",
        **STAFF_ENV,
    )
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    base = f"http://127.0.0.1:{port}"
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--config",
        "deploy/gunicorn.conf.py",
        "services.gateway.app:create_app()",
    ]
    with serving(command, env, tmp_path / "gunicorn.log", f"{base}/healthz", timeout=30):
        yield base


def test_sixteen_people_signing_in_at_once_all_get_a_token(gateway):
    def sign_in(_):
        response = requests.post(f"{gateway}/api/v1/auth/token", json=STAFF, timeout=30)
        return response.status_code, response.text

    with ThreadPoolExecutor(LOGINS) as pool:
        answers = list(pool.map(sign_in, range(LOGINS)))

    assert Counter(status for status, _ in answers) == {200: LOGINS}, [
        text for status, text in answers if status != 200
    ]
