"""The volunteers service's clearance through its entrypoints (worker_factory, real SQLite, no
broker): the shared attestation rule, the insurance's dates, the charte de bénévolat before a
sign-up, the renewal list's exact shape, and the volunteers registered before keeping their rows."""

import json
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest
from nameko.testing.services import worker_factory

from services.volunteers import models, store
from services.volunteers.service import VolunteersService
from services.volunteers.settings import VolunteersSettings
from shared import migrate, timeutil
from shared.errors import Conflict, Invalid
from shared.unit_of_work import Work

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)
ACTIVITY_AT = datetime(2027, 7, 12, 8, 30, tzinfo=timezone.utc)  # 7 months after the attestation below
STAFF = "staff-1"
RENEWAL_KEYS = {"kind", "person_id", "name", "issued_on", "verified_on", "expires_on", "status"}


@pytest.fixture
def database(tmp_path, monkeypatch):
    monkeypatch.setattr(timeutil, "now_utc", lambda: NOW)
    url = f"sqlite:///{tmp_path / 'volunteers.db'}"
    migrate.migrate("volunteers", url)
    models.database.connect()
    yield url
    models.database.close()


def make(settings=VolunteersSettings()):
    return worker_factory(
        VolunteersService, uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"), settings=settings
    )


@pytest.fixture
def service(database):
    return make()


def register(service, n=1):
    return service.register_volunteer(
        {
            "email": f"benevole{n}@example.fr",
            "first_name": "Jeanne",
            "last_name": f"Martin{n}",
            "birth_date": "1950-03-02",
            "phone": "0612345678",
        }
    )


def attest(service, volunteer, issued=date(2026, 12, 1), verified=date(2026, 12, 7)):
    return service.record_honorability(
        volunteer["id"], {"issued_on": issued.isoformat(), "verified_on": verified.isoformat()}, STAFF
    )


def insure(service, volunteer, valid_from=date(2026, 1, 1), valid_until=date(2027, 12, 31)):
    cover = {"insurer": "MAIF", "policy": "RC 42", "valid_from": str(valid_from), "valid_until": str(valid_until)}
    return service.record_insurance(volunteer["id"], cover, STAFF)


def accept(service, volunteer, version="2026-01"):
    return service.accept_charter(volunteer["id"], {"version": version})


@pytest.fixture
def activity(database):
    store.add_opportunity(
        "act-1", "Heure du conte", "story_time", "Lucioles", ACTIVITY_AT, ACTIVITY_AT + timedelta(hours=1), 2
    )
    return "act-1"


def refusal(service, volunteer, activity_id):
    with pytest.raises(Conflict) as refused:
        service.sign_up(volunteer["id"], activity_id)
    return refused.value


def test_a_volunteer_verified_eight_days_after_issue_signs_up_for_a_first_visit_seven_months_later(service, activity):
    jeanne = register(service)
    attest(service, jeanne, issued=date(2026, 11, 29), verified=date(2026, 12, 7))
    insure(service, jeanne)
    accept(service, jeanne)
    assert service.sign_up(jeanne["id"], activity)["status"] == "confirmed"


def test_the_attestation_is_valid_three_years_from_its_verification(service):
    jeanne = register(service)
    shown = attest(service, jeanne, issued=date(2026, 6, 7), verified=date(2026, 12, 7))
    assert shown["honorability_expires_on"] == "2029-12-06"
    rows = [json.loads(r.body) for r in models.Outbox.select() if r.event_type == "volunteers.volunteer_cleared"]
    assert rows == []  # not cleared yet: no insurance
    insure(service, jeanne)
    [cleared] = [json.loads(r.body) for r in models.Outbox.select() if r.event_type == "volunteers.volunteer_cleared"]
    assert cleared["payload"]["honorability_expires_on"] == "2029-12-06"


def test_a_renewal_eleven_and_a_half_months_old_is_refused_on_its_verification_date(service):
    jeanne = register(service)
    with pytest.raises(Invalid) as refused:
        attest(service, jeanne, issued=date(2025, 12, 23), verified=date(2026, 12, 7))
    assert "moins de 6 mois" in refused.value.fields["verified_on"][0]


def test_a_volunteer_who_has_not_accepted_the_charte_is_refused_a_sign_up_with_a_409_naming_it(service, activity):
    jeanne = register(service)
    attest(service, jeanne)
    insure(service, jeanne)
    refused = refusal(service, jeanne, activity)
    assert refused.fields["reason"] == ["charter_not_accepted"]
    assert "charte de bénévolat" in refused.message
    me = accept(service, jeanne)
    assert (me["charter_accepted"], me["charter_version"], me["charter_current_version"]) == (
        True,
        "2026-01",
        "2026-01",
    )
    assert me["charter_accepted_at"] is not None
    assert service.sign_up(jeanne["id"], activity)["status"] == "confirmed"


def test_accepting_another_version_than_the_current_one_is_refused(service):
    jeanne = register(service)
    with pytest.raises(Conflict) as refused:
        accept(service, jeanne, version="2025-01")
    assert "version 2026-01" in refused.value.message
    assert service.my_record(jeanne["id"])["charter_accepted"] is False


def test_a_new_version_of_the_charte_must_be_accepted_again(database, activity):
    first = make()
    jeanne = register(first)
    attest(first, jeanne)
    insure(first, jeanne)
    accept(first, jeanne)
    changed = make(replace(VolunteersSettings(), charter_version="2026-09"))
    me = changed.my_record(jeanne["id"])
    assert (me["charter_accepted"], me["charter_version"]) == (False, "2026-01")
    assert "a changé (version 2026-09)" in refusal(changed, jeanne, activity).message
    accept(changed, jeanne, version="2026-09")
    assert changed.sign_up(jeanne["id"], activity)["status"] == "confirmed"


def test_an_expired_insurance_refuses_the_sign_up_with_its_end_date(service, activity):
    jeanne = register(service)
    attest(service, jeanne)
    insure(service, jeanne, valid_until=date(2027, 6, 30))  # the activity is on 12 July 2027
    accept(service, jeanne)
    refused = refusal(service, jeanne, activity)
    assert refused.fields["reason"] == ["not_cleared"]
    assert "a pris fin le 30/06/2027" in refused.message


def test_an_insurance_already_over_or_ending_before_it_starts_is_refused(service):
    jeanne = register(service)
    with pytest.raises(Invalid) as over:
        insure(service, jeanne, valid_until=date(2026, 12, 6))
    assert "a pris fin le 06/12/2026" in over.value.fields["valid_until"][0]
    with pytest.raises(Invalid) as reversed_dates:
        insure(service, jeanne, valid_from=date(2027, 1, 2), valid_until=date(2027, 1, 1))
    assert "précéder" in reversed_dates.value.fields["valid_until"][0]


def test_the_renewal_list_answers_every_volunteer_to_renew_in_the_shared_shape(service):
    absent = register(service, 1)
    cleared = register(service, 2)
    attest(service, cleared)
    listed = service.honorability_renewals(60)
    assert listed == [
        {
            "kind": "volunteer",
            "person_id": absent["id"],
            "name": "Jeanne Martin1",
            "issued_on": None,
            "verified_on": None,
            "expires_on": None,
            "status": "missing",
        }
    ]
    assert all(set(line) == RENEWAL_KEYS for line in listed)


def test_the_volunteers_registered_before_keep_their_rows_and_get_the_new_columns_empty(database):
    service = make()
    jeanne = register(service)
    models.database.execute_sql("UPDATE volunteer SET insurer = 'MAIF', insurance_policy = 'RC 42'")
    for column in ("charter_version", "charter_accepted_at", "insurance_valid_from", "insurance_valid_until"):
        models.database.execute_sql(f"ALTER TABLE volunteer DROP COLUMN {column}")
    models.database.close()
    migrate.migrate("volunteers", database)
    models.database.connect()
    me = service.my_record(jeanne["id"])
    assert (me["email"], me["insurance_policy"], me["insurance_valid_until"], me["charter_version"]) == (
        "benevole1@example.fr",
        "RC 42",
        None,
        None,
    )
    assert "insurance_dates_missing" in me["clearance_gaps"]  # a policy without dates covers nobody
