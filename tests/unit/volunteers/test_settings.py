import pytest

from services.volunteers import settings


def test_without_settings_the_attestation_is_six_months_old_at_most_and_staff_are_warned_30_days_ahead(monkeypatch):
    monkeypatch.delenv("COCOON_HONORABILITY_MAX_AGE_MONTHS", raising=False)
    monkeypatch.delenv("COCOON_HONORABILITY_WARNING_DAYS", raising=False)
    loaded = settings.load()
    assert (loaded.honorability_max_age_months, loaded.honorability_warning_days) == (6, 30)


def test_zero_months_turns_the_first_visit_rule_off(monkeypatch):
    monkeypatch.setenv("COCOON_HONORABILITY_MAX_AGE_MONTHS", "0")
    assert settings.load().honorability_max_age_months == 0


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("COCOON_HONORABILITY_MAX_AGE_MONTHS", "six"),
        ("COCOON_HONORABILITY_MAX_AGE_MONTHS", "-1"),
        ("COCOON_HONORABILITY_MAX_AGE_MONTHS", "37"),
        ("COCOON_HONORABILITY_WARNING_DAYS", "0"),
        ("COCOON_HONORABILITY_WARNING_DAYS", "366"),
    ],
)
def test_a_value_not_understood_stops_the_start_naming_its_variable(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=name):
        settings.load()


def test_the_edges_are_accepted(monkeypatch):
    monkeypatch.setenv("COCOON_HONORABILITY_MAX_AGE_MONTHS", "36")
    monkeypatch.setenv("COCOON_HONORABILITY_WARNING_DAYS", "1")
    loaded = settings.load()
    assert (loaded.honorability_max_age_months, loaded.honorability_warning_days) == (36, 1)
