"""A participant's erasure in education (services/education/erasure.py): refused while a training
they are enrolled in is not over; then their name goes, their hours and certificates stay."""

import json

from services.education import models
from services.education.domain import erasure as rules
from shared import erasure
from shared.events import new_event, validate_event
from tests.unit.education.test_education_service import confirmed_session, person, service  # noqa: F401

TRAINEE = {"trainee_id": "trainee-lina.roux"}


def erase(worker, **ids):
    payload = {"erasure_id": "e-1", "account_id": "a-1", "role": "trainee", **ids}
    worker.erase_participant(validate_event(new_event("team.account_erasure_requested", payload)))


def test_a_training_not_ended_blocks_and_none_does_not():
    assert rules.blockers(False) == []
    assert rules.blockers(True) == [rules.TRAINING_RUNNING]


def test_an_enrolment_in_a_session_to_come_refuses_the_erasure(service):  # noqa: F811
    session = confirmed_session(service)
    assert service.erasure_blockers(TRAINEE) == []
    service.enrol(session["id"], person("Lina Roux", kind="trainee", funding="france_travail"))
    assert service.erasure_blockers(TRAINEE) == [rules.TRAINING_RUNNING]
    assert service.erasure_blockers({"volunteer_id": "someone-else"}) == []


def test_the_participants_name_goes_under_the_pseudonym_and_the_service_answers(service):  # noqa: F811
    session = confirmed_session(service)
    service.enrol(session["id"], person("Lina Roux", kind="trainee", funding="france_travail"))
    models.Outbox.update(published_at=models.Outbox.created_at).execute()
    erase(service, **TRAINEE)
    [enrolment] = models.Enrolment.select()
    assert (enrolment.name, enrolment.session_id) == (erasure.pseudonym(TRAINEE["trainee_id"]), session["id"])
    bodies = [json.loads(r.body) for r in models.Outbox.select()]
    assert not [b for b in bodies if "Lina" in json.dumps(b)]
    assert [b["payload"] for b in bodies if b["type"] == "education.personal_data_erased"] == [
        {"erasure_id": "e-1", "service": "education"}
    ]
