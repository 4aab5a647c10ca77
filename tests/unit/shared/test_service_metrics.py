"""A service's metrics server (shared/service_metrics.py): a port already taken by another venue on
the machine leaves the service running without metrics, never stops it."""

import socket

from shared import service_metrics


def test_a_taken_port_serves_nothing_and_raises_nothing():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert service_metrics.serve(port, "127.0.0.1") is None
    assert port not in service_metrics._started


def test_port_zero_serves_nothing():
    assert service_metrics.serve(0, "127.0.0.1") is None
