"""Emergency care (accueil d'urgence): a family whose resources are unknown pays the floor rate or
the venue's average rate of the previous year (domain/emergency.py), marked on the statement's
lines and on the quote; the venue's setting is checked at start."""

from dataclasses import replace
from datetime import date, datetime, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from services.bookings.domain import emergency, fees
from services.bookings.domain.covered_month import ContractLine
from services.bookings.settings import VenueSettings, load
from shared import timeutil
from tests.unit.bookings.test_attendance_corrections import FAMILY, PATTERN, service  # noqa: F401 (fixture)

PARIS = ZoneInfo("Europe/Paris")
FLOOR_2026 = Decimal("814.62")


class TestTheRule:
    def test_the_floor_rate_is_the_floor_of_the_year_times_the_households_effort_rate(self):
        quote = emergency.emergency_quote(2, 0, date(2026, 3, 10))
        assert quote.hourly_rate == FLOOR_2026 * Decimal("0.000516")
        assert quote.resources_used == FLOOR_2026 and quote.emergency == "floor"

    def test_the_floor_rate_follows_the_aeeh_children(self):
        assert emergency.emergency_quote(2, 1, date(2026, 3, 10)).hourly_rate == FLOOR_2026 * Decimal("0.000413")

    def test_it_is_what_a_family_at_the_floor_pays(self):
        assert emergency.emergency_quote(1, 0, date(2026, 3, 10)).hourly_rate == (
            fees.quote(FLOOR_2026, 1, 0, date(2026, 3, 10)).hourly_rate
        )

    def test_the_average_rate_is_the_venues_figure_as_is(self):
        quote = emergency.emergency_quote(2, 0, date(2026, 3, 10), "average", Decimal("1.73"))
        assert (quote.hourly_rate, quote.emergency) == (Decimal("1.73"), "average")

    def test_the_average_rate_needs_its_figure_and_an_unknown_mode_is_refused(self):
        with pytest.raises(ValueError):
            emergency.emergency_quote(2, 0, date(2026, 3, 10), "average", None)
        with pytest.raises(ValueError):
            emergency.emergency_quote(2, 0, date(2026, 3, 10), "median")

    def test_only_the_lines_about_days_priced_so_are_marked(self):
        one = Decimal(1)
        line = ContractLine("contract", "Contrat", one, one, one, date(2027, 3, 1), date(2027, 3, 15))
        later = replace(line, starts_on=date(2027, 3, 16), ends_on=date(2027, 3, 31))
        marked, kept = emergency.marked_lines([line, later], {date(2027, 3, 15)})
        assert marked.label == "Contrat — Tarif d'urgence : ressources inconnues" and kept.label == "Contrat"


class TestTheSetting:
    def test_the_floor_by_default(self, monkeypatch):
        monkeypatch.delenv("COCOON_EMERGENCY_RATE", raising=False)
        assert load().emergency_rate == "floor"

    def test_the_average_needs_a_rate_in_euros(self, monkeypatch):
        monkeypatch.setenv("COCOON_EMERGENCY_RATE", "average")
        monkeypatch.setenv("COCOON_EMERGENCY_AVERAGE_RATE", "1.73")
        assert (load().emergency_rate, load().emergency_average_rate) == ("average", Decimal("1.73"))
        monkeypatch.setenv("COCOON_EMERGENCY_AVERAGE_RATE", "")
        with pytest.raises(ValueError, match="COCOON_EMERGENCY_AVERAGE_RATE"):
            load()

    def test_another_mode_stops_the_start(self, monkeypatch):
        monkeypatch.setenv("COCOON_EMERGENCY_RATE", "median")
        with pytest.raises(ValueError, match="COCOON_EMERGENCY_RATE"):
            load()


def test_a_booking_of_a_family_with_unknown_resources_is_priced_and_marked_at_the_floor(service, monkeypatch):  # noqa: F811
    family = service.register_family(FAMILY)
    service.correct_family(family["id"], {"resources_known": False}, "staff-1")
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
    booking = service.book(family["id"], {"slot_id": slot["id"], "child_id": child["id"]})
    assert booking["hourly_rate"] == "0.42034392"  # 814.62 € (2027: 2026's floor, provisional) x 0.0516 %
    [line] = service.monthly_statement(family["id"], "2027-02")["lines"]
    assert line["label"].endswith(" — Tarif d'urgence : ressources inconnues") and line["amount"] == "1.47"
    monkeypatch.setattr(timeutil, "now_utc", lambda: datetime(2027, 2, 1, tzinfo=timezone.utc))
    answer = service.correct_family(family["id"], {"monthly_resources": "4000"}, "staff-1")
    assert answer["resources_known"] is True and answer["bookings_repriced"][0]["hourly_rate"] == "2.064"
    [line] = service.monthly_statement(family["id"], "2027-02")["lines"]
    assert "urgence" not in line["label"]


def test_a_contract_priced_while_the_resources_were_unknown_has_its_lines_marked(service, monkeypatch):  # noqa: F811
    family = service.register_family(FAMILY)
    service.correct_family(family["id"], {"resources_known": False}, "staff-1")
    child = service.add_child(family["id"], {"first_name": "Lou", "birth_date": "2026-06-01"})
    fields = {"child_id": child["id"], "starts_on": "2027-01-04", "ends_on": "2027-12-31", "weeks_per_year": 46}
    signed = service.accept_contract(service.request_contract(dict(fields, pattern=PATTERN), family["id"])["id"])
    assert signed["hourly_rate"] == "0.42034392"
    monkeypatch.setattr(timeutil, "now_utc", lambda: datetime(2027, 3, 16, 11, tzinfo=timezone.utc))
    service.correct_family(family["id"], {"monthly_resources": "4000", "effective_on": "2027-03-16"}, "staff-1")
    lines = service.monthly_statement(family["id"], "2027-03")["lines"]
    assert [(line["hourly_rate"], "Tarif d'urgence" in line["label"]) for line in lines] == [
        ("0.42034392", True),
        ("2.064", False),
    ]


def test_the_quote_of_unknown_resources_says_it_is_the_emergency_rate(service):  # noqa: F811
    quote = service.quote_fee({"dependent_children": "2", "resources_known": "false", "on": "2026-03-10"})
    assert quote["emergency"] == "floor" and quote["emergency_label"] == "Tarif d'urgence : ressources inconnues"
    assert quote["hourly_rate"] == "0.42034392"
    average = VenueSettings(emergency_rate="average", emergency_average_rate=Decimal("1.73"))
    monkey = service.settings
    service.settings = average
    try:
        contract_quote = service.quote_contract(
            {
                "dependent_children": "2",
                "resources_known": "false",
                "on": "2026-03-10",
                "hours_per_week": "36",
                "weeks_per_year": "46",
            }
        )
    finally:
        service.settings = monkey
    assert (contract_quote["hourly_rate"], contract_quote["monthly_amount"]) == ("1.73", "238.74")
    assert contract_quote["emergency_label"] == "Tarif d'urgence : ressources inconnues"
    assert service.quote_fee({"monthly_resources": "4000", "dependent_children": "2"})["emergency"] is None
