"""Where an email went is said truthfully (an SMTP server, or the development mbox), and an email
given up after its last attempt is listed for staff and can be queued again (the service's RPCs
and `cocoon emails failed|retry`)."""

import json
import logging
import smtplib
from dataclasses import replace

import pytest
from nameko.testing.services import worker_factory

from services.notifications import mailer, models
from services.notifications import settings as notifications_settings
from services.notifications.domain import delivery
from services.notifications.service import NotificationsService
from shared import migrate
from shared.db import write_transaction
from shared.operator import cli

PAYLOAD = {
    "booking_id": "b1",
    "slot_id": "s1",
    "child_id": "c1",
    "family_id": "f1",
    "starts_at": "2030-12-03T08:00:00+00:00",
    "ends_at": "2030-12-03T12:00:00+00:00",
    "avip": False,
}


@pytest.fixture
def db_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'notifications.db'}"
    monkeypatch.setenv("NOTIFICATIONS_DATABASE_URL", url)
    monkeypatch.setenv("COCOON_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("COCOON_SMTP_HOST", raising=False)
    migrate.migrate("notifications", url)
    return url


@pytest.fixture
def service(db_url):
    models.database.connect(reuse_if_open=True)
    worker = worker_factory(NotificationsService)
    worker.settings = notifications_settings.load()
    worker.bookings.contact.return_value = {"email": "camille@example.fr", "children": {"c1": "Léa"}}
    worker.uow.atomic = lambda exclusive=False: (
        write_transaction(models.database) if exclusive else models.database.atomic()
    )
    with models.database.atomic():
        worker._notify("bookings.booking_confirmed", {"event_id": "e1", "payload": PAYLOAD})
    yield worker
    if not models.database.is_closed():
        models.database.close()


def _give_up(service, monkeypatch):
    def refuse(cfg, msg):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr(mailer, "send", refuse)
    service.settings = replace(service.settings, max_attempts=1)
    service.send_due_emails()


def test_without_an_smtp_host_the_log_says_the_email_stayed_in_the_mbox(service, caplog, tmp_path):
    with caplog.at_level(logging.INFO, logger="services.notifications.service"):
        service.send_due_emails()
    [line] = [r for r in caplog.records if "email" in r.getMessage()]
    assert "not sent" in line.getMessage() and str(tmp_path / "notifications.mbox") in line.getMessage()
    assert line.delivery_status == "written_to_mbox"
    [email] = models.Delivery.select()
    assert email.status == delivery.SENT and email.destination.startswith("mbox ")


def test_with_an_smtp_host_the_log_names_the_server_and_its_port(service, caplog, monkeypatch):
    monkeypatch.setattr(mailer, "send", lambda cfg, msg: mailer.destination(cfg))
    service.settings = replace(service.settings, smtp_host="mail.example.fr", smtp_port=2525)
    with caplog.at_level(logging.INFO, logger="services.notifications.service"):
        service.send_due_emails()
    [line] = [r for r in caplog.records if "email" in r.getMessage()]
    assert line.getMessage() == "email sent to smtp mail.example.fr:2525"
    assert line.delivery_status == "sent"


def test_an_email_given_up_is_logged_as_failed_with_its_destination(service, caplog, monkeypatch):
    with caplog.at_level(logging.INFO, logger="services.notifications.service"):
        _give_up(service, monkeypatch)
    [line] = [r for r in caplog.records if "email" in r.getMessage()]
    assert line.levelno == logging.ERROR and line.delivery_status == "failed"
    assert "mbox" in line.getMessage() and "cocoon emails failed" in line.getMessage()


def test_an_email_given_up_is_listed_for_staff_and_queued_again_on_demand(service, monkeypatch):
    _give_up(service, monkeypatch)
    [failed] = service.failed_emails()["items"]
    assert failed["to"] == "camille@example.fr" and "SMTPServerDisconnected" in failed["last_error"]
    assert service.retry_emails([failed["id"]]) == {"queued": 1}
    [email] = models.Delivery.select()
    assert (email.status, email.attempts) == (delivery.PENDING, 0)
    assert service.failed_emails()["items"] == []


def test_queueing_again_leaves_an_email_that_did_not_fail_alone(service):
    service.send_due_emails()
    [email] = models.Delivery.select()
    assert service.retry_emails([email.id]) == {"queued": 0}
    assert models.Delivery.get_by_id(email.id).status == delivery.SENT


def test_cocoon_emails_failed_lists_them_and_retry_queues_them_again(service, monkeypatch, capsys):
    _give_up(service, monkeypatch)
    models.database.close()
    assert cli.main(["emails", "failed", "--json"]) == cli.OK
    [row] = json.loads(capsys.readouterr().out)["failed"]
    assert row["to"] == "camille@example.fr"
    assert cli.main(["emails", "retry", row["id"]]) == cli.OK
    assert "1 failed email queued again" in capsys.readouterr().out
    assert cli.main(["emails", "failed"]) == cli.NOTHING
    assert "No failed emails." in capsys.readouterr().out


def test_cocoon_emails_retry_wants_ids_or_all_not_both(db_url, capsys):
    assert cli.main(["emails", "retry"]) == cli.USAGE
    assert cli.main(["emails", "retry", "x", "--all"]) == cli.USAGE
    assert cli.main(["emails", "retry", "--all"]) == cli.NOTHING
