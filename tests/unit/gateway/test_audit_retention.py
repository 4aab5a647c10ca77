"""How long the audit trail keeps a line (COCOON_AUDIT_RETENTION_DAYS, services/gateway/audit.py):
the pure rule at its boundary, the purge at the gateway's start and `cocoon audit purge`."""

from datetime import datetime, timedelta

import pytest

from services.gateway import audit, settings
from services.gateway.app import create_app
from services.gateway.models import AuditEntry, database
from shared import migrate
from shared.operator import cli

NOW = datetime(2026, 12, 7, 12, 0, 0)


def test_a_line_exactly_as_old_as_the_retention_is_kept():
    assert not audit.is_expired(NOW - timedelta(days=365), NOW, 365)


def test_a_line_one_second_older_than_the_retention_has_expired():
    assert audit.is_expired(NOW - timedelta(days=365, seconds=1), NOW, 365)


def test_a_line_of_today_is_kept_even_with_a_one_day_retention():
    assert not audit.is_expired(NOW - timedelta(hours=23, minutes=59), NOW, 1)


def test_the_cutoff_is_the_retention_before_now():
    assert audit.expiry_cutoff(NOW, 30) == datetime(2026, 11, 7, 12, 0, 0)


def test_the_retention_is_a_year_by_default(monkeypatch):
    monkeypatch.delenv("COCOON_AUDIT_RETENTION_DAYS", raising=False)
    assert settings.audit_retention_days() == 365


@pytest.mark.parametrize("wrong", ["0", "-3", "un an", "1.5"])
def test_a_retention_that_is_not_a_whole_number_of_days_stops_the_start(monkeypatch, wrong):
    monkeypatch.setenv("COCOON_AUDIT_RETENTION_DAYS", wrong)
    with pytest.raises(ValueError, match="COCOON_AUDIT_RETENTION_DAYS"):
        settings.audit_retention_days()


def written(url, *ages_in_days):
    """Lines written `ages_in_days` ago in the gateway database at `url`."""
    migrate.migrate("gateway", url)
    with database.connection_context():
        for age in ages_in_days:
            AuditEntry.create(action=audit.STAFF_WRITE, created_at=datetime.utcnow() - timedelta(days=age))


def kept_ages(url):
    with database.connection_context():
        return sorted(round((datetime.utcnow() - line.created_at).days) for line in AuditEntry.select())


def test_the_gateway_purges_the_expired_lines_at_start(tmp_path):
    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    written(url, 1, 29, 31, 400)
    create_app({"GATEWAY_DATABASE_URL": url, "AUDIT_RETENTION_DAYS": 30, "REGISTER_DIR": tmp_path / "registre"})
    assert kept_ages(url) == [1, 29]


def test_cocoon_audit_purge_deletes_the_expired_lines(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    written(url, 2, 9, 11)
    monkeypatch.setenv("GATEWAY_DATABASE_URL", url)
    monkeypatch.setenv("COCOON_AUDIT_RETENTION_DAYS", "10")
    assert cli.main(["audit", "purge"]) == cli.OK
    assert "purged 1 audit line older than 10 days." in capsys.readouterr().out
    assert kept_ages(url) == [2, 9]
