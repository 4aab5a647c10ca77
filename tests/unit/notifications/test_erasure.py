"""A person's erasure in notifications (services/notifications/erasure.py): their address,
notifications, emails, reminders and choices go, and the development mailboxes forget them;
another person's stay."""

import json
import mailbox
from email.message import EmailMessage

import pytest
from nameko.testing.services import worker_factory

from services.notifications import catcher, models
from services.notifications.erasure import purge_mbox, recipients
from services.notifications.service import NotificationsService
from services.notifications.settings import NotificationsSettings
from shared import migrate
from shared.events import new_event, validate_event
from shared.models import new_id
from shared.unit_of_work import Work

EMAIL, OTHER = "camille@example.fr", "zoe@example.fr"


@pytest.fixture
def service(tmp_path, monkeypatch):
    monkeypatch.setenv("COCOON_VAR_DIR", str(tmp_path))
    migrate.migrate("notifications", f"sqlite:///{tmp_path / 'notifications.db'}")
    models.database.connect()
    worker = worker_factory(
        NotificationsService,
        uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"),
        settings=NotificationsSettings(mailbox_path=tmp_path / "notifications.mbox"),
    )
    yield worker
    models.database.close()


def person(subject, email):
    notice = models.Notification.create(
        role="family", subject_id=subject, kind="booking_confirmed", text="Réservation", event_id=new_id(), rank=1
    )
    models.Delivery.create(notification=notice, to=email, subject="Réservation", body="Bonjour", status="sent")
    models.Reminder.create(kind="booking", thing_id=new_id(), role="family", subject_id=subject, status="scheduled")


def mbox_with(path, *addresses):
    box = mailbox.mbox(path)
    for address in addresses:
        message = EmailMessage()
        message["To"], message["Subject"] = address, "Réservation"
        message.set_content("Bonjour")
        box.add(message)
    box.flush()
    box.close()


def test_the_person_is_found_by_each_id_the_event_gives_and_by_the_account():
    payload = {"account_id": "a-1", "role": "family", "family_id": "f-1", "staff_id": None}
    assert recipients(payload) == [("family", "f-1"), ("family", "a-1")]


def test_only_the_erased_persons_rows_and_emails_go(service, tmp_path):
    person("f-1", EMAIL)
    person("f-2", OTHER)
    mbox_with(tmp_path / "notifications.mbox", EMAIL, OTHER)
    mbox_with(catcher.mbox_path(), EMAIL)
    payload = {"erasure_id": "e-1", "account_id": "a-1", "role": "family", "family_id": "f-1"}
    service.erase_recipient(validate_event(new_event("team.account_erasure_requested", payload)))
    assert [d.to for d in models.Delivery.select()] == [OTHER]
    assert [n.subject_id for n in models.Notification.select()] == ["f-2"]
    assert [r.subject_id for r in models.Reminder.select()] == ["f-2"]
    assert [m["To"] for m in mailbox.mbox(tmp_path / "notifications.mbox")] == [OTHER]
    assert len(mailbox.mbox(catcher.mbox_path())) == 0
    [answer] = [json.loads(r.body)["payload"] for r in models.Outbox.select()]
    assert answer == {"erasure_id": "e-1", "service": "notifications"}


def test_a_missing_mailbox_is_nothing_to_purge(tmp_path):
    assert purge_mbox(tmp_path / "none.mbox", [EMAIL]) == 0
