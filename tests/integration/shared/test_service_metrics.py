"""A nameko service's own Prometheus metrics on its port (shared/service_metrics.py): each call
timed by kind and entrypoint, a refusal counted by its class, the events it published and
applied, and its outbox backlog read at the scrape; on the real broker and database."""

import socket

import pytest
import requests
from nameko.standalone.rpc import ServiceRpcProxy
from prometheus_client.parser import text_string_to_metric_families

from services.volunteers.service import VolunteersService


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def metrics_port(container_factory, service_config):
    port = free_port()
    container = container_factory(VolunteersService, {**service_config, "COCOON_METRICS_PORT": port})
    container.start()
    return port


def samples(port):
    text = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    return [s for family in text_string_to_metric_families(text) for s in family.samples]


def value(found, name, **labels):
    matching = [s.value for s in found if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())]
    return sum(matching) if matching else None


def test_each_call_is_timed_and_a_refusal_counted_by_its_class(metrics_port, service_config):
    before = samples(metrics_port)
    calls = value(before, "cocoon_entrypoint_seconds_count", service="volunteers", kind="rpc", entrypoint="health")
    with ServiceRpcProxy("volunteers", service_config) as volunteers:
        volunteers.health()
        volunteers.health()
        with pytest.raises(Exception):  # noqa: B017, PT011 (nameko's RemoteError names the service's NotFound)
            volunteers.get_volunteer("nobody")
    after = samples(metrics_port)
    counted = value(after, "cocoon_entrypoint_seconds_count", service="volunteers", kind="rpc", entrypoint="health")
    assert counted == (calls or 0) + 2
    assert (
        value(
            after,
            "cocoon_entrypoint_failures_total",
            service="volunteers",
            entrypoint="get_volunteer",
            error="NotFound",
        )
        == 1
    )


def test_the_outbox_backlog_is_read_at_each_scrape(metrics_port):
    found = samples(metrics_port)
    assert value(found, "cocoon_outbox_oldest_pending_seconds", service="volunteers") == 0  # nothing waits
