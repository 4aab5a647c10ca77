"""How long each service keeps what it no longer needs, and the daily purge (docs/privacy.md,
"Retention").

Every service's spine tables carry copies of people's data that outlive their use: delivered
outbox rows (event payloads), stored command answers (idempotency), tombstones. `RetentionPurge`,
mixed into every service through its erasure mixin, deletes once a day (and at start) what is
older than its period; notifications adds its own (notifications and delivered emails,
services/notifications/retention.py). Deleting twice is harmless, so two instances may both run it.

Settings (whole days or hours, read once at start; see README's settings table):
- COCOON_RETENTION_OUTBOX_DAYS (30): an event delivered to the broker, kept this long for operators.
- COCOON_RETENTION_TOMBSTONE_DAYS (365): an ended aggregate's mark (shared/tombstones.py); a late
  event older than that is not expected.
- IDEMPOTENCY_RETENTION_HOURS (24, shared/spine_settings.py): a stored command answer.
- COCOON_RETENTION_NOTIFICATION_DAYS (365), COCOON_RETENTION_EMAIL_DAYS (90): notifications.
"""

import importlib
import logging
from dataclasses import dataclass
from datetime import timedelta

from nameko.timer import timer

from shared import components, idempotency, spine_settings
from shared.settings import whole
from shared.timeutil import db_now

log = logging.getLogger(__name__)

PURGE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Retention:
    outbox_days: int = 30
    tombstone_days: int = 365
    notification_days: int = 365
    email_days: int = 90
    idempotency_hours: float = idempotency.DEFAULT_RETENTION_HOURS


def load():
    """The periods, from the environment (ValueError naming a variable it does not understand)."""
    return Retention(
        outbox_days=whole("COCOON_RETENTION_OUTBOX_DAYS", 30, low=1),
        tombstone_days=whole("COCOON_RETENTION_TOMBSTONE_DAYS", 365, low=1),
        notification_days=whole("COCOON_RETENTION_NOTIFICATION_DAYS", 365, low=1),
        email_days=whole("COCOON_RETENTION_EMAIL_DAYS", 90, low=1),
        idempotency_hours=spine_settings.load().idempotency_retention_hours,
    )


def purge_spine(models, periods, now):
    """Delete one service's expired spine rows (inside the caller's transaction); returns
    {table: rows deleted}."""
    outbox, tombstone, answers = models.Outbox, models.Tombstone, models.Idempotency
    return {
        "outbox": outbox.delete()
        .where(outbox.published_at.is_null(False), outbox.published_at < now - timedelta(days=periods.outbox_days))
        .execute(),
        "tombstone": tombstone.delete()
        .where(tombstone.buried_at < now - timedelta(days=periods.tombstone_days))
        .execute(),
        "idempotency": answers.delete()
        .where(answers.created_at < now - timedelta(hours=periods.idempotency_hours))
        .execute(),
    }


class RetentionPurge:
    """Mixed into a service (through its erasure mixin): its spine purged once a day and at start."""

    @timer(interval=PURGE_SECONDS, eager=True)
    def purge_expired_spine(self):
        models = importlib.import_module(components.named(self.name).models_module)
        with self.uow.atomic(exclusive=True):
            deleted = purge_spine(models, load(), db_now())
        log.info("retention purge", extra={"service": self.name, **{f"deleted_{k}": v for k, v in deleted.items()}})
        return deleted
