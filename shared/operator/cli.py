"""`cocoon`: what an operator needs when events get stuck (docs/operations.md).

    cocoon dead-letters list [--all]                 dead-letter queues and how many messages each holds
    cocoon dead-letters show QUEUE [--limit N]       what is parked and why (the messages stay)
    cocoon dead-letters replay QUEUE [--limit N | --event-id ID]
    cocoon dead-letters purge QUEUE --yes
    cocoon outbox [SERVICE ...]                      unsent events per service and event type
    cocoon topology check                            bindings the event catalogue expects that the broker lacks
    cocoon queues check|prune|migrate                the queues' type (COCOON_QUEUE_TYPE), stale retry queues
    cocoon audit purge                               audit lines older than COCOON_AUDIT_RETENTION_DAYS deleted (daily)
    cocoon emails failed                             emails given up after their last attempt
    cocoon emails retry ID ... | --all               queue failed emails again (the notifications service sends them)
    cocoon backup DIR [--no-broker]                  every database, the broker's definitions, the secret key
    cocoon restore DIR [--force] [--no-broker]       a backup into the configured databases (empty unless --force)
    cocoon health SERVICE... [--timeout S]           each service answers its health RPC (a container's probe)
    cocoon erasures resume                           after a restore and the start: unfinished erasures asked again
    cocoon insights rebuild                          the indicators' tables dropped and replayed from insights' log
    cocoon insights backfill [--timeout S]           insights asks the producers their history, once

Exit codes: 0 done; 1 nothing matched (empty or missing queue, unknown event id), a binding
missing, broker, its management API or a database unreachable; 2 wrong usage (purge without
--yes, not a `.dlq` queue); 3 a replay left messages in the dead-letter queue because the broker
did not confirm their copy; 4 a backup or a restore refused or failed (the line says why).
"""

import argparse
import base64
import json
import sys

from shared import broker_api, components, config, topology
from shared.operator import backup, dead_letters, emails, insights, outbox_report, queues_cli
from shared.operator.render import age, plural, preview, table

OK, NOTHING, USAGE, REPLAY_INCOMPLETE, BACKUP_FAILED = 0, 1, 2, 3, 4


def main(argv=None):
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except dead_letters.BrokerUnreachable as exc:
        return fail(f"RabbitMQ is not reachable at {_where(args.amqp_uri)} ({exc})", NOTHING)
    except dead_letters.UsageError as exc:
        return fail(str(exc), USAGE)
    except dead_letters.QueueMissing as exc:
        return fail(f"no queue {exc} on {_where(args.amqp_uri)}", NOTHING)
    except backup.BackupError as exc:
        return fail(str(exc), BACKUP_FAILED)


def parser():
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="machine-readable output")
    broker = argparse.ArgumentParser(add_help=False)
    broker.add_argument("--amqp-uri", default=config.amqp_uri(), help="default: $AMQP_URI")

    summary, usage = __doc__.split("\n\n", 1)
    top = argparse.ArgumentParser(
        prog="cocoon", description=summary, epilog=usage, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = top.add_subparsers(
        dest="command",
        required=True,
        metavar="{dead-letters,outbox,topology,queues,audit,emails,backup,restore,health,erasures,insights}",
    )

    dl = commands.add_parser("dead-letters", help="see, replay or purge dead-letter queues")
    actions = dl.add_subparsers(dest="action", required=True, metavar="{list,show,replay,purge}")

    listing = actions.add_parser("list", parents=[common, broker], help="dead-letter queues with their message count")
    listing.add_argument("--all", action="store_true", help="also the empty and missing ones")
    listing.add_argument(
        "--service-class",
        action="append",
        default=[],
        metavar="MODULE:CLASS",
        help="also the queues of this service class (repeatable; the deployed services are always included)",
    )
    listing.set_defaults(run=run_list)

    show = actions.add_parser("show", parents=[common, broker], help="parked messages and why, left in the queue")
    show.add_argument("queue", help="a dead-letter queue, <handler queue>.dlq")
    show.add_argument("--limit", type=_positive, default=10, help="how many messages (default 10)")
    show.add_argument("--traceback", action="store_true", help="also the handler's traceback")
    show.set_defaults(run=run_show)

    replay = actions.add_parser(
        "replay", parents=[common, broker], help="put parked messages back on their handler's queue"
    )
    replay.add_argument("queue", help="a dead-letter queue, <handler queue>.dlq")
    which = replay.add_mutually_exclusive_group()
    which.add_argument("--limit", type=_positive, help="at most N messages (default: all it holds now)")
    which.add_argument("--event-id", help="only the message(s) of this event")
    replay.set_defaults(run=run_replay)

    purge = actions.add_parser("purge", parents=[common, broker], help="delete every message of one dead-letter queue")
    purge.add_argument("queue", help="a dead-letter queue, <handler queue>.dlq")
    purge.add_argument("--yes", action="store_true", help="really delete them (required)")
    purge.set_defaults(run=run_purge)

    outbox = commands.add_parser("outbox", parents=[common], help="unsent events per service and event type")
    outbox.add_argument(
        "services", nargs="*", metavar="SERVICE", help=f"among {', '.join(config.SERVICES)} (default: all)"
    )
    outbox.set_defaults(run=run_outbox, amqp_uri=None)

    topo = commands.add_parser("topology", help="the event queues and bindings on the broker")
    topo_actions = topo.add_subparsers(dest="action", required=True, metavar="{check}")
    check = topo_actions.add_parser(
        "check", parents=[common, broker], help="list the bindings the event catalogue expects that are missing"
    )
    check.add_argument("--api-uri", default=None, help="management API (default: $RABBIT_API_URI, else port 15672)")
    check.set_defaults(run=run_topology_check)

    audit = commands.add_parser("audit", help="the gateway's audit trail")
    audit_actions = audit.add_subparsers(dest="action", required=True, metavar="{purge}")
    purge_audit = audit_actions.add_parser(
        "purge", parents=[common], help="delete the lines older than COCOON_AUDIT_RETENTION_DAYS (run it daily)"
    )
    purge_audit.set_defaults(run=run_audit_purge, amqp_uri=None)

    add_email_commands(commands, common)
    add_backup_commands(commands, common, broker)
    add_insights_commands(commands, common, broker)
    queues_cli.add_queue_commands(commands, common, broker)
    return top


def add_email_commands(commands, common):
    """emails failed and emails retry (the notifications service's database)."""
    mail = commands.add_parser("emails", help="emails the notifications service gave up, and sending them again")
    mail_actions = mail.add_subparsers(dest="action", required=True, metavar="{failed,retry}")
    failed = mail_actions.add_parser("failed", parents=[common], help="emails given up after their last attempt")
    failed.set_defaults(run=run_emails_failed, amqp_uri=None)
    again = mail_actions.add_parser("retry", parents=[common], help="queue failed emails again")
    again.add_argument("ids", nargs="*", metavar="ID", help="the failed emails' ids (see `cocoon emails failed`)")
    again.add_argument("--all", action="store_true", help="every failed email")
    again.set_defaults(run=run_emails_retry, amqp_uri=None)


def add_insights_commands(commands, common, broker):
    """rebuild (on the insights database) and backfill (an RPC to the running service)."""
    parent = commands.add_parser("insights", help="the indicators' projection and backfill")
    actions = parent.add_subparsers(dest="action", required=True, metavar="{rebuild,backfill}")
    again = actions.add_parser("rebuild", parents=[common], help="drop the indicators' tables and replay the log")
    again.set_defaults(run=run_insights_rebuild, amqp_uri=None)
    history = actions.add_parser("backfill", parents=[common, broker], help="ask the producers' history, once")
    history.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for the answer (default 60)")
    history.set_defaults(run=run_insights_backfill)


def add_backup_commands(commands, common, broker):
    """backup, restore, and health (the containers' probe)."""
    api = argparse.ArgumentParser(add_help=False)
    api.add_argument("--api-uri", default=None, help="management API (default: $RABBIT_API_URI, else port 15672)")
    api.add_argument("--no-broker", action="store_true", help="leave the broker's definitions out")
    save = commands.add_parser(
        "backup", parents=[common, broker, api], help="every database, the broker's definitions and the secret key"
    )
    save.add_argument("directory", metavar="DIR", help="a new or empty directory (made readable by its owner only)")
    save.set_defaults(run=run_backup)
    load = commands.add_parser("restore", parents=[common, broker, api], help="a backup into the configured databases")
    load.add_argument("directory", metavar="DIR", help="a directory written by `cocoon backup`")
    load.add_argument("--force", action="store_true", help="replace databases that already hold tables")
    load.set_defaults(run=run_restore)
    probe = commands.add_parser("health", parents=[common, broker], help="ask a service's health RPC (exit 1: none)")
    probe.add_argument(
        "services", nargs="+", choices=config.SERVICES, metavar="SERVICE", help="one or more (one process may run all)"
    )
    probe.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for its answer (default 10)")
    probe.set_defaults(run=run_health)
    erase = commands.add_parser("erasures", help="the gateway's register of erasures")
    erase_actions = erase.add_subparsers(dest="action", required=True, metavar="{resume}")
    resume = erase_actions.add_parser(
        "resume", parents=[common, broker], help="ask the team service again for the erasures not complete"
    )
    resume.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for each answer (default 30)")
    resume.set_defaults(run=run_erasures_resume)


# --- dead letters ---------------------------------------------------------------------------
def run_list(args):
    with dead_letters.connect(args.amqp_uri) as connection:  # first: an unreachable broker is said at once
        classes = [service.target for service in components.SERVICES] + args.service_class
        queues = list(dict.fromkeys(dead_letters.dead_letter_queue_names(classes)))
        rows = dead_letters.depths(connection, queues)
    shown = rows if args.all else [r for r in rows if r["messages"]]
    if args.json:
        return emit_json({"queues": shown, "checked": len(rows)})
    total = sum(r["messages"] for r in rows)
    if shown:
        print(
            table(
                ["DEAD-LETTER QUEUE", "MESSAGES"],
                [(r["queue"], r["messages"] if r["exists"] else "missing") for r in shown],
                right={"MESSAGES"},
            )
        )
    if total:
        print(
            f"{plural(total, 'message')} parked, in {plural(len([r for r in rows if r['messages']]), 'queue')}; "
            "see them with `cocoon dead-letters show QUEUE`."
        )
    else:
        print(f"No dead letters ({plural(len(rows), 'dead-letter queue')} checked).")
    return OK


def run_show(args):
    with dead_letters.connect(args.amqp_uri) as connection:
        total, messages = dead_letters.peek(connection, args.queue, args.limit)
    if args.json:
        shown = [_without_traceback(m, args.traceback) for m in messages]
        return emit_json({"queue": args.queue, "messages_in_queue": total, "messages": shown}, OK if total else NOTHING)
    if not total:
        print(f"{args.queue} is empty.")
        return NOTHING
    print(f"{args.queue}: {plural(total, 'message')}, showing {len(messages)} (left in the queue)")
    for number, m in enumerate(messages, 1):
        print()
        print(
            f"[{number}] {m['event_type'] or '(unknown type)'}  event {m['event_id'] or '-'}  "
            f"correlation {m['correlation_id'] or '-'}"
        )
        reason = m["reason"] or "-"
        if m["attempts"]:
            reason += f" after {plural(m['attempts'], 'attempt')}"
        if m["handler"]:
            reason += f" in {m['handler']}"
        if m["replays"]:
            reason += f" (already replayed {plural(m['replays'], 'time')})"
        _field("reason", reason)
        _field("error", preview(m["error"], 300))
        _field("replay to", m["replay_to"])
        body = preview(m["body"] if m["body"] is not None else repr(base64.b64decode(m["body_base64"])))
        _field("body", f"{body}  [{m['body_bytes']} bytes, {m['content_type'] or 'no content type'}]")
        if args.traceback and m["traceback"]:
            _field("traceback", "")
            print("\n".join("      " + line for line in m["traceback"].rstrip().splitlines()))
    return OK


def run_replay(args):
    with dead_letters.connect(args.amqp_uri) as connection:
        report = dead_letters.replay(connection, args.queue, limit=args.limit, event_id=args.event_id)
    replayed, failed = report["replayed"], report["failed"]
    code = REPLAY_INCOMPLETE if failed or report["interrupted"] else (OK if replayed else NOTHING)
    if args.json:
        return emit_json(report, code)
    if not replayed and not failed and not report["interrupted"]:
        wanted = f"no message of event {args.event_id}" if args.event_id else "nothing to replay"
        print(f"{args.queue}: {wanted} ({plural(report['messages_before'], 'message')} in the queue).")
        return code
    for item in replayed:
        print(f"replayed  {item['event_id'] or '-'}  -> {item['replay_to']}")
    for item in failed:
        print(f"KEPT      {item['event_id'] or '-'}  {item['error']}; left in the dead-letter queue")
    print(
        f"{plural(len(replayed), 'message')} replayed from {args.queue}"
        + (f", {len(failed)} left in it because the broker did not take the copy" if failed else "")
        + "."
    )
    if report["interrupted"]:
        print(f"Stopped early ({report['interrupted']}): the messages not replayed are still in the dead-letter queue.")
    return code


def run_purge(args):
    if not args.yes:
        return fail(
            f"refusing to delete the messages of {args.queue} without --yes "
            f"(see them first: cocoon dead-letters show {args.queue})",
            USAGE,
        )
    with dead_letters.connect(args.amqp_uri) as connection:
        count = dead_letters.purge(connection, args.queue)
    if args.json:
        return emit_json({"queue": args.queue, "purged": count})
    print(f"purged {plural(count, 'message')} from {args.queue}.")
    return OK


def _field(name, value):
    print(f"    {name + ':':<11}{'' if value is None else value}")


def _without_traceback(message, keep):
    return message if keep else {k: v for k, v in message.items() if k != "traceback"}


# --- outbox ---------------------------------------------------------------------------------
def run_outbox(args):
    unknown = sorted(set(args.services) - set(config.SERVICES))
    if unknown:
        return fail(f"unknown service {', '.join(unknown)}; choose among {', '.join(config.SERVICES)}", USAGE)
    reports = outbox_report.backlog(args.services or config.SERVICES)
    code = NOTHING if any(r["status"] != "ok" for r in reports) else OK
    if args.json:
        return emit_json({"services": reports}, code)
    marks = sorted({key for r in reports for t in r["types"] for key in t} & {"unconsumed"})
    headers = ["SERVICE", "EVENT TYPE", "PENDING", "OLDEST", "ATTEMPTS", *(m.upper() for m in marks), "LAST ERROR"]
    rows = []
    for r in reports:
        if r["status"] != "ok":
            rows.append((r["service"], f"cannot read {r['database']}: {r['problem']}", *[""] * (len(headers) - 2)))
        elif not r["types"]:
            rows.append((r["service"], "(nothing unsent)", *[""] * (len(headers) - 2)))
        for t in r["types"]:
            rows.append(
                (
                    r["service"],
                    t["event_type"],
                    t["pending"],
                    age(t["oldest_pending_age_seconds"]),
                    t["max_attempts"],
                    *(t.get(m, 0) for m in marks),
                    preview(t["last_error"], 60) or "",
                )
            )
    print(table(headers, rows, right={"PENDING", "OLDEST", "ATTEMPTS", "ABANDONED", "UNCONSUMED"}))
    return code


# --- topology -------------------------------------------------------------------------------
def run_topology_check(args):
    api = broker_api.BrokerApi(args.amqp_uri, args.api_uri)
    try:
        missing = topology.missing_bindings(api)
    except broker_api.BrokerApiError as exc:
        return fail(str(exc), NOTHING)
    finally:
        api.close()
    expected = len(topology.expected_bindings())
    code = NOTHING if missing else OK
    if args.json:
        return emit_json({"expected": expected, "missing": missing}, code)
    if not missing:
        print(f"All {plural(expected, 'binding')} of the event catalogue are on the broker.")
        return code
    print(table(["EXCHANGE", "ROUTING KEY", "QUEUE"], [(m["exchange"], m["routing_key"], m["queue"]) for m in missing]))
    print(
        f"{plural(len(missing), 'binding')} missing of {expected}: their events reach no queue for that consumer. "
        "Start any service or run `make migrate` to declare them."
    )
    return code


# --- audit trail ----------------------------------------------------------------------------
def run_audit_purge(args):
    """The daily purge of the gateway's audit trail (docs/audit-rules.md); the gateway also purges at start."""
    from peewee import OperationalError

    from services.gateway import audit, settings
    from services.gateway.models import database
    from shared import db

    try:
        days = settings.audit_retention_days()
    except ValueError as exc:
        return fail(str(exc), USAGE)
    url = db.bind(database, "gateway")
    try:
        with database.connection_context():
            purged = audit.purge_expired(days)
    except OperationalError as exc:
        return fail(f"cannot purge the audit trail in {db.redact(url)} ({exc})", NOTHING)
    if args.json:
        return emit_json({"purged": purged, "retention_days": days})
    print(f"purged {plural(purged, 'audit line')} older than {days} days.")
    return OK


# --- backup and restore ---------------------------------------------------------------------
def run_backup(args):
    with backup.said_in_one_line():
        manifest = backup.backup(args.directory, args.amqp_uri, args.api_uri, with_broker=not args.no_broker)
    if args.json:
        return emit_json(manifest)
    rows = [
        (
            name,
            entry["engine"],
            entry["file"],
            entry.get("schema_version") or "-",
            sum(t["rows"] for t in entry["tables"].values()),
        )
        for name, entry in manifest["databases"].items()
    ]
    print(table(["DATABASE", "ENGINE", "FILE", "SCHEMA VERSION", "ROWS"], rows, right={"ROWS"}))
    print(
        f"Backup of {manifest['created_at']} in {args.directory}: {plural(len(manifest['files']), 'file')}"
        + ("" if manifest["broker"] else ", without the broker's definitions")
        + (f", keys: {', '.join(manifest['keys'])}" if manifest["keys"] else ", no key found")
        + "."
    )
    return OK


def run_restore(args):
    with backup.said_in_one_line():
        report = backup.restore(
            args.directory,
            force=args.force,
            amqp_uri=args.amqp_uri,
            api_uri=args.api_uri,
            with_broker=not args.no_broker,
        )
    if args.json:
        return emit_json(report)
    print(f"Restored the backup of {report['backup_of']}: {', '.join(report['databases'])}.")
    print(f"Broker: {report['broker'] or 'left as it is'}.")
    for name, done in report["keys"].items() or [("keys", "none in the backup")]:
        print(f"{name}: {done}.")
    erasures = report["erasures"]
    if erasures["reapplied"]:
        print(f"{plural(erasures['reapplied'], 'erasure')} done after the backup applied again.")
    if erasures["pending"]:
        print(
            f"{plural(len(erasures['pending']), 'erasure')} done after the backup could NOT be applied again "
            "(no applier): erase these people again before opening the venue:"
        )
        for row in erasures["pending"]:
            print(f"    {json.dumps(row, default=str)}")
    print("Next: `make migrate` (python -m shared.migrate), then start the venue.")
    if erasures["reapplied"]:
        print("Once it is started: `cocoon erasures resume` (the services erase those people again).")
    return OK


def run_erasures_resume(args):
    """The gateway's erasures not yet complete (after a restore: those applied again) asked of the
    team service again, which has each service erase its copy (services/gateway/erasure_register.py)."""
    from nameko.standalone.rpc import ClusterRpcProxy

    from services.gateway import erasure_register

    try:
        with ClusterRpcProxy({"AMQP_URI": args.amqp_uri}, timeout=args.timeout) as rpc:
            from services.gateway.models import database
            from shared import db

            db.bind(database, "gateway")
            with database.connection_context():
                asked = erasure_register.resume_pending(rpc)
    except Exception as exc:  # the team service not running, the broker or the database unreachable
        return fail(f"cannot resume the erasures: {exc.__class__.__name__}: {preview(str(exc), 200)}", NOTHING)
    if args.json:
        fields = ("erasure_id", "account_id", "status")
        return emit_json({"asked": [dict(zip(fields, row, strict=True)) for row in asked]})
    if not asked:
        print("No erasure waiting: nothing to ask.")
        return OK
    for erasure_id, account_id, status in asked:
        print(f"erasure {erasure_id} (account {account_id}): {status}")
    return OK


# --- health -------------------------------------------------------------------------------
def run_health(args):
    """One call of each service's health RPC: what a container probe needs (it answers while its
    process, its consumer and its database are up; a database down answers an error). Several
    services: the one-process packaging's probe, in one probe process; the first one not healthy
    fails it."""
    from nameko.standalone.rpc import ClusterRpcProxy

    answers = {}
    service = args.services[0]
    try:
        with ClusterRpcProxy({"AMQP_URI": args.amqp_uri}, timeout=args.timeout) as rpc:
            for service in args.services:
                answers[service] = getattr(rpc, service).health()
    except Exception as exc:  # no consumer, no answer in time, its database down, the broker unreachable
        return fail(f"{service} is not healthy: {exc.__class__.__name__}: {preview(str(exc), 200)}", NOTHING)
    if args.json:
        found = [{"service": name, "health": answer} for name, answer in answers.items()]
        return emit_json(found[0] if len(found) == 1 else found)
    for name in answers:
        print(f"{name}: ok")
    return OK


# --- insights -----------------------------------------------------------------------------
def run_insights_rebuild(args):
    try:
        answer = insights.rebuild()
    except Exception as exc:  # no file, connection refused: say it
        return fail(f"cannot rebuild the insights projection: {exc.__class__.__name__}: {exc}", NOTHING)
    if args.json:
        return emit_json(answer)
    print(f"Replayed {plural(answer['events'], 'logged event')} into {plural(answer['facts'], 'fact')}.")
    return OK


def run_insights_backfill(args):
    try:
        answer = insights.backfill(args.amqp_uri, args.timeout)
    except Exception as exc:  # no consumer, no answer in time, the broker unreachable
        return fail(f"insights did not backfill: {exc.__class__.__name__}: {preview(str(exc), 200)}", NOTHING)
    if args.json:
        return emit_json(answer)
    sources = answer["sources"]
    for source, result in sources.items():
        print(f"{source}: {result if isinstance(result, str) else plural(result, 'new event')}")
    if not sources:
        print("Nothing to backfill: every source was done before.")
    return OK


# --- emails -------------------------------------------------------------------------------
def run_emails_failed(args):
    try:
        rows = emails.failed()
    except Exception as exc:  # no file, connection refused: say it
        return fail(f"cannot read the notifications database: {exc.__class__.__name__}: {exc}", NOTHING)
    if args.json:
        return emit_json({"failed": rows}, OK if rows else NOTHING)
    if not rows:
        print("No failed emails.")
        return NOTHING
    print(
        table(
            ["ID", "TO", "SUBJECT", "ATTEMPTS", "GIVEN UP AT", "LAST ERROR"],
            [
                (
                    r["id"],
                    r["to"],
                    preview(r["subject"], 40),
                    r["attempts"],
                    r["given_up_at"],
                    preview(r["last_error"], 60) or "",
                )
                for r in rows
            ],
            right={"ATTEMPTS"},
        )
    )
    print(f"{plural(len(rows), 'failed email')}; queue them again with `cocoon emails retry ID` or `--all`.")
    return OK


def run_emails_retry(args):
    if bool(args.ids) == bool(args.all):
        return fail("give the failed emails' ids, or --all (not both)", USAGE)
    try:
        queued = emails.retry(None if args.all else args.ids)
    except Exception as exc:
        return fail(f"cannot write the notifications database: {exc.__class__.__name__}: {exc}", NOTHING)
    if args.json:
        return emit_json({"queued": queued}, OK if queued else NOTHING)
    if not queued:
        print("No failed email matched: nothing queued.")
        return NOTHING
    print(f"{plural(queued, 'failed email')} queued again; the notifications service sends them at its next sweep.")
    return OK


# --- output ---------------------------------------------------------------------------------
def emit_json(data, code=OK):
    print(json.dumps(data, indent=2, default=str))
    return code


def fail(line, code):
    print(f"cocoon: {line}", file=sys.stderr)
    return code


def _where(amqp_uri):
    return (amqp_uri or "").split("@")[-1]  # never print the password


def _positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


if __name__ == "__main__":
    sys.exit(main())
