"""A volunteer's training lines per half-day (services/volunteers/service.py record_training,
worker_factory, real SQLite): one line per (session, part, half-day, volunteer); an event sent
before half-days (no half_day) is still the whole part's line."""

from services.volunteers import models
from shared import migrate
from shared.events import new_event, validate_event
from tests.unit.volunteers.test_volunteers_clearance_service import database, register, service  # noqa: F401


def attendance(volunteer_id, half_day, starts, ends, present=True, revision=1):
    payload = {
        "session_id": "session-1",
        "title": "Premiers secours (PSC1)",
        "part_index": 0,
        "half_day": half_day,
        "participant_kind": "volunteer",
        "participant_id": volunteer_id,
        "present": present,
        "starts_at": f"2026-12-08T{starts}:00+01:00",
        "ends_at": f"2026-12-08T{ends}:00+01:00",
        "hours": "3.50",
        "revision": revision,
    }
    if half_day is None:
        del payload["half_day"]
    return validate_event(new_event("education.attendance_recorded", payload))


def lines():
    rows = models.TrainingRecord.select().order_by(models.TrainingRecord.starts_at)
    return [(r.half_day, r.present, r.revision, f"{r.hours:.2f}") for r in rows]


def test_a_morning_and_an_afternoon_are_two_lines_each_following_its_own_revisions(service):  # noqa: F811
    jeanne = register(service)
    service.record_training(attendance(jeanne["id"], "morning", "09:00", "12:30"))
    service.record_training(attendance(jeanne["id"], "afternoon", "13:30", "17:00"))
    service.record_training(attendance(jeanne["id"], "afternoon", "13:30", "17:00", present=False, revision=2))
    service.record_training(attendance(jeanne["id"], "afternoon", "13:30", "17:00", revision=1))  # late: ignored
    assert lines() == [("morning", True, 1, "3.50"), ("afternoon", False, 2, "3.50")]


def test_an_event_from_before_half_days_is_the_whole_parts_line(service):  # noqa: F811
    jeanne = register(service)
    service.record_training(attendance(jeanne["id"], None, "09:00", "12:30"))
    assert lines() == [("", True, 1, "3.50")]


def test_migrate_drops_the_one_line_per_part_index_for_the_half_days_one(service):  # noqa: F811
    db = models.database
    db.execute_sql('DROP INDEX IF EXISTS "trainingrecord_session_id_part_index_half_day_volunteer_id"')
    db.execute_sql(
        'CREATE UNIQUE INDEX "trainingrecord_session_id_part_index_volunteer_id" '
        'ON "trainingrecord" ("session_id", "part_index", "volunteer_id")'
    )
    models.after_migrate()
    models.after_migrate()
    migrate.add_missing_indexes(models.MODELS)
    names = {index.name for index in db.get_indexes("trainingrecord")}
    assert "trainingrecord_session_id_part_index_volunteer_id" not in names
    assert "trainingrecord_session_id_part_index_half_day_volunteer_id" in names
