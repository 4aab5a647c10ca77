import pytest

from services.volunteers import settings


def test_without_settings_staff_are_warned_30_days_ahead_and_the_charte_is_version_2026_01(monkeypatch):
    monkeypatch.delenv("COCOON_HONORABILITY_WARNING_DAYS", raising=False)
    monkeypatch.delenv("COCOON_VOLUNTEER_CHARTER_VERSION", raising=False)
    loaded = settings.load()
    assert (loaded.honorability_warning_days, loaded.charter_version) == (30, "2026-01")


def test_the_venue_names_a_new_version_of_the_charte(monkeypatch):
    monkeypatch.setenv("COCOON_VOLUNTEER_CHARTER_VERSION", "2026-09")
    assert settings.load().charter_version == "2026-09"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("COCOON_VOLUNTEER_CHARTER_VERSION", "version 2"),
        ("COCOON_VOLUNTEER_CHARTER_VERSION", "x" * 41),
        ("COCOON_HONORABILITY_WARNING_DAYS", "0"),
        ("COCOON_HONORABILITY_WARNING_DAYS", "366"),
    ],
)
def test_a_value_not_understood_stops_the_start_naming_its_variable(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=name):
        settings.load()


def test_the_edges_are_accepted(monkeypatch):
    monkeypatch.setenv("COCOON_HONORABILITY_WARNING_DAYS", "1")
    assert settings.load().honorability_warning_days == 1
    monkeypatch.setenv("COCOON_HONORABILITY_WARNING_DAYS", "365")
    assert settings.load().honorability_warning_days == 365
