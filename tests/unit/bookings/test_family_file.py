"""The family file's rules: what a correction changes, what it reprices, dates, search (pure)."""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from services.bookings.domain.family_file import (
    FUTURE_DATE,
    as_json,
    changes,
    future_date_errors,
    household_errors,
    repriced,
    reprices,
    search_key,
    search_pattern,
    search_text,
    with_aeeh_count,
)

CURRENT = {
    "monthly_resources": Decimal("4000.00"),
    "dependent_children": 2,
    "aeeh_children": 0,
    "job_seeker": False,
    "resources_checked_on": None,
    "resources_source": None,
    "job_seeker_checked_on": None,
}
TODAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 9, tzinfo=timezone.utc)


def test_only_fields_whose_value_differs_are_changes_in_a_fixed_order():
    wanted = {"aeeh_children": 0, "monthly_resources": Decimal("3200.00"), "resources_source": "caf"}
    assert changes(CURRENT, wanted) == [
        ("monthly_resources", Decimal("4000.00"), Decimal("3200.00")),
        ("resources_source", None, "caf"),
    ]
    assert changes(CURRENT, {"monthly_resources": Decimal("4000")}) == []  # same amount, other writing


def test_resources_household_and_aeeh_children_reprice_job_seeking_and_dates_do_not():
    assert reprices(["monthly_resources"]) and reprices(["dependent_children"]) and reprices(["aeeh_children"])
    assert not reprices(["job_seeker", "job_seeker_checked_on", "resources_checked_on", "resources_source"])


def test_the_former_aeeh_flag_becomes_a_count_and_a_given_count_wins():
    assert with_aeeh_count({"aeeh": True}, 0) == {"aeeh_children": 1}
    assert with_aeeh_count({"aeeh": True}, 2) == {"aeeh_children": 2}  # "AEEH in the household" stays true
    assert with_aeeh_count({"aeeh": False}, 2) == {"aeeh_children": 0}
    assert with_aeeh_count({"aeeh": True, "aeeh_children": 3}, 1) == {"aeeh_children": 3}
    assert with_aeeh_count({"job_seeker": True}, 2) == {"job_seeker": True}


def test_aeeh_children_may_equal_the_dependent_children_not_exceed_them():
    assert household_errors(CURRENT, {"aeeh_children": 2}) == {}  # 2 dependent children
    assert list(household_errors(CURRENT, {"aeeh_children": 3})) == ["aeeh_children"]
    with_two = dict(CURRENT, aeeh_children=2)
    assert household_errors(with_two, {"dependent_children": 2}) == {}
    assert list(household_errors(with_two, {"dependent_children": 1})) == ["dependent_children"]
    assert household_errors(with_two, {"dependent_children": 1, "aeeh_children": 1}) == {}


def test_a_slot_is_repriced_until_it_starts_not_from_its_start():
    assert repriced(NOW + timedelta(seconds=1), NOW)
    assert not repriced(NOW, NOW)
    assert not repriced(NOW - timedelta(days=7), NOW)


def test_a_check_date_may_be_today_not_tomorrow():
    assert future_date_errors({"resources_checked_on": TODAY, "job_seeker_checked_on": TODAY}, TODAY) == {}
    assert future_date_errors({"resources_checked_on": TODAY + timedelta(days=1)}, TODAY) == {
        "resources_checked_on": [FUTURE_DATE]
    }
    assert "job_seeker_checked_on" in future_date_errors({"job_seeker_checked_on": date(2027, 1, 1)}, TODAY)


def test_search_ignores_case_and_accents():
    text = search_text("Famille.Durand@Example.fr", [{"first_name": "Éloïse", "last_name": "Lefèvre", "phone": "06"}])
    assert text == "famille.durand@example.fr eloise lefevre"
    assert search_key("ÉLOÏSE") in text and search_key("lefevre") in text


def test_like_wildcards_in_a_search_are_taken_literally():
    assert search_pattern("Jean_Paul%") == "%jean\\_paul\\%%"
    assert search_pattern("a\\b") == "%a\\\\b%"


def test_history_values_are_json_with_money_as_two_decimals_and_iso_dates():
    assert as_json(Decimal("4000")) == '"4000.00"'
    assert as_json(date(2026, 3, 1)) == '"2026-03-01"'
    assert (as_json(True), as_json(None), as_json(3), as_json("caf")) == ("true", "null", "3", '"caf"')
