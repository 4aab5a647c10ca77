"""A correction of the family's fee figures from a past day (`effective_on`: 1 January for new N-2
resources, a birth date): the rule (domain/family_file.py) at its boundaries, and the statements of
the months since repriced (worker_factory, real SQLite)."""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from services.bookings import models
from services.bookings.domain import family_file
from shared import timeutil
from shared.errors import Invalid
from tests.unit.bookings.test_attendance_corrections import FAMILY, PATTERN, service  # noqa: F401 (fixture)

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2027, 3, 20, 12, 0, tzinfo=PARIS)


class TestTheRule:
    def test_today_is_accepted_tomorrow_is_not(self):
        today = date(2027, 3, 20)
        assert family_file.effective_on_errors(today, today) == {}
        assert family_file.effective_on_errors(date(2027, 1, 1), today) == {}
        refused = {"effective_on": [family_file.FUTURE_EFFECT]}
        assert family_file.effective_on_errors(date(2027, 3, 21), today) == refused
        assert family_file.effective_on_errors(None, today) == {}

    def test_care_is_repriced_from_the_start_of_the_day_in_the_venues_zone(self):
        since = family_file.repriced_from(date(2027, 1, 1), NOW, PARIS)
        assert since == datetime(2027, 1, 1, tzinfo=PARIS)
        assert family_file.repriced_from(None, NOW, PARIS) == NOW
        assert family_file.repriced_from(date(2027, 3, 20), NOW, PARIS) == datetime(2027, 3, 20, tzinfo=PARIS)

    def test_a_slot_starting_at_the_first_instant_of_the_day_is_not_after_it(self):
        since = datetime(2027, 1, 1, tzinfo=PARIS)
        assert not family_file.repriced(since, since)
        assert family_file.repriced(datetime(2027, 1, 1, 0, 1, tzinfo=PARIS), since)

    def test_resources_typed_make_them_known_again(self):
        assert family_file.with_resources_known({"monthly_resources": 1}) == {
            "monthly_resources": 1,
            "resources_known": True,
        }
        assert (
            family_file.with_resources_known({"monthly_resources": 1, "resources_known": False})["resources_known"]
            is False
        )


@pytest.fixture
def contract(service, monkeypatch):  # noqa: F811
    """(family, contract) over 2027 at 4,000 € and 2 children (2.064 €/h, 284.83 € a month), the
    clock on 20 March 2027."""
    family = service.register_family(FAMILY)
    child = service.add_child(family["id"], {"first_name": "Lou", "birth_date": "2026-06-01"})
    fields = {"child_id": child["id"], "starts_on": "2027-01-04", "ends_on": "2027-12-31", "weeks_per_year": 46}
    signed = service.accept_contract(service.request_contract(dict(fields, pattern=PATTERN), family["id"])["id"])
    monkeypatch.setattr(timeutil, "now_utc", lambda: NOW.astimezone(timezone.utc))
    return family, signed


def rates(bookings, family, month):
    statement = bookings.monthly_statement(family["id"], month)
    return [(line["hourly_rate"], line["starts_on"]) for line in statement["lines"]], statement["amount"]


def test_new_n2_resources_from_1_january_reprice_every_month_since_the_contract_start(service, contract):  # noqa: F811
    family, _ = contract
    service.correct_family(family["id"], {"monthly_resources": "3000", "effective_on": "2027-01-01"}, "staff-1")
    assert rates(service, family, "2027-02") == ([("1.548", "2027-02-01")], "213.62")  # 138 h x 3,000 x 0.0516 %
    january, _ = rates(service, family, "2027-01")
    assert {rate for rate, _ in january} == {"1.548"}  # from the contract's start (clamped), the 4th
    [row] = models.FamilyChange.select().where(models.FamilyChange.field == "monthly_resources")
    assert row.effective_on == date(2027, 1, 1)


def test_without_effective_on_the_correction_applies_from_the_day_it_is_typed(service, contract):  # noqa: F811
    family, _ = contract
    service.correct_family(family["id"], {"monthly_resources": "3000"}, "staff-1")
    assert rates(service, family, "2027-02")[1] == "284.83"
    march, _ = rates(service, family, "2027-03")
    assert [rate for rate, _ in march] == ["2.064", "1.548"] and march[1][1] == "2027-03-20"


def test_a_birth_changes_the_household_from_its_date(service, contract):  # noqa: F811
    family, _ = contract
    service.correct_family(family["id"], {"dependent_children": 3, "effective_on": "2027-02-15"}, "staff-1")
    february, _ = rates(service, family, "2027-02")
    assert february == [("2.064", "2027-02-01"), ("1.652", "2027-02-15")]  # 4,000 x 0.0413 %


def test_an_earlier_effective_on_overrides_a_later_correction_of_the_same_figure_only(service, contract):  # noqa: F811
    family, _ = contract
    service.correct_family(family["id"], {"dependent_children": 3, "effective_on": "2027-03-01"}, "staff-1")
    service.correct_family(family["id"], {"monthly_resources": "3000", "effective_on": "2027-01-01"}, "staff-1")
    assert rates(service, family, "2027-02")[0] == [("1.548", "2027-02-01")]  # 3,000 x 0.0516 %
    assert rates(service, family, "2027-03")[0] == [("1.239", "2027-03-01")]  # 3,000 x 0.0413 %: both kept


def test_an_effective_on_after_today_is_a_french_422_and_changes_nothing(service, contract):  # noqa: F811
    family, _ = contract
    with pytest.raises(Invalid) as refused:
        service.correct_family(family["id"], {"monthly_resources": "3000", "effective_on": "2027-03-21"}, "staff-1")
    assert refused.value.fields["effective_on"][0].startswith("La correction s'applique au plus tard")
    assert service.get_family(family["id"])["monthly_resources"] == "4000.00"
    with pytest.raises(Invalid) as alone:
        service.correct_family(family["id"], {"effective_on": "2027-01-01"}, "staff-1")
    assert "_schema" in alone.value.fields


def test_a_past_booking_from_the_effective_day_is_repriced_and_listed(service, monkeypatch):  # noqa: F811
    family = service.register_family(dict(FAMILY, email="passe@example.fr"))
    child = service.add_child(family["id"], {"first_name": "Noé", "birth_date": "2025-06-01"})
    room = service.create_room({"name": "Cocon", "kind": "childcare", "capacity": 12})
    slot = service.create_slot(
        {
            "room_id": room["id"],
            "starts_at": "2027-02-10T08:30:00+01:00",
            "ends_at": "2027-02-10T12:00:00+01:00",
            "age_group": "mixed",
            "staff_on_duty": 2,
        }
    )
    service.book(family["id"], {"slot_id": slot["id"], "child_id": child["id"]})
    monkeypatch.setattr(timeutil, "now_utc", lambda: NOW.astimezone(timezone.utc))
    answer = service.correct_family(
        family["id"], {"monthly_resources": "3000", "effective_on": "2027-01-01"}, "staff-1"
    )
    [repriced] = answer["bookings_repriced"]
    assert (repriced["hourly_rate_before"], repriced["hourly_rate"]) == ("2.064", "1.548")
    assert service.monthly_statement(family["id"], "2027-02")["amount"] == "5.42"  # 3.5 h x 1.548
