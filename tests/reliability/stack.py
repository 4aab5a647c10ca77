"""The venue's processes as `make run` starts them (the Procfile's commands), one by one, so a
test can SIGKILL one and start it again: five nameko services and the gunicorn gateway, on the
fault broker and on SQLite files (or PostgreSQL databases) of this stack only."""

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg2

from shared import components
from tests.api import STAFF_ENV
from tests.support import REPO, answers, free_port, wait_for

BIN = Path(sys.executable).parent
RETRY_DELAY_MS = 300  # a failed event is tried again after this (EVENT_RETRY_DELAY_MS)


class Stack:
    def __init__(self, broker, directory, database_urls=None, vhost="/"):
        """`database_urls`: {component name: postgresql://…}; SQLite files under `directory` otherwise.
        `vhost`: the broker's virtual host for this stack (two stacks never share one)."""
        self.broker = broker
        self.vhost = vhost
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.database_urls = {
            c.name: (database_urls or {}).get(c.name) or f"sqlite:///{self.directory / (c.name + '.db')}"
            for c in components.COMPONENTS
        }
        self.processes = {}
        self.logs = {}
        self.starts = {c.name: 0 for c in components.COMPONENTS}
        env = {k: v for k, v in os.environ.items() if not k.endswith("_DATABASE_URL")}
        env.update(
            AMQP_URI=broker.uri_of(vhost),
            RABBIT_API_URI=broker.api_uri,  # this node's, never the shared broker's (the topology check)
            COCOON_VAR_DIR=str(self.directory),
            GATEWAY_BIND=f"127.0.0.1:{self.port}",
            GATEWAY_WORKERS="1",
            OUTBOX_SWEEP_SECONDS="0.5",
            EVENT_RETRY_DELAY_MS=str(RETRY_DELAY_MS),
            COCOON_BROKER_WAIT_SECONDS="60",
            # Every client of the proof signs in from 127.0.0.1, once per account.
            COCOON_LOGIN_LIMIT_PER_ADDRESS="1000 per minute",
            COCOON_REGISTRATION_LIMIT_PER_ADDRESS="1000 per hour",  # and registers every family and volunteer
            PATH=str(BIN) + os.pathsep + os.environ.get("PATH", ""),
            **STAFF_ENV,
        )
        for component in components.COMPONENTS:
            env[component.database_env] = self.database_urls[component.name]
        self.env = env

    # --- processes ----------------------------------------------------------------------------------
    def migrate(self):
        subprocess.run(
            [sys.executable, "-m", "shared.migrate"],
            cwd=REPO,
            env=self.env,
            check=True,
            capture_output=True,
            timeout=180,
        )

    def command(self, component):
        if component.runner == components.GUNICORN:
            return [str(BIN / "gunicorn"), "--config", "deploy/gunicorn.conf.py", component.target]
        return [sys.executable, "-m", "shared.run_service", component.target]

    def start(self, name):
        component = components.named(name)
        self.starts[name] += 1
        log_path = self.directory / f"{name}.{self.starts[name]}.log"
        log = open(log_path, "wb")  # noqa: SIM115  (closed when the process is reaped)
        self.logs[name] = (log_path, log)
        self.processes[name] = subprocess.Popen(
            self.command(component),
            cwd=REPO,
            env=dict(self.env, COCOON_SERVICE_NAME=name),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_all(self):
        self.migrate()
        for component in components.COMPONENTS:
            self.start(component.name)
        self.wait_ready()

    def wait_ready(self, timeout=120):
        try:
            wait_for(
                lambda: answers(f"{self.base_url}/readyz"), timeout=timeout, interval=0.5, message="/readyz to answer"
            )
        except AssertionError:
            self.print_logs()
            raise

    def kill(self, name):
        """SIGKILL the component's process (no chance to finish anything), and reap it."""
        process = self.processes[name]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        self.logs[name][1].close()
        return process.returncode

    def stop_all(self):
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for name, process in self.processes.items():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
            self.logs[name][1].close()

    def dump_stacks(self):
        """Every nameko service prints its greenthreads' stacks to its log (shared/stack_dump.py)."""
        for name, process in self.processes.items():
            if components.named(name).runner != components.GUNICORN and process.poll() is None:
                os.kill(process.pid, signal.SIGUSR1)

    def print_logs(self, tail=3000):
        for path, _ in self.logs.values():
            print(f"----- {path.name} -----")
            print(path.read_text(errors="replace")[-tail:])

    # --- what each service holds ----------------------------------------------------------------------
    def rows(self, name, sql, params=()):
        """The rows of `sql` (with `?` placeholders) in component `name`'s database, read directly."""
        url = self.database_urls[name]
        if url.startswith("sqlite:///"):
            connection = sqlite3.connect(f"file:{url[len('sqlite:///') :]}?mode=ro", uri=True, timeout=30)
            try:
                return connection.execute(sql, params).fetchall()
            finally:
                connection.close()
        connection = psycopg2.connect(url)
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql.replace("?", "%s"), params)
                return cursor.fetchall()
        finally:
            connection.close()
