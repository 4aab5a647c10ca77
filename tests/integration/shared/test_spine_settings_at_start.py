"""A wrong spine setting stops a service while it starts, with one line naming the setting."""

import os
import subprocess
import sys

from tests.support import REPO


def test_a_service_started_with_a_wrong_setting_exits_and_its_last_line_names_the_setting(rabbit_config, tmp_path):
    env = dict(os.environ, AMQP_URI=rabbit_config["AMQP_URI"], COCOON_VAR_DIR=str(tmp_path), EVENT_MAX_ATTEMPTS="0")
    started = subprocess.run(
        [sys.executable, "-m", "shared.run_service", "services.volunteers.service:VolunteersService"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.returncode != 0
    last_line = started.stderr.strip().splitlines()[-1]
    assert last_line.endswith(
        "invalid setting EVENT_MAX_ATTEMPTS=0 (from the nameko config): expected a whole number of at least 1"
    ), last_line
