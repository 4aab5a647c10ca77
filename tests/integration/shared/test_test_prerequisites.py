"""The prerequisite check against the real RabbitMQ and PostgreSQL the suite runs on."""

import os
import subprocess
import sys

from shared import prerequisites
from tests.support import REPO


def test_with_everything_running_the_check_prints_nothing_and_exits_0():
    checked = subprocess.run(
        [sys.executable, "-m", "shared.dev", "check-test-prerequisites"],
        cwd=REPO,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (checked.returncode, checked.stdout, checked.stderr) == (0, "", "")


def test_a_missing_test_database_gets_the_createdb_command(postgres_url):
    missing_db = postgres_url.rsplit("/", 1)[0] + "/cocoon_no_such_database"
    reason, fix = prerequisites.postgres_problem(missing_db)
    assert "does not exist" in reason
    assert fix == "createdb -h 127.0.0.1 -p 5432 -U postgres cocoon_no_such_database"
