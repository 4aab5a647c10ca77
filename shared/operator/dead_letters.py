"""Dead-letter queues on the broker: find them, count, peek, replay, purge.

A reliable handler's queue `<queue>` has its dead-letter queue `<queue>.dlq` (shared/queues.py);
the queues are found from the service classes, so no management API is needed. Every operation
here talks plain AMQP 0-9-1 on one connection:
- peek: basic.get without ack, then the messages are given back (requeued, flagged redelivered);
- replay: the original body and properties are published to the handler's queue with publisher
  confirms and mandatory routing; the dead letter is acked only once the broker confirmed the
  copy was routed, otherwise it is given back and stays in the dead-letter queue.
"""

import base64
import importlib
import json
from contextlib import contextmanager

import amqp
from amqp.exceptions import AMQPError, MessageNacked, NotFound
from kombu import Connection

from shared import queues, topology

DLQ_SUFFIX = ".dlq"
CONFIRM_TIMEOUT_SECONDS = 10
REPLAYS_HEADER = "x-cocoon-replays"
# A body parked as raw bytes (undecodable, or without content type: then stored as
# application/octet-stream) keeps what it came with in these headers; a replay restores it.
ORIGINAL_CONTENT_HEADERS = {
    "content_type": "x-cocoon-original-content-type",
    "content_encoding": "x-cocoon-original-content-encoding",
}
# Dropped on replay: the attempt counter (a replay gets the full retry budget again), RabbitMQ's
# own dead-letter history, and the diagnosis of the last failure (a new failure writes its own).
HEADERS_DROPPED_ON_REPLAY = frozenset(
    {
        "x-cocoon-attempt",
        "x-death",
        "x-cocoon-reason",
        "x-cocoon-error",
        "x-cocoon-attempts",
        "x-cocoon-traceback",
        "x-cocoon-queue",
        "x-cocoon-handler",
        *ORIGINAL_CONTENT_HEADERS.values(),
    }
)


class BrokerUnreachable(Exception):
    """The broker refused or did not answer the connection; the message says why in one line."""


class UsageError(ValueError):
    """The command was asked something it must not or cannot do (said in one line, exit 2)."""


class NotADeadLetterQueue(UsageError):
    pass


class QueueMissing(LookupError):
    pass


# --- discovery ------------------------------------------------------------------------------
def load_service_class(path):
    """`package.module:ClassName` → the class."""
    module, _, name = path.partition(":")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError, ValueError) as exc:
        raise UsageError(f"cannot load service class {path!r} (expected package.module:Class): {exc}") from None


def handler_queues(service_class_paths):
    """The queue name of every reliable handler of these service classes, in declaration order."""
    names = []
    for path in service_class_paths:
        service_cls = load_service_class(path)
        for method, entrypoint in topology.reliable_handlers(service_cls):
            queue = queues.event_queue(entrypoint.source_service, entrypoint.event_type, service_cls.name, method)
            names.append(queue.name)
    return names


def dead_letter_queue_names(service_class_paths):
    return [name + DLQ_SUFFIX for name in handler_queues(service_class_paths)]


def check_dead_letter_queue(name):
    """Only `.dlq` queues are read, replayed or purged by this tool: never a live handler queue."""
    if not name.endswith(DLQ_SUFFIX):
        raise NotADeadLetterQueue(f"{name} is not a dead-letter queue (its name must end with {DLQ_SUFFIX})")
    return name


# --- connection -----------------------------------------------------------------------------
@contextmanager
def connect(amqp_uri, timeout=5):
    """A broker connection, or BrokerUnreachable with the reason (one try, `timeout` seconds)."""
    connection = Connection(amqp_uri, connect_timeout=timeout)
    try:
        connection.ensure_connection(max_retries=1, interval_start=0, timeout=timeout)
    except Exception as exc:  # refused, timed out, bad credentials, unknown vhost: all "cannot talk to it"
        connection.release()
        raise BrokerUnreachable(f"{exc.__class__.__name__}: {exc}".strip()) from None
    try:
        yield connection
    finally:
        try:
            connection.release()
        except Exception:  # already broken: nothing left to close
            pass


def raw_channel(connection):
    """A channel that hands bodies over as the bytes received (py-amqp decodes text by default)."""
    channel = connection.channel()
    channel.auto_decode = False
    return channel


def depth(connection, queue):
    """(messages, consumers) of a queue by passive declare; QueueMissing when it does not exist."""
    channel = connection.channel()
    try:
        _, messages, consumers = channel.queue_declare(queue=queue, passive=True)
    except NotFound:
        raise QueueMissing(queue) from None  # the broker closed this channel already
    channel.close()
    return messages, consumers


def depths(connection, queues):
    """One row per queue: name, messages, consumers, exists."""
    rows = []
    for queue in queues:
        try:
            messages, consumers = depth(connection, queue)
            rows.append({"queue": queue, "exists": True, "messages": messages, "consumers": consumers})
        except QueueMissing:
            rows.append({"queue": queue, "exists": False, "messages": 0, "consumers": 0})
    return rows


# --- reading a dead letter ------------------------------------------------------------------
def describe(message, queue):
    """What an operator needs to know about one parked message, as plain data."""
    headers = dict(message.headers or {})
    properties = original_properties(message)
    body = message.body
    text = _text(body, properties.get("content_encoding"))
    envelope = _json_object(text)
    return {
        "queue": queue,
        "reason": headers.get("x-cocoon-reason"),
        "error": headers.get("x-cocoon-error"),
        "attempts": headers.get("x-cocoon-attempts"),
        "handler": headers.get("x-cocoon-handler"),
        "replay_to": headers.get("x-cocoon-queue") or queue[: -len(DLQ_SUFFIX)],
        "replays": headers.get(REPLAYS_HEADER, 0),
        "event_type": envelope.get("type") or _original_event_type(headers),
        "event_id": event_id_of(message, envelope),
        "correlation_id": headers.get("nameko.correlation_id") or envelope.get("correlation_id"),
        "original_exchange": headers.get("x-cocoon-original-exchange"),
        "original_routing_key": headers.get("x-cocoon-original-routing-key"),
        "content_type": properties.get("content_type"),
        "content_encoding": properties.get("content_encoding"),
        "body_bytes": len(body),
        "body": text,
        **({} if text is not None else {"body_base64": base64.b64encode(body).decode("ascii")}),
        "traceback": headers.get("x-cocoon-traceback"),
    }


def event_id_of(message, envelope=None):
    headers = message.headers or {}
    if headers.get("event_id"):
        return str(headers["event_id"])
    if message.properties.get("message_id"):
        return message.properties["message_id"]
    if envelope is None:
        envelope = _json_object(_text(message.body, original_properties(message).get("content_encoding")))
    return envelope.get("event_id")


def _text(body, encoding):
    try:
        return body.decode(encoding or "utf-8")
    except (UnicodeDecodeError, LookupError):
        return None  # shown as bytes: an undecodable body is one of the reasons to be parked


def _json_object(text):
    if text is None:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _original_event_type(headers):
    exchange = headers.get("x-cocoon-original-exchange") or ""
    routing_key = headers.get("x-cocoon-original-routing-key") or ""
    if exchange.endswith(".events") and routing_key:
        return f"{exchange[: -len('.events')]}.{routing_key}"
    return None


def peek(connection, queue, limit):
    """Up to `limit` messages of a dead-letter queue, left in it.

    They are taken without ack and given back when the channel closes: RabbitMQ requeues them
    (flagged redelivered; their order in the queue may change)."""
    check_dead_letter_queue(queue)
    total, _ = depth(connection, queue)
    channel = raw_channel(connection)
    try:
        seen = []
        while len(seen) < min(limit, total):
            message = channel.basic_get(queue, no_ack=False)
            if message is None:
                break
            seen.append(describe(message, queue))
        return total, seen
    finally:
        channel.close()


# --- replay ---------------------------------------------------------------------------------
def replay(connection, queue, limit=None, event_id=None, confirm_timeout=CONFIRM_TIMEOUT_SECONDS):
    """Put parked messages back on their handler's queue; returns a report (dict).

    Looks at no more messages than the queue held when it started, so an event that fails again
    and is parked again during the replay is not replayed a second time in a loop."""
    check_dead_letter_queue(queue)
    total, _ = depth(connection, queue)
    channel = raw_channel(connection)
    returned = []
    channel.events["basic_return"].add(lambda exc, exchange, routing_key, message: returned.append(str(exc)))
    report = {"queue": queue, "messages_before": total, "replayed": [], "failed": [], "interrupted": None}
    given_back = []  # delivery tags to requeue: not selected, or their copy was not taken by the broker
    summary = None
    try:
        for _ in range(total):
            if limit is not None and len(report["replayed"]) + len(report["failed"]) >= limit:
                break
            summary = None
            message = channel.basic_get(queue, no_ack=False)
            if message is None:
                break
            if event_id is not None and event_id_of(message) != event_id:
                given_back.append(message.delivery_tag)
                continue
            summary = {"event_id": event_id_of(message), "replay_to": _replay_target(message, queue)}
            returned.clear()
            problem = _publish_confirmed(channel, message, summary["replay_to"], returned, confirm_timeout)
            if problem is None:
                channel.basic_ack(message.delivery_tag)  # only now: the copy is safely on its queue
                report["replayed"].append(summary)
            else:
                given_back.append(message.delivery_tag)
                report["failed"].append(dict(summary, error=problem))
    except (OSError, AMQPError) as exc:  # confirm timed out, connection lost: stop, the rest stays parked
        report["interrupted"] = f"{exc.__class__.__name__}: {exc}".strip()
        if summary is not None:
            report["failed"].append(dict(summary, error=f"no confirm from the broker ({report['interrupted']})"))
    finally:
        _give_back(channel, given_back)
    return report


def _give_back(channel, delivery_tags):
    """Requeue what was taken but not replayed, then close; on a broken channel the broker requeues them."""
    try:
        for tag in delivery_tags:
            channel.basic_reject(tag, requeue=True)
        channel.close()
    except (OSError, AMQPError):
        pass


def _replay_target(message, queue):
    return (message.headers or {}).get("x-cocoon-queue") or queue[: -len(DLQ_SUFFIX)]


def original_properties(message):
    """The message's AMQP properties as first published (content type and encoding restored)."""
    properties = {k: v for k, v in message.properties.items() if k != "application_headers"}
    headers = message.headers or {}
    for prop, header in ORIGINAL_CONTENT_HEADERS.items():
        if header in headers:
            properties[prop] = headers[header]
            if not properties[prop]:
                del properties[prop]  # it came without one: replay it without one
    return properties


def replay_copy(message):
    """The message to publish: same body bytes and properties, headers as when first delivered."""
    headers = {k: v for k, v in (message.headers or {}).items() if k not in HEADERS_DROPPED_ON_REPLAY}
    headers[REPLAYS_HEADER] = int((message.headers or {}).get(REPLAYS_HEADER, 0)) + 1
    return amqp.Message(message.body, application_headers=headers, **original_properties(message))


def _publish_confirmed(channel, message, target, returned, confirm_timeout):
    """None when the broker confirmed and routed the copy, else why not (one line).
    A confirm that does not come within `confirm_timeout` raises (the channel is then unusable)."""
    try:
        channel.basic_publish_confirm(
            replay_copy(message), exchange="", routing_key=target, mandatory=True, confirm_timeout=confirm_timeout
        )
    except MessageNacked:
        return "refused by the broker (nack)"
    if returned:  # basic.return comes before the confirm: no queue named `target`
        return f"not routed: queue {target} does not exist ({returned[0]})"
    return None


# --- purge ----------------------------------------------------------------------------------
def purge(connection, queue):
    """Delete every message of a dead-letter queue; returns how many."""
    check_dead_letter_queue(queue)
    depth(connection, queue)  # QueueMissing rather than the broker's 404 on purge
    channel = connection.channel()
    try:
        return channel.queue_purge(queue)
    finally:
        channel.close()
