"""`make run`'s development SMTP catcher: a real SMTP server on this machine that keeps each email
in var/caught-emails.mbox, the service's log saying the email was caught (not sent out), and the
emails read back for the staff page (caught_emails); `shared.dev env` points the services at it
only when COCOON_SMTP_HOST is unset."""

from dataclasses import replace

import pytest
from aiosmtpd.controller import Controller

from services.notifications import catcher, caught, mailer
from services.notifications import settings as notifications_settings
from shared import dev
from tests.support import free_port


@pytest.fixture
def running(tmp_path, monkeypatch):
    monkeypatch.setenv("COCOON_VAR_DIR", str(tmp_path))
    port = free_port()
    controller = Controller(catcher.Keep(catcher.mbox_path()), hostname="127.0.0.1", port=port)
    controller.start()
    yield port
    controller.stop()


def test_an_email_sent_to_the_catcher_is_kept_with_its_calendar_and_read_back_newest_first(running, monkeypatch):
    for name, value in {
        "COCOON_SMTP_HOST": "127.0.0.1",
        "COCOON_SMTP_PORT": str(running),
        "COCOON_SMTP_STARTTLS": "false",
        "COCOON_MAIL_CATCHER": "true",
    }.items():
        monkeypatch.setenv(name, value)
    cfg = notifications_settings.load()
    assert cfg.catcher
    ics = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    first = mailer.message(cfg, "camille@example.fr", "Réservation confirmée", "Bonjour,\n\nLéa.", "d1", ics, "REQUEST")
    second = mailer.message(cfg, "ines@example.fr", "Rappel : Éveil musical", "Bonjour,\n\nRappel.", "d2")
    assert mailer.send(cfg, first) == f"smtp 127.0.0.1:{running} (development catcher)"
    mailer.send(cfg, second)
    newest, oldest = caught.newest(catcher.mbox_path())
    assert (newest["to"], newest["subject"]) == ("ines@example.fr", "Rappel : Éveil musical")
    assert oldest["attachments"] == [{"filename": "invitation.ics", "content_type": "text/calendar"}]
    assert "Léa." in oldest["text"]


def test_the_catcher_is_said_only_with_an_smtp_host(monkeypatch, tmp_path):
    monkeypatch.setenv("COCOON_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("COCOON_SMTP_HOST", raising=False)
    monkeypatch.setenv("COCOON_MAIL_CATCHER", "true")
    cfg = notifications_settings.load()
    assert not cfg.catcher and mailer.destination(cfg).startswith("mbox ")
    assert mailer.destination(replace(cfg, smtp_host="mail.example.fr")) == "smtp mail.example.fr:587"


def test_nothing_caught_yet_reads_as_an_empty_list(tmp_path):
    assert caught.newest(tmp_path / "caught-emails.mbox") == []


def test_make_runs_env_points_at_the_catcher_only_without_an_smtp_host(tmp_path, monkeypatch):
    monkeypatch.setenv("COCOON_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("COCOON_SMTP_HOST", raising=False)
    dev.write_env(tmp_path / "dev.env")
    written = (tmp_path / "dev.env").read_text()
    assert "COCOON_SMTP_HOST=127.0.0.1" in written and "COCOON_MAIL_CATCHER=true" in written
    monkeypatch.setenv("COCOON_SMTP_HOST", "mail.example.fr")
    dev.write_env(tmp_path / "dev.env")
    assert "COCOON_SMTP_HOST" not in (tmp_path / "dev.env").read_text()
    assert "COCOON_MAIL_CATCHER" not in (tmp_path / "dev.env").read_text()
