"""Every nameko service in one process: the one-process packaging for small venues.

    python -m shared.run_services              # every service of shared/components.py
    python -m shared.run_services bookings team

`COCOON_PROCESSES=one make run` starts it (Procfile.one) beside the gateway; docker-compose.one.yml
and deploy/kubernetes/one-process run it in one container. Each service keeps what it has in
its own process: its database (`<NAME>_DATABASE_URL`), its queues, its events, its outbox relay,
its workers (`max_workers` each); they share the interpreter and its imports, the metrics server
(one port, each series naming its service), and one consumer connection to the broker
(shared/process_consumer.py). Log lines name the service that wrote them. A service killed by
an error ends the process, the others with it: the supervisor (or compose, or Kubernetes)
starts them again. The costs of both packagings: docs/hosting.md, "What a venue costs".
"""

import sys

from shared import components


def targets(names):
    """The "module:Class" of each service named (all by default); SystemExit naming the known ones."""
    try:
        chosen = [components.named(name) for name in names] if names else list(components.SERVICES)
    except KeyError as exc:
        raise SystemExit(str(exc)) from None
    not_nameko = [c.name for c in chosen if c.runner != components.NAMEKO]
    if not_nameko:
        raise SystemExit(f"not a nameko service: {', '.join(not_nameko)} (the gateway runs under gunicorn)")
    return [c.target for c in chosen]


if __name__ == "__main__":
    chosen = targets(sys.argv[1:])
    from shared import run_service

    sys.exit(run_service.main(chosen))
