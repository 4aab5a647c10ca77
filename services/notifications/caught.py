"""Reading back the development catcher's mbox (catcher.py) for the staff page: each email's
sender, recipient, subject, date, plain text and attachments' names, newest first."""

import email
import mailbox
from email.policy import default as default_policy
from email.utils import parsedate_to_datetime


def newest(path, limit=50):
    if not path.exists():
        return []
    box = mailbox.mbox(path, factory=None, create=False)
    try:
        keys = list(box.keys())[-limit:]
        messages = [_one(box.get_bytes(key)) for key in keys]
    finally:
        box.close()
    return list(reversed(messages))


def _one(raw):
    msg = email.message_from_bytes(raw, policy=default_policy)
    body = msg.get_body(preferencelist=("plain",))
    try:
        sent_at = parsedate_to_datetime(msg["Date"]).isoformat() if msg["Date"] else None
    except (TypeError, ValueError):
        sent_at = None
    return {
        "message_id": str(msg["Message-ID"] or ""),
        "from": str(msg["From"] or ""),
        "to": str(msg["To"] or ""),
        "subject": str(msg["Subject"] or ""),
        "date": sent_at,
        "text": body.get_content().replace("\r\n", "\n") if body is not None else "",
        "attachments": [
            {"filename": part.get_filename() or "", "content_type": part.get_content_type()}
            for part in msg.iter_attachments()
        ],
    }
