"""How long notifications keeps a person's notifications and the emails it delivered
(docs/privacy.md, "Retention"; periods in shared/retention.py): once a day and at start, the
notifications older than COCOON_RETENTION_NOTIFICATION_DAYS (with their emails) and the emails
delivered more than COCOON_RETENTION_EMAIL_DAYS ago are deleted. Emails still to send or failed
stay until then: staff see the failed ones."""

import logging
from datetime import timedelta

from nameko.timer import timer

from services.notifications import models as M
from services.notifications.domain.delivery import SENT
from shared import retention
from shared.timeutil import db_now

log = logging.getLogger(__name__)


def purge(periods, now):
    """Delete the expired notifications and delivered emails; returns {table: rows deleted}."""
    old = M.Notification.select(M.Notification.id).where(
        M.Notification.created_at < now - timedelta(days=periods.notification_days)
    )
    deliveries = M.Delivery.delete().where(M.Delivery.notification.in_(old)).execute()
    deliveries += (
        M.Delivery.delete()
        .where(M.Delivery.status == SENT, M.Delivery.sent_at < now - timedelta(days=periods.email_days))
        .execute()
    )
    notifications = (
        M.Notification.delete()
        .where(M.Notification.created_at < now - timedelta(days=periods.notification_days))
        .execute()
    )
    return {"notification": notifications, "delivery": deliveries}


class NotificationsRetention:
    """Mixed into NotificationsService (through its erasure mixin)."""

    @timer(interval=retention.PURGE_SECONDS, eager=True)
    def purge_expired_notifications(self):
        with self.uow.atomic(exclusive=True):
            deleted = purge(retention.load(), db_now())
        counts = {f"deleted_{table}": rows for table, rows in deleted.items()}
        log.info("retention purge", extra={"service": "notifications", **counts})
        return deleted
