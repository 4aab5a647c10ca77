"""A bare nameko + Flask stack for the no-op RPC: the floor under the project's fee quote.

service.py (one RPC returning a constant, `nameko run`) and app.py (Flask on gunicorn gthread,
2 workers x 8 threads, a pool of standalone proxies per worker) under the same supervisor as
`make run` (shared/supervisor.py), on a vhost of its own. `running_bare(workdir)` yields it once
GET /noop answers.
"""

import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.benchmarks import broker, procs
from tests.benchmarks.stacks import supervised
from tests.support import REPO, free_port, wait_for

PROCFILE = Path(__file__).resolve().parent / "Procfile"
PATH = "/noop"


@dataclass
class BareStack:
    label: str
    base: str
    vhost: str
    pid: int  # the supervisor's

    def processes(self):
        return procs.process_tree(self.pid)

    def cpu_seconds(self):
        return procs.tree_cpu_seconds(self.pid)


@contextmanager
def running_bare(workdir):
    vhost, port = broker.make_vhost("cocoon-bench-bare"), free_port()
    env = dict(
        os.environ,
        AMQP_URI=broker.amqp_uri(vhost),
        BARE_BIND=f"127.0.0.1:{port}",
        PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"],
    )
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "shared.dev", "run", "-f", str(PROCFILE)]
    var_dir = workdir / "bare"
    var_dir.mkdir()
    try:
        with supervised(command, REPO, env, var_dir / "run.log", f"{base}/healthz") as process:
            wait_for(lambda: broker.consumers(vhost, "rpc-noop") >= 1, timeout=60, interval=0.5, message="noop RPC")
            yield BareStack("bare", base, vhost, process.pid)
    finally:
        broker.delete_vhost(vhost)
