"""A trainee's training credit per half-day (services/placements/training_credit.py, worker_factory,
real SQLite): education's attendance_recorded names the half-day; each half-day is its own
training log; an event sent before half-days (no half_day) is still credited, as the whole part."""

from services.placements import models
from shared import migrate
from shared.events import new_event, validate_event
from tests.unit.placements.test_placements_service import placed, service  # noqa: F401 (fixtures)

MORNING = {"half_day": "morning", "starts_at": "2026-03-16T09:00:00+01:00", "ends_at": "2026-03-16T12:30:00+01:00"}
AFTERNOON = {"half_day": "afternoon", "starts_at": "2026-03-16T13:30:00+01:00", "ends_at": "2026-03-16T17:00:00+01:00"}


def attendance(trainee_id, half, present=True, revision=1):
    payload = {
        "session_id": "session-1",
        "title": "Premiers secours",
        "part_index": 0,
        "participant_kind": "trainee",
        "participant_id": trainee_id,
        "present": present,
        "hours": "3.50",
        "revision": revision,
        **half,
    }
    if payload["half_day"] is None:
        del payload["half_day"]
    return validate_event(new_event("education.attendance_recorded", payload))


def test_each_half_day_is_its_own_training_log_and_a_correction_takes_only_that_half_day_back(
    service,  # noqa: F811
    placed,  # noqa: F811
):
    trainee, placement = placed
    service.credit_training(attendance(trainee["id"], MORNING))
    service.credit_training(attendance(trainee["id"], AFTERNOON))
    assert service.get_placement(placement["id"])["training_hours"] == "7.00"  # lunch not counted
    service.credit_training(attendance(trainee["id"], AFTERNOON, present=False, revision=2))
    assert service.get_placement(placement["id"])["training_hours"] == "3.50"
    credits = {c.half_day: (c.present, c.revision) for c in models.TrainingCredit.select()}
    assert credits == {"morning": (True, 1), "afternoon": (False, 2)}


def test_an_event_from_before_half_days_is_credited_as_the_whole_part(service, placed):  # noqa: F811
    trainee, placement = placed
    whole = {"half_day": None, "starts_at": "2026-03-16T09:00:00+01:00", "ends_at": "2026-03-16T12:00:00+01:00"}
    event = attendance(trainee["id"], whole)
    assert event["payload"]["half_day"] is None
    service.credit_training(event)
    assert service.get_placement(placement["id"])["training_hours"] == "3.00"
    assert [c.half_day for c in models.TrainingCredit.select()] == [""]


def test_migrate_drops_the_one_credit_per_part_index_for_the_half_days_one(service):  # noqa: F811
    db = models.database
    db.execute_sql('DROP INDEX IF EXISTS "trainingcredit_session_id_part_index_half_day_trainee_id"')
    db.execute_sql(
        'CREATE UNIQUE INDEX "trainingcredit_session_id_part_index_trainee_id" '
        'ON "trainingcredit" ("session_id", "part_index", "trainee_id")'
    )
    models.after_migrate()
    models.after_migrate()  # safe to run again
    migrate.add_missing_indexes(models.MODELS)
    names = {index.name for index in db.get_indexes("trainingcredit")}
    assert "trainingcredit_session_id_part_index_trainee_id" not in names
    assert "trainingcredit_session_id_part_index_half_day_trainee_id" in names
