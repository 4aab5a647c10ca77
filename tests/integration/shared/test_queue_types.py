"""Quorum queues on the real RabbitMQ (COCOON_QUEUE_TYPE), the definitions file, the stale retry
queues a changed delay leaves behind, and a queue of the wrong type; each test on its own vhost
(nameko's `rabbit_config`)."""

import os as _os

import pytest as _pytest

# Quorum queues on the machine's one shared broker (RabbitMQ 3.10, 2 cores): the whole catalogue as
# quorum queues is about 500 Raft groups per test, and runs stopped midway leave them behind; on
# 2026-12-07 that stalled the management API and every suite after it. These tests run when asked:
# COCOON_TEST_QUORUM=1 (docs/operations.md, "Queue type"); the unit tests of the declarations always run.
pytestmark = _pytest.mark.skipif(
    _os.environ.get("COCOON_TEST_QUORUM") != "1", reason="quorum queues on the shared broker: COCOON_TEST_QUORUM=1"
)

import json
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from kombu import Connection

from services.volunteers.service import VolunteersService
from shared import broker_api, broker_definitions, migrate, queues, topology
from shared.events import new_event
from shared.operator import cli
from tests.integration import probe
from tests.support import wait_for

DEFINITIONS = Path(__file__).resolve().parents[3] / "deploy" / "rabbitmq" / "definitions.json"
CANCELLED = [q.name for q in topology.handler_queues() if q.routing_key == "activity_cancelled"]


@pytest.fixture
def api(request, rabbit_config):
    client = broker_api.BrokerApi(rabbit_config["AMQP_URI"], request.config.getoption("RABBIT_API_URI"))
    yield client
    client.close()


@pytest.fixture
def quorum(monkeypatch):
    monkeypatch.setenv("COCOON_QUEUE_TYPE", "quorum")


def types(api):
    return {q["name"]: q.get("type") for q in api.queues()}


def queue_info(api, name):
    response = api.session.get(f"{api.base}/queues/{quote(api.vhost, safe='')}/{quote(name, safe='')}", timeout=5)
    response.raise_for_status()
    return response.json()


def publish(amqp_uri, routing_key, body, **options):
    with Connection(amqp_uri) as conn:
        producer = conn.Producer()
        producer.publish(body, exchange="", routing_key=routing_key, content_type="application/json", **options)


def count(amqp_uri, name):
    with Connection(amqp_uri) as conn:
        return conn.default_channel.queue_declare(name, passive=True).message_count


def cocoon(*argv):
    return cli.main(list(argv))


def test_with_quorum_every_queue_of_the_catalogue_and_the_rpc_queue_are_quorum_and_consumed(
    quorum, container_factory, service_config, api
):
    topology.declare_all(service_config["AMQP_URI"], service_config["EVENT_RETRY_DELAY_MS"])  # make migrate
    container_factory(VolunteersService, service_config).start()  # nameko declares its consumers' queues again

    on_broker = types(api)
    for queue in topology.handler_queues():
        retry, dead = queues.side_queues(queue, service_config["EVENT_RETRY_DELAY_MS"], queues.Kind())
        for name in (queue.name, retry.name, dead.name, f"{queue.name}.wait"):
            assert on_broker[name] == "quorum", name
    assert on_broker["rpc-volunteers"] == "quorum"
    volunteer_queues = [q.name for q in topology.handler_queues() if q.name.split("--")[1].startswith("volunteers.")]
    assert volunteer_queues
    wait_for(lambda: all(queue_info(api, n).get("consumers") == 1 for n in [*volunteer_queues, "rpc-volunteers"]))


def test_a_failing_handler_on_quorum_queues_is_retried_then_parked_with_its_attempts_counted(
    quorum, container_factory, probe_config, publish_raw, take_messages, api
):
    container_factory(probe.ProbeService, probe_config).start()
    probe.FAILED_CALLS.clear()
    event = new_event("probe.thing_failed", {"thing_id": "t-quorum"})
    publish_raw("probe.thing_failed", event)

    dlq = "evt-probe-thing_failed--probe.always_fails.dlq"
    [parked] = wait_for(lambda: take_messages(dlq), timeout=15, message="dead letter")
    headers = parked["properties"]["headers"]
    assert (headers["x-cocoon-reason"], headers["x-cocoon-attempts"]) == ("failed", 3)
    assert probe.FAILED_CALLS == [event["event_id"]] * 3
    assert types(api)["evt-probe-thing_failed--probe.always_fails.retry.100ms"] == "quorum"


def test_a_message_redelivered_beyond_the_delivery_limit_is_parked_in_its_dead_letter_queue(rabbit_config):
    amqp_uri = rabbit_config["AMQP_URI"]
    kind = queues.Kind("quorum", 2)
    [queue] = [q for q in topology.handler_queues() if q.name == CANCELLED[0]]
    with Connection(amqp_uri) as conn:
        queues.declare(conn.default_channel, queue, 100, kind)
    publish(amqp_uri, queue.name, json.dumps({"crashes": "its consumer"}))
    wait_for(lambda: count(amqp_uri, queue.name) == 1)
    with Connection(amqp_uri) as conn:
        channel = conn.channel()
        for _ in range(3):  # its consumer died before the ack, three times
            message = wait_for(lambda: channel.basic_get(queue.name, no_ack=False))
            channel.basic_reject(message.delivery_tag, requeue=True)
    wait_for(lambda: count(amqp_uri, f"{queue.name}.dlq") == 1, message="parked by the broker")
    assert count(amqp_uri, queue.name) == 0


def test_a_queue_declared_before_with_the_other_type_is_named_with_the_command_to_run(
    monkeypatch, rabbit_config, api, request, capsys
):
    amqp_uri = rabbit_config["AMQP_URI"]
    topology.declare_all(amqp_uri, 100)  # classic, as every deployment before
    monkeypatch.setenv("COCOON_QUEUE_TYPE", "quorum")
    with pytest.raises(queues.WrongQueueType) as refused:
        topology.declare_all(amqp_uri, 100)
    assert "cocoon queues migrate" in str(refused.value) and "La file" in str(refused.value)

    monkeypatch.setenv("EVENT_RETRY_DELAY_MS", "100")
    api_uri = request.config.getoption("RABBIT_API_URI")
    assert cocoon("queues", "check", "--json", "--amqp-uri", amqp_uri, "--api-uri", api_uri) == 1
    report = json.loads(capsys.readouterr().out)
    assert {w["queue"] for w in report["wrong_type"]} >= set(CANCELLED)
    assert {w["type"] for w in report["wrong_type"]} == {"classic"}


def test_queues_migrate_makes_classic_queues_quorum_and_keeps_their_messages(
    monkeypatch, rabbit_config, api, request, take_messages
):
    amqp_uri = rabbit_config["AMQP_URI"]
    api_uri = request.config.getoption("RABBIT_API_URI")
    monkeypatch.setenv("EVENT_RETRY_DELAY_MS", "100")
    topology.declare_all(amqp_uri, 100)
    target = CANCELLED[0]
    publish(amqp_uri, target, json.dumps({"n": "waiting for its handler"}))
    publish(amqp_uri, f"{target}.dlq", json.dumps({"n": "parked"}), headers={"x-cocoon-reason": "failed"})
    publish(amqp_uri, f"{target}.wait", json.dumps({"n": "waiting for the database"}), expiration=600)
    wait_for(lambda: [count(amqp_uri, n) for n in (target, f"{target}.dlq", f"{target}.wait")] == [1, 1, 1])

    monkeypatch.setenv("COCOON_QUEUE_TYPE", "quorum")
    assert cocoon("queues", "migrate", "--amqp-uri", amqp_uri, "--api-uri", api_uri) == 0

    on_broker = types(api)
    assert {on_broker[n] for n in (target, f"{target}.dlq", f"{target}.wait", f"{target}.retry.100ms")} == {"quorum"}
    assert not [n for n in on_broker if n.endswith(".migrating")]
    # the wait is over at once: that event is back on its handler's queue, next to the other
    bodies = sorted(json.loads(m["payload"])["n"] for m in take_messages(target))
    assert bodies == ["waiting for its handler", "waiting for the database"]
    [parked] = take_messages(f"{target}.dlq")
    assert parked["properties"]["headers"]["x-cocoon-reason"] == "failed"
    assert cocoon("queues", "check", "--amqp-uri", amqp_uri, "--api-uri", api_uri) == 0
    with Connection(amqp_uri) as conn:
        topology.declare_on(conn.default_channel, 100)  # the services can start: same arguments


def test_a_changed_retry_delay_leaves_no_empty_retry_queue_behind_and_keeps_one_still_holding_retries(
    monkeypatch, rabbit_config, api, request, capsys
):
    amqp_uri = rabbit_config["AMQP_URI"]
    api_uri = request.config.getoption("RABBIT_API_URI")
    topology.declare_all(amqp_uri, 60000)  # EVENT_RETRY_DELAY_MS was 60000
    holding = queues.retry_queue_name(CANCELLED[0], 60000)
    publish(amqp_uri, holding, json.dumps({"n": "a retry due in a minute"}))
    wait_for(lambda: count(amqp_uri, holding) == 1)

    monkeypatch.setenv("EVENT_RETRY_DELAY_MS", "100")  # then changed; `make migrate` runs
    monkeypatch.setenv("AMQP_URI", amqp_uri)
    monkeypatch.setenv("RABBIT_API_URI", api_uri)
    migrate.declare_queues()
    out = capsys.readouterr().out
    assert f"kept {holding}" in out

    on_broker = types(api)
    assert [n for n in on_broker if n.endswith(".retry.60000ms")] == [holding]
    assert all(queues.retry_queue_name(q.name, 100) in on_broker for q in topology.handler_queues())

    assert cocoon("queues", "prune", "--amqp-uri", amqp_uri, "--api-uri", api_uri) == 1  # still holding
    with Connection(amqp_uri) as conn:
        conn.default_channel.queue_purge(holding)  # its retries went back to their handler
    assert cocoon("queues", "prune", "--amqp-uri", amqp_uri, "--api-uri", api_uri) == 0
    assert holding not in types(api)


def test_the_definitions_file_loads_and_its_dead_letter_policy_bounds_the_quorum_dead_letter_queues(
    quorum, rabbit_config, api
):
    api.load_definitions(json.loads(DEFINITIONS.read_text()))  # the vhost's part: `cocoon restore` does the same
    topology.declare_all(rabbit_config["AMQP_URI"], 100)
    dlq, handler = f"{CANCELLED[0]}.dlq", CANCELLED[0]

    def effective(name):
        return queue_info(api, name).get("effective_policy_definition") or None

    dead = wait_for(lambda: effective(dlq), timeout=20, interval=0.5, message="the policy on the dead-letter queue")
    assert dead["max-length"] == broker_definitions.DEAD_LETTER_MAX_LENGTH
    assert dead["message-ttl"] == broker_definitions.DEAD_LETTER_TTL_MS
    assert dead["overflow"] == "reject-publish"
    live = wait_for(lambda: effective(handler), timeout=20, interval=0.5, message="the policy on the handler queue")
    assert live == {"delivery-limit": queues.DEFAULT_DELIVERY_LIMIT}
    assert not effective(queues.retry_queue_name(handler, 100))


def test_the_whole_definitions_file_loads_into_a_throwaway_vhost_with_a_user_that_cannot_sign_in(request):
    base = request.config.getoption("RABBIT_API_URI").rstrip("/") + "/api"
    vhost, user = f"cocoon-defs-{uuid.uuid4().hex[:8]}", f"cocoon-defs-{uuid.uuid4().hex[:8]}"
    session = requests.Session()
    session.auth = ("guest", "guest")
    try:
        response = session.post(f"{base}/definitions", json=broker_definitions.definitions(vhost, user), timeout=10)
        assert response.status_code in (201, 204), response.text
        assert session.get(f"{base}/users/{user}", timeout=5).json()["password_hash"] == ""
        names = [p["name"] for p in session.get(f"{base}/policies/{quote(vhost, safe='')}", timeout=5).json()]
        assert sorted(names) == ["cocoon-dead-letters", "cocoon-handler-queues"]
        denied = session.get(f"{base}/whoami", auth=(user, ""), timeout=5)
        assert denied.status_code == 401
    finally:
        session.delete(f"{base}/vhosts/{quote(vhost, safe='')}", timeout=10)
        session.delete(f"{base}/users/{user}", timeout=10)
        time.sleep(0)  # nothing left on the shared broker
        session.close()
