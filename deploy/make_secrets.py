"""`make secrets`: the `.env` docker-compose.prod.yml reads, with every credential drawn at random.

    python3 deploy/make_secrets.py [--domain cocoon.example.fr] [--email admin@example.fr] [--env-file .env] [--force]

Writes (mode 600, never over an existing file unless --force: its passwords are already in the
database and the broker's volumes, and its keys open the venue's sessions and health files):
- the venue's domain and the address Let's Encrypt writes to;
- a RabbitMQ user and vhost for the venue (no guest);
- the PostgreSQL superuser's password (used by the database's init script only) and one password
  per component's role (deploy/postgres-roles.sh), each role owning only its database;
- COCOON_SECRET_KEY, and the Fernet keys COCOON_CERTIFICATE_KEY and COCOON_HEALTH_KEY.

`.env` is in .gitignore: never commit it; back it up with the venue (docs/operations.md).
Standard library only: it runs before anything is installed.
"""

import argparse
import base64
import importlib.util
import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def component_names():
    """shared/components.py read on its own (the `shared` package needs the installed dependencies)."""
    spec = importlib.util.spec_from_file_location("cocoon_components", ROOT / "shared" / "components.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.COMPONENT_NAMES


def password():
    """URL-safe: it goes into AMQP and PostgreSQL URLs as it is (no percent-encoding needed)."""
    return secrets.token_urlsafe(32)


def fernet_key():
    """As cryptography's Fernet.generate_key(): 32 random bytes in URL-safe base64."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


def values(domain, email):
    lines = {
        "COCOON_DOMAIN": domain,
        "COCOON_ACME_EMAIL": email,
        "RABBITMQ_USER": "cocoon",
        "RABBITMQ_PASSWORD": password(),
        "RABBITMQ_VHOST": "cocoonage",
        "POSTGRES_PASSWORD": password(),
    }
    lines.update({f"{name.upper()}_DB_PASSWORD": password() for name in component_names()})
    lines.update(
        {
            "COCOON_SECRET_KEY": secrets.token_urlsafe(48),
            "COCOON_CERTIFICATE_KEY": fernet_key(),
            "COCOON_HEALTH_KEY": fernet_key(),
            "COCOON_SMTP_PASSWORD": "",  # the SMTP account's, when it has one: given to notifications only
        }
    )
    return lines


def render(lines):
    head = [
        "# Written by `make secrets` (deploy/make_secrets.py) for docker-compose.prod.yml. Never commit it;",
        "# keep a copy with the backups: without it the databases, the broker and the health files stay shut.",
    ]
    return "\n".join(head + [f"{key}={value}" for key, value in lines.items()]) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="make secrets", description=__doc__.split("\n\n")[0])
    parser.add_argument("--domain", default=os.environ.get("COCOON_DOMAIN", "cocoon.example.fr"))
    parser.add_argument("--email", default=os.environ.get("COCOON_ACME_EMAIL", "admin@example.fr"))
    parser.add_argument("--env-file", default=str(ROOT / ".env"))
    parser.add_argument("--force", action="store_true", help="replace an existing file (new passwords!)")
    args = parser.parse_args(argv)
    path = Path(args.env_file)
    if path.exists() and not args.force:
        print(f"{path} exists: its passwords are in use; kept (--force draws new ones)", file=sys.stderr)
        return 1
    text = render(values(args.domain, args.email))
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(handle, "w", encoding="utf-8") as written:
        written.write(text)
    os.chmod(path, 0o600)
    print(f"{path} written (600). Set COCOON_DOMAIN and COCOON_ACME_EMAIL in it if not given here.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
