"""The immersions' entrypoints with nameko's worker_factory: real SQLite, no broker."""

import json
from datetime import datetime, timezone

import pytest
from nameko.testing.services import worker_factory

from services.placements import models
from services.placements.service import PlacementsService
from services.placements.settings import PlacementsSettings
from shared import migrate, timeutil
from shared.errors import Conflict, Forbidden, Invalid, NotFound
from shared.events import new_event, validate_event
from shared.unit_of_work import Work

NOW = datetime(2027, 1, 20, 18, 0, tzinfo=timezone.utc)
TUTOR = "tutor-account-1"
COORDINATOR = "coordinator-account-1"
WEEKDAYS = [{"weekday": d, "start": "09:00", "end": "17:00", "break_minutes": 60} for d in range(5)]


def immersion_fields(**overrides):
    return {
        "beneficiary_id": "beneficiary-1",
        "person_id": "account-9",
        "subjects": [{"role": "beneficiary", "id": "beneficiary-1"}],
        "beneficiary_email": "Sam@Example.org",
        "first_name": "Sam",
        "last_name": "Durand",
        "birth_date": "1990-04-02",
        "prescriber": {
            "organisation": "france_travail",
            "adviser_name": "Claire Petit",
            "adviser_email": "claire.petit@francetravail.example",
        },
        "object": "discover",
        "objectives": "Découvrir le métier d'auxiliaire de puériculture.",
        "starts_on": "2027-01-11",
        "ends_on": "2027-02-05",
        "tutor_id": TUTOR,
        "schedule": WEEKDAYS,
        **overrides,
    }


@pytest.fixture
def service(tmp_path, monkeypatch):
    monkeypatch.setattr(timeutil, "now_utc", lambda: NOW)
    migrate.migrate("placements", f"sqlite:///{tmp_path / 'placements.db'}")
    models.database.connect()
    yield worker_factory(
        PlacementsService,
        uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"),
        settings=PlacementsSettings(),
    )
    models.database.close()


def events(name):
    return [json.loads(row.body)["payload"] for row in models.Outbox.select() if json.loads(row.body)["type"] == name]


def checked(name, payload):
    validate_event(new_event(name, payload, "placements"))
    return payload


def sign_all(service, immersion_id):
    for signer in ("beneficiary", "venue", "prescriber"):
        answer = service.sign_immersion(immersion_id, {"signer": signer, "signed_on": "2027-01-08", "name": signer})
    return answer


@pytest.fixture
def agreed(service):
    return service.create_immersion(immersion_fields(), COORDINATOR)


@pytest.fixture
def cleared(service, agreed):
    service.record_beneficiary_honorability(
        agreed["id"], {"issued_on": "2026-12-01", "verified_on": "2027-01-05"}, COORDINATOR
    )
    return agreed


def test_an_immersion_is_agreed_with_its_planned_hours_and_its_event(service, agreed):
    assert agreed["status"] == "agreed"
    assert agreed["planned_hours"] == "140.00"  # 20 weekdays x 7 h
    assert agreed["email"] == "sam@example.org"
    assert agreed["gratification"] is None
    [payload] = events("placements.immersion_agreed")
    assert checked("placements.immersion_agreed", payload)["person_id"] == "account-9"
    assert payload["subjects"] == [{"role": "beneficiary", "id": "beneficiary-1"}]
    assert "Sam" not in json.dumps(payload)


def test_an_immersion_of_more_than_one_month_is_refused(service):
    with pytest.raises(Invalid) as refused:
        service.create_immersion(immersion_fields(starts_on="2027-01-05", ends_on="2027-02-05"), COORDINATOR)
    assert "ends_on" in refused.value.fields


def test_5_january_to_4_february_is_accepted(service):
    answer = service.create_immersion(immersion_fields(starts_on="2027-01-05", ends_on="2027-02-04"), COORDINATOR)
    assert answer["ends_on"] == "2027-02-04"


def test_two_objects_are_refused(service):
    with pytest.raises(Invalid) as refused:
        service.create_immersion(immersion_fields(object=["discover", "confirm"]), COORDINATOR)
    assert "object" in refused.value.fields


def test_a_prescriber_outside_the_list_is_refused(service):
    prescriber = {"organisation": "agence_interim", "adviser_name": "X", "adviser_email": "x@example.org"}
    with pytest.raises(Invalid) as refused:
        service.create_immersion(immersion_fields(prescriber=prescriber), COORDINATOR)
    assert "prescriber" in refused.value.fields


def test_a_schedule_beyond_ten_hours_a_day_is_refused(service):
    long_days = [{"weekday": 0, "start": "07:00", "end": "19:00"}]
    with pytest.raises(Invalid) as refused:
        service.create_immersion(immersion_fields(schedule=long_days), COORDINATOR)
    assert "schedule" in refused.value.fields


def test_a_gratification_of_zero_or_more_is_kept_and_a_negative_one_is_refused(service):
    assert service.create_immersion(immersion_fields(gratification="0"), COORDINATOR)["gratification"] == "0.00"
    with pytest.raises(Invalid):
        service.create_immersion(immersion_fields(gratification="-1"), COORDINATOR)


def test_the_third_signature_is_refused_without_an_attestation(service, agreed):
    service.sign_immersion(agreed["id"], {"signer": "beneficiary", "signed_on": "2027-01-08", "name": "Sam"})
    service.sign_immersion(agreed["id"], {"signer": "venue", "signed_on": "2027-01-08", "name": "Directrice"})
    with pytest.raises(Conflict) as refused:
        service.sign_immersion(agreed["id"], {"signer": "prescriber", "signed_on": "2027-01-08", "name": "Claire"})
    assert "honorability" in refused.value.fields
    assert service.get_immersion(agreed["id"])["signatures"]["prescriber"] is None
    assert events("placements.immersion_signed") == []


def test_three_signatures_with_an_attestation_sign_it_on_the_last_day(service, cleared):
    service.sign_immersion(cleared["id"], {"signer": "beneficiary", "signed_on": "2027-01-06", "name": "Sam"})
    service.sign_immersion(cleared["id"], {"signer": "venue", "signed_on": "2027-01-08", "name": "Directrice"})
    answer = service.sign_immersion(cleared["id"], {"signer": "prescriber", "signed_on": "2027-01-07", "name": "C"})
    assert answer["status"] == "signed"
    assert answer["signed_on"] == "2027-01-08"
    assert answer["signatures"]["venue"] == {"signed_on": "2027-01-08", "name": "Directrice"}
    [payload] = events("placements.immersion_signed")
    assert checked("placements.immersion_signed", payload)["signed_on"] == "2027-01-08"


def test_a_signature_dated_in_the_future_is_refused(service, agreed):
    with pytest.raises(Invalid):
        service.sign_immersion(agreed["id"], {"signer": "venue", "signed_on": "2027-01-21", "name": "Directrice"})


def test_a_signed_convention_is_not_signed_again(service, cleared):
    sign_all(service, cleared["id"])
    with pytest.raises(Conflict):
        service.sign_immersion(cleared["id"], {"signer": "venue", "signed_on": "2027-01-09", "name": "Autre"})


def test_an_attestation_expiring_during_the_immersion_does_not_clear(service, agreed):
    service.record_beneficiary_honorability(
        agreed["id"], {"issued_on": "2024-01-25", "verified_on": "2024-01-27"}, COORDINATOR
    )
    answer = service.get_immersion(agreed["id"])
    assert "26/01/2027" in answer["clearance_refusal"]


def test_the_tutor_assesses_a_signed_immersion_and_the_event_tells_the_days_present(service, cleared):
    sign_all(service, cleared["id"])
    assessment = {"days_present": 8, "skills_observed": "Soins, écoute.", "next_steps": "Formation AP"}
    answer = service.assess_immersion(cleared["id"], assessment, TUTOR)
    assert answer["status"] == "assessed"
    assert answer["assessment"]["days_present"] == 8
    assert answer["assessment"]["assessed_on"] == "2027-01-20"
    [payload] = events("placements.immersion_assessed")
    assert checked("placements.immersion_assessed", payload)["days_present"] == 8
    assert "Soins" not in json.dumps(payload)


def test_another_staff_member_may_not_assess_unless_coordinating(service, cleared):
    sign_all(service, cleared["id"])
    assessment = {"days_present": 8, "skills_observed": "Soins.", "next_steps": "Formation"}
    with pytest.raises(Forbidden):
        service.assess_immersion(cleared["id"], assessment, "someone-else")
    assert service.assess_immersion(cleared["id"], assessment, COORDINATOR, True)["status"] == "assessed"


def test_an_unsigned_immersion_is_not_assessed(service, agreed):
    with pytest.raises(Conflict):
        service.assess_immersion(agreed["id"], {"days_present": 1, "skills_observed": "x", "next_steps": "y"}, TUTOR)


def test_more_days_present_than_the_immersion_has_are_refused(service, cleared):
    sign_all(service, cleared["id"])
    with pytest.raises(Invalid):
        service.assess_immersion(cleared["id"], {"days_present": 27, "skills_observed": "x", "next_steps": "y"}, TUTOR)


def test_a_cancelled_immersion_changes_no_more(service, agreed):
    answer = service.cancel_immersion(agreed["id"], {"reason": "Le bénéficiaire a trouvé un emploi."})
    assert answer["status"] == "cancelled"
    assert checked("placements.immersion_cancelled", events("placements.immersion_cancelled")[0])
    with pytest.raises(Conflict):
        service.cancel_immersion(agreed["id"], {"reason": "Encore une fois."})


def test_a_beneficiary_sees_only_their_own_immersion(service, agreed):
    assert service.get_immersion(agreed["id"], beneficiary_id="beneficiary-1")["id"] == agreed["id"]
    with pytest.raises(NotFound):
        service.get_immersion(agreed["id"], beneficiary_id="beneficiary-2")
    assert service.list_immersions({}, beneficiary_id="beneficiary-2")["items"] == []


def test_the_list_filters_by_status(service, agreed):
    assert [row["id"] for row in service.list_immersions({"status": "agreed"})["items"]] == [agreed["id"]]
    assert service.list_immersions({"status": "signed"})["items"] == []


def test_the_prescriber_contact_is_the_adviser(service, agreed):
    contact = service.contact("prescriber", agreed["id"])
    assert contact["email"] == "claire.petit@francetravail.example"
    assert (contact["first_name"], contact["beneficiary_name"]) == ("Claire Petit", "Sam Durand")
    assert service.contact("beneficiary", "beneficiary-1")["email"] == "sam@example.org"
    assert service.contact("prescriber", "unknown") is None


def test_the_export_holds_the_immersion_of_the_account(service, cleared):
    person = {"account_id": "account-9", "subject_id": "beneficiary-1", "email": "x@example.org", "role": "beneficiary"}
    [entry] = service.export_person(person)["immersions"]
    assert entry["immersion"]["id"] == cleared["id"]
    assert entry["attestations"][0]["verified_on"] == "2027-01-05"
    other = {**person, "account_id": "account-8"}
    assert service.export_person(other)["immersions"] == []


def test_the_erasure_keeps_the_dates_and_removes_the_beneficiarys_words(service, cleared):
    sign_all(service, cleared["id"])
    service.assess_immersion(
        cleared["id"], {"days_present": 8, "skills_observed": "Sam écoute", "next_steps": "AP"}, TUTOR
    )
    payload = {"erasure_id": "erasure-1", "account_id": "account-9", "role": "beneficiary"}
    service.erase_trainee(validate_event(new_event("team.account_erasure_requested", payload)))
    answer = service.get_immersion(cleared["id"])
    assert "Sam" not in json.dumps({k: v for k, v in answer.items() if k != "id"})
    assert answer["starts_on"] == "2027-01-11"
    assert answer["assessment"]["days_present"] == 8
    assert answer["objectives"] == ""
