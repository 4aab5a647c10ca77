"""Learners' contracts through the education service's entrypoints (worker_factory, real SQLite,
the clock moved with set_clock): accepting the contrat de formation, the withdrawal period, the
retraction, payments (L6353-3 to -6), the convention's funder, CPF only with a certification code.
The session is on DAY (two parts, 120 €); planning and enrolment happen 20 days before."""

from datetime import datetime, timedelta

import pytest
from nameko.testing.services import worker_factory

from services.education import models
from services.education.service import EducationService
from services.education.settings import EducationSettings
from services.gateway import training_contracts
from services.gateway.training_documents import Organisation, long_day
from shared import migrate, timeutil
from shared.errors import Conflict, Invalid, NotFound
from shared.events import validate_event
from shared.unit_of_work import Work
from tests.dates import DAY, set_clock
from tests.pdf import pdf_text
from tests.unit.education.test_education_service import (
    AFTERNOON,
    COURSE,
    MORNING,
    confirmed_session,
    events,
    person,
    reserved,
)

ENROLLED_ON = DAY - timedelta(days=20)  # the fixture's clock: 10:00 that day
UNTIL = datetime.combine(ENROLLED_ON + timedelta(days=11), datetime.min.time(), tzinfo=timeutil.VENUE_TZ)
FIRST_DAY_TO_PAY = ENROLLED_ON + timedelta(days=11)
ORGANISATION = Organisation(
    address="12 rue des Lilas, 69003 Lyon", town="Lyon", representative="Marie Durand", declaration_number="84691234569"
)


@pytest.fixture
def service(tmp_path, monkeypatch):
    set_clock(monkeypatch, 10, day=ENROLLED_ON)
    migrate.migrate("education", f"sqlite:///{tmp_path / 'education.db'}")
    models.database.connect()
    yield worker_factory(
        EducationService,
        uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"),
        settings=EducationSettings(),
    )
    models.database.close()


def learner(service, session, name="Léa Martin", kind="trainee", funding="self_funded", **more):
    return service.enrol(session["id"], {**person(name, kind=kind, funding=funding), **more})


def accepted(service, session, name="Léa Martin"):
    enrolment = learner(service, session, name)
    return service.accept_contract(enrolment["id"], enrolment["participant_id"])


# --- the contract and the withdrawal period -----------------------------------------------------------
def test_a_self_funded_learner_keeps_their_place_and_has_a_contract_to_accept(service):
    enrolment = learner(service, confirmed_session(service))
    assert (enrolment["status"], enrolment["contract_status"]) == ("confirmed", "to_accept")
    assert enrolment["withdrawal_until"] is None and enrolment["payments"] == []


def test_accepting_starts_ten_days_to_withdraw_ending_at_midnight_after_the_tenth_day(service):
    enrolment = accepted(service, confirmed_session(service))
    assert enrolment["contract_status"] == "withdrawal_period"
    assert enrolment["withdrawal_until"] == UNTIL.isoformat()
    assert enrolment["withdrawal_last_day"] == (ENROLLED_ON + timedelta(days=10)).isoformat()
    assert (enrolment["contract_price"], enrolment["contract_accepted_by"]) == ("120.00", "participant")


def test_accepting_twice_keeps_the_first_period(service, monkeypatch):
    session = confirmed_session(service)
    first = accepted(service, session)
    set_clock(monkeypatch, 10, day=ENROLLED_ON + timedelta(days=3))
    again = service.accept_contract(first["id"], first["participant_id"])
    assert again["withdrawal_until"] == first["withdrawal_until"]


def test_a_learner_retracts_on_day_9_for_free_and_the_first_waiting_gets_the_place(service, monkeypatch):
    session = confirmed_session(service, capacity=1)
    enrolment = accepted(service, session)
    waiting = learner(service, session, "Zoé Klein", kind="external", funding="employer")
    assert waiting["status"] == "waitlisted"
    set_clock(monkeypatch, 18, day=ENROLLED_ON + timedelta(days=9))
    retracted = service.retract_enrolment(enrolment["id"], enrolment["participant_id"])
    assert (retracted["status"], retracted["contract_status"]) == ("retracted", "retracted")
    assert retracted["paid_total"] == "0.00"
    [told] = events("education.enrolment_retracted")
    assert validate_event(told)["payload"]["enrolment_id"] == enrolment["id"]
    promoted = [e["payload"] for e in events("education.enrolment_confirmed") if e["payload"]["promoted"]]
    assert [p["enrolment_id"] for p in promoted] == [waiting["id"]]
    assert events("education.enrolment_cancelled") == []  # a retraction, not a cancellation


def test_the_last_minute_of_day_10_is_still_in_time(service, monkeypatch):
    enrolment = accepted(service, confirmed_session(service))
    set_clock(monkeypatch, 23, 59, day=ENROLLED_ON + timedelta(days=10))
    assert service.retract_enrolment(enrolment["id"])["status"] == "retracted"  # staff, for a letter received


def test_retracting_on_day_11_is_refused_and_the_place_is_kept(service, monkeypatch):
    enrolment = accepted(service, confirmed_session(service))
    set_clock(monkeypatch, 0, 0, day=ENROLLED_ON + timedelta(days=11))
    with pytest.raises(Conflict) as late:
        service.retract_enrolment(enrolment["id"], enrolment["participant_id"])
    assert f"{ENROLLED_ON + timedelta(days=10):%d/%m/%Y}" in late.value.message
    [mine] = service.list_participant_enrolments(enrolment["participant_id"])
    assert (mine["status"], mine["contract_status"]) == ("confirmed", "in_force")


def test_without_an_accepted_contract_there_is_nothing_to_retract(service):
    enrolment = learner(service, confirmed_session(service))
    with pytest.raises(Conflict, match="annulez-la"):
        service.retract_enrolment(enrolment["id"], enrolment["participant_id"])


def test_a_retracted_enrolment_is_neither_cancelled_nor_retracted_again_and_the_person_may_enrol_again(service):
    session = confirmed_session(service)
    enrolment = accepted(service, session)
    service.retract_enrolment(enrolment["id"])
    with pytest.raises(Conflict, match="rétractation"):
        service.cancel_enrolment(enrolment["id"])
    with pytest.raises(Conflict, match="déjà rétractée"):
        service.retract_enrolment(enrolment["id"])
    assert learner(service, session)["status"] == "confirmed"
    retracted = service.list_enrolments(session["id"], {"status": "retracted"})["items"]
    assert [e["id"] for e in retracted] == [enrolment["id"]]


def test_staff_accept_for_a_person_without_an_account_but_not_for_a_trainee(service):
    session = confirmed_session(service)
    trainee = learner(service, session)
    with pytest.raises(Conflict, match="a un compte"):
        service.accept_contract(trainee["id"])
    external = learner(service, session, "Ana Lopes", kind="external")
    assert service.accept_contract(external["id"])["contract_accepted_by"] == "staff"


def test_a_learner_accepts_or_retracts_only_their_own_contract(service):
    session = confirmed_session(service)
    lea = learner(service, session)
    with pytest.raises(NotFound):
        service.accept_contract(lea["id"], "trainee-someone.else")
    with pytest.raises(NotFound):
        service.retract_enrolment(lea["id"], "trainee-someone.else")


def test_an_employer_funded_enrolment_has_no_contract_but_its_funder_for_the_convention(service):
    session = confirmed_session(service)
    funded = learner(
        service,
        session,
        "Ana Lopes",
        kind="external",
        funding="employer",
        funder_name=" Crèche Les Lucioles ",
        agreement_number="CV-2027-014",
    )
    assert (funded["contract_status"], funded["convention"]) == ("not_needed", True)
    assert (funded["funder_name"], funded["agreement_number"]) == ("Crèche Les Lucioles", "CV-2027-014")
    with pytest.raises(Conflict, match="convention"):
        service.accept_contract(funded["id"])
    with pytest.raises(Conflict, match="facturée au financeur"):
        service.record_payment(funded["id"], {"amount": "10", "paid_on": DAY.isoformat()})


def test_the_contract_is_signed_before_the_session_starts(service, monkeypatch):
    enrolment = learner(service, confirmed_session(service))
    set_clock(monkeypatch, 9, 30, day=DAY)
    with pytest.raises(Conflict, match="avant la formation"):
        service.accept_contract(enrolment["id"], enrolment["participant_id"])


# --- payments --------------------------------------------------------------------------------------------
def pay(service, enrolment, amount, paid_on):
    return service.record_payment(enrolment["id"], {"amount": amount, "paid_on": paid_on.isoformat()})


def test_no_payment_before_the_contract_is_accepted(service):
    enrolment = learner(service, confirmed_session(service))
    with pytest.raises(Conflict, match="pas encore accepté"):
        pay(service, enrolment, "10", ENROLLED_ON)


def test_no_payment_during_the_withdrawal_period(service, monkeypatch):
    enrolment = accepted(service, confirmed_session(service))
    set_clock(monkeypatch, 18, day=FIRST_DAY_TO_PAY - timedelta(days=1))
    with pytest.raises(Conflict, match="délai de rétractation court encore"):
        pay(service, enrolment, "10", FIRST_DAY_TO_PAY - timedelta(days=1))


def test_above_thirty_percent_is_refused_before_the_end_and_accepted_after(service, monkeypatch):
    enrolment = accepted(service, confirmed_session(service))
    set_clock(monkeypatch, 9, day=FIRST_DAY_TO_PAY)
    first = pay(service, enrolment, "30", FIRST_DAY_TO_PAY)
    assert (first["paid_total"], [p["amount"] for p in first["payments"]]) == ("30.00", ["30.00"])
    with pytest.raises(Conflict) as too_much:
        pay(service, enrolment, "6.01", FIRST_DAY_TO_PAY)
    assert "36,00\u00a0€" in too_much.value.message and list(too_much.value.fields) == ["amount"]
    assert pay(service, enrolment, "6", FIRST_DAY_TO_PAY)["paid_total"] == "36.00"  # exactly 30 % of 120 €
    after = DAY + timedelta(days=1)
    set_clock(monkeypatch, 9, day=after)
    assert pay(service, enrolment, "84", after)["paid_total"] == "120.00"  # the balance, after the end
    with pytest.raises(Conflict, match="prix convenu"):
        pay(service, enrolment, "0.01", after)


def test_a_payment_dated_in_the_future_is_a_field_error(service, monkeypatch):
    enrolment = accepted(service, confirmed_session(service))
    set_clock(monkeypatch, 9, day=FIRST_DAY_TO_PAY)
    with pytest.raises(Invalid) as future:
        pay(service, enrolment, "10", FIRST_DAY_TO_PAY + timedelta(days=1))
    assert list(future.value.fields) == ["paid_on"]
    with pytest.raises(Invalid) as zero:
        pay(service, enrolment, "0", FIRST_DAY_TO_PAY)
    assert list(zero.value.fields) == ["amount"]


def test_the_payments_are_listed_on_the_sessions_enrolments(service, monkeypatch):
    session = confirmed_session(service)
    enrolment = accepted(service, session)
    set_clock(monkeypatch, 9, day=FIRST_DAY_TO_PAY)
    pay(service, enrolment, "20", FIRST_DAY_TO_PAY)
    [listed] = service.list_enrolments(session["id"], {})["items"]
    assert (listed["paid_total"], listed["payments"][0]["paid_on"]) == ("20.00", FIRST_DAY_TO_PAY.isoformat())


# --- CPF ------------------------------------------------------------------------------------------------
def test_a_course_accepting_cpf_without_a_certification_code_is_refused_on_that_field(service):
    with pytest.raises(Invalid) as refused:
        service.create_course(dict(COURSE, certification_code=""))
    assert list(refused.value.fields) == ["certification_code"]


def test_a_certification_code_is_kept_as_france_competences_writes_it_and_a_wrong_one_refused(service):
    assert service.create_course(dict(COURSE, certification_code=" rncp 34690"))["certification_code"] == "RNCP34690"
    with pytest.raises(Invalid) as wrong:
        service.create_course(dict(COURSE, certification_code="CQP-12"))
    assert list(wrong.value.fields) == ["certification_code"]


def test_an_enrolment_funded_by_cpf_on_a_course_without_a_code_is_refused(service):
    course = service.create_course(dict(COURSE, funding=["opco"], certification_code=""))
    planned = service.plan_session(
        {
            "course_id": course["id"],
            "room_id": "room-1",
            "capacity": 2,
            "min_participants": 1,
            "parts": [{"starts_at": s, "ends_at": e} for s, e in (MORNING, AFTERNOON)],
        }
    )
    session = reserved(service, planned)
    with pytest.raises(Invalid) as refused:
        learner(service, session, funding="cpf")
    assert list(refused.value.fields) == ["funding"]
    assert learner(service, session, funding="opco")["status"] == "confirmed"


# --- the documents ----------------------------------------------------------------------------------------
def test_the_contract_pdf_has_the_mentions_of_l6353_4_and_the_withdrawal_right(service):
    enrolment = accepted(service, confirmed_session(service))
    detail = service.get_enrolment(enrolment["id"], enrolment["participant_id"])
    assert detail["course"]["title"] == COURSE["title"] and detail["session"]["id"] == enrolment["session_id"]
    text = pdf_text(training_contracts.contract_pdf(detail, ORGANISATION))
    for mention in (
        "Contrat de formation professionnelle",
        "L6353-3",
        "Léa Martin",
        COURSE["title"],
        COURSE["objectives"],  # the programme and its object
        "action de formation",  # the nature
        "7 h",  # the duration
        "2 places",  # the numbers it concerns (effectifs)
        "Niveau de connaissances préalables",
        "Claire Petit",  # who trains
        "120,00 €",  # the price
        "36,00 €",  # at most 30 % after the period
        "dix jours",
        long_day(ENROLLED_ON + timedelta(days=10)),  # the period's last day
        "84691234569",  # the numéro de déclaration d'activité
        "accepté en ligne",
    ):
        assert mention in text, mention


def test_the_convention_pdf_names_the_funder_and_the_agreement_number(service):
    session = confirmed_session(service)
    funded = learner(
        service,
        session,
        "Ana Lopes",
        kind="external",
        funding="opco",
        funder_name="OPCO EP",
        agreement_number="AC-778",
    )
    detail = service.get_enrolment(funded["id"])
    text = pdf_text(training_contracts.convention_pdf(detail, ORGANISATION))
    for mention in ("Convention de formation", "OPCO EP", "AC-778", "Ana Lopes", COURSE["title"], "120,00 €"):
        assert mention in text, mention


def test_another_persons_enrolment_is_not_found(service):
    enrolment = learner(service, confirmed_session(service))
    with pytest.raises(NotFound):
        service.get_enrolment(enrolment["id"], "trainee-someone.else")
