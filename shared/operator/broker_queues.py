"""The venue's queues on the broker as a whole: their type, the retry queues a changed delay left
behind, and the move of classic queues to quorum ones (`cocoon queues check|prune|migrate`,
docs/operations.md, "Queue type").

The expected queues come from the code (shared/topology.py's catalogue, each handler's four queues,
and every service's `rpc-<service>`); what the broker holds is read from its management API.
Messages are moved over AMQP, each one acked only once the broker confirmed and routed its copy.
"""

from dataclasses import dataclass

import amqp
from amqp.exceptions import AMQPError, MessageNacked, NotFound
from nameko.rpc import get_rpc_exchange

from shared import components, queues, topology
from shared.operator.dead_letters import raw_channel

HOLDING_SUFFIX = ".migrating"
CONFIRM_TIMEOUT_SECONDS = 10


class MigrationRefused(Exception):
    """The migration would disturb running services, or a copy was not taken: said in one line."""


@dataclass(frozen=True)
class Expected:
    name: str
    role: str  # handler, retry, wait, dlq, rpc
    handler: str | None  # the handler queue it belongs to (None for rpc)


def expected_queues(retry_delay_ms):
    """Every queue this deployment declares, with its role."""
    rows = []
    for queue in topology.handler_queues():
        retry, dead = queues.side_queues(queue, retry_delay_ms, queues.Kind())
        wait = queues.wait_queue(queue, queues.Kind())
        rows += [
            Expected(queue.name, "handler", queue.name),
            Expected(retry.name, "retry", queue.name),
            Expected(wait.name, "wait", queue.name),
            Expected(dead.name, "dlq", queue.name),
        ]
    rows += [Expected(f"rpc-{name}", "rpc", None) for name in service_names()]
    return rows


def service_names():
    return [topology.service_class(service.target).name for service in components.SERVICES]


def wrong_type(api, retry_delay_ms, kind):
    """[{queue, type, expected, messages, consumers}] of the expected queues on the broker with another type."""
    present = {q["name"]: q for q in api.queues()}
    return [
        {
            "queue": e.name,
            "type": present[e.name].get("type", "classic"),
            "expected": kind.type,
            "messages": present[e.name].get("messages") or 0,
            "consumers": present[e.name].get("consumers") or 0,
        }
        for e in expected_queues(retry_delay_ms)
        if e.name in present and present[e.name].get("type", "classic") != kind.type
    ]


# --- stale retry queues ---------------------------------------------------------------------
def stale_retry_queues(api, retry_delay_ms):
    """Retry queues of the catalogue's handlers named with another delay than `retry_delay_ms`:
    left behind when EVENT_RETRY_DELAY_MS changed (the delay is in the name, shared/queues.py)."""
    handlers = {q.name for q in topology.handler_queues()}
    stale = []
    for q in api.queues():
        match = queues.RETRY_SUFFIX.search(q["name"])
        if match and q["name"][: match.start()] in handlers and int(match.group(1)) != retry_delay_ms:
            stale.append({"queue": q["name"], "messages": q.get("messages") or 0, "delay_ms": int(match.group(1))})
    return sorted(stale, key=lambda row: row["queue"])


def remove_stale_retry_queues(connection, stale):
    """Delete each stale retry queue that is empty; ({removed}, {kept: messages}). A kept one still
    holds retries: they go back to their handler's queue when their delay ends, run it again then."""
    removed, kept = [], {}
    for row in stale:
        channel = connection.channel()
        try:
            channel.queue_delete(row["queue"], if_empty=True)
            removed.append(row["queue"])
            channel.close()
        except NotFound:
            removed.append(row["queue"])  # gone meanwhile
        except AMQPError:  # PRECONDITION_FAILED: not empty; the broker closed the channel
            kept[row["queue"]] = row["messages"]
    return removed, kept


# --- migration ------------------------------------------------------------------------------
def migrate(connection, api, retry_delay_ms, kind):
    """Give every expected queue of the wrong type the configured one, keeping its messages; a
    report {migrated: [...], moved: {queue: n}}. Refused while a service consumes one of them."""
    wrong = wrong_type(api, retry_delay_ms, kind)
    busy = [w["queue"] for w in wrong if w["consumers"]]
    if busy:
        raise MigrationRefused(
            f"{len(busy)} queue(s) still have consumers ({', '.join(busy[:3])}…): stop the services first"
        )
    by_name = {e.name: e for e in expected_queues(retry_delay_ms)}
    moved = {}
    for row in wrong:  # out of the old queue, which is then deleted
        holding = row["queue"] + HOLDING_SUFFIX
        _declare_holding(connection, holding)
        moved[row["queue"]] = _move(connection, row["queue"], holding)
        _delete(connection, row["queue"])
    _declare_everything(connection, retry_delay_ms, kind)
    present = {q["name"] for q in api.queues()}
    for name in sorted(present):  # back in, also what an interrupted run left in a holding queue
        if name.endswith(HOLDING_SUFFIX) and name[: -len(HOLDING_SUFFIX)] in by_name:
            expected = by_name[name[: -len(HOLDING_SUFFIX)]]
            # a retry or a wait is due at once: its delay is not kept through the move
            target = expected.handler if expected.role in ("retry", "wait") else expected.name
            _move(connection, name, target)
            _delete(connection, name)
    return {"migrated": [w["queue"] for w in wrong], "moved": moved, "type": kind.type}


def _declare_everything(connection, retry_delay_ms, kind):
    channel = connection.channel()
    try:
        for queue in topology.handler_queues():
            queues.declare(channel, queue, retry_delay_ms, kind)
        for name in service_names():
            queues.declare_rpc(channel, name, get_rpc_exchange({}), kind)
    finally:
        channel.close()


def _declare_holding(connection, name):
    channel = connection.channel()
    try:
        channel.queue_declare(name, durable=True, auto_delete=False)  # classic, no TTL: nothing expires there
    finally:
        channel.close()


def _delete(connection, name):
    channel = connection.channel()
    try:
        channel.queue_delete(name, if_empty=True)  # if a message came meanwhile, the broker refuses
    finally:
        channel.close()


def _move(connection, source, target, confirm_timeout=CONFIRM_TIMEOUT_SECONDS):
    """Move every message of `source` to `target` (default exchange), same body, properties and
    headers but no per-message expiration; each acked once its copy is confirmed and routed."""
    channel = raw_channel(connection)
    returned = []
    channel.events["basic_return"].add(lambda exc, exchange, routing_key, message: returned.append(str(exc)))
    count = 0
    try:
        while (message := channel.basic_get(source, no_ack=False)) is not None:
            properties = {k: v for k, v in message.properties.items() if k not in ("application_headers", "expiration")}
            copy = amqp.Message(message.body, application_headers=message.headers or {}, **properties)
            returned.clear()
            try:
                channel.basic_publish_confirm(
                    copy, exchange="", routing_key=target, mandatory=True, confirm_timeout=confirm_timeout
                )
            except MessageNacked:
                returned.append("refused by the broker (nack)")
            if returned:
                channel.basic_reject(message.delivery_tag, requeue=True)
                raise MigrationRefused(f"a message of {source} could not be copied to {target}: {returned[0]}")
            channel.basic_ack(message.delivery_tag)
            count += 1
    finally:
        channel.close()
    return count
