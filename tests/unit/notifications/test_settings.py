"""The notifications settings, read and checked at start (services/notifications/settings.py)."""

import pytest

from services.notifications import settings

VARIABLES = [
    "COCOON_SMTP_HOST",
    "COCOON_SMTP_PORT",
    "COCOON_SMTP_USER",
    "COCOON_SMTP_PASSWORD",
    "COCOON_SMTP_FROM",
    "COCOON_SMTP_STARTTLS",
    "COCOON_SMTP_TIMEOUT_SECONDS",
    "COCOON_MAIL_SWEEP_SECONDS",
    "COCOON_MAIL_MAX_ATTEMPTS",
    "COCOON_MAIL_RETRY_SECONDS",
    "COCOON_MAIL_RETRY_MAX_SECONDS",
    "COCOON_REMINDER_HOURS",
]


@pytest.fixture(autouse=True)
def clean(monkeypatch, tmp_path):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COCOON_VAR_DIR", str(tmp_path))


def test_without_an_smtp_host_emails_go_to_a_mailbox_file_under_the_var_directory(tmp_path):
    found = settings.load()
    assert found.smtp_host is None
    assert found.mailbox_path == tmp_path / "notifications.mbox"
    assert (found.max_attempts, found.retry_seconds, found.smtp_starttls) == (8, 30, True)


def test_an_smtp_host_is_used_with_its_port_sign_in_and_starttls(monkeypatch):
    for name, value in {
        "COCOON_SMTP_HOST": "smtp.example.fr",
        "COCOON_SMTP_PORT": "2525",
        "COCOON_SMTP_USER": "cocoon",
        "COCOON_SMTP_PASSWORD": "secret-word",
        "COCOON_SMTP_STARTTLS": "false",
        "COCOON_SMTP_FROM": "Cocoon'Age <bonjour@cocoonage.fr>",
    }.items():
        monkeypatch.setenv(name, value)
    found = settings.load()
    assert (found.smtp_host, found.smtp_port, found.smtp_user, found.smtp_starttls) == (
        "smtp.example.fr",
        2525,
        "cocoon",
        False,
    )
    assert found.mailbox_path is None
    assert "secret-word" not in repr(found)


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("COCOON_SMTP_PORT", "0", "COCOON_SMTP_PORT"),
        ("COCOON_SMTP_PORT", "65536", "COCOON_SMTP_PORT"),
        ("COCOON_SMTP_PORT", "vingt", "COCOON_SMTP_PORT"),
        ("COCOON_SMTP_STARTTLS", "peut-être", "COCOON_SMTP_STARTTLS"),
        ("COCOON_SMTP_FROM", "personne", "COCOON_SMTP_FROM"),
        ("COCOON_MAIL_MAX_ATTEMPTS", "0", "COCOON_MAIL_MAX_ATTEMPTS"),
        ("COCOON_MAIL_SWEEP_SECONDS", "0", "COCOON_MAIL_SWEEP_SECONDS"),
        ("COCOON_MAIL_RETRY_SECONDS", "-1", "COCOON_MAIL_RETRY_SECONDS"),
        ("COCOON_MAIL_RETRY_MAX_SECONDS", "10", "COCOON_MAIL_RETRY_MAX_SECONDS"),  # below the first wait
    ],
)
def test_a_value_not_understood_stops_the_start_naming_its_variable(monkeypatch, name, value, says):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=says):
        settings.load()


@pytest.mark.parametrize("port", ["1", "65535"])
def test_the_port_bounds_are_accepted(monkeypatch, port):
    monkeypatch.setenv("COCOON_SMTP_PORT", port)
    assert settings.load().smtp_port == int(port)


def test_a_user_without_a_password_is_refused(monkeypatch):
    monkeypatch.setenv("COCOON_SMTP_USER", "cocoon")
    with pytest.raises(ValueError, match="COCOON_SMTP_USER and COCOON_SMTP_PASSWORD"):
        settings.load()


def test_reminders_go_48_hours_before_unless_set_otherwise(monkeypatch):
    assert settings.load().reminder_hours == 48
    monkeypatch.setenv("COCOON_REMINDER_HOURS", "24")
    assert settings.load().reminder_hours == 24


def test_a_negative_reminder_delay_stops_the_start_naming_the_variable(monkeypatch):
    monkeypatch.setenv("COCOON_REMINDER_HOURS", "-1")
    with pytest.raises(ValueError, match="COCOON_REMINDER_HOURS"):
        settings.load()
