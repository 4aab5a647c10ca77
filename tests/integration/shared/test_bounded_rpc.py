"""A service asking another by RPC gives up in time instead of waiting for ever (real RabbitMQ)."""

import time

from nameko.standalone.rpc import ClusterRpcProxy

from shared.broker_loss import rpc
from shared.errors import Unavailable
from shared.service_rpc import BoundedRpcProxy


class Silent:
    """Takes every request and never answers: a reply lost in a broker restart looks like this."""

    name = "silent"

    @rpc
    def anything(self):
        time.sleep(60)  # green under the test's monkey patch


class Asker:
    name = "asker"
    silent = BoundedRpcProxy("silent", seconds=1.0)

    @rpc
    def ask(self):
        try:
            return self.silent.anything()
        except Unavailable as exc:
            return f"unavailable: {exc.message}"


def test_a_call_nobody_answers_gives_up_after_its_bound_as_unavailable(container_factory, rabbit_config):
    for service in (Silent, Asker):
        container_factory(service, rabbit_config).start()
    with ClusterRpcProxy(rabbit_config, timeout=20) as cluster:
        started = time.monotonic()
        answer = cluster.asker.ask()
        waited = time.monotonic() - started
    assert answer == "unavailable: Le service silent n'a pas répondu à temps ; réessayez dans un instant."
    assert waited < 15  # the bound, not the 60 s the silent service would take
