"""The team's rules (services/team/domain/): who counts in the ratio, the référent, and a staff
member's line on the renewal list, at their boundaries."""

from datetime import date, timedelta

import pytest

from services.team.domain import clearance, staff
from services.team.settings import ratio_diplomas
from shared.diplomas import DIPLOMAS
from shared.honorability import Attestation

TODAY = date(2026, 12, 7)


def test_a_staff_member_with_a_listed_diploma_counts_in_the_ratio():
    assert staff.counts(["cap_aepe"], frozenset(DIPLOMAS))


def test_a_staff_member_without_a_diploma_does_not_count_in_the_ratio():
    assert not staff.counts([], frozenset(DIPLOMAS))


def test_a_diploma_the_venue_does_not_list_does_not_count():
    assert not staff.counts(["cap_aepe"], frozenset({"eje", "auxiliaire_puericulture"}))


def test_a_staff_member_who_left_never_counts_whatever_their_diploma():
    assert not staff.counts(["eje"], frozenset(DIPLOMAS), active=False)


def test_a_state_diploma_is_told_apart_from_another_qualification():
    assert staff.state_diploma(["cap_aepe", "eje"])
    assert not staff.state_diploma(["cap_aepe"])


def test_diplomas_are_kept_once_in_the_lists_order_state_diplomas_first():
    assert staff.diplomas_in_order(["cap_aepe", "eje", "cap_aepe"]) == ["eje", "cap_aepe"]


def test_an_unknown_code_is_named():
    assert staff.unknown_diplomas(["eje", "bafa"]) == ["bafa"]


def test_no_active_referent_is_flagged_and_one_is_enough():
    assert staff.referent_missing([])
    assert staff.referent_missing([(False, True), (True, False)])  # the référent left
    assert not staff.referent_missing([(True, True), (True, True)])  # two are allowed


def test_nobody_is_on_the_renewal_list_with_an_attestation_valid_beyond_the_notice():
    verified = TODAY.replace(year=TODAY.year - 3) + timedelta(days=61)  # last valid day in 60 days + 1
    current = Attestation(verified, verified)
    assert current.expires_on == TODAY + timedelta(days=60)
    assert clearance.renewal_status(current, TODAY, 60) == clearance.EXPIRING
    later = Attestation(verified + timedelta(days=1), verified + timedelta(days=1))
    assert clearance.renewal_status(later, TODAY, 60) is None


def test_an_attestation_is_expiring_on_its_last_day_and_expired_the_day_after():
    verified = TODAY.replace(year=TODAY.year - 3) + timedelta(days=1)
    current = Attestation(verified, verified)
    assert current.expires_on == TODAY
    assert clearance.renewal_status(current, TODAY, 60) == clearance.EXPIRING
    assert clearance.renewal_status(current, TODAY + timedelta(days=1), 60) == clearance.EXPIRED


def test_no_attestation_is_missing():
    assert clearance.renewal_status(None, TODAY, 60) == clearance.MISSING


def test_the_expiry_is_announced_only_after_the_last_valid_day_and_once():
    verified = TODAY.replace(year=TODAY.year - 3) + timedelta(days=1)
    current = Attestation(verified, verified)  # last valid day: TODAY
    assert not clearance.expired_unannounced(current, None, TODAY)
    assert clearance.expired_unannounced(current, None, TODAY + timedelta(days=1))
    assert not clearance.expired_unannounced(current, "announced", TODAY + timedelta(days=1))
    assert not clearance.expired_unannounced(None, None, TODAY)


def test_the_renewal_list_puts_the_missing_first_then_the_soonest_expiry():
    lines = [
        {"expires_on": "2027-01-10", "name": "Anne", "person_id": "1"},
        {"expires_on": None, "name": "Zoé", "person_id": "2"},
        {"expires_on": "2026-12-01", "name": "Bruno", "person_id": "3"},
    ]
    assert [line["name"] for line in sorted(lines, key=clearance.renewal_order)] == ["Zoé", "Bruno", "Anne"]


def test_without_the_setting_every_diploma_counts(monkeypatch):
    monkeypatch.delenv("COCOON_RATIO_DIPLOMAS", raising=False)
    assert ratio_diplomas() == frozenset(DIPLOMAS)


def test_the_setting_lists_the_qualifying_diplomas(monkeypatch):
    monkeypatch.setenv("COCOON_RATIO_DIPLOMAS", "eje, auxiliaire_puericulture")
    assert ratio_diplomas() == frozenset({"eje", "auxiliaire_puericulture"})


def test_an_unknown_code_in_the_setting_stops_the_start_naming_it(monkeypatch):
    monkeypatch.setenv("COCOON_RATIO_DIPLOMAS", "eje,bafa")
    with pytest.raises(ValueError, match="COCOON_RATIO_DIPLOMAS.*bafa"):
        ratio_diplomas()
