"""The notifications service's settings, read and checked once when the service starts.

Each variable, its default and meaning: docs/notifications-rules.md, "Settings" (and README).
Without COCOON_SMTP_HOST (development) emails are appended to <COCOON_VAR_DIR>/notifications.mbox.
"""

from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

from shared import config
from shared.settings import ServiceSettings, boolean, number, whole

DEFAULT_FROM = "Cocoon'Age <ne-pas-repondre@cocoonage.fr>"
MAILBOX_FILE = "notifications.mbox"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"  # the gateway's default COCOON_PUBLIC_URL too


@dataclass(frozen=True)
class NotificationsSettings:
    smtp_host: str | None = None  # None: emails go to `mailbox_path` (development)
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str = DEFAULT_FROM
    smtp_starttls: bool = True
    smtp_timeout_seconds: float = 10.0
    mailbox_path: Path | None = None
    sweep_seconds: float = 2.0
    max_attempts: int = 8
    retry_seconds: float = 30.0
    retry_max_seconds: float = 3600.0
    catcher: bool = False  # the SMTP host is make run's development catcher (services/notifications/catcher.py)
    reminder_hours: float = 48.0  # a reminder email this long before each booking, sign-up, training
    public_url: str = DEFAULT_PUBLIC_URL  # the venue's address: links in emails (an invoice's PDF)

    def __repr__(self):  # never the password in a log line
        return (
            f"NotificationsSettings(smtp_host={self.smtp_host!r}, smtp_port={self.smtp_port}, "
            f"mailbox={self.mailbox_path})"
        )


def load():
    """Raises ValueError naming the variable when a value is not understood."""
    host = config.env("COCOON_SMTP_HOST")
    user, password = config.env("COCOON_SMTP_USER"), config.env("COCOON_SMTP_PASSWORD")
    if bool(user) != bool(password):
        raise ValueError("COCOON_SMTP_USER and COCOON_SMTP_PASSWORD go together: set both or neither")
    sender = config.env("COCOON_SMTP_FROM", DEFAULT_FROM)
    if "@" not in parseaddr(sender)[1]:
        raise ValueError(f"COCOON_SMTP_FROM={sender!r} is not an email address")
    _check_address(sender)
    retry = number("COCOON_MAIL_RETRY_SECONDS", 30, low=0)
    retry_max = number("COCOON_MAIL_RETRY_MAX_SECONDS", 3600, low=0)
    if retry_max < retry:
        raise ValueError(f"COCOON_MAIL_RETRY_MAX_SECONDS={retry_max:g} is below COCOON_MAIL_RETRY_SECONDS={retry:g}")
    return NotificationsSettings(
        smtp_host=host,
        smtp_port=whole("COCOON_SMTP_PORT", 587, 1, 65535),
        smtp_user=user,
        smtp_password=password,
        smtp_from=sender,
        smtp_starttls=boolean("COCOON_SMTP_STARTTLS", True),
        smtp_timeout_seconds=number("COCOON_SMTP_TIMEOUT_SECONDS", 10, low=0.1),
        mailbox_path=None if host else config.var_dir() / MAILBOX_FILE,
        sweep_seconds=number("COCOON_MAIL_SWEEP_SECONDS", 2, low=0.05),
        max_attempts=whole("COCOON_MAIL_MAX_ATTEMPTS", 8, low=1),
        retry_seconds=retry,
        retry_max_seconds=retry_max,
        reminder_hours=number("COCOON_REMINDER_HOURS", 48, low=0),
        catcher=bool(host) and boolean("COCOON_MAIL_CATCHER", False),
        public_url=_public_url(config.env("COCOON_PUBLIC_URL", DEFAULT_PUBLIC_URL)),
    )


def _public_url(raw):
    """An origin such as https://cocoonage.fr (the gateway checks it the same way), without its trailing slash."""
    text = str(raw or "").strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/") or parts.query:
        raise ValueError(f"COCOON_PUBLIC_URL={raw!r} is not an address such as https://cocoonage.fr")
    return text.rstrip("/")


def _check_address(sender):
    name, address = parseaddr(sender)
    try:
        Address(display_name=name, addr_spec=address)
    except (ValueError, IndexError) as exc:
        raise ValueError(f"COCOON_SMTP_FROM={sender!r} is not an email address ({exc})") from None


class Settings(ServiceSettings):
    """Read once at start: a wrong value stops the start with a clear message instead of
    failing every email later."""

    load = staticmethod(load)
