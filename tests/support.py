"""Small helpers for tests."""

import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import requests
from nameko.testing.services import entrypoint_hook

from shared.supervisor import stop_group


def wait_for(predicate, timeout=10.0, interval=0.05, message="condition"):
    """Poll until predicate() is truthy; returns its value or fails with `message`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


REPO = Path(__file__).resolve().parents[1]


def call(container, method, *args):
    """Run one entrypoint of a service container of this test, as an RPC would (its errors raised as they are)."""
    with entrypoint_hook(container, method) as hook:
        return hook(*args)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(url, status=200):
    """True when GET url answers `status` within 3 s."""
    try:
        return requests.get(url, timeout=3).status_code == status
    except requests.RequestException:
        return False


@contextmanager
def serving(command, env, log_path, ready_url, timeout=60):
    """Run `command` (its own process group) from the repository root until the block ends, once
    `ready_url` answers 200; its output goes to log_path, whose tail is printed if it never does."""
    log = open(log_path, "wb")
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        try:
            wait_for(
                lambda: answers(ready_url), timeout=timeout, interval=0.3, message=f"GET {ready_url} to answer 200"
            )
        except AssertionError:
            print(Path(log_path).read_text(errors="replace")[-5000:])
            raise
        yield process
    finally:
        stop_group(process, 20)
        log.close()
