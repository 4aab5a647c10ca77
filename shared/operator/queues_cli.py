"""`cocoon queues check|prune|migrate`: the queue type and the stale retry queues (docs/operations.md,
"Queue type"). Exit codes as the rest of `cocoon`: 0 done, 1 something to do or the broker or its
API unreachable, 2 refused (services still consuming)."""

import argparse
import json
import sys

from shared import broker_api, queues, spine_settings
from shared.operator import broker_queues, dead_letters
from shared.operator.render import plural, table

OK, NOTHING, USAGE = 0, 1, 2


def add_queue_commands(commands, common, broker):
    api = argparse.ArgumentParser(add_help=False)
    api.add_argument("--api-uri", default=None, help="management API (default: $RABBIT_API_URI, else port 15672)")
    group = commands.add_parser("queues", help="queue type (classic or quorum) and stale retry queues")
    actions = group.add_subparsers(dest="action", required=True, metavar="{check,prune,migrate}")
    check = actions.add_parser(
        "check",
        parents=[common, broker, api],
        help="queues whose type differs from COCOON_QUEUE_TYPE, stale retry queues",
    )
    check.set_defaults(run=run_check)
    prune = actions.add_parser(
        "prune", parents=[common, broker, api], help="delete the empty retry queues of another EVENT_RETRY_DELAY_MS"
    )
    prune.set_defaults(run=run_prune)
    move = actions.add_parser(
        "migrate", parents=[common, broker, api], help="give every queue COCOON_QUEUE_TYPE, keeping its messages"
    )
    move.set_defaults(run=run_migrate)


def _context(args):
    return broker_api.BrokerApi(args.amqp_uri, args.api_uri), spine_settings.load().event_retry_delay_ms


def run_check(args):
    api, delay = _context(args)
    kind = queues.configured_kind()
    try:
        wrong = broker_queues.wrong_type(api, delay, kind)
        stale = broker_queues.stale_retry_queues(api, delay)
    except broker_api.BrokerApiError as exc:
        return _fail(str(exc), NOTHING)
    finally:
        api.close()
    code = NOTHING if wrong or stale else OK
    if args.json:
        return _json({"queue_type": kind.type, "wrong_type": wrong, "stale_retry": stale}, code)
    if wrong:
        print(
            table(
                ["QUEUE", "TYPE", "EXPECTED", "MESSAGES"],
                [(w["queue"], w["type"], w["expected"], w["messages"]) for w in wrong],
            )
        )
        print(queues.wrong_type_message(f"({plural(len(wrong), 'queue')})", kind))
    if stale:
        print(
            table(["STALE RETRY QUEUE", "MESSAGES"], [(s["queue"], s["messages"]) for s in stale], right={"MESSAGES"})
        )
        print(
            f"Retry queues of another delay than EVENT_RETRY_DELAY_MS={delay}: "
            "`cocoon queues prune` removes the empty ones."
        )
    if not code:
        print(f"Every queue of the catalogue is {kind.type}; no stale retry queue.")
    return code


def run_prune(args):
    api, delay = _context(args)
    try:
        stale = broker_queues.stale_retry_queues(api, delay)
    except broker_api.BrokerApiError as exc:
        return _fail(str(exc), NOTHING)
    finally:
        api.close()
    with dead_letters.connect(args.amqp_uri) as connection:
        removed, kept = broker_queues.remove_stale_retry_queues(connection, stale)
    if args.json:
        return _json({"removed": removed, "kept": kept}, NOTHING if kept else OK)
    for name in removed:
        print(f"removed  {name}")
    for name, messages in kept.items():
        print(
            f"KEPT     {name}: {plural(messages, 'message')} still waiting; they go back to their "
            "handler when their delay ends: run it again then"
        )
    if not stale:
        print(f"No stale retry queue (EVENT_RETRY_DELAY_MS={delay}).")
    return NOTHING if kept else OK


def run_migrate(args):
    api, delay = _context(args)
    kind = queues.configured_kind()
    try:
        with dead_letters.connect(args.amqp_uri) as connection:
            report = broker_queues.migrate(connection, api, delay, kind)
    except broker_api.BrokerApiError as exc:
        return _fail(str(exc), NOTHING)
    except broker_queues.MigrationRefused as exc:
        return _fail(f"migration refused: {exc}", USAGE)
    finally:
        api.close()
    if args.json:
        return _json(report)
    for name in report["migrated"]:
        print(f"{kind.type:<8} {name} ({plural(report['moved'][name], 'message')} kept)")
    print(f"{plural(len(report['migrated']), 'queue')} made {kind.type}.")
    return OK


def _json(data, code=OK):
    print(json.dumps(data, indent=2))
    return code


def _fail(line, code):
    print(f"cocoon: {line}", file=sys.stderr)
    return code
