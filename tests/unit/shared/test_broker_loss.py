"""A worker that ends after its broker connection was lost leaves the message to the broker and
keeps its service alive (shared/broker_loss.py)."""

import ast
from pathlib import Path

import pytest

from shared import broker_loss
from shared.commands import Command
from shared.handlers import ReliableEventHandler
from shared.service_rpc import BoundedRpcProxy

REPO = Path(__file__).resolve().parents[3]


class MessageOnADeadChannel:
    delivery_info = {"routing_key": "bookings.book_slot"}

    def __init__(self, error):
        self.error = error
        self.channel = self  # nameko checks `message.channel.connection` before acking
        self.connection = object()

    def ack(self):
        raise self.error

    def requeue(self):
        raise self.error


@pytest.mark.parametrize("error", [ConnectionResetError(104, "reset"), BrokenPipeError(32, "broken pipe")])
def test_acking_or_requeueing_on_a_lost_connection_logs_and_goes_on(error, caplog):
    consumer = broker_loss.SturdyQueueConsumer()
    consumer.ack_message(MessageOnADeadChannel(error))
    consumer.requeue_message(MessageOnADeadChannel(error))
    assert [r.settling for r in caplog.records] == ["ack", "requeue"]


def test_an_error_that_is_not_a_lost_connection_still_raises():
    consumer = broker_loss.SturdyQueueConsumer()
    with pytest.raises(ZeroDivisionError):
        consumer.ack_message(MessageOnADeadChannel(ZeroDivisionError()))


def test_a_reply_that_cannot_be_published_leaves_the_request_to_come_back(monkeypatch, caplog):
    def broker_gone(self, message, result, exc_info):
        raise ConnectionResetError(104, "reset")

    monkeypatch.setattr(broker_loss.RpcConsumer, "handle_result", broker_gone)
    answer = broker_loss.SturdyRpcConsumer().handle_result(MessageOnADeadChannel(None), {"ok": 1}, None)
    assert answer == ({"ok": 1}, None)
    assert caplog.records[-1].settling == "reply"


def test_commands_reads_and_event_handlers_settle_messages_through_the_sturdy_consumers():
    assert isinstance(Command.rpc_consumer, broker_loss.SturdyRpcConsumer)
    assert isinstance(broker_loss.SturdyRpc.rpc_consumer, broker_loss.SturdyRpcConsumer)


def test_a_service_consumes_its_rpc_queue_its_events_and_its_replies_through_one_consumer():
    """nameko shares one consumer (one connection) between the extensions of a container that
    declare the same class: RPC entrypoints, event handlers and reply listener all declare this one."""
    declared = {
        type(broker_loss.SturdyRpcConsumer.queue_consumer),
        type(ReliableEventHandler.queue_consumer),
        type(BoundedRpcProxy.rpc_reply_listener.queue_consumer),
    }
    assert declared == {broker_loss.SturdyQueueConsumer}


def test_no_service_uses_nameko_s_own_rpc_entrypoint():
    """One service's RPC entrypoints share one consumer: nameko's `rpc` beside `command` would put a
    second consumer on the queue, one that also dies on a lost connection."""
    offenders = []
    for path in sorted((REPO / "services").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "nameko.rpc":
                if any(alias.name in ("rpc", "Rpc") for alias in node.names):
                    offenders.append(str(path.relative_to(REPO)))
    assert offenders == []
