"""The operator's `cocoon` command, run through its console script, on the real broker and databases."""

import json
import os
import re
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import amqp
import pytest
from kombu import Connection
from nameko.testing.services import entrypoint_waiter

from services.bookings import models as bookings_models
from shared import migrate
from shared.components import SERVICES
from shared.events import new_event
from shared.operator import cli
from shared.timeutil import db_now
from tests.integration import probe
from tests.support import REPO, free_port, wait_for

COCOON = Path(sys.executable).parent / "cocoon"
SERVICE_CLASS = "tests.integration.probe:RepairableService"  # not a deployed service: named for discovery
QUEUE = "evt-probe-thing_to_repair--repairable.apply_when_fixed"
DLQ = QUEUE + ".dlq"


class Result:
    def __init__(self, returncode, stdout, stderr):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def console_script(*argv, amqp_uri=None, env=None):
    """The installed `cocoon` script in a process of its own (the tests' modules on its path)."""
    environment = dict(os.environ, PYTHONPATH=str(REPO), **(env or {}))
    if amqp_uri:
        environment["AMQP_URI"] = amqp_uri
    return subprocess.run([str(COCOON), *argv], capture_output=True, text=True, timeout=60, env=environment, cwd=REPO)


@pytest.fixture
def cocoon(capsys, monkeypatch):
    """`cocoon ARGV…` through its entry point, main(argv), in this process (a new process costs seconds)."""

    def run(*argv, amqp_uri=None, env=None):
        for name, value in dict(env or {}, **({"AMQP_URI": amqp_uri} if amqp_uri else {})).items():
            monkeypatch.setenv(name, value)
        capsys.readouterr()
        returncode = cli.main(list(argv))
        out, err = capsys.readouterr()
        return Result(returncode, out, err)

    return run


def as_json(result):
    return json.loads(result.stdout)


def depth(amqp_uri, queue):
    with Connection(amqp_uri) as connection:
        return connection.channel().queue_declare(queue=queue, passive=True).message_count


def applied_things():
    with probe.database.connection_context():
        return [a.thing_id for a in probe.Applied.select().order_by(probe.Applied.id)]


@pytest.fixture
def repairable(container_factory, probe_config):
    """The probe service whose handler fails until the test sets REPAIR["fixed"]; started."""
    probe.REPAIR["fixed"] = False
    probe.REPAIRABLE_CALLS.clear()
    container = container_factory(probe.RepairableService, probe_config)
    container.start()
    return container


@pytest.fixture
def amqp_uri(probe_config):
    return probe_config["AMQP_URI"]


@pytest.fixture
def park(publish_raw, amqp_uri, probe_config):
    """Publish an event the broken handler fails on until it sits in the dead-letter queue."""

    def park_one(thing_id):
        before = depth(amqp_uri, DLQ)
        event = new_event("probe.thing_to_repair", {"thing_id": thing_id}, correlation_id=f"req-{thing_id}")
        publish_raw("probe.thing_to_repair", event)
        wait_for(lambda: depth(amqp_uri, DLQ) == before + 1, timeout=15, message="event parked")
        return event

    return park_one


def test_a_parked_event_is_listed_shown_in_place_then_replayed_once_after_the_fix(repairable, park, amqp_uri, cocoon):
    event = park("t1")
    assert probe.REPAIRABLE_CALLS == [event["event_id"]] * 3  # EVENT_MAX_ATTEMPTS in the test config

    listed = console_script("dead-letters", "list", "--service-class", SERVICE_CLASS, amqp_uri=amqp_uri)
    assert listed.returncode == 0, listed.stderr
    assert re.search(rf"^{re.escape(DLQ)} +1$", listed.stdout, re.MULTILINE), listed.stdout
    listed_json = as_json(cocoon("dead-letters", "list", "--service-class", SERVICE_CLASS, "--json", amqp_uri=amqp_uri))
    assert [(q["queue"], q["messages"]) for q in listed_json["queues"]] == [(DLQ, 1)]  # only non-empty ones

    shown = cocoon("dead-letters", "show", DLQ, amqp_uri=amqp_uri)
    assert shown.returncode == 0, shown.stderr
    assert f"probe.thing_to_repair  event {event['event_id']}  correlation req-t1" in shown.stdout
    assert "failed after 3 attempts in repairable.apply_when_fixed" in shown.stdout
    assert "RuntimeError: bug in apply_when_fixed: thing_id not handled" in shown.stdout
    [parked] = as_json(cocoon("dead-letters", "show", DLQ, "--json", amqp_uri=amqp_uri))["messages"]
    assert (parked["reason"], parked["attempts"], parked["replay_to"]) == ("failed", 3, QUEUE)
    assert json.loads(parked["body"])["payload"] == {"thing_id": "t1"}
    assert depth(amqp_uri, DLQ) == 1  # shown twice, still there

    probe.REPAIR["fixed"] = True  # the fix is deployed
    with entrypoint_waiter(repairable, "apply_when_fixed", timeout=10):
        replayed = cocoon("dead-letters", "replay", DLQ, amqp_uri=amqp_uri)
    assert replayed.returncode == 0, replayed.stderr
    assert f"replayed  {event['event_id']}  -> {QUEUE}" in replayed.stdout
    assert applied_things() == ["t1"]
    assert depth(amqp_uri, DLQ) == 0
    again = cocoon("dead-letters", "replay", DLQ, amqp_uri=amqp_uri)
    assert again.returncode == 1
    assert "nothing to replay" in again.stdout
    assert applied_things() == ["t1"]


def test_a_replay_before_the_fix_gets_the_whole_retry_budget_again_and_is_parked_again(
    repairable, park, amqp_uri, cocoon
):
    event = park("t2")

    replayed = cocoon("dead-letters", "replay", DLQ, amqp_uri=amqp_uri)
    assert replayed.returncode == 0, replayed.stderr
    wait_for(
        lambda: len(probe.REPAIRABLE_CALLS) == 6 and depth(amqp_uri, DLQ) == 1,
        timeout=15,
        message="three more attempts, then parked again",
    )

    [parked] = as_json(cocoon("dead-letters", "show", DLQ, "--json", amqp_uri=amqp_uri))["messages"]
    assert (parked["event_id"], parked["attempts"], parked["replays"]) == (event["event_id"], 3, 1)
    assert parked["correlation_id"] == "req-t2"  # nameko.correlation_id kept through the replay


def test_replay_by_event_id_moves_that_event_only(repairable, park, amqp_uri, cocoon):
    first, second = park("t3"), park("t4")
    probe.REPAIR["fixed"] = True

    with entrypoint_waiter(repairable, "apply_when_fixed", timeout=10):
        replayed = cocoon("dead-letters", "replay", DLQ, "--event-id", second["event_id"], "--json", amqp_uri=amqp_uri)
    report = as_json(replayed)
    assert replayed.returncode == 0
    assert [r["event_id"] for r in report["replayed"]] == [second["event_id"]]
    assert report["failed"] == []
    assert applied_things() == ["t4"]
    left = as_json(cocoon("dead-letters", "show", DLQ, "--json", amqp_uri=amqp_uri))["messages"]
    assert [m["event_id"] for m in left] == [first["event_id"]]

    unknown = cocoon("dead-letters", "replay", DLQ, "--event-id", str(uuid.uuid4()), amqp_uri=amqp_uri)
    assert unknown.returncode == 1
    assert depth(amqp_uri, DLQ) == 1


def test_a_replay_the_broker_cannot_route_stays_in_the_dead_letter_queue(repairable, park, amqp_uri, cocoon):
    event = park("t5")
    repairable.stop()
    with Connection(amqp_uri) as connection:
        connection.channel().queue_delete(QUEUE)  # the handler's queue is gone: nowhere to replay to

    replayed = cocoon("dead-letters", "replay", DLQ, amqp_uri=amqp_uri)

    assert replayed.returncode == 3
    assert f"KEPT      {event['event_id']}  not routed: queue {QUEUE} does not exist" in replayed.stdout
    assert depth(amqp_uri, DLQ) == 1  # not acked: the broker never took the copy


def test_a_raw_body_parked_without_content_type_is_shown_and_replayed_byte_for_byte(repairable, amqp_uri, cocoon):
    raw = b"\x80\x81 not an event"
    with Connection(amqp_uri) as connection:  # no content type, bytes that are not UTF-8
        connection.default_channel.basic_publish(
            amqp.Message(raw, delivery_mode=2), exchange="probe.events", routing_key="thing_to_repair"
        )
    wait_for(lambda: depth(amqp_uri, DLQ) == 1, message="raw body parked")

    shown = cocoon("dead-letters", "show", DLQ, amqp_uri=amqp_uri)
    assert "reason:    no_content_type" in shown.stdout
    assert "body:      b'\\x80\\x81 not an event'  [15 bytes, no content type]" in shown.stdout
    repairable.stop()  # so the replayed copy waits on the handler's queue for us to read
    assert cocoon("dead-letters", "replay", DLQ, amqp_uri=amqp_uri).returncode == 0

    with Connection(amqp_uri) as connection:
        channel = connection.channel()
        channel.auto_decode = False
        replayed = channel.basic_get(QUEUE, no_ack=True)
    assert replayed.body == raw
    assert "content_type" not in replayed.properties  # as it first came, not the octet-stream it was parked as
    assert "x-cocoon-reason" not in replayed.headers
    assert depth(amqp_uri, DLQ) == 0


def test_purge_refuses_without_yes_and_empties_the_queue_with_it(repairable, park, amqp_uri, cocoon):
    park("t6")
    park("t7")

    refused = cocoon("dead-letters", "purge", DLQ, amqp_uri=amqp_uri)
    assert refused.returncode == 2
    assert "without --yes" in refused.stderr
    assert depth(amqp_uri, DLQ) == 2

    purged = cocoon("dead-letters", "purge", DLQ, "--yes", amqp_uri=amqp_uri)
    assert purged.returncode == 0, purged.stderr
    assert f"purged 2 messages from {DLQ}." in purged.stdout
    assert depth(amqp_uri, DLQ) == 0


def test_an_empty_or_missing_queue_is_exit_1_and_a_live_handler_queue_is_refused(rabbit_config, cocoon):
    amqp_uri = rabbit_config["AMQP_URI"]
    with Connection(amqp_uri) as connection:
        connection.channel().queue_declare(queue=DLQ, durable=True, auto_delete=False)

    empty = cocoon("dead-letters", "show", DLQ, amqp_uri=amqp_uri)
    assert (empty.returncode, empty.stdout.strip()) == (1, f"{DLQ} is empty.")
    missing = cocoon("dead-letters", "replay", "nope.dlq", amqp_uri=amqp_uri)
    assert (missing.returncode, missing.stderr.strip().splitlines()[-1]) == (
        1,
        f"cocoon: no queue nope.dlq on {amqp_uri.split('@')[-1]}",
    )
    live = cocoon("dead-letters", "purge", QUEUE, "--yes", amqp_uri=amqp_uri)
    assert live.returncode == 2
    assert "not a dead-letter queue" in live.stderr
    nothing = cocoon("dead-letters", "list", amqp_uri=amqp_uri)
    assert nothing.returncode == 0
    assert nothing.stdout.startswith("No dead letters (")


def test_an_unreachable_broker_is_one_clear_line_and_exit_1():
    port = free_port()  # a port nobody listens on
    result = console_script("dead-letters", "list", amqp_uri=f"amqp://guest:guest@127.0.0.1:{port}/")

    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"cocoon: RabbitMQ is not reachable at 127.0.0.1:{port}/ (")
    assert result.stdout == ""


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_outbox_shows_the_unsent_events_per_service_and_event_type(backend, databases, request, cocoon):
    env = dict(databases)
    if backend == "postgresql":
        env["BOOKINGS_DATABASE_URL"] = request.getfixturevalue("postgres_url")
    migrate.migrate("bookings", env["BOOKINGS_DATABASE_URL"])  # binds the models to that database
    outbox, now = bookings_models.Outbox, db_now()

    def row(event_type, age, **marks):
        outbox.create(
            event_id=str(uuid.uuid4()),
            event_type=event_type,
            correlation_id="c",
            body="{}",
            created_at=now - age,
            attempts=2,
            last_error="unroutable: no queue is bound",
            **marks,
        )

    with bookings_models.database.connection_context():
        row("bookings.activity_scheduled", timedelta(hours=2, minutes=5))
        row("bookings.activity_scheduled", timedelta(minutes=1))
        row("bookings.activity_scheduled", timedelta(days=1), published_at=now)  # sent: not backlog
        row("bookings.room_created", timedelta(minutes=3), unconsumed_at=now)

    result = cocoon("outbox", "--json", env=env)
    assert result.returncode == 0, result.stderr
    reports = {r["service"]: r for r in as_json(result)["services"]}
    assert set(reports) == {c.name for c in SERVICES}  # every service with an outbox
    assert all(r["status"] == "ok" for r in reports.values())
    assert reports["volunteers"]["types"] == []
    scheduled, created = reports["bookings"]["types"]
    assert (scheduled["event_type"], scheduled["pending"], scheduled["unconsumed"]) == (
        "bookings.activity_scheduled",
        2,
        0,
    )
    assert 2 * 3600 + 5 * 60 <= scheduled["oldest_pending_age_seconds"] < 3 * 3600
    assert scheduled["last_error"] == "unroutable: no queue is bound"
    assert (created["event_type"], created["pending"], created["unconsumed"]) == ("bookings.room_created", 0, 1)

    text = cocoon("outbox", "bookings", "volunteers", env=env).stdout
    scheduled_line = r"^bookings +bookings\.activity_scheduled +2 +2h05m +2 +(0 +)+unroutable: no queue is bound$"
    assert re.search(scheduled_line, text, re.MULTILINE), text
    assert re.search(r"^volunteers +\(nothing unsent\)$", text, re.MULTILINE), text


def test_outbox_says_which_database_it_cannot_read_and_exits_1(tmp_path, cocoon):
    result = cocoon("outbox", "placements", env={"PLACEMENTS_DATABASE_URL": f"sqlite:///{tmp_path / 'none.db'}"})
    assert result.returncode == 1
    assert "placements  cannot read" in result.stdout and "no database file" in result.stdout
    assert not (tmp_path / "none.db").exists()  # reading never creates a database
