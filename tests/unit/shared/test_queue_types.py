"""The queue type (COCOON_QUEUE_TYPE) as shared/queues.py declares it; no broker here
(tests/integration/shared/test_queue_types.py declares them on RabbitMQ)."""

import pytest

from shared import queues, spine_settings, topology

QUORUM = queues.Kind("quorum", 7)
CLASSIC = queues.Kind("classic")
HANDLER = "evt-bookings-activity_scheduled--volunteers.open_opportunity"


def handler(kind):
    return queues.event_queue("bookings", "activity_scheduled", "volunteers", "open_opportunity", kind)


def test_classic_is_the_default_and_declares_the_queues_with_the_arguments_of_before(monkeypatch):
    monkeypatch.delenv("COCOON_QUEUE_TYPE", raising=False)
    monkeypatch.delenv("COCOON_QUEUE_DELIVERY_LIMIT", raising=False)
    assert queues.configured_kind() == queues.Kind("classic", queues.DEFAULT_DELIVERY_LIMIT)
    queue = handler(None)
    retry, dead = queues.side_queues(queue, 2000)
    assert queue.queue_arguments is None and dead.queue_arguments is None
    assert retry.queue_arguments == {
        "x-message-ttl": 2000,
        "x-dead-letter-exchange": "",
        "x-dead-letter-routing-key": HANDLER,
    }
    assert queues.wait_queue(queue).queue_arguments == {
        "x-dead-letter-exchange": "",
        "x-dead-letter-routing-key": HANDLER,
    }
    assert queues.rpc_queue("bookings", None).queue_arguments is None


def test_quorum_makes_every_queue_of_a_handler_quorum_and_parks_a_message_redelivered_too_often():
    queue, retry, dead, wait = queues.all_queues(handler(QUORUM), 2000, QUORUM)
    assert {q.queue_arguments["x-queue-type"] for q in (queue, retry, dead, wait)} == {"quorum"}
    assert queue.queue_arguments["x-delivery-limit"] == 7
    assert queue.queue_arguments["x-dead-letter-routing-key"] == f"{HANDLER}.dlq"
    assert retry.queue_arguments["x-dead-letter-routing-key"] == HANDLER
    assert wait.queue_arguments["x-dead-letter-routing-key"] == HANDLER
    for q in (queue, retry, wait):  # dead-lettering that survives a leader change
        assert q.queue_arguments["x-dead-letter-strategy"] == "at-least-once"
        assert q.queue_arguments["x-overflow"] == "reject-publish"


def test_a_dead_letter_queue_has_no_delivery_limit_because_show_and_erasure_give_its_messages_back():
    _, dead = queues.side_queues(handler(QUORUM), 2000, QUORUM)
    assert dead.queue_arguments == {"x-queue-type": "quorum"}


def test_the_rpc_queue_is_quorum_without_delivery_limit_and_is_named_and_bound_as_nameko_does():
    queue = queues.rpc_queue("bookings", None, QUORUM)
    assert (queue.name, queue.routing_key, queue.durable) == ("rpc-bookings", "bookings.*", True)
    assert queue.queue_arguments == {"x-queue-type": "quorum"}


def test_every_queue_stays_durable_never_exclusive_nor_auto_deleted_as_quorum_queues_require():
    for q in (*queues.all_queues(handler(QUORUM), 100, QUORUM), queues.rpc_queue("team", None, QUORUM)):
        assert q.durable and not q.exclusive and not q.auto_delete


def test_a_queue_built_by_nameko_is_rebuilt_with_the_arguments_of_the_kind():
    for queue in topology.handler_queues():
        again = queues.rebuilt(queue, QUORUM)
        assert (again.name, again.routing_key, again.exchange.name) == (
            queue.name,
            queue.routing_key,
            queue.exchange.name,
        )
        assert again.queue_arguments["x-queue-type"] == "quorum"


@pytest.mark.parametrize("value", ["Quorum", " classic "])
def test_the_queue_type_is_read_whatever_its_case_and_spaces(monkeypatch, value):
    monkeypatch.setenv("COCOON_QUEUE_TYPE", value)
    assert queues.configured_kind().type == value.strip().lower()


@pytest.mark.parametrize(
    ("name", "value"),
    [("COCOON_QUEUE_TYPE", "stream"), ("COCOON_QUEUE_DELIVERY_LIMIT", "0"), ("COCOON_QUEUE_DELIVERY_LIMIT", "2.5")],
)
def test_a_wrong_queue_setting_stops_the_start_naming_the_variable(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(spine_settings.InvalidSetting, match=name):
        spine_settings.load()


def test_the_delivery_limit_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("COCOON_QUEUE_TYPE", "quorum")
    monkeypatch.setenv("COCOON_QUEUE_DELIVERY_LIMIT", "1")
    assert queues.configured_kind() == queues.Kind("quorum", 1)


def test_the_wrong_type_message_tells_the_operator_what_to_run_in_french_and_english():
    message = queues.wrong_type_message(HANDLER, QUORUM)
    assert "La file" in message and "Queue" in message
    assert message.count("cocoon queues migrate") == 2 and "COCOON_QUEUE_TYPE=quorum" in message


def test_a_retry_queue_name_carries_its_delay_and_is_recognised_as_such():
    name = queues.retry_queue_name(HANDLER, 2500)
    match = queues.RETRY_SUFFIX.search(name)
    assert name[: match.start()] == HANDLER and match.group(1) == "2500"
    assert queues.RETRY_SUFFIX.search(f"{HANDLER}.dlq") is None
