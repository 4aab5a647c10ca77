"""deploy/rabbitmq/definitions.json is what shared/broker_definitions.py writes, and its policies
catch exactly the queues shared/queues.py names for the catalogue (shared/topology.py)."""

import json
import re
from pathlib import Path

from shared import broker_definitions, queues, topology

FILE = Path(__file__).resolve().parents[3] / "deploy" / "rabbitmq" / "definitions.json"


def every_queue_name():
    """role -> names of every queue the venue declares."""
    names = {"handler": [], "retry": [], "wait": [], "dlq": [], "rpc": []}
    for queue in topology.handler_queues():
        retry, dead = queues.side_queues(queue, 2000, queues.Kind())
        names["handler"].append(queue.name)
        names["retry"].append(retry.name)
        names["wait"].append(queues.wait_queue(queue, queues.Kind()).name)
        names["dlq"].append(dead.name)
    names["rpc"] = [f"rpc-{topology.service_class(s.target).name}" for s in topology.components.SERVICES]
    return names


def caught_by(pattern):
    return {role for role, names in every_queue_name().items() for name in names if re.search(pattern, name)}


def test_the_committed_definitions_are_the_generated_ones():
    assert FILE.read_text() == broker_definitions.render(), (
        "run: .venv/bin/python -m shared.broker_definitions > deploy/rabbitmq/definitions.json"
    )


def test_the_dead_letter_policy_catches_every_dead_letter_queue_and_nothing_else():
    names = every_queue_name()
    assert names["dlq"] and all(re.search(broker_definitions.DEAD_LETTER_PATTERN, n) for n in names["dlq"])
    assert caught_by(broker_definitions.DEAD_LETTER_PATTERN) == {"dlq"}


def test_the_delivery_limit_policy_catches_every_handler_queue_and_nothing_else():
    names = every_queue_name()
    assert all(re.search(broker_definitions.HANDLER_PATTERN, n) for n in names["handler"])
    assert caught_by(broker_definitions.HANDLER_PATTERN) == {"handler"}


def test_dead_letters_are_bounded_in_number_and_age_without_dropping_the_oldest():
    [dead] = [p for p in broker_definitions.policies() if p["pattern"] == broker_definitions.DEAD_LETTER_PATTERN]
    assert dead["definition"]["max-length"] > 0 and dead["definition"]["message-ttl"] > 0
    assert dead["definition"]["overflow"] == "reject-publish"  # the handler is refused and keeps the event


def test_the_file_holds_no_password_hash():
    definitions = json.loads(FILE.read_text())
    assert [user["password_hash"] for user in definitions["users"]] == [""]
    assert {p["vhost"] for p in definitions["policies"]} == {definitions["vhosts"][0]["name"]}
