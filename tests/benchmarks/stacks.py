"""A stack as `make run` starts it, from one tree: `python -m shared.migrate`, then the Procfile
under the supervisor (`python -m shared.dev run -f Procfile`), with the tree as current
directory, on a fresh COCOON_VAR_DIR under var/, a fresh RabbitMQ vhost and a free port; its
emails go to an SMTP server outside it that keeps none, as a venue's would (mail_sink)."""

import os
import socket
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from shared.components import COMPONENT_NAMES
from shared.supervisor import stop_group
from tests.api import STAFF, STAFF_ENV, Api, Http
from tests.benchmarks import broker, procs, trees
from tests.benchmarks.progress import say
from tests.support import answers, free_port, wait_for

ONE_PROCESS = "one"  # the packaging of Procfile.one (COCOON_PROCESSES=one): every nameko service in one process


@dataclass
class Stack:
    tree: trees.Tree
    label: str
    base: str
    vhost: str
    var_dir: Path
    urls: dict  # component -> database URL
    staff: Api
    pid: int  # the supervisor's
    families: list = field(default_factory=list)  # (family id, bearer token)
    activities: int = 0  # scheduled so far (each on its own day)
    room_id: str = ""

    def processes(self):
        """The supervisor and every process below it."""
        return procs.process_tree(self.pid)

    def cpu_seconds(self):
        return procs.tree_cpu_seconds(self.pid)


def procfile(tree, var_dir, packaging=None, bookings_instances=1):
    """The tree's Procfile (Procfile.one for the one-process packaging, where the tree has one),
    with `bookings2:` … lines for more bookings instances (the Procfile's `bookings:` command)."""
    one = packaging == ONE_PROCESS and tree.has("Procfile.one")
    chosen = tree.path / ("Procfile.one" if one else "Procfile")
    if bookings_instances == 1:
        return chosen
    plain = (tree.path / "Procfile").read_text()
    command = next(line for line in plain.splitlines() if line.startswith("bookings:")).split(":", 1)[1]
    extra = "".join(f"bookings{n}:{command}\n" for n in range(2, bookings_instances + 1))
    path = var_dir / "Procfile"
    path.write_text(chosen.read_text().rstrip("\n") + "\n" + extra)
    return path


@contextmanager
def mail_sink():
    """An SMTP server that accepts every email and keeps none (aiosmtpd's Sink), outside the
    stack's process tree, as a venue's mail server is: its port. Without one, the notifications
    service appends each email to an mbox file it rescans every time (services/notifications/
    mailer.py), a cost that grows with the run and no venue pays."""
    port = free_port()
    command = [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink", "-l", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: _accepts(port), timeout=30, interval=0.1, message=f"an SMTP sink on port {port}")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def _accepts(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def stack_env(tree, var_dir, vhost, port, urls, packaging=None, smtp_port=None):
    env = dict(
        os.environ,
        AMQP_URI=broker.amqp_uri(vhost),
        COCOON_VAR_DIR=str(var_dir),
        GATEWAY_BIND=f"127.0.0.1:{port}",
        PATH=str(Path(tree.python).parent) + os.pathsep + os.environ["PATH"],
        COCOON_REGISTRATION_LIMIT_PER_ADDRESS="10000 per hour",  # the bench signs up people from one address
        **STAFF_ENV,
        **trees.probe_env(var_dir / "imports"),
    )
    for key in [k for k in env if k.endswith("_DATABASE_URL") or k.startswith(("COCOON_PROCESSES", "COCOON_SMTP"))]:
        del env[key]
    if smtp_port:
        env.update(COCOON_SMTP_HOST="127.0.0.1", COCOON_SMTP_PORT=str(smtp_port), COCOON_SMTP_STARTTLS="false")
    env.update({f"{c.upper()}_DATABASE_URL": u for c, u in urls.items()})
    if packaging == ONE_PROCESS:
        env["COCOON_PROCESSES"] = ONE_PROCESS
    return env


@contextmanager
def supervised(command, cwd, env, log_path, ready_url, timeout=120):
    """`command` in its own process group from `cwd` until the block ends, once `ready_url`
    answers 200 (its output in log_path, whose tail is printed if it never does)."""
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            try:
                wait_for(lambda: answers(ready_url), timeout=timeout, interval=0.3, message=f"GET {ready_url}")
            except AssertionError:
                print(Path(log_path).read_text(errors="replace")[-5000:])
                raise
            yield process
        finally:
            stop_group(process, 30)


def check_imports(stack):
    """Refuse a stack one of whose processes imported the project from another tree."""
    log_dir = stack.var_dir / "imports"
    foreign = trees.foreign_imports(log_dir, stack.tree)
    if foreign:
        raise RuntimeError(f"stack {stack.label} imported code from outside {stack.tree.path}: {foreign[:5]}")
    seen = trees.imports_of(log_dir)
    origin = next(iter(next(iter(seen.values())).values()), "?") if seen else "?"
    say(f"stack {stack.label}: {len(seen)} processes imported the project from {Path(origin).parent.parent}")


@contextmanager
def running_stack(tree, workdir, label, database_urls=None, bookings_instances=1, packaging=None):
    var_dir = workdir / label
    var_dir.mkdir()
    vhost, port = broker.make_vhost(), free_port()
    urls = database_urls or {c: f"sqlite:///{var_dir / (c + '.db')}" for c in COMPONENT_NAMES}
    base = f"http://127.0.0.1:{port}"
    try:
        with mail_sink() as smtp_port:
            env = stack_env(tree, var_dir, vhost, port, urls, packaging, smtp_port)
            migrate = [tree.python, "-m", "shared.migrate"]
            subprocess.run(migrate, cwd=tree.path, env=env, check=True, capture_output=True)
            command = [tree.python, "-m", "shared.dev", "run", "-f"]
            command.append(str(procfile(tree, var_dir, packaging, bookings_instances)))
            with supervised(command, tree.path, env, var_dir / "run.log", f"{base}/readyz") as process:
                yield ready(tree, label, base, vhost, var_dir, urls, process.pid, bookings_instances)
    finally:
        broker.delete_vhost(vhost)


def ready(tree, label, base, vhost, var_dir, urls, pid, bookings_instances):
    """The Stack, once its bookings instances consume RPCs and its code is checked."""
    wait_for(
        lambda: broker.consumers(vhost, "rpc-bookings") >= bookings_instances,
        timeout=60,
        interval=0.5,
        message=f"{bookings_instances} bookings instance(s) to consume RPCs",
    )
    staff = Api(Http(base, timeout=120)).signed_in(STAFF)
    stack = Stack(tree, label, base, vhost, var_dir, urls, staff, pid)
    check_imports(stack)
    say(f"stack {label} ready on {base} (vhost {vhost}, {len(stack.processes())} processes)")
    return stack
