"""Services run in one process consume on one broker connection (shared/process_consumer.py): their
RPC queues, their event queues and the replies to their calls, each service with its own queues
and workers; a service started later joins the connection, one stopped leaves the others
consuming, a connection closed by the broker comes back with every consumer (real RabbitMQ)."""

from urllib.parse import quote, urlparse

import pytest
import requests
from nameko.standalone.rpc import ClusterRpcProxy

from shared import process_consumer
from shared.broker_loss import rpc
from shared.errors import Unavailable
from shared.service_rpc import BoundedRpcProxy
from tests.integration import probe
from tests.support import wait_for


class Echo:
    name = "echo"

    @rpc
    def echo(self, text):
        return f"echo: {text}"


class Asker:
    """Calls echo: its reply comes back on the shared connection too."""

    name = "asker"
    echo = BoundedRpcProxy("echo", seconds=2.0)

    @rpc
    def ask(self, text):
        try:
            return self.echo.echo(text)
        except Unavailable:
            return "echo is not answering"


@pytest.fixture
def shared_connection(monkeypatch):
    """What shared/run_service.py does for several services: every container of this test shares."""
    monkeypatch.setattr(process_consumer, "_sharing", True)


@pytest.fixture
def broker(request, rabbit_config):
    """The management API's view of this test's vhost."""
    api = urlparse(request.config.getoption("RABBIT_API_URI"))
    base = f"{api.scheme}://{api.hostname}:{api.port}/api"
    auth = (api.username, api.password)
    vhost = quote(rabbit_config["vhost"], safe="")

    class Broker:
        def consumer_connections(self):
            """The connections the services consume on (not this test's own RPC client), once the
            broker's statistics know every consumer's channel (until then its details are [])."""

            def listed():
                consumers = requests.get(f"{base}/consumers/{vhost}", auth=auth, timeout=5).json()
                if any(not c["channel_details"] for c in consumers):
                    return None
                return {
                    c["channel_details"]["connection_name"]
                    for c in consumers
                    if not c["queue"]["name"].startswith("rpc.reply-standalone_rpc_proxy")
                }

            return wait_for(lambda: (found := listed()) is not None and (found,), timeout=30, interval=0.5)[0]

        def consumed_queues(self):
            consumers = requests.get(f"{base}/consumers/{vhost}", auth=auth, timeout=5).json()
            return {c["queue"]["name"] for c in consumers}

        def close(self, name):
            requests.delete(f"{base}/connections/{quote(name, safe='')}", auth=auth, timeout=5)

    return Broker()


def start(container_factory, config, *classes):
    containers = [container_factory(cls, config) for cls in classes]
    for container in containers:
        container.start()
    return containers


def test_services_of_one_process_consume_their_rpc_events_and_replies_on_one_connection(
    shared_connection, container_factory, probe_config, broker
):
    start(container_factory, probe_config, probe.ProbeService, Echo, Asker)
    with ClusterRpcProxy(probe_config, timeout=10) as cluster:
        assert cluster.asker.ask("bonjour") == "echo: bonjour"  # RPC in, RPC out, its reply back in
        cluster.probe.emit("probe.thing_happened", "t-1")  # outbox, relay, then the probe's own handler
    wait_for(lambda: probe.Applied.select().count() == 1, timeout=15, message="the event to be applied")
    # the management API's list of consumers follows its statistics, every few seconds
    queues = wait_for(
        lambda: (found := broker.consumed_queues()) >= {"rpc-echo", "rpc-asker", "rpc-probe"} and found,
        timeout=30,
        interval=0.5,
        message="the broker to list every consumer",
    )
    assert any(name.startswith("rpc.reply-asker-") for name in queues)
    assert any(name.startswith("evt-probe-thing_happened--probe.") for name in queues)
    assert len(broker.consumer_connections()) == 1


def test_a_service_started_later_joins_and_one_stopped_leaves_the_others_consuming(
    shared_connection, container_factory, probe_config, broker
):
    (asker,) = start(container_factory, probe_config, Asker)
    (echo,) = start(container_factory, probe_config, Echo)  # the connection already runs
    with ClusterRpcProxy(probe_config, timeout=10) as cluster:
        assert cluster.asker.ask("un") == "echo: un"
        wait_for(
            lambda: {"rpc-echo", "rpc-asker"} <= broker.consumed_queues(), timeout=30, message="both consumers listed"
        )
        assert len(broker.consumer_connections()) == 1
        echo.stop()
        assert cluster.asker.ask("deux") == "echo is not answering"  # asker still consumes, and its replies
    (hub,) = process_consumer._consumers.values()
    assert {m.container.service_name for m in hub.members} == {"asker"}
    asker.stop()
    assert not process_consumer._consumers and hub.gt.dead  # the last one to stop closed the connection


def test_a_connection_the_broker_closed_comes_back_with_every_consumer(
    shared_connection, container_factory, probe_config, broker
):
    start(container_factory, probe_config, Echo, Asker)
    (connection,) = wait_for(broker.consumer_connections, timeout=30, interval=0.5, message="the consumers listed")
    broker.close(connection)
    wait_for(
        lambda: broker.consumer_connections() - {connection} and {"rpc-echo", "rpc-asker"} <= broker.consumed_queues(),
        timeout=30,
        interval=0.5,
        message="the consumers to come back on a new connection",
    )
    with ClusterRpcProxy(probe_config, timeout=10) as cluster:
        assert cluster.asker.ask("trois") == "echo: trois"
    assert len(broker.consumer_connections()) == 1
