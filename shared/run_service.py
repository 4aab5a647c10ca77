"""Start one nameko service, as `nameko run --config deploy/nameko.yaml <module:Class>` does.

The only difference: eventlet's deprecation notice is silenced before nameko imports it
(see services/__init__.py), so logs stay JSON lines.

    python -m shared.run_service services.bookings.service:BookingsService
"""

import sys

from nameko.cli.main import main

import services  # noqa: F401  (first: it silences eventlet's notice before nameko imports eventlet)
from shared import stack_dump
from shared.config import REPO_ROOT

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    stack_dump.install()  # kill -USR1 <pid>: every greenthread's stack in the log
    sys.argv = ["nameko", "run", "--config", str(REPO_ROOT / "deploy" / "nameko.yaml"), sys.argv[1]]
    sys.exit(main())
