"""The notifications service's answers, each through its Out schema (schemas.py)."""

from services.notifications.schemas import AcceptedOut, FailedEmailOut, NotificationOut, ReadAllOut, UnreadOut


def notification(row):
    return NotificationOut().dump(row)


def notifications(rows):
    return NotificationOut(many=True).dump(rows)


def unread(count):
    return UnreadOut().dump({"unread": count})


def read_all(count):
    return ReadAllOut().dump({"marked": count})


def accepted():
    return AcceptedOut().dump({"accepted": True})


def failed_emails(rows):
    """An email given up before its person's service gave its address says whom it was for."""
    items = FailedEmailOut(many=True).dump(rows)
    for item, row in zip(items, rows, strict=True):
        if not item["to"]:
            item["to"] = f"adresse non obtenue ({row.notification.role} {row.notification.subject_id})"
    return {"items": items}
