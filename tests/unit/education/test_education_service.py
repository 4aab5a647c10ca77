"""The education service's entrypoints with nameko's worker_factory: real SQLite, no broker.
Bookings' answers are handed to the handlers as validated envelopes, as the bus would."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from nameko.testing.services import worker_factory

from services.education import models
from services.education.service import EducationService, sweep_seconds
from services.education.settings import EducationSettings
from shared import migrate
from shared.errors import Conflict, Invalid, NotFound
from shared.events import new_event, validate_event
from shared.unit_of_work import Work
from tests.dates import DAY, at, set_clock

COURSE = {
    "title": "Premiers secours petite enfance",
    "objectives": "Réagir face à un accident d'enfant",
    "audience": "Professionnels de la petite enfance",
    "duration_hours": "7",
    "trainer": "Claire Petit",
    "price": "120",
    "funding": ["opco", "cpf", "opco"],
    "certification_code": "RS5612",  # CPF needs one (L6323-6)
}
MORNING, AFTERNOON = (at(9), at(12, 30)), (at(13, 30), at(17))  # 3.5 h each, on DAY
NEXT_DAY = DAY + timedelta(days=1)


@pytest.fixture
def service(tmp_path, monkeypatch):
    set_clock(monkeypatch, 10, day=DAY - timedelta(days=20))  # planning time: 20 days ahead
    migrate.migrate("education", f"sqlite:///{tmp_path / 'education.db'}")
    models.database.connect()
    yield worker_factory(
        EducationService,
        uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"),
        settings=EducationSettings(),
    )
    models.database.close()


def events(kind=None):
    found = [json.loads(row.body) for row in models.Outbox.select().order_by(models.Outbox.id)]
    return [e for e in found if kind is None or e["type"] == kind]


def plan(service, *parts, capacity=2, min_participants=1, room_id="room-1"):
    course = service.create_course(COURSE)
    return service.plan_session(
        {
            "course_id": course["id"],
            "room_id": room_id,
            "capacity": capacity,
            "min_participants": min_participants,
            "parts": [{"starts_at": s, "ends_at": e} for s, e in (parts or (MORNING, AFTERNOON))],
        }
    )


def reserved(service, session, request=1, room_name="Salle Colibri"):
    payload = {
        "session_id": session["id"],
        "room_id": session["room_id"],
        "room_name": room_name,
        "reservation_ids": ["r1", "r2"],
        "request": request,
    }
    service.room_reserved(validate_event(new_event("bookings.room_reserved", payload)))
    return service.get_session(session["id"])


def refused(service, session, request=1, reason="La salle est déjà prise par l'activité « Conte »."):
    payload = {"session_id": session["id"], "room_id": session["room_id"], "reason": reason, "request": request}
    service.room_refused(validate_event(new_event("bookings.room_reservation_refused", payload)))
    return service.get_session(session["id"])


def confirmed_session(service, *parts, **kwargs):
    return reserved(service, plan(service, *parts, **kwargs))


def person(name, kind="external", funding="employer"):
    slug = name.lower().replace(" ", ".")
    if kind in ("trainee", "volunteer"):
        return {"participant_kind": kind, "participant_id": f"{kind}-{slug}", "name": name, "funding": funding}
    return {"participant_kind": kind, "name": name, "email": f"{slug}@example.fr", "funding": funding}


# --- courses --------------------------------------------------------------------------------------
def test_a_course_keeps_its_hours_and_price_as_strings_and_each_funding_once(service):
    course = service.create_course(COURSE)
    assert (course["duration_hours"], course["price"], course["funding"]) == ("7.00", "120.00", ["opco", "cpf"])
    assert course["prerequisites"] == ""
    assert service.get_course(course["id"]) == course
    assert service.list_courses({})["items"] == [course]


def test_a_course_with_an_unknown_funding_or_no_hours_is_refused_field_by_field(service):
    with pytest.raises(Invalid) as bad:
        service.create_course(dict(COURSE, funding=["lottery"], duration_hours="0"))
    assert set(bad.value.fields) == {"funding", "duration_hours"}


def test_an_unknown_course_is_not_found(service):
    with pytest.raises(NotFound):
        service.get_course("nope")


# --- planning ---------------------------------------------------------------------------------------
def test_planning_asks_for_the_room_for_every_part_in_time_order_in_the_same_transaction(service):
    session = plan(service, AFTERNOON, MORNING)
    assert session["status"] == "planned" and session["request"] == 1
    assert [p["index"] for p in session["parts"]] == [0, 1]
    assert session["parts"][0]["starts_at"] == MORNING[0]
    assert (session["hours"], session["starts_at"], session["ends_at"]) == ("7.00", MORNING[0], AFTERNOON[1])
    assert session["room_name"] is None and session["enrolment_open"] is False
    planned, requested = events()
    assert planned["type"] == "education.session_planned"
    assert requested["type"] == "education.room_reservation_requested"
    assert requested["payload"]["request"] == 1
    assert [p["starts_at"] for p in requested["payload"]["parts"]] == [MORNING[0], AFTERNOON[0]]


@pytest.mark.parametrize(
    "parts, sentence",
    [
        ([(at(10), at(9))], "la fin doit suivre le début"),
        ([(at(20), at(9, day=NEXT_DAY))], "le même jour"),
        ([(at(9), at(12)), (at(11), at(13))], "se chevauchent"),
        ([(at(9, day=DAY - timedelta(days=30)), at(12, day=DAY - timedelta(days=30)))], "dans le passé"),
    ],
    ids=["backwards", "over_midnight", "overlapping", "in_the_past"],
)
def test_parts_that_cannot_be_planned_are_refused_with_a_sentence_on_parts(service, parts, sentence):
    with pytest.raises(Invalid) as refused_parts:
        plan(service, *parts)
    assert sentence in " ".join(refused_parts.value.fields["parts"])
    assert events() == []


def test_eleven_parts_are_too_many_and_ten_are_planned(service):
    days = [DAY + timedelta(days=n) for n in range(11)]
    with pytest.raises(Invalid) as too_many:
        plan(service, *[(at(9, day=d), at(12, day=d)) for d in days])
    assert "parts" in too_many.value.fields
    assert len(plan(service, *[(at(9, day=d), at(12, day=d)) for d in days[:10]])["parts"]) == 10


def test_a_minimum_above_the_capacity_and_an_unknown_course_are_field_errors(service):
    with pytest.raises(Invalid) as minimum:
        plan(service, capacity=2, min_participants=3)
    assert "min_participants" in minimum.value.fields
    with pytest.raises(Invalid) as unknown:
        service.plan_session(
            {
                "course_id": "nope",
                "room_id": "r",
                "capacity": 2,
                "min_participants": 1,
                "parts": [dict(zip(("starts_at", "ends_at"), MORNING, strict=True))],
            }
        )
    assert "course_id" in unknown.value.fields


# --- the room saga ------------------------------------------------------------------------------------
def test_the_room_reserved_confirms_the_session_once_with_the_room_name(service):
    session = plan(service)
    after = reserved(service, session)
    assert (after["status"], after["room_name"], after["enrolment_open"]) == ("confirmed", "Salle Colibri", True)
    assert reserved(service, session)["status"] == "confirmed"  # the same answer again
    [confirmed] = events("education.session_confirmed")
    assert confirmed["payload"]["room_name"] == "Salle Colibri"


def test_a_refusal_shows_the_clash_bookings_reported(service):
    after = refused(service, plan(service))
    assert after["status"] == "room_refused"
    assert after["refusal_reason"] == "La salle est déjà prise par l'activité « Conte »."
    [told] = events("education.session_room_refused")
    assert told["payload"]["reason"] == after["refusal_reason"]


def test_a_retry_is_a_new_request_and_the_older_requests_answer_changes_nothing(service):
    session = refused(service, plan(service))
    retried = service.retry_room(session["id"], {"room_id": "room-2"})
    assert (retried["status"], retried["request"], retried["room_id"], retried["refusal_reason"]) == (
        "planned",
        2,
        "room-2",
        "",
    )
    assert events("education.room_reservation_requested")[-1]["payload"]["request"] == 2
    assert reserved(service, session, request=1)["status"] == "planned"  # request 1's late answer
    assert reserved(service, session, request=2)["status"] == "confirmed"


def test_a_retry_without_a_room_asks_for_the_same_room(service):
    session = refused(service, plan(service))
    assert service.retry_room(session["id"], {})["room_id"] == "room-1"


def test_only_a_refused_or_waiting_session_can_be_retried(service):
    session = confirmed_session(service)
    with pytest.raises(Conflict) as refused_retry:
        service.retry_room(session["id"], {})
    assert "room_id" in refused_retry.value.fields


def test_an_answer_after_the_cancellation_changes_nothing(service):
    session = plan(service)
    service.cancel_session(session["id"], {"reason": "Formatrice malade"})
    assert reserved(service, session)["status"] == "cancelled"
    assert refused(service, session)["status"] == "cancelled"
    assert events("education.session_confirmed") == []


def test_no_answer_within_the_timeout_marks_the_session_waiting_and_a_late_answer_still_settles_it(
    service, monkeypatch
):
    session = plan(service)
    timeout = service.settings.room_timeout_seconds
    planned_at = DAY - timedelta(days=20)
    set_clock(monkeypatch, 10, 0, day=planned_at)
    assert service.mark_waiting() == []
    from shared import timeutil

    later = timeutil.now_utc() + timedelta(seconds=timeout - 1)
    monkeypatch.setattr(timeutil, "now_utc", lambda: later)
    assert service.mark_waiting() == []  # one second before the timeout
    later = later + timedelta(seconds=1)
    monkeypatch.setattr(timeutil, "now_utc", lambda: later)
    assert service.mark_waiting() == [session["id"]]
    assert service.get_session(session["id"])["status"] == "waiting"
    assert reserved(service, session)["status"] == "confirmed"


def test_the_timer_checks_a_quarter_of_the_timeout_between_one_and_ten_seconds():
    assert (sweep_seconds(2), sweep_seconds(20), sweep_seconds(120)) == (1, 5, 10)


def test_cancelling_a_session_cancels_each_live_enrolment_once(service):
    session = confirmed_session(service, capacity=1)
    ana = service.enrol(session["id"], person("Ana Lopes"))
    bea = service.enrol(session["id"], person("Bea Roux"))  # waitlisted
    cancelled = service.cancel_session(session["id"], {"reason": "Trop peu d'inscrits"})
    assert (cancelled["status"], cancelled["cancel_reason"]) == ("cancelled", "Trop peu d'inscrits")
    told = events("education.enrolment_cancelled")
    assert sorted(e["payload"]["enrolment_id"] for e in told) == sorted([ana["id"], bea["id"]])
    assert {e["payload"]["reason"] for e in told} == {"Trop peu d'inscrits"}
    assert events("education.session_cancelled")[0]["payload"]["reason"] == "Trop peu d'inscrits"
    with pytest.raises(Conflict):
        service.cancel_session(session["id"], {"reason": "encore"})


def test_a_cancellation_needs_a_reason(service):
    with pytest.raises(Invalid) as no_reason:
        service.cancel_session(plan(service)["id"], {"reason": ""})
    assert "reason" in no_reason.value.fields


# --- enrolment ------------------------------------------------------------------------------------------
def test_places_are_confirmed_until_full_then_the_waiting_list_in_order(service):
    session = confirmed_session(service, capacity=2)
    first = service.enrol(session["id"], person("Ana Lopes"))
    second = service.enrol(session["id"], person("Léa Martin", kind="trainee", funding="france_travail"))
    third = service.enrol(session["id"], person("Bea Roux"))
    fourth = service.enrol(session["id"], person("Zoé Klein", kind="volunteer", funding="self_funded"))
    assert [e["status"] for e in (first, second, third, fourth)] == [
        "confirmed",
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]
    assert [e["position"] for e in (first, third, fourth)] == [None, 1, 2]
    assert second["participant_id"] == "trainee-léa.martin" and first["participant_id"]  # an id given to Ana
    after = service.get_session(session["id"])
    assert (after["confirmed_count"], after["waitlisted_count"], after["places_left"]) == (2, 2, 0)
    assert [e["payload"]["position"] for e in events("education.enrolment_waitlisted")] == [1, 2]


def test_a_cancelled_place_goes_to_the_first_waiting_who_is_told_promoted(service):
    session = confirmed_session(service, capacity=1)
    first = service.enrol(session["id"], person("Ana Lopes"))
    waiting = service.enrol(session["id"], person("Bea Roux"))
    service.enrol(session["id"], person("Zoé Klein"))
    cancelled = service.cancel_enrolment(first["id"])
    assert (cancelled["status"], cancelled["cancel_reason"]) == ("cancelled", "Annulée par l'équipe.")
    promoted = [e["payload"] for e in events("education.enrolment_confirmed") if e["payload"]["promoted"]]
    assert [p["enrolment_id"] for p in promoted] == [waiting["id"]]
    listed = service.list_enrolments(session["id"], {"status": "waitlisted"})["items"]
    assert [(e["name"], e["position"]) for e in listed] == [("Zoé Klein", 1)]


def test_a_waiting_persons_cancellation_promotes_nobody(service):
    session = confirmed_session(service, capacity=1)
    service.enrol(session["id"], person("Ana Lopes"))
    waiting = service.enrol(session["id"], person("Bea Roux"))
    service.cancel_enrolment(waiting["id"])
    assert [e["payload"]["promoted"] for e in events("education.enrolment_confirmed")] == [False]


def test_a_participant_cancels_only_their_own_enrolment(service):
    session = confirmed_session(service)
    mine = service.enrol(session["id"], person("Léa Martin", kind="trainee"))
    with pytest.raises(NotFound):
        service.cancel_enrolment(mine["id"], "trainee-someone-else")
    assert service.cancel_enrolment(mine["id"], mine["participant_id"])["cancel_reason"] == (
        "Annulée par la personne inscrite."
    )
    with pytest.raises(Conflict):
        service.cancel_enrolment(mine["id"], mine["participant_id"])


def test_enrolment_waits_for_the_rooms_confirmation_and_stops_at_cancellation(service):
    session = plan(service)
    with pytest.raises(Conflict) as planned:
        service.enrol(session["id"], person("Ana Lopes"))
    assert "pas encore confirmée" in planned.value.message
    service.cancel_session(session["id"], {"reason": "Annulée"})
    with pytest.raises(Conflict) as cancelled:
        service.enrol(session["id"], person("Ana Lopes"))
    assert "annulée" in cancelled.value.message


def test_enrolment_closes_when_the_first_part_starts(service, monkeypatch):
    session = confirmed_session(service)
    set_clock(monkeypatch, 8, 59, day=DAY)
    assert service.enrol(session["id"], person("Ana Lopes"))["status"] == "confirmed"
    set_clock(monkeypatch, 9, 0, day=DAY)
    with pytest.raises(Conflict) as closed:
        service.enrol(session["id"], person("Bea Roux"))
    assert "inscriptions sont closes" in closed.value.message
    assert service.get_session(session["id"])["enrolment_open"] is False


def test_the_same_person_cannot_enrol_twice_in_a_session(service):
    session = confirmed_session(service)
    service.enrol(session["id"], person("Léa Martin", kind="trainee"))
    with pytest.raises(Conflict) as twice:
        service.enrol(session["id"], person("Léa Martin", kind="trainee"))
    assert "participant_id" in twice.value.fields
    service.enrol(session["id"], person("Ana Lopes"))
    with pytest.raises(Conflict) as same_email:
        service.enrol(session["id"], dict(person("Ana Lopes"), email="ANA.LOPES@example.fr"))
    assert "email" in same_email.value.fields


@pytest.mark.parametrize(
    "data, field",
    [
        ({"participant_kind": "trainee", "name": "Léa", "funding": "cpf"}, "participant_id"),
        ({"participant_kind": "external", "name": "Ana", "funding": "cpf"}, "email"),
        ({"participant_kind": "external", "name": "Ana", "email": "ana@", "funding": "cpf"}, "email"),
        (
            {
                "participant_kind": "professional",
                "participant_id": "x",
                "name": "Ana",
                "email": "a@b.fr",
                "funding": "cpf",
            },
            "participant_id",
        ),
        ({"participant_kind": "external", "name": "Ana", "email": "a@b.fr", "funding": "loto"}, "funding"),
        ({"participant_kind": "parent", "name": "Ana", "email": "a@b.fr", "funding": "cpf"}, "participant_kind"),
        ({"participant_kind": "external", "name": "   ", "email": "a@b.fr", "funding": "cpf"}, "name"),
    ],
    ids=[
        "trainee_without_id",
        "external_without_email",
        "bad_email",
        "professional_with_an_id",
        "funding",
        "kind",
        "blank_name",
    ],
)
def test_an_enrolment_missing_who_or_how_it_is_funded_is_refused_on_that_field(service, data, field):
    session = confirmed_session(service)
    with pytest.raises(Invalid) as refused_enrolment:
        service.enrol(session["id"], data)
    assert field in refused_enrolment.value.fields


def test_a_confirmed_session_under_its_minimum_is_flagged_from_seven_days_before(service, monkeypatch):
    session = confirmed_session(service, capacity=3, min_participants=2)
    service.enrol(session["id"], person("Ana Lopes"))
    set_clock(monkeypatch, 8, 59, day=DAY - timedelta(days=7))
    assert service.get_session(session["id"])["under_minimum"] is False
    set_clock(monkeypatch, 9, 0, day=DAY - timedelta(days=7))
    assert service.get_session(session["id"])["under_minimum"] is True
    service.enrol(session["id"], person("Bea Roux"))
    assert service.get_session(session["id"])["under_minimum"] is False


def test_a_persons_enrolments_come_with_their_session(service):
    session = confirmed_session(service, capacity=1)
    service.enrol(session["id"], person("Ana Lopes"))
    mine = service.enrol(session["id"], person("Léa Martin", kind="trainee"))
    [listed] = service.list_participant_enrolments(mine["participant_id"])
    assert (listed["id"], listed["status"], listed["position"]) == (mine["id"], "waitlisted", 1)
    assert (listed["session"]["title"], listed["session"]["starts_at"]) == (COURSE["title"], MORNING[0])


def test_open_sessions_are_the_confirmed_ones_not_started(service):
    open_one = confirmed_session(service)
    plan(service)  # planned: not open yet
    listed = service.list_sessions({"open_to": "trainee"})["items"]
    assert [s["id"] for s in listed] == [open_one["id"]]
    assert [s["status"] for s in service.list_sessions({"status": "planned"})["items"]] == ["planned"]


# --- attendance -------------------------------------------------------------------------------------------
@pytest.fixture
def running(service, monkeypatch):
    """A confirmed session of two 3.5 h parts on DAY with Ana and Léa; the clock at DAY 18:00."""
    session = confirmed_session(service, capacity=3)
    ana = service.enrol(session["id"], person("Ana Lopes"))
    lea = service.enrol(session["id"], person("Léa Martin", kind="trainee"))
    set_clock(monkeypatch, 18, day=DAY)
    return session, ana, lea


def test_a_mark_is_recorded_once_per_part_and_a_correction_is_a_new_revision(service, running):
    session, ana, _ = running
    mark = {"part_index": 0, "participant_id": ana["participant_id"], "present": True}
    assert service.record_attendance(session["id"], mark)["revision"] == 1
    assert service.record_attendance(session["id"], mark)["revision"] == 1  # the same tap again
    corrected = service.record_attendance(session["id"], dict(mark, present=False))
    assert (corrected["present"], corrected["revision"]) == (False, 2)
    told = [e["payload"] for e in events("education.attendance_recorded")]
    assert [(t["present"], t["revision"], t["hours"]) for t in told] == [(True, 1, "3.50"), (False, 2, "3.50")]
    assert told[0]["participant_kind"] == "external"


def test_the_trainers_mark_is_on_the_sheet_but_sent_to_nobody(service, running):
    session, _, _ = running
    service.record_attendance(session["id"], {"part_index": 1, "participant_id": "trainer", "present": True})
    trainer = service.attendance_sheet(session["id"])["trainer"]
    assert trainer[0] is None and (trainer[1]["present"], trainer[1]["signed"]) == (True, False)
    assert events("education.attendance_recorded") == []


def test_a_part_whose_day_has_not_come_cannot_be_marked(service, monkeypatch):
    session = confirmed_session(service)
    ana = service.enrol(session["id"], person("Ana Lopes"))
    set_clock(monkeypatch, 23, 59, day=DAY - timedelta(days=1))
    with pytest.raises(Conflict) as early:
        service.record_attendance(
            session["id"], {"part_index": 0, "participant_id": ana["participant_id"], "present": True}
        )
    assert "part_index" in early.value.fields
    set_clock(monkeypatch, 0, 1, day=DAY)  # the part's day, before it starts: signed on the day
    assert (
        service.record_attendance(
            session["id"], {"part_index": 0, "participant_id": ana["participant_id"], "present": True}
        )["revision"]
        == 1
    )


def test_someone_without_a_confirmed_place_or_an_unknown_part_cannot_be_marked(service, running):
    session, _, _ = running
    with pytest.raises(Invalid) as stranger:
        service.record_attendance(session["id"], {"part_index": 0, "participant_id": "nobody", "present": True})
    assert "participant_id" in stranger.value.fields
    with pytest.raises(Invalid) as no_part:
        service.record_attendance(session["id"], {"part_index": 2, "participant_id": "trainer", "present": True})
    assert "part_index" in no_part.value.fields


def test_a_cancelled_session_has_no_attendance(service, monkeypatch):
    session = confirmed_session(service)
    service.cancel_session(session["id"], {"reason": "Annulée"})
    set_clock(monkeypatch, 18, day=DAY)
    with pytest.raises(Conflict) as cancelled:
        service.record_attendance(session["id"], {"part_index": 0, "participant_id": "trainer", "present": True})
    assert "annulée" in cancelled.value.message


def test_the_sheet_gives_each_participants_marks_rate_certificate_and_assiduity(service, running):
    session, ana, lea = running
    for index in (0, 1):
        service.record_attendance(
            session["id"], {"part_index": index, "participant_id": ana["participant_id"], "present": True}
        )
    service.record_attendance(
        session["id"], {"part_index": 0, "participant_id": lea["participant_id"], "present": True}
    )
    service.record_attendance(
        session["id"], {"part_index": 1, "participant_id": lea["participant_id"], "present": False}
    )
    sheet = service.attendance_sheet(session["id"])
    rows = {r["name"]: r for r in sheet["rows"]}
    ana_row, lea_row = rows["Ana Lopes"], rows["Léa Martin"]
    assert ([m["present"] for m in ana_row["marks"]], ana_row["rate"], ana_row["eligible"], ana_row["assiduity"]) == (
        [True, True],
        "1.00",
        True,
        True,
    )
    # hours done: her certificates can be issued, with the mention under the threshold
    assert (lea_row["hours_attended"], lea_row["rate"], lea_row["eligible"], lea_row["assiduity"]) == (
        "3.50",
        "0.50",
        True,
        False,
    )
    assert rows["Ana Lopes"]["certificate"] is None


# --- certificates --------------------------------------------------------------------------------------------
def test_a_certificate_is_numbered_once_and_a_second_call_answers_the_same_numbers(service, running):
    session, ana, _ = running
    for index in (0, 1):
        service.record_attendance(
            session["id"], {"part_index": index, "participant_id": ana["participant_id"], "present": True}
        )
    first = service.issue_certificate(session["id"], ana["participant_id"])
    year = DAY.year
    assert (first["attestation_number"], first["realisation_number"]) == (f"AFF-{year}-0001", f"CR-{year}-0001")
    assert (first["hours_attended"], first["session_hours"], first["rate"]) == ("7.00", "7.00", "1.00")
    assert first["assiduity"] is True and first["evaluation"] is None and first["employer_name"] == ""
    assert first["course"]["objectives"] == COURSE["objectives"] and first["session"]["id"] == session["id"]
    assert first["session"]["starts_at"] == MORNING[0]  # the nested session's times, in the venue's zone
    assert service.issue_certificate(session["id"], ana["participant_id"]) == first
    assert len(events("education.certificate_issued")) == 1
    assert service.participant_certificates(ana["participant_id"]) == [first]
    assert (
        service.attendance_sheet(session["id"])["rows"][0]["certificate"]["attestation_number"]
        == first["attestation_number"]
    )


def test_certificate_numbers_follow_each_other_within_the_year(service, running):
    session, ana, lea = running
    for who in (ana, lea):
        for index in (0, 1):
            service.record_attendance(
                session["id"], {"part_index": index, "participant_id": who["participant_id"], "present": True}
            )
    numbers = [service.issue_certificate(session["id"], w["participant_id"])["attestation_number"] for w in (ana, lea)]
    assert numbers == [f"AFF-{DAY.year}-0001", f"AFF-{DAY.year}-0002"]


def test_at_75_percent_both_certificates_are_issued_with_the_mention_below_the_threshold(service, monkeypatch):
    session = confirmed_session(service, (at(9), at(12)), (at(13), at(14)))  # 3 h + 1 h
    lea = service.enrol(session["id"], person("Léa Martin", kind="trainee"))
    set_clock(monkeypatch, 18, day=DAY)
    service.record_attendance(
        session["id"], {"part_index": 0, "participant_id": lea["participant_id"], "present": True}
    )
    certificate = service.issue_certificate(session["id"], lea["participant_id"])
    assert (certificate["hours_attended"], certificate["session_hours"], certificate["rate"]) == (
        "3.00",
        "4.00",
        "0.75",
    )
    assert (certificate["attestation_number"], certificate["realisation_number"]) == (
        f"AFF-{DAY.year}-0001",
        f"CR-{DAY.year}-0001",
    )
    assert certificate["assiduity"] is False and certificate["threshold"] == "0.800"
    assert certificate["assiduity_mention"] == (
        "Assiduité : 75\u00a0% des heures — en dessous du seuil de 80\u00a0% fixé par l'organisme"
    )
    (issued,) = [e["payload"] for e in events("education.certificate_issued")]
    assert (issued["hours_attended"], issued["assiduity"]) == ("3.00", False)


def test_with_no_hours_done_there_is_no_certificate(service, running):
    session, _, lea = running
    service.record_attendance(
        session["id"], {"part_index": 0, "participant_id": lea["participant_id"], "present": False}
    )
    with pytest.raises(Conflict) as none:
        service.issue_certificate(session["id"], lea["participant_id"])
    assert "Aucune heure suivie" in none.value.message
    assert events("education.certificate_issued") == []


def test_a_certificate_waits_for_the_last_parts_day(service, monkeypatch):
    session = confirmed_session(service, *((at(9), at(12)), (at(9, day=NEXT_DAY), at(12, day=NEXT_DAY))))
    ana = service.enrol(session["id"], person("Ana Lopes"))
    set_clock(monkeypatch, 18, day=DAY)
    service.record_attendance(
        session["id"], {"part_index": 0, "participant_id": ana["participant_id"], "present": True}
    )
    with pytest.raises(Conflict) as early:
        service.issue_certificate(session["id"], ana["participant_id"])
    assert "pas terminée" in early.value.message
    set_clock(monkeypatch, 9, day=NEXT_DAY)
    service.record_attendance(
        session["id"], {"part_index": 1, "participant_id": ana["participant_id"], "present": True}
    )
    assert service.issue_certificate(session["id"], ana["participant_id"])["rate"] == "1.00"


def test_someone_not_enrolled_gets_no_certificate(service, running):
    session, _, _ = running
    with pytest.raises(NotFound):
        service.issue_certificate(session["id"], "nobody")


def test_the_threshold_setting_decides_the_assiduity_mention(tmp_path, monkeypatch):
    migrate.migrate("education", f"sqlite:///{tmp_path / 'strict.db'}")
    models.database.connect()
    try:
        set_clock(monkeypatch, 10, day=DAY - timedelta(days=20))
        strict = worker_factory(
            EducationService,
            uow=Work(models.database, models.Outbox, models.Inbox, "cid"),
            settings=EducationSettings(attendance_threshold=Decimal("0.50")),
        )
        session = confirmed_session(strict)
        lea = strict.enrol(session["id"], person("Léa Martin", kind="trainee"))
        set_clock(monkeypatch, 18, day=DAY)
        strict.record_attendance(
            session["id"], {"part_index": 0, "participant_id": lea["participant_id"], "present": True}
        )
        assert strict.attendance_sheet(session["id"])["rows"][0]["assiduity"] is True  # 50 % of 50 %
        certificate = strict.issue_certificate(session["id"], lea["participant_id"])
        assert certificate["assiduity"] is True and "assidu·e (seuil de 50\u00a0%" in certificate["assiduity_mention"]
    finally:
        models.database.close()


# --- the evaluation of what was learned and the employer ---------------------------------------------
EVALUATED = dict(
    COURSE,
    objectives="Alerter les secours\n- Protéger l'enfant\n\nFaire les gestes de premiers secours",
    evaluation_method="Mise en situation observée",
)
OBJECTIVES = ["Alerter les secours", "Protéger l'enfant", "Faire les gestes de premiers secours"]


def results(*found):
    return [{"objective": o, "result": r} for o, r in zip(OBJECTIVES, found, strict=True)]


@pytest.fixture
def evaluated(service, monkeypatch):
    """A session of EVALUATED (two 3.5 h parts on DAY) with Ana, employed by « Crèche Les Lutins »,
    present at both parts; the clock at DAY 18:00."""
    course = service.create_course(EVALUATED)
    session = reserved(
        service,
        service.plan_session(
            {
                "course_id": course["id"],
                "room_id": "room-1",
                "capacity": 3,
                "min_participants": 1,
                "parts": [{"starts_at": s, "ends_at": e} for s, e in (MORNING, AFTERNOON)],
            }
        ),
    )
    ana = service.enrol(session["id"], dict(person("Ana Lopes"), employer_name="  Crèche Les Lutins "))
    set_clock(monkeypatch, 18, day=DAY)
    for index in (0, 1):
        service.record_attendance(
            session["id"], {"part_index": index, "participant_id": ana["participant_id"], "present": True}
        )
    return session, ana


def test_a_course_declares_its_evaluation_method_or_none(service):
    assert service.create_course(EVALUATED)["evaluation_method"] == "Mise en situation observée"
    assert service.create_course(COURSE)["evaluation_method"] == ""


def test_an_evaluation_recorded_is_on_the_certificate_with_the_method_and_the_employer(service, evaluated):
    session, ana = evaluated
    assert ana["employer_name"] == "Crèche Les Lutins"
    sent = list(reversed(results("acquis", "en_cours", "non_acquis")))  # any order: kept in the course's
    recorded = service.record_evaluation(session["id"], {"participant_id": ana["participant_id"], "results": sent})
    assert (recorded["method"], recorded["revision"]) == ("Mise en situation observée", 1)
    assert recorded["results"] == results("acquis", "en_cours", "non_acquis")
    certificate = service.issue_certificate(session["id"], ana["participant_id"])
    assert certificate["evaluation"]["results"] == results("acquis", "en_cours", "non_acquis")
    assert certificate["evaluation"]["method"] == "Mise en situation observée"
    assert certificate["employer_name"] == "Crèche Les Lutins"
    sheet = service.evaluation_sheet(session["id"])
    assert (sheet["objectives"], sheet["open"]) == (OBJECTIVES, True)
    assert sheet["rows"][0]["certificate_issued"] is True


def test_recording_again_is_a_new_revision_until_the_certificate_then_it_is_refused(service, evaluated):
    session, ana = evaluated
    first = {"participant_id": ana["participant_id"], "results": results("en_cours", "en_cours", "en_cours")}
    assert service.record_evaluation(session["id"], first)["revision"] == 1
    assert service.record_evaluation(session["id"], first)["revision"] == 1  # the same again: unchanged
    better = dict(first, results=results("acquis", "acquis", "en_cours"))
    assert service.record_evaluation(session["id"], better)["revision"] == 2
    service.issue_certificate(session["id"], ana["participant_id"])
    with pytest.raises(Conflict) as issued:
        service.record_evaluation(session["id"], dict(first, results=results("acquis", "acquis", "acquis")))
    assert "délivré" in issued.value.message
    assert service.evaluation_sheet(session["id"])["rows"][0]["evaluation"]["revision"] == 2


def test_an_evaluation_waits_for_the_last_parts_day(service, evaluated, monkeypatch):
    session, ana = evaluated
    set_clock(monkeypatch, 23, 59, day=DAY - timedelta(days=1))
    assert service.evaluation_sheet(session["id"])["open"] is False
    with pytest.raises(Conflict) as early:
        service.record_evaluation(
            session["id"], {"participant_id": ana["participant_id"], "results": results("acquis", "acquis", "acquis")}
        )
    assert "pas terminée" in early.value.message


def test_an_evaluation_missing_an_objective_or_for_a_stranger_is_refused_on_its_field(service, evaluated):
    session, ana = evaluated
    with pytest.raises(Invalid) as missing:
        service.record_evaluation(
            session["id"], {"participant_id": ana["participant_id"], "results": results("acquis", "acquis", "x")[:2]}
        )
    assert missing.value.fields["results"] == ["Donnez un résultat pour « Faire les gestes de premiers secours »."]
    with pytest.raises(Invalid) as unknown:
        service.record_evaluation(
            session["id"], {"participant_id": ana["participant_id"], "results": results("acquis", "bien", "acquis")}
        )
    assert "results" in unknown.value.fields
    with pytest.raises(Invalid) as stranger:
        service.record_evaluation(
            session["id"], {"participant_id": "nobody", "results": results("acquis", "acquis", "acquis")}
        )
    assert "participant_id" in stranger.value.fields
