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
    return {"items": FailedEmailOut(many=True).dump(rows)}


def email_choices(role, declined):
    optional = [{"category": c, "wanted": c not in declined} for c in choices.offered(role)]
    return EmailChoicesOut().dump({"optional": optional, "always": list(choices.always(role))})
