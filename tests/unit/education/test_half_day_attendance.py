"""Attendance per half-day and the signatures, with nameko's worker_factory (real SQLite, no
broker): a part split at the lunch break, one mark per half-day, each participant's own signature
on the tablet or on their phone (only while the half-day runs), staff's « absent » and
« présent, signature refusée »."""

import json
from datetime import timedelta

import pytest
from nameko.testing.services import worker_factory

from services.education import models
from services.education.service import EducationService
from services.education.settings import EducationSettings
from shared import migrate
from shared.errors import Conflict, Invalid
from shared.events import validate_event
from shared.unit_of_work import Work
from tests.dates import DAY, at, set_clock
from tests.signature_png import data_url
from tests.unit.education.test_education_service import confirmed_session, events, person

FULL_DAY = (at(9), at(17))
NEXT_DAY = DAY + timedelta(days=1)
SIGNATURE = data_url()


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


@pytest.fixture
def full_day(service, monkeypatch):
    """A confirmed 09:00–17:00 session on DAY with Ana (external) and Léa (trainee)."""
    session = confirmed_session(service, FULL_DAY, capacity=3)
    ana = service.enrol(session["id"], person("Ana Lopes"))
    lea = service.enrol(session["id"], person("Léa Martin", kind="trainee"))
    set_clock(monkeypatch, 8, day=DAY)
    return session, ana, lea


def mark(who, present=True, half_day="morning", part_index=0, **more):
    return {"part_index": part_index, "half_day": half_day, "participant_id": who, "present": present, **more}


def sign(who, half_day="morning", method="tablet", part_index=0, image=SIGNATURE):
    return {"part_index": part_index, "half_day": half_day, "participant_id": who, "method": method, "image": image}


def test_a_full_day_part_counts_seven_hours_in_a_morning_and_an_afternoon(service, full_day):
    session = service.get_session(full_day[0]["id"])
    [part] = session["parts"]
    assert (session["hours"], part["hours"]) == ("7.00", "7.00")
    assert [(h["half_day"], h["starts_at"], h["ends_at"], h["hours"]) for h in part["half_days"]] == [
        ("morning", at(9), at(12, 30), "3.50"),
        ("afternoon", at(13, 30), at(17), "3.50"),
    ]


def test_a_mark_is_per_half_day_and_is_told_with_the_half_days_times_and_hours(service, full_day):
    session, _, lea = full_day
    service.record_attendance(session["id"], mark(lea["participant_id"]))
    [told] = [e["payload"] for e in events("education.attendance_recorded")]
    assert (told["half_day"], told["starts_at"], told["ends_at"], told["hours"]) == (
        "morning",
        at(9),
        at(12, 30),
        "3.50",
    )
    validate_event(events("education.attendance_recorded")[0])  # the contract holds
    sheet = service.attendance_sheet(session["id"])
    assert [(h["part_index"], h["half_day"]) for h in sheet["half_days"]] == [(0, "morning"), (0, "afternoon")]
    row = {r["name"]: r for r in sheet["rows"]}["Léa Martin"]
    assert [m and m["present"] for m in row["marks"]] == [True, None]
    assert (row["hours_attended"], row["rate"]) == ("3.50", "0.50")


def test_a_part_of_two_half_days_needs_the_half_day_and_a_wrong_one_is_refused_on_that_field(service, full_day):
    session, ana, _ = full_day
    with pytest.raises(Invalid) as missing:
        service.record_attendance(session["id"], mark(ana["participant_id"], half_day=None))
    assert "précisez la demi-journée" in missing.value.fields["half_day"][0]
    with pytest.raises(Invalid) as unknown:
        service.record_attendance(session["id"], mark(ana["participant_id"], half_day="evening"))
    assert list(unknown.value.fields) == ["half_day"]


def test_a_part_of_a_single_half_day_needs_no_half_day_and_refuses_the_other(service, monkeypatch):
    session = confirmed_session(service, (at(13, 30), at(17)))
    ana = service.enrol(session["id"], person("Ana Lopes"))
    set_clock(monkeypatch, 18, day=DAY)
    inferred = service.record_attendance(session["id"], mark(ana["participant_id"], half_day=None))
    assert (inferred["half_day"], inferred["present"]) == ("afternoon", True)
    with pytest.raises(Invalid) as wrong:
        service.record_attendance(session["id"], mark(ana["participant_id"], half_day="morning"))
    assert wrong.value.fields["half_day"] == [
        "Cette partie n'a pas de matin : elle est d'une seule demi-journée (après-midi)."
    ]


def test_a_two_day_session_missing_the_second_afternoon_counts_ten_and_a_half_hours_of_fourteen(service, monkeypatch):
    session = confirmed_session(service, FULL_DAY, (at(9, day=NEXT_DAY), at(17, day=NEXT_DAY)))
    ana = service.enrol(session["id"], person("Ana Lopes"))
    set_clock(monkeypatch, 18, day=NEXT_DAY)
    for part_index, half_day in ((0, "morning"), (0, "afternoon"), (1, "morning")):
        service.record_attendance(session["id"], mark(ana["participant_id"], part_index=part_index, half_day=half_day))
    service.record_attendance(session["id"], mark(ana["participant_id"], False, "afternoon", part_index=1))
    sheet = service.attendance_sheet(session["id"])
    assert sheet["session"]["hours"] == "14.00" and len(sheet["half_days"]) == 4
    [row] = sheet["rows"]
    # hours done: her certificates, for her real hours, with the mention below the 80 % threshold
    assert (row["hours_attended"], row["rate"], row["eligible"], row["assiduity"]) == ("10.50", "0.75", True, False)
    certificate = service.issue_certificate(session["id"], ana["participant_id"])
    assert (certificate["hours_attended"], certificate["session_hours"], certificate["assiduity"]) == (
        "10.50",
        "14.00",
        False,
    )


def test_a_signature_on_the_tablet_records_the_presence_once(service, full_day):
    session, ana, _ = full_day
    signed = service.sign_attendance(session["id"], sign(ana["participant_id"]))
    assert (signed["method"], signed["half_day"], signed["signed_at"]) == ("tablet", "morning", at(8))
    with pytest.raises(Conflict) as twice:
        service.sign_attendance(session["id"], sign(ana["participant_id"]))
    assert "déjà signé" in twice.value.message
    row = service.attendance_sheet(session["id"])["rows"][0]
    assert (row["marks"][0]["present"], row["marks"][0]["signed"], row["marks"][0]["method"]) == (True, True, "tablet")
    [image] = service.sheet_signatures(session["id"])
    assert (image["participant_id"], image["half_day"]) == (ana["participant_id"], "morning")
    assert "data:image/png;base64," + image["image"] == SIGNATURE
    assert [e["payload"]["present"] for e in events("education.attendance_recorded")] == [True]


def test_the_trainer_signs_too_and_is_told_to_nobody(service, full_day):
    session, _, _ = full_day
    service.sign_attendance(session["id"], sign("trainer", half_day="afternoon"))
    trainer = service.attendance_sheet(session["id"])["trainer"]
    assert trainer[0] is None and trainer[1]["signed"] is True
    assert events("education.attendance_recorded") == []


def test_a_qr_code_signature_is_refused_outside_its_half_day_and_taken_during_it(service, full_day, monkeypatch):
    session, _, lea = full_day
    phone = sign(lea["participant_id"], half_day="afternoon", method="phone")
    set_clock(monkeypatch, 13, 29, day=DAY)
    with pytest.raises(Conflict) as early:
        service.sign_attendance(session["id"], phone)
    assert early.value.message.startswith("Ce QR code n'est pas encore valable : la demi-journée commence à 13 h 30.")
    with pytest.raises(Conflict):
        service.signing(session["id"], {k: v for k, v in phone.items() if k != "image"})
    set_clock(monkeypatch, 17, 1, day=DAY)
    with pytest.raises(Conflict) as late:
        service.sign_attendance(session["id"], phone)
    assert "n'est plus valable" in late.value.message
    set_clock(monkeypatch, 15, day=DAY)
    shown = service.signing(session["id"], {k: v for k, v in phone.items() if k != "image"})
    assert (shown["name"], shown["half_day"]["half_day"], shown["title"]) == (
        "Léa Martin",
        "afternoon",
        "Premiers secours petite enfance",
    )
    assert service.sign_attendance(session["id"], phone)["method"] == "phone"
    assert service.attendance_sheet(session["id"])["rows"][1]["marks"][1]["method"] == "phone"


def test_only_a_trainee_or_a_volunteer_signs_on_a_phone(service, full_day, monkeypatch):
    session, ana, _ = full_day
    set_clock(monkeypatch, 10, day=DAY)
    with pytest.raises(Invalid) as external:
        service.sign_attendance(session["id"], sign(ana["participant_id"], method="phone"))
    assert "téléphone" in external.value.fields["participant_id"][0]


def test_an_image_that_is_not_a_png_is_refused_on_the_image(service, full_day):
    session, ana, _ = full_day
    with pytest.raises(Invalid) as bad:
        service.sign_attendance(session["id"], sign(ana["participant_id"], image="data:image/gif;base64,R0lGOD"))
    assert list(bad.value.fields) == ["image"]


def test_staff_record_absent_or_a_refused_signature_with_its_reason_which_takes_the_signature_away(service, full_day):
    session, ana, lea = full_day
    service.sign_attendance(session["id"], sign(ana["participant_id"]))
    refused = service.record_attendance(
        session["id"], mark(ana["participant_id"], refusal_reason="Ne souhaite pas signer")
    )
    assert (refused["present"], refused["refusal_reason"], refused["revision"]) == (True, "Ne souhaite pas signer", 2)
    assert service.sheet_signatures(session["id"]) == []
    service.record_attendance(session["id"], mark(lea["participant_id"], False, "afternoon"))
    rows = {r["name"]: r for r in service.attendance_sheet(session["id"])["rows"]}
    assert (rows["Ana Lopes"]["marks"][0]["signed"], rows["Ana Lopes"]["marks"][0]["refusal_reason"]) == (
        False,
        "Ne souhaite pas signer",
    )
    assert rows["Ana Lopes"]["hours_attended"] == "3.50"  # present all the same
    assert rows["Léa Martin"]["marks"] == [None, {**rows["Léa Martin"]["marks"][1], "present": False}]
    with pytest.raises(Invalid) as absent_refusing:
        service.record_attendance(session["id"], mark(lea["participant_id"], False, refusal_reason="?"))
    assert list(absent_refusing.value.fields) == ["refusal_reason"]


def test_migrate_makes_old_marks_per_part_the_parts_first_half_day_and_drops_the_old_index(service, full_day):
    session, ana, _ = full_day
    db = models.database
    db.execute_sql('DROP INDEX IF EXISTS "attendance_session_id_part_index_half_day_participant_id"')
    db.execute_sql(
        'CREATE UNIQUE INDEX "attendance_session_id_part_index_participant_id" '
        'ON "attendance" ("session_id", "part_index", "participant_id")'
    )
    old = models.Attendance.create(
        session_id=session["id"], part_index=0, half_day="", participant_id=ana["participant_id"], present=True
    )
    models.after_migrate()
    models.after_migrate()  # safe to run again
    migrate.add_missing_indexes(models.MODELS)
    assert models.Attendance.get_by_id(old.id).half_day == "morning"
    names = {index.name for index in db.get_indexes("attendance")}
    assert "attendance_session_id_part_index_participant_id" not in names
    assert "attendance_session_id_part_index_half_day_participant_id" in names
    service.record_attendance(session["id"], mark(ana["participant_id"], half_day="afternoon"))  # a second half-day
    assert json.loads(models.Outbox.select().order_by(models.Outbox.id.desc()).first().body)["payload"]["revision"] == 1
