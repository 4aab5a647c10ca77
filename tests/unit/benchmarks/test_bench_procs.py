"""`make bench`'s /proc readings (tests/benchmarks/procs.py), on this test's own process."""

import os
import socket
import subprocess
import sys
import time

from tests.benchmarks import procs


def _spin(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_a_process_tree_starts_at_its_root_and_holds_its_children():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        tree = procs.process_tree(os.getpid())
        assert tree[0] == os.getpid()
        assert child.pid in tree
    finally:
        child.kill()
        child.wait()


def test_the_cpu_time_of_this_process_grows_by_what_it_spent():
    before = procs.cpu_seconds([os.getpid()])
    _spin(0.3)
    spent = procs.cpu_seconds([os.getpid()]) - before
    assert 0.25 <= spent <= 1.0


def test_a_reaped_child_leaves_its_cpu_time_in_its_parents_reading():
    before = procs.tree_cpu_seconds(os.getpid())
    subprocess.run(
        [sys.executable, "-c", "import time\nend = time.process_time() + 0.4\nwhile time.process_time() < end: pass"],
        check=True,
    )
    assert procs.tree_cpu_seconds(os.getpid()) - before >= 0.35


def test_an_ended_process_counts_for_nothing():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert procs.cpu_seconds([child.pid]) == 0


def test_the_memory_of_this_process_has_its_rss_and_pss():
    (found,) = procs.memory([os.getpid()])
    assert found.pid == os.getpid()
    assert found.rss_kib > 1000
    assert found.pss_kib is None or 0 < found.pss_kib <= found.rss_kib


def test_a_process_is_named_by_the_supervisors_variable_else_by_its_command():
    env = dict(os.environ, HONCHO_PROCESS_NAME="bookings.1")
    named = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"], env=env)
    plain = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert procs.process_name(named.pid) == "bookings.1"
        assert procs.process_name(plain.pid).startswith(sys.executable)
    finally:
        for child in (named, plain):
            child.kill()
            child.wait()


def test_the_connections_of_a_process_to_a_port_are_counted_from_its_sockets():
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)):
            assert procs.connections_to(port, [os.getpid()]) == {os.getpid(): 1}
        assert procs.connections_to(port, [os.getpid()]) == {os.getpid(): 0}
