"""The daily retention purge (shared/retention.py, services/notifications/retention.py): what is
past its period goes, what is just inside it stays."""

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from peewee import SqliteDatabase

from services.notifications import models as notifications
from services.notifications import retention as notifications_retention
from shared import migrate, retention
from shared.models import new_id, spine_models

NOW = datetime(2026, 12, 7, 3, 0)
PERIODS = retention.Retention(
    outbox_days=30, tombstone_days=365, notification_days=365, email_days=90, idempotency_hours=24
)


def test_the_periods_have_sane_defaults_and_refuse_a_wrong_value(monkeypatch):
    for name in ("COCOON_RETENTION_OUTBOX_DAYS", "COCOON_RETENTION_EMAIL_DAYS", "IDEMPOTENCY_RETENTION_HOURS"):
        monkeypatch.delenv(name, raising=False)
    assert retention.load() == retention.Retention()
    monkeypatch.setenv("COCOON_RETENTION_EMAIL_DAYS", "0")
    with pytest.raises(ValueError, match="COCOON_RETENTION_EMAIL_DAYS"):
        retention.load()


@pytest.fixture
def spine():
    database = SqliteDatabase(":memory:")
    outbox, inbox, tombstone, answers = spine_models(database)
    database.create_tables([outbox, inbox, tombstone, answers])
    yield SimpleNamespace(Outbox=outbox, Tombstone=tombstone, Idempotency=answers, database=database)
    database.close()


def test_delivered_events_answers_and_tombstones_past_their_period_go_and_the_rest_stays(spine):
    def outbox(published_at):
        spine.Outbox.create(
            event_id=new_id(), event_type="x.y", correlation_id="c", body="{}", published_at=published_at
        )

    outbox(NOW - timedelta(days=30, seconds=1))  # past
    outbox(NOW - timedelta(days=29))  # inside
    outbox(None)  # never delivered: kept whatever its age
    spine.Tombstone.create(kind="k", key="old", event_id="e", event_type="t", buried_at=NOW - timedelta(days=366))
    spine.Tombstone.create(kind="k", key="new", event_id="e", event_type="t", buried_at=NOW - timedelta(days=364))
    for key, age in (("old", 25), ("new", 23)):
        spine.Idempotency.create(
            caller="a", key=key, method="m", fingerprint="f", response="{}", created_at=NOW - timedelta(hours=age)
        )

    assert retention.purge_spine(spine, PERIODS, NOW) == {"outbox": 1, "tombstone": 1, "idempotency": 1}
    assert spine.Outbox.select().count() == 2
    assert [t.key for t in spine.Tombstone.select()] == ["new"]
    assert [a.key for a in spine.Idempotency.select()] == ["new"]


def test_old_notifications_and_emails_delivered_long_ago_go_and_a_failed_email_stays(tmp_path):
    migrate.migrate("notifications", f"sqlite:///{tmp_path / 'notifications.db'}")
    with notifications.database.connection_context():

        def notice(age_days):
            return notifications.Notification.create(
                role="family",
                subject_id="f",
                kind="k",
                text="t",
                event_id=new_id(),
                rank=1,
                created_at=NOW - timedelta(days=age_days),
            )

        def email(notification, status, sent_days_ago):
            sent_at = None if sent_days_ago is None else NOW - timedelta(days=sent_days_ago)
            return notifications.Delivery.create(
                notification=notification, to="a@b.fr", subject="s", body="b", status=status, sent_at=sent_at
            )

        old, recent = notice(366), notice(100)
        email(old, "sent", 300)
        email(recent, "sent", 91)
        kept = email(recent, "sent", 89)
        failed = email(recent, "failed", None)
        assert notifications_retention.purge(PERIODS, NOW) == {"notification": 1, "delivery": 2}
        assert [n.id for n in notifications.Notification.select()] == [recent.id]
        assert {d.id for d in notifications.Delivery.select()} == {kept.id, failed.id}
