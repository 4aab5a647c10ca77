from decimal import Decimal

import pytest

from services.placements import settings


def test_without_settings_a_tutor_follows_three_trainees(monkeypatch):
    monkeypatch.delenv("COCOON_TUTOR_MAX_TRAINEES", raising=False)
    monkeypatch.delenv("COCOON_GRATIFICATION_HOURLY", raising=False)
    assert settings.load() == settings.PlacementsSettings(tutor_max_trainees=3, gratification_hourly={})


def test_a_years_hourly_gratification_is_read_from_the_setting(monkeypatch):
    monkeypatch.setenv("COCOON_GRATIFICATION_HOURLY", "2027=4.62, 2026=4.50")
    assert settings.load().gratification_hourly == {2027: Decimal("4.62"), 2026: Decimal("4.50")}


@pytest.mark.parametrize("value", ["2027", "27=4.6", "2027=abc", "2027=0", "2027=-1"])
def test_a_wrong_hourly_gratification_stops_the_start_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("COCOON_GRATIFICATION_HOURLY", value)
    with pytest.raises(ValueError, match="COCOON_GRATIFICATION_HOURLY"):
        settings.load()


@pytest.mark.parametrize("value", ["0", "trois"])
def test_a_wrong_tutor_limit_stops_the_start_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("COCOON_TUTOR_MAX_TRAINEES", value)
    with pytest.raises(ValueError, match="COCOON_TUTOR_MAX_TRAINEES"):
        settings.load()
