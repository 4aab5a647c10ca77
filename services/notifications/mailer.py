"""Sending one email: through SMTP (smtplib, standard library) when COCOON_SMTP_HOST is set, else
appended to a local mbox file (development: `var/notifications.mbox`, readable with `mutt -f` or
any mail reader), or to `make run`'s local SMTP catcher (catcher.py). Network I/O: never called
inside a database transaction."""

import mailbox
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from services.notifications.domain.invitation import FILENAME

# What a failed attempt raises: the server refused, is unreachable, or timed out.
SEND_ERRORS = (smtplib.SMTPException, OSError)


def message(settings, to, subject, body, delivery_id, calendar=None, calendar_method=None):
    """`calendar`: the .ics text of a confirmation, move or cancellation (domain/invitation.py),
    attached as text/calendar with its METHOD, which calendar apps read as an invitation."""
    msg = EmailMessage()
    msg["From"] = settings.smtp_from
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(idstring=delivery_id, domain="cocoonage")
    msg["X-Cocoon-Delivery"] = delivery_id  # one id per email: a receiver can drop a repeat
    msg.set_content(body)
    if calendar:
        msg.add_attachment(
            calendar.encode(),
            maintype="text",
            subtype="calendar",
            filename=FILENAME,
            params={"method": calendar_method or "REQUEST"},
        )
    return msg


def destination(settings):
    """Where an email goes, as the log and the staff say it: « smtp mail.example.fr:587 », or
    « mbox /…/var/notifications.mbox » when no SMTP server is set (nothing leaves the machine)."""
    if settings.smtp_host and settings.catcher:
        return f"smtp {settings.smtp_host}:{settings.smtp_port} (development catcher)"
    if settings.smtp_host:
        return f"smtp {settings.smtp_host}:{settings.smtp_port}"
    return f"mbox {settings.mailbox_path}"


def send(settings, msg):
    """Raises one of SEND_ERRORS when the email could not be handed over; answers `destination`."""
    if not settings.smtp_host:
        box = mailbox.mbox(settings.mailbox_path)
        try:
            box.lock()
            box.add(msg)
            box.flush()
        finally:
            box.unlock()
            box.close()
        return destination(settings)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(msg)
    return destination(settings)
