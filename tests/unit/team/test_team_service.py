"""The team service's entrypoints with nameko's worker_factory: real SQLite, no broker."""

import json
from datetime import date, datetime, timedelta, timezone

import pytest
from nameko.testing.services import worker_factory

from services.team import models
from services.team.service import TeamService
from services.team.settings import TeamSettings
from shared import migrate, timeutil
from shared.errors import Conflict, Invalid, NotFound
from shared.unit_of_work import Work

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)
TODAY = date(2026, 12, 7)


def profile(**overrides):
    return {
        "id": "staff-1",
        "email": "Claire.Martin@example.fr",
        "first_name": "Claire",
        "last_name": "Martin",
        **overrides,
    }


def events(kind=None):
    bodies = [json.loads(row.body) for row in models.Outbox.select().order_by(models.Outbox.created_at)]
    return [b["payload"] for b in bodies if kind is None or b["type"] == kind]


@pytest.fixture
def service(tmp_path, monkeypatch):
    monkeypatch.setattr(timeutil, "now_utc", lambda: NOW)
    migrate.migrate("team", f"sqlite:///{tmp_path / 'team.db'}")
    models.database.connect()
    yield worker_factory(
        TeamService,
        uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"),
        settings=TeamSettings(ratio_diplomas=frozenset({"eje", "auxiliaire_puericulture"})),
    )
    models.database.close()


def attestation(verified_on, issued_on=None):
    return {"issued_on": (issued_on or verified_on).isoformat(), "verified_on": verified_on.isoformat()}


def test_registering_stores_the_profile_and_tells_who_counts_in_the_ratio(service):
    member = service.register_staff(profile(diplomas=["cap_aepe", "eje"], job_title="EJE"))
    assert (member["id"], member["email"], member["diplomas"]) == (
        "staff-1",
        "claire.martin@example.fr",
        ["eje", "cap_aepe"],
    )
    assert (member["counts_in_ratio"], member["state_diploma"], member["cleared"]) == (True, True, False)
    assert member["clearance_gap"] == "honorability_missing"
    [registered] = events("team.staff_registered")
    assert registered["staff_id"] == "staff-1"
    assert registered["counts_in_ratio"] is True


def test_a_diploma_the_venue_does_not_list_does_not_count_in_the_ratio(service):
    member = service.register_staff(profile(diplomas=["cap_aepe"]))
    assert member["counts_in_ratio"] is False


def test_a_second_profile_with_the_same_email_is_refused_on_the_email(service):
    service.register_staff(profile())
    with pytest.raises(Conflict) as twice:
        service.register_staff(profile(id="staff-2", email="claire.martin@example.fr"))
    assert "email" in twice.value.fields
    assert len(events()) == 1


def test_an_unknown_diploma_is_refused_on_its_field(service):
    with pytest.raises(Invalid) as refused:
        service.register_staff(profile(diplomas=["bafa"]))
    assert "diplomas" in refused.value.fields


def test_a_change_of_diplomas_is_published_and_no_change_publishes_nothing(service):
    service.register_staff(profile())
    updated = service.update_staff("staff-1", {"diplomas": ["auxiliaire_puericulture"], "health_referent": True})
    assert (updated["counts_in_ratio"], updated["health_referent"]) == (True, True)
    service.update_staff("staff-1", {"diplomas": ["auxiliaire_puericulture"]})
    [changed] = events("team.staff_updated")
    assert (changed["diplomas"], changed["health_referent"]) == (["auxiliaire_puericulture"], True)


def test_leaving_the_venue_records_the_day_and_stops_counting_in_the_ratio(service):
    service.register_staff(profile(diplomas=["eje"]))
    left = service.update_staff("staff-1", {"active": False})
    assert (left["active"], left["left_on"], left["counts_in_ratio"]) == (False, TODAY.isoformat(), False)
    assert events("team.staff_updated")[-1]["counts_in_ratio"] is False
    back = service.update_staff("staff-1", {"active": True})
    assert back["left_on"] is None


def test_an_unknown_staff_member_is_not_found(service):
    with pytest.raises(NotFound):
        service.update_staff("nobody", {"job_title": "EJE"})


def test_a_verified_attestation_clears_for_three_years_and_is_published(service):
    service.register_staff(profile())
    recorded = service.record_honorability("staff-1", attestation(TODAY, TODAY - timedelta(days=30)), "boss")
    assert (recorded["expires_on"], recorded["verified_by"]) == ("2029-12-06", "boss")
    [cleared] = events("team.staff_cleared")
    assert cleared == {"staff_id": "staff-1", "verified_on": "2026-12-07", "expires_on": "2029-12-06"}
    member = service.get_staff("staff-1")
    assert (member["cleared"], member["honorability_expires_on"], member["clearance_refusal"]) == (
        True,
        "2029-12-06",
        None,
    )


def test_an_attestation_verified_more_than_six_months_after_its_issue_is_refused(service):
    service.register_staff(profile())
    issued = date(2026, 6, 6)  # 6 months: 6 December, the day before today
    with pytest.raises(Invalid) as refused:
        service.record_honorability("staff-1", attestation(TODAY, issued), "boss")
    assert "verified_on" in refused.value.fields
    assert events("team.staff_cleared") == []
    service.record_honorability("staff-1", attestation(TODAY, date(2026, 6, 7)), "boss")  # exactly 6 months
    assert len(events("team.staff_cleared")) == 1


def test_an_older_attestation_recorded_late_does_not_shorten_the_clearance(service):
    service.register_staff(profile())
    service.record_honorability("staff-1", attestation(TODAY), "boss")
    service.record_honorability("staff-1", attestation(TODAY - timedelta(days=400)), "boss")
    assert [e["verified_on"] for e in events("team.staff_cleared")] == ["2026-12-07", "2026-12-07"]


def test_the_renewal_list_names_the_staff_without_and_expiring_not_those_who_left(service):
    service.register_staff(profile())  # none
    service.register_staff(profile(id="staff-2", email="b@example.fr", first_name="Bruno", last_name="Aubert"))
    service.register_staff(profile(id="staff-3", email="c@example.fr", first_name="Chloé", last_name="Roux"))
    service.register_staff(profile(id="staff-4", email="d@example.fr", first_name="Dan", last_name="Vidal"))
    soon = TODAY.replace(year=2023) + timedelta(days=20)  # last valid day in 19 days
    service.record_honorability("staff-2", attestation(soon), "boss")
    service.record_honorability("staff-3", attestation(TODAY), "boss")  # valid three years
    service.update_staff("staff-4", {"active": False})
    lines = service.honorability_renewals(60)
    assert [(line["person_id"], line["status"], line["kind"]) for line in lines] == [
        ("staff-1", "missing", "staff"),
        ("staff-2", "expiring", "staff"),
    ]
    assert lines[1] == {
        "kind": "staff",
        "person_id": "staff-2",
        "name": "Bruno Aubert",
        "issued_on": soon.isoformat(),
        "verified_on": soon.isoformat(),
        "expires_on": (TODAY + timedelta(days=19)).isoformat(),
        "status": "expiring",
    }


def test_the_expiry_is_announced_once_after_the_last_valid_day(service, monkeypatch):
    service.register_staff(profile())
    verified = TODAY.replace(year=2023) + timedelta(days=1)  # last valid day: today
    service.record_honorability("staff-1", attestation(verified), "boss")
    assert service.announce_expired() == []
    monkeypatch.setattr(timeutil, "now_utc", lambda: NOW + timedelta(days=1))
    assert len(service.announce_expired()) == 1
    assert service.announce_expired() == []
    assert events("team.staff_clearance_expired") == [{"staff_id": "staff-1", "expired_on": TODAY.isoformat()}]
    assert service.get_staff("staff-1")["clearance_gap"] == "honorability_expired"


def test_the_list_is_paged_by_name_and_filters_who_left(service):
    service.register_staff(profile())
    service.register_staff(profile(id="staff-2", email="b@example.fr", first_name="Bruno", last_name="Aubert"))
    service.update_staff("staff-1", {"active": False})
    page = service.list_staff({"limit": 1})
    assert [m["last_name"] for m in page["items"]] == ["Aubert"]
    assert page["next_cursor"]
    assert [m["id"] for m in service.list_staff({"active": True})["items"]] == ["staff-2"]
    assert service.referent_missing() is True
