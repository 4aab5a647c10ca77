"""The spine's settings are read one way (nameko config, then environment, then default) and a
wrong value is refused with its name and value, once per container."""

import dataclasses
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest

from shared import spine_settings, timeutil
from shared.spine_settings import InvalidSetting
from tests.support import REPO


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for spec in dataclasses.fields(spine_settings.SpineSettings):
        monkeypatch.delenv(spec.metadata["name"], raising=False)
    monkeypatch.delenv("COCOON_TIMEZONE", raising=False)
    timeutil.venue_zone.cache_clear()
    yield
    timeutil.venue_zone.cache_clear()


def test_with_nothing_set_every_setting_takes_its_documented_default():
    settings = spine_settings.load({}, max_workers=10)
    assert settings == spine_settings.SpineSettings(
        outbox_sweep_seconds=5,
        outbox_confirm_timeout_seconds=10,
        outbox_relay=True,
        event_max_attempts=5,
        event_retry_delay_ms=2000,
        event_requeue_backoff_seconds=1,
        event_requeue_backoff_max_seconds=30,
        event_db_retry_seconds=3600,
        event_db_retry_max_delay_seconds=60,
        database_pool_size=12,
        database_pool_wait_seconds=3,
        idempotency_retention_hours=24,
    )


def test_the_default_pool_has_a_connection_per_worker_plus_the_relay_and_a_spare():
    assert spine_settings.load({}, max_workers=4).database_pool_size == 6


def test_the_nameko_config_wins_over_the_environment_which_wins_over_the_default(monkeypatch):
    monkeypatch.setenv("EVENT_MAX_ATTEMPTS", "7")
    monkeypatch.setenv("OUTBOX_SWEEP_SECONDS", "2.5")
    settings = spine_settings.load({"EVENT_MAX_ATTEMPTS": 3, "DATABASE_POOL_SIZE": "4"})
    assert settings.event_max_attempts == 3
    assert settings.outbox_sweep_seconds == 2.5
    assert settings.database_pool_size == 4
    assert settings.event_retry_delay_ms == 2000


def test_an_empty_value_counts_as_unset(monkeypatch):
    monkeypatch.setenv("EVENT_RETRY_DELAY_MS", "")
    assert spine_settings.load({"OUTBOX_SWEEP_SECONDS": ""}).outbox_sweep_seconds == 5
    assert spine_settings.load().event_retry_delay_ms == 2000


@pytest.mark.parametrize(
    "name, value",
    [
        ("EVENT_MAX_ATTEMPTS", "many"),
        ("EVENT_MAX_ATTEMPTS", "0"),
        ("EVENT_MAX_ATTEMPTS", "2.5"),
        ("EVENT_RETRY_DELAY_MS", "-100"),
        ("OUTBOX_SWEEP_SECONDS", "0"),
        ("OUTBOX_CONFIRM_TIMEOUT_SECONDS", "nan"),
        ("DATABASE_POOL_SIZE", "ten"),
        ("DATABASE_POOL_WAIT_SECONDS", "-1"),
        ("IDEMPOTENCY_RETENTION_HOURS", "a day"),
        ("EVENT_REQUEUE_BACKOFF_SECONDS", "inf"),
        ("OUTBOX_RELAY", "maybe"),
    ],
)
def test_a_wrong_value_in_the_environment_is_refused_with_its_name_and_value(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(InvalidSetting, match=rf"^invalid setting {name}='{value}' \(from the environment\): expected "):
        spine_settings.load()


def test_a_wrong_value_in_the_nameko_config_says_it_came_from_there():
    with pytest.raises(InvalidSetting, match=r"invalid setting EVENT_MAX_ATTEMPTS=0\.5 \(from the nameko config\)"):
        spine_settings.load({"EVENT_MAX_ATTEMPTS": 0.5})


def test_a_backoff_cap_below_the_first_backoff_is_refused():
    with pytest.raises(InvalidSetting, match="EVENT_REQUEUE_BACKOFF_MAX_SECONDS=0.5: expected at least"):
        spine_settings.load({"EVENT_REQUEUE_BACKOFF_SECONDS": 1, "EVENT_REQUEUE_BACKOFF_MAX_SECONDS": 0.5})


def test_the_relay_switch_reads_on_and_off_as_written_or_as_yaml_booleans():
    assert spine_settings.load({"OUTBOX_RELAY": "off"}).outbox_relay is False
    assert spine_settings.load({"OUTBOX_RELAY": False}).outbox_relay is False
    assert spine_settings.load({"OUTBOX_RELAY": "On"}).outbox_relay is True


def test_a_container_reads_its_settings_once_and_its_extensions_share_them():
    container = SimpleNamespace(config={"EVENT_MAX_ATTEMPTS": 3}, max_workers=10)
    first = spine_settings.of(container)
    container.config["EVENT_MAX_ATTEMPTS"] = "not read again"
    assert spine_settings.of(container) is first
    assert first.event_max_attempts == 3


def test_an_unknown_venue_time_zone_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("COCOON_TIMEZONE", "Europe/Atlantis")
    with pytest.raises(ValueError, match=r"^invalid setting COCOON_TIMEZONE='Europe/Atlantis': expected a time zone"):
        spine_settings.load()


def test_the_venue_time_zone_is_read_once(monkeypatch):
    monkeypatch.setenv("COCOON_TIMEZONE", "America/Cayenne")
    assert str(timeutil.venue_zone()) == "America/Cayenne"
    monkeypatch.setenv("COCOON_TIMEZONE", "Europe/Paris")
    assert str(timeutil.VENUE_TZ) == "America/Cayenne"


def _python(code, **environ):
    return subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, env=dict(os.environ, **environ)
    )


def test_importing_timeutil_reads_no_zone_and_using_a_wrong_one_says_which_setting_is_wrong():
    imported = _python("import shared.timeutil", COCOON_TIMEZONE="Nowhere")
    assert imported.returncode == 0, imported.stderr
    used = _python("from shared.timeutil import VENUE_TZ", COCOON_TIMEZONE="Nowhere")
    assert used.returncode != 0
    assert used.stderr.strip().splitlines()[-1] == (
        "ValueError: invalid setting COCOON_TIMEZONE='Nowhere': expected a time zone name such as Europe/Paris"
    )
