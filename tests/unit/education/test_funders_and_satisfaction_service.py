"""Funders' invoices, the BPF and the satisfaction questionnaire through the education service's
entrypoints (worker_factory, real SQLite, no broker): a two-day session of four 3.5 h half-days
(14 h, 420 €: 30 €/h) with participants funded by an OPCO, the CPF, an employer and themselves."""

from datetime import timedelta
from decimal import Decimal

import pytest
from nameko.testing.services import worker_factory

from services.education import models
from services.education.service import EducationService
from services.education.settings import EducationSettings
from shared import migrate
from shared.errors import Conflict, Invalid, NotFound
from shared.events import new_event, validate_event
from shared.unit_of_work import Work
from tests.dates import DAY, at, set_clock

NEXT_DAY = DAY + timedelta(days=1)
COURSE = {
    "title": "Accueillir le jeune enfant",
    "objectives": "Préparer l'adaptation",
    "audience": "Professionnels de la petite enfance",
    "duration_hours": "14",
    "trainer": "Claire Petit",
    "price": "420",
    "funding": ["opco", "cpf", "employer", "self_funded"],
    "certification_code": "RNCP34690",  # CPF finances registered certifications only
}
PARTS = [
    (at(9), at(12, 30)),
    (at(13, 30), at(17)),
    (at(9, day=NEXT_DAY), at(12, 30, day=NEXT_DAY)),
    (at(13, 30, day=NEXT_DAY), at(17, day=NEXT_DAY)),
]
ALL_FOUR = {"objectives": 4, "content": 4, "trainer": 4, "organisation": 4}


@pytest.fixture
def service(tmp_path, monkeypatch):
    set_clock(monkeypatch, 10, day=DAY - timedelta(days=20))
    migrate.migrate("education", f"sqlite:///{tmp_path / 'education.db'}")
    models.database.connect()
    yield worker_factory(
        EducationService,
        uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"),
        settings=EducationSettings(),
    )
    models.database.close()


def confirmed_session(service, course=None):
    course = course or service.create_course(COURSE)
    planned = service.plan_session(
        {
            "course_id": course["id"],
            "room_id": "room-1",
            "capacity": 10,
            "min_participants": 1,
            "parts": [{"starts_at": s, "ends_at": e} for s, e in PARTS],
        }
    )
    payload = {
        "session_id": planned["id"],
        "room_id": "room-1",
        "room_name": "Salle Colibri",
        "reservation_ids": ["r1"],
        "request": 1,
    }
    service.room_reserved(validate_event(new_event("bookings.room_reserved", payload)))
    return service.get_session(planned["id"])


def enrol(service, session, name, funding, kind="external"):
    slug = name.lower().replace(" ", ".")
    if kind in ("trainee", "volunteer"):
        body = {"participant_kind": kind, "participant_id": f"{kind}-{slug}", "name": name, "funding": funding}
    else:
        body = {"participant_kind": kind, "name": name, "email": f"{slug}@example.fr", "funding": funding}
    return service.enrol(session["id"], body)


def attend(service, session, who, present_at):
    """Marks the participant present at the parts `present_at`, absent at the others."""
    for index in range(len(PARTS)):
        service.record_attendance(
            session["id"],
            {"part_index": index, "participant_id": who["participant_id"], "present": index in present_at},
        )


@pytest.fixture
def ended(service, monkeypatch):
    """The session after its last day: Ana (OPCO) misses the last afternoon (10.5 h), Bea (OPCO)
    and Lou (self-funded) did it all, Zoé (a trainee, CPF) the first day (7 h), Mia (employer)
    never came."""
    session = confirmed_session(service)
    people = {
        "ana": enrol(service, session, "Ana Lopes", "opco"),
        "bea": enrol(service, session, "Bea Roux", "opco", kind="professional"),
        "lou": enrol(service, session, "Lou Petit", "self_funded"),
        "zoe": enrol(service, session, "Zoé Klein", "cpf", kind="trainee"),
        "mia": enrol(service, session, "Mia Sow", "employer"),
    }
    set_clock(monkeypatch, 18, day=NEXT_DAY)
    attend(service, session, people["ana"], {0, 1, 2})
    attend(service, session, people["bea"], {0, 1, 2, 3})
    attend(service, session, people["lou"], {0, 1, 2, 3})
    attend(service, session, people["zoe"], {0, 1})
    attend(service, session, people["mia"], set())
    return session, people


# --- funders' invoices --------------------------------------------------------------------------------
def test_funders_are_invoiced_from_the_last_parts_day_only(service, monkeypatch):
    session = confirmed_session(service)
    enrol(service, session, "Ana Lopes", "opco")
    set_clock(monkeypatch, 18, day=DAY)
    with pytest.raises(Conflict) as early:
        service.issue_funder_invoices(session["id"])
    assert "n'est pas terminée" in early.value.message
    assert service.session_funder_invoices(session["id"]) == {"session_id": session["id"], "invoices": []}


def test_one_invoice_per_funder_for_the_hours_done_and_none_for_the_self_funded(service, ended):
    session, people = ended
    opco, cpf = service.issue_funder_invoices(session["id"])["invoices"]  # employer: Mia did no hour, nothing to bill
    year = NEXT_DAY.year
    assert (opco["number"], opco["funding"], opco["funder_name"]) == (f"FF-{year}-000001", "opco", "")
    assert (cpf["number"], cpf["funding"]) == (f"FF-{year}-000002", "cpf")
    assert opco["hourly_price"] == "30.0000"
    assert [(line["name"], line["hours"], line["amount"]) for line in opco["lines"]] == [
        ("Ana Lopes", "10.50", "315.00"),
        ("Bea Roux", "14.00", "420.00"),
    ]
    assert opco["total"] == "735.00"
    assert [(line["name"], line["hours"], line["amount"]) for line in cpf["lines"]] == [("Zoé Klein", "7.00", "210.00")]
    assert people["lou"]["participant_id"] not in {line["participant_id"] for line in opco["lines"] + cpf["lines"]}
    assert opco["session"]["title"] == COURSE["title"] and opco["course"]["price"] == "420.00"
    assert opco["issued_on"] == NEXT_DAY.isoformat()


def test_an_issued_invoice_never_changes_a_second_call_answers_the_same_and_a_correction_is_not_billed(service, ended):
    session, people = ended
    first = service.issue_funder_invoices(session["id"])
    service.record_attendance(
        session["id"], {"part_index": 3, "participant_id": people["ana"]["participant_id"], "present": True}
    )  # Ana's last afternoon, corrected after the invoices
    assert service.issue_funder_invoices(session["id"]) == first
    assert service.session_funder_invoices(session["id"]) == first
    opco = first["invoices"][0]
    assert service.get_funder_invoice(opco["id"]) == opco
    assert (opco["lines"][0]["hours"], opco["total"]) == ("10.50", "735.00")


def test_the_funders_numbers_follow_each_other_across_sessions(service, ended, monkeypatch):
    session, _ = ended
    service.issue_funder_invoices(session["id"])
    set_clock(monkeypatch, 10, day=DAY - timedelta(days=20))
    other = confirmed_session(service)
    bea = enrol(service, other, "Bea Roux", "employer", kind="professional")
    set_clock(monkeypatch, 18, day=NEXT_DAY)
    attend(service, other, bea, {0})
    [invoice] = service.issue_funder_invoices(other["id"])["invoices"]
    assert (invoice["number"], invoice["total"]) == (f"FF-{NEXT_DAY.year}-000003", "105.00")


def test_an_unknown_invoice_or_session_is_not_found(service):
    with pytest.raises(NotFound):
        service.get_funder_invoice("nope")
    with pytest.raises(NotFound):
        service.issue_funder_invoices("nope")


# --- the BPF ------------------------------------------------------------------------------------------
def test_the_bpf_hours_trainees_equal_the_sum_of_every_participants_hours_done(service, ended):
    session, _ = ended
    service.issue_funder_invoices(session["id"])
    sheet = service.attendance_sheet(session["id"])
    bpf = service.bpf_report(NEXT_DAY.year)
    assert Decimal(bpf["total"]["hours"]) == sum(Decimal(row["hours_attended"]) for row in sheet["rows"])
    assert (bpf["sessions"], bpf["total"]["trainees"], bpf["total"]["hours"]) == (1, 4, "45.50")  # Mia: 0 h


def test_the_bpf_income_is_the_funders_invoices_plus_the_self_funded_price(service, ended):
    session, _ = ended
    service.issue_funder_invoices(session["id"])
    bpf = service.bpf_report(NEXT_DAY.year)
    assert bpf["total"]["income"] == "1365.00"  # 735 (OPCO) + 210 (CPF) + 420 (Lou, self-funded)
    by_funding = {row["key"]: (row["trainees"], row["hours"], row["income"]) for row in bpf["by_funding"]}
    assert by_funding["opco"] == (2, "24.50", "735.00")
    assert by_funding["self_funded"] == (1, "14.00", "420.00")
    assert by_funding["employer"] == (0, "0.00", "0.00")
    by_kind = {row["key"]: row["trainees"] for row in bpf["by_kind"]}
    assert by_kind == {"professional": 1, "trainee": 1, "volunteer": 0, "external": 2}
    income_lines = {row["code"]: row["income"] for row in bpf["income_lines"]}
    assert (income_lines["2h"], income_lines["2e"], income_lines["9"]) == ("735.00", "210.00", "420.00")
    assert bpf["sessions_not_invoiced"] == []


def test_a_session_not_invoiced_yet_is_listed_and_brings_only_the_self_funded_price(service, ended):
    session, _ = ended
    bpf = service.bpf_report(NEXT_DAY.year)
    assert [s["id"] for s in bpf["sessions_not_invoiced"]] == [session["id"]]
    assert bpf["total"]["income"] == "420.00"


def test_a_year_without_sessions_that_ended_in_it_is_empty(service, ended):
    assert service.bpf_report(NEXT_DAY.year - 1)["total"] == {"trainees": 0, "hours": "0.00", "income": "0.00"}
    with pytest.raises(Invalid):
        service.bpf_report(1800)


# --- the satisfaction questionnaire ----------------------------------------------------------------------
def test_a_participant_answers_once_from_the_last_parts_day(service, monkeypatch):
    session = confirmed_session(service)
    zoe = enrol(service, session, "Zoé Klein", "cpf", kind="trainee")
    set_clock(monkeypatch, 18, day=DAY)
    form = service.satisfaction_form(session["id"], zoe["participant_id"])
    assert (form["open"], form["answered"], len(form["questions"]), len(form["scale"])) == (False, False, 4, 4)
    with pytest.raises(Conflict):
        service.answer_satisfaction(session["id"], zoe["participant_id"], ALL_FOUR)
    set_clock(monkeypatch, 9, day=NEXT_DAY)
    answered = service.answer_satisfaction(session["id"], zoe["participant_id"], {**ALL_FOUR, "comment": " Merci "})
    assert (answered["open"], answered["answered"]) == (True, True)
    with pytest.raises(Conflict) as again:
        service.answer_satisfaction(session["id"], zoe["participant_id"], ALL_FOUR)
    assert "déjà répondu" in again.value.message


def test_an_answer_off_the_scale_is_refused_question_by_question(service, ended):
    session, people = ended
    with pytest.raises(Invalid) as bad:
        service.answer_satisfaction(session["id"], people["ana"]["participant_id"], {"objectives": 5, "content": "3"})
    assert set(bad.value.fields) == {"objectives", "content", "trainer", "organisation"}


def test_someone_not_confirmed_in_the_session_has_no_questionnaire(service, ended):
    session, _ = ended
    with pytest.raises(NotFound):
        service.satisfaction_form(session["id"], "nobody")
    with pytest.raises(NotFound):
        service.answer_satisfaction(session["id"], "nobody", ALL_FOUR)


def test_the_results_count_each_answer_average_them_and_keep_the_comments_without_names(service, ended):
    session, people = ended
    service.answer_satisfaction(session["id"], people["ana"]["participant_id"], {**ALL_FOUR, "comment": "Très concret"})
    service.answer_satisfaction(session["id"], people["bea"]["participant_id"], {**ALL_FOUR, "objectives": 3})
    service.answer_satisfaction(
        session["id"], people["lou"]["participant_id"], {**ALL_FOUR, "objectives": 2, "comment": "  "}, "link"
    )
    results = service.satisfaction_results(session["id"])
    assert (results["participants"], results["respondents"], results["open"]) == (5, 3, True)
    objectives = results["questions"][0]
    assert objectives["key"] == "objectives"
    assert (objectives["counts"], objectives["answered"], objectives["average"]) == (
        {"1": 0, "2": 1, "3": 1, "4": 1},
        3,
        "3.00",
    )
    assert results["questions"][1]["average"] == "4.00"
    assert results["comments"] == ["Très concret"]
    answered = {p["name"]: p["answered"] for p in results["people"]}
    assert answered == {"Ana Lopes": True, "Bea Roux": True, "Lou Petit": True, "Zoé Klein": False, "Mia Sow": False}
