"""The notifications service's answers, each through its Out schema (schemas.py)."""

from services.notifications.domain import choices
from services.notifications.schemas import (
    AcceptedOut,
    EmailChoicesOut,
    FailedEmailOut,
    NotificationOut,
    ReadAllOut,
    UnreadOut,
)
from shared.wording import _


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
            item["to"] = _(
                "adresse non obtenue (%(role)s %(id)s)", role=row.notification.role, id=row.notification.subject_id
            )
    return {"items": items}


def email_choices(role, declined):
    optional = [{"category": c, "wanted": c not in declined} for c in choices.offered(role)]
    return EmailChoicesOut().dump({"optional": optional, "always": list(choices.always(role))})
