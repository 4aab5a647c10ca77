"""A trainee's attestation d'honorabilité through the placements service's entrypoints
(worker_factory, real SQLite, no broker): recorded by staff under the shared rule,
placements.trainee_cleared, the expiry announced once, the renewal list's exact shape."""

import json
from datetime import date, datetime, timedelta, timezone

import pytest
from nameko.testing.services import worker_factory

from services.placements import models
from services.placements.domain import clearance
from services.placements.service import PlacementsService
from services.placements.settings import PlacementsSettings
from shared import migrate, timeutil
from shared.errors import Invalid, NotFound
from shared.events import validate_event
from shared.unit_of_work import Work
from tests.unit.placements.test_placements_service import placement_for, trainee_fields

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)
TODAY = date(2026, 12, 7)
STAFF = "staff-account-1"
RENEWAL_KEYS = {"kind", "person_id", "name", "issued_on", "verified_on", "expires_on", "status"}


@pytest.fixture
def clock(monkeypatch):
    now = {"at": NOW}
    monkeypatch.setattr(timeutil, "now_utc", lambda: now["at"])
    return now


@pytest.fixture
def service(tmp_path, clock):
    migrate.migrate("placements", f"sqlite:///{tmp_path / 'placements.db'}")
    models.database.connect()
    yield worker_factory(
        PlacementsService,
        uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"),
        settings=PlacementsSettings(),
    )
    models.database.close()


def emitted(name):
    rows = models.Outbox.select().order_by(models.Outbox.created_at, models.Outbox.id)
    return [json.loads(r.body) for r in rows if json.loads(r.body)["type"] == name]


def record(service, trainee, issued, verified):
    return service.record_trainee_honorability(
        trainee["id"], {"issued_on": issued.isoformat(), "verified_on": verified.isoformat()}, STAFF
    )


def test_a_new_trainee_is_shown_without_an_attestation_and_not_cleared(service):
    trainee = service.register_trainee(trainee_fields())
    assert (trainee["clearance_status"], trainee["cleared"], trainee["honorability_expires_on"]) == (
        "missing",
        False,
        None,
    )
    assert "Léa Martin n'a pas d'attestation d'honorabilité" in trainee["clearance_refusal"]


def test_recording_an_attestation_clears_the_trainee_for_three_years_from_its_verification(service):
    trainee = service.register_trainee(trainee_fields())
    shown = record(service, trainee, date(2026, 6, 7), date(2026, 12, 7))  # 6 months to the day
    assert shown["honorability_expires_on"] == "2029-12-06"
    assert (shown["clearance_status"], shown["cleared"], shown["clearance_refusal"]) == ("cleared", True, None)
    assert service.get_trainee(trainee["id"])["honorability_verified_on"] == "2026-12-07"
    [event] = emitted("placements.trainee_cleared")
    validate_event(event)
    assert event["payload"] == {"trainee_id": trainee["id"], "verified_on": "2026-12-07", "expires_on": "2029-12-06"}
    row = models.TraineeHonorability.get()
    assert (row.verified_by, row.trainee_id) == (STAFF, trainee["id"])


def test_an_attestation_verified_six_months_and_a_day_after_its_issue_is_refused_and_nothing_is_told(service):
    trainee = service.register_trainee(trainee_fields())
    with pytest.raises(Invalid) as refused:
        record(service, trainee, date(2026, 6, 6), date(2026, 12, 7))
    assert "moins de 6 mois" in refused.value.fields["verified_on"][0]
    assert emitted("placements.trainee_cleared") == []
    assert models.TraineeHonorability.select().count() == 0


def test_an_attestation_already_expired_is_refused(service):
    trainee = service.register_trainee(trainee_fields())
    with pytest.raises(Invalid) as refused:
        record(service, trainee, date(2023, 12, 1), date(2023, 12, 6))  # last valid day 2026-12-05
    assert "a expiré le 05/12/2026" in refused.value.fields["verified_on"][0]


def test_an_unknown_trainee_is_not_found(service):
    with pytest.raises(NotFound):
        record(service, {"id": "nobody"}, TODAY, TODAY)


def test_an_older_verification_recorded_late_leaves_the_newer_one_current(service):
    trainee = service.register_trainee(trainee_fields())
    record(service, trainee, date(2026, 11, 1), date(2026, 11, 10))
    shown = record(service, trainee, date(2026, 10, 1), date(2026, 10, 5))
    assert shown["honorability_verified_on"] == "2026-11-10"
    assert [e["payload"]["verified_on"] for e in emitted("placements.trainee_cleared")] == ["2026-11-10"] * 2


def test_an_expired_attestation_is_announced_once_whatever_the_sweeps(service, clock):
    trainee = service.register_trainee(trainee_fields())
    record(service, trainee, date(2026, 12, 1), date(2026, 12, 2))  # last valid day 2029-12-01
    assert service.announce_expired_clearances() == []
    clock["at"] = datetime(2029, 12, 1, 23, 30, tzinfo=timezone.utc)  # 2 December at the venue (UTC+1)
    assert len(service.announce_expired_clearances()) == 1
    assert service.announce_expired_clearances() == []
    [event] = emitted("placements.trainee_clearance_expired")
    validate_event(event)
    assert event["payload"] == {"trainee_id": trainee["id"], "expired_on": "2029-12-01"}
    assert service.get_trainee(trainee["id"])["clearance_status"] == "expired"


def test_a_renewed_attestation_is_not_announced_as_expired(service, clock):
    trainee = service.register_trainee(trainee_fields())
    record(service, trainee, date(2026, 12, 1), date(2026, 12, 2))
    clock["at"] = datetime(2029, 11, 20, 9, 0, tzinfo=timezone.utc)
    record(service, trainee, date(2029, 11, 1), date(2029, 11, 20))
    clock["at"] = datetime(2029, 12, 3, 9, 0, tzinfo=timezone.utc)
    assert service.announce_expired_clearances() == []


def test_the_renewal_list_answers_missing_expired_and_expiring_trainees_in_the_shared_shape(service, clock):
    missing = service.register_trainee(trainee_fields(email="a@example.org", last_name="Absente"))
    soon = service.register_trainee(trainee_fields(email="b@example.org", last_name="Bientôt"))
    fine = service.register_trainee(trainee_fields(email="c@example.org", last_name="Claire"))
    clock["at"] = datetime(2024, 2, 6, 9, 0, tzinfo=timezone.utc)
    record(service, soon, date(2024, 1, 1), date(2024, 2, 6))  # last valid day 2027-02-05: 60 days from today
    clock["at"] = NOW
    record(service, fine, date(2026, 12, 1), date(2026, 12, 7))
    listed = service.honorability_renewals(60)
    assert all(set(line) == RENEWAL_KEYS for line in listed)
    assert listed == [
        {
            "kind": "trainee",
            "person_id": missing["id"],
            "name": "Léa Absente",
            "issued_on": None,
            "verified_on": None,
            "expires_on": None,
            "status": "missing",
        },
        {
            "kind": "trainee",
            "person_id": soon["id"],
            "name": "Léa Bientôt",
            "issued_on": "2024-01-01",
            "verified_on": "2024-02-06",
            "expires_on": "2027-02-05",
            "status": "expiring",
        },
    ]
    assert [line["person_id"] for line in service.honorability_renewals(59)] == [missing["id"]]
    assert service.get_trainee(soon["id"])["clearance_status"] == "expiring"


def test_a_trainee_whose_placements_are_over_leaves_the_renewal_list(service):
    trainee = service.register_trainee(trainee_fields())
    placement = placement_for(service, trainee, starts_on="2026-11-02", ends_on="2026-11-30")
    assert [line["person_id"] for line in service.honorability_renewals()] == [trainee["id"]]
    service.interrupt_placement(placement["id"], {"reason": "Fin anticipée du stage"})
    assert service.honorability_renewals() == []


def test_the_trainees_status_at_the_edges_of_the_notice():
    from shared.honorability import Attestation

    attestation = Attestation(issued_on=date(2024, 1, 1), verified_on=date(2024, 2, 6))  # last day 2027-02-05
    assert clearance.status(attestation, date(2026, 12, 7)) == "expiring"
    assert clearance.status(attestation, date(2026, 12, 6)) == "cleared"
    assert clearance.status(attestation, date(2027, 2, 5)) == "expiring"
    assert clearance.status(attestation, date(2027, 2, 6)) == "expired"
    assert clearance.status(None, date(2027, 2, 6)) == "missing"
    assert clearance.status(attestation, date(2024, 2, 5)) == "not_yet_verified"
    assert clearance.newly_expired(attestation, date(2027, 2, 6), announced=False) is True
    assert clearance.newly_expired(attestation, date(2027, 2, 6), announced=True) is False
    assert clearance.newly_expired(attestation, date(2027, 2, 5), announced=False) is False
    assert timedelta(days=60) == date(2027, 2, 5) - date(2026, 12, 7)
