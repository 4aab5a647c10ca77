"""Helpers for `make run` and `make test`.

python -m shared.dev check-broker   # one clear line and exit 1 when RabbitMQ is not reachable
python -m shared.dev env FILE       # write FILE for `run`, keeping what the environment already sets
python -m shared.dev run [-f Procfile] [-e FILE] ...   # every Procfile process, restarted on a crash
                                                       # (shared/supervisor.py); without -f, the
                                                       # Procfile of COCOON_PROCESSES (split, one)
python -m shared.dev check-test-prerequisites [rabbitmq] [postgresql]
                                    # one line per missing piece with its fix, exit 1 (shared/prerequisites.py)
"""

import os
import secrets
import sys

from shared import config

BROKER_HELP = (
    "RabbitMQ ne répond pas sur {uri} (RabbitMQ is not reachable). Start it with "
    "`docker compose up -d rabbitmq`, or on Debian `apt-get install rabbitmq-server && "
    "rabbitmq-server -detached`, or set AMQP_URI."
)


def check_broker():
    from shared import topology  # imports every service: not in `run`'s supervisor, which lives as long as the venue

    uri = config.amqp_uri()
    if topology.broker_problem(uri):
        safe = uri.split("@")[-1]
        print(BROKER_HELP.format(uri=safe), file=sys.stderr)
        return 1
    return 0


# Without a real SMTP server, the notifications service sends to the development catcher
# (services/notifications/catcher.py), which keeps the emails for the staff page.
DEV_CATCHER = {
    "COCOON_SMTP_HOST": "127.0.0.1",
    "COCOON_SMTP_PORT": "1025",
    "COCOON_SMTP_STARTTLS": "false",
    "COCOON_MAIL_CATCHER": "true",
}


def write_env(path):
    """A first staff account for local use, generated once and kept in var/ (never committed)."""
    secret_file = config.var_dir() / "bootstrap-staff-password"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(12))
        secret_file.chmod(0o600)
    defaults = {
        "COCOON_BOOTSTRAP_STAFF_EMAIL": "equipe@cocoonage.local",
        "COCOON_BOOTSTRAP_STAFF_PASSWORD": secret_file.read_text().strip(),
    }
    if not os.environ.get("COCOON_SMTP_HOST"):  # make run starts the local catcher (Makefile)
        defaults.update(DEV_CATCHER)
    lines = [f"{k}={v}" for k, v in defaults.items() if not os.environ.get(k)]
    with open(path, "w") as fh:
        fh.write("\n".join(lines) + "\n")
    email = os.environ.get("COCOON_BOOTSTRAP_STAFF_EMAIL") or defaults["COCOON_BOOTSTRAP_STAFF_EMAIL"]
    if not os.environ.get("COCOON_BOOTSTRAP_STAFF_PASSWORD"):
        print(f"Compte équipe (staff account): {email} / mot de passe dans {secret_file}")
    return 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "check-broker":
        sys.exit(check_broker())
    if command == "env" and len(sys.argv) == 3:
        sys.exit(write_env(sys.argv[2]))
    if command == "run":
        from shared import supervisor

        sys.exit(supervisor.main(sys.argv[2:]))
    if command == "check-test-prerequisites":
        from shared import prerequisites

        sys.exit(prerequisites.main(sys.argv[2:]))
    sys.exit(__doc__)
