"""The proof suite's fixtures: a second RabbitMQ node it may stop (tests/reliability/broker.py) and
the venue's processes on it (tests/reliability/stack.py), for the whole session.

Their files (the node's data, the SQLite databases, one log per process) live in a directory of
the session's own, removed at the end unless a test failed (its path is then printed) or
COCOON_PROOF_KEEP=1.
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.reliability.broker import FaultBroker
from tests.reliability.stack import Stack


@pytest.fixture(scope="session")
def proof_dir(request):
    path = Path(tempfile.mkdtemp(prefix="cocoon-proof-"))
    yield path
    if request.session.testsfailed or os.environ.get("COCOON_PROOF_KEEP") == "1":
        print(f"\nThe proof's processes logs and data are kept in {path}")
    else:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def fault_broker(proof_dir):
    broker = FaultBroker(proof_dir / "broker")
    try:
        broker.start()
        yield broker
    finally:
        broker.stop()


@pytest.fixture(scope="session")
def stack(fault_broker, proof_dir):
    """The venue on SQLite files, its processes started as `make run` starts them."""
    venue = Stack(fault_broker, proof_dir / "venue")
    try:
        venue.start_all()
        yield venue
    finally:
        venue.stop_all()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    item.stash.setdefault(_FAILED, False)
    if report.failed:
        item.stash[_FAILED] = True
    return report


_FAILED = pytest.StashKey[bool]()


@pytest.fixture(autouse=True)
def diagnosed_on_failure(request, proof_dir):
    """A failed scenario leaves what the services were waiting in, and the broker's queues, beside
    the logs: each service's greenthread stacks, and queues.txt (consumers, messages)."""
    yield
    if not request.node.stash.get(_FAILED, False) or "stack" not in request.fixturenames:
        return
    stack = request.getfixturevalue("stack")
    stack.dump_stacks()
    try:
        report = stack.broker.queues_report(stack.vhost)
    except Exception as exc:  # noqa: BLE001  (the broker may be the thing that failed)
        report = f"the broker did not list its queues: {exc}"
    (proof_dir / f"queues-{request.node.name}.txt").write_text(report)


@pytest.fixture
def broker_up(fault_broker, stack):
    """The fault broker running (a test that failed mid-restart leaves it stopped for the next)."""
    if not fault_broker.accepts_connections():
        fault_broker.start_app()
    yield fault_broker
    if not fault_broker.accepts_connections():
        fault_broker.start_app()
