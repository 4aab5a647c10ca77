"""A volunteer's training hours as the volunteers service learns them from education's
attendance sheet, on the real broker: one record per (session, part, volunteer), the latest
revision wins whatever the order and the number of deliveries, counted apart from the hours
with the children."""

import pytest

from services.volunteers import models
from shared.events import new_event
from tests.dates import DAY, at
from tests.integration.volunteers.conftest import (
    cleared_volunteer,
    completed,
    deliver,
    redeliver,
    scheduled,
    volunteer_fields,
)
from tests.support import call


def attendance(volunteer_id, present=True, revision=1, part=0, kind="volunteer", start=(9, 0), end=(12, 30)):
    return {
        "session_id": "session-1",
        "title": "Premiers secours (PSC1)",
        "part_index": part,
        "participant_kind": kind,
        "participant_id": volunteer_id,
        "present": present,
        "starts_at": at(*start),
        "ends_at": at(*end),
        "hours": "3.50",
        "revision": revision,
    }


def records():
    with models.database.connection_context():
        return [
            (r.session_id, r.part_index, r.volunteer_id, r.present, r.revision)
            for r in models.TrainingRecord.select().order_by(models.TrainingRecord.part_index)
        ]


def year_of(volunteers, volunteer_id):
    return call(volunteers, "my_hours", volunteer_id, {"year": DAY.year})


def test_a_part_attended_counts_once_even_delivered_twice_and_apart_from_the_activities(volunteers, publish_raw):
    jeanne = call(volunteers, "register_volunteer", volunteer_fields())
    envelope = new_event("education.attendance_recorded", attendance(jeanne["id"]))
    redeliver(volunteers, publish_raw, envelope, "record_training")
    redeliver(volunteers, publish_raw, envelope, "record_training")  # the same event again
    deliver(volunteers, publish_raw, "education.attendance_recorded", attendance(jeanne["id"]), "record_training")

    assert records() == [("session-1", 0, jeanne["id"], True, 1)]
    mine = year_of(volunteers, jeanne["id"])
    assert (mine["training_hours"], mine["training_parts"]) == ("3.50", 1)
    assert (mine["hours"], mine["activities"]) == ("0.00", 0)
    assert [line["title"] for line in mine["training_lines"]] == ["Premiers secours (PSC1)"]


@pytest.mark.parametrize("order", [(1, 2), (2, 1)], ids=["present_then_absent", "absent_first_then_late_present"])
def test_a_correction_to_absent_takes_the_hours_back_whichever_arrives_first(volunteers, publish_raw, order):
    jeanne = call(volunteers, "register_volunteer", volunteer_fields())
    lines = {
        1: attendance(jeanne["id"], present=True, revision=1),
        2: attendance(jeanne["id"], present=False, revision=2),
    }
    for revision in order:
        deliver(volunteers, publish_raw, "education.attendance_recorded", lines[revision], "record_training")

    assert records() == [("session-1", 0, jeanne["id"], False, 2)]
    mine = year_of(volunteers, jeanne["id"])
    assert (mine["training_hours"], mine["training_parts"], mine["training_lines"]) == ("0.00", 0, [])


def test_a_later_revision_present_again_gives_the_hours_back_and_each_part_counts(volunteers, publish_raw):
    jeanne = call(volunteers, "register_volunteer", volunteer_fields())
    for line in (
        attendance(jeanne["id"], present=True, revision=1),
        attendance(jeanne["id"], present=True, revision=3),
        attendance(jeanne["id"], present=False, revision=2),  # older than 3: changes nothing
        attendance(jeanne["id"], part=1, start=(14, 0), end=(17, 30)),
    ):
        deliver(volunteers, publish_raw, "education.attendance_recorded", line, "record_training")

    assert records() == [("session-1", 0, jeanne["id"], True, 3), ("session-1", 1, jeanne["id"], True, 1)]
    assert year_of(volunteers, jeanne["id"])["training_hours"] == "7.00"


def test_a_trainees_line_is_not_a_volunteers(volunteers, publish_raw):
    deliver(
        volunteers,
        publish_raw,
        "education.attendance_recorded",
        attendance("trainee-1", kind="trainee"),
        "record_training",
    )
    assert records() == []


def test_the_venues_year_shows_each_volunteers_activities_age_groups_and_training(volunteers, publish_raw):
    activity = dict(scheduled(), age_group="walking")
    deliver(volunteers, publish_raw, "bookings.activity_scheduled", activity, "open_opportunity")
    jeanne = cleared_volunteer(volunteers)
    call(volunteers, "sign_up", jeanne["id"], "act-1")
    deliver(volunteers, publish_raw, "bookings.activity_completed", completed(), "complete_opportunity")
    deliver(volunteers, publish_raw, "education.attendance_recorded", attendance(jeanne["id"]), "record_training")

    venue = call(volunteers, "venue_hours", {"year": DAY.year})
    assert (venue["hours"], venue["activities"], venue["training_hours"]) == ("1.50", 1, "3.50")
    assert venue["age_groups"] == [{"age_group": "walking", "activities": 1, "hours": "1.50"}]
    [line] = venue["lines"]
    assert (line["age_group"], line["volunteer"]) == ("walking", "Jeanne Martin1")
    [each] = venue["volunteers"]
    assert (each["volunteer_id"], each["hours"], each["training_hours"]) == (jeanne["id"], "1.50", "3.50")
    assert each["age_groups"] == [{"age_group": "walking", "activities": 1, "hours": "1.50"}]
    file = call(volunteers, "volunteer_file", jeanne["id"])
    assert (file["year_hours"]["hours"], file["year_hours"]["training_hours"]) == ("1.50", "3.50")
    assert [s["status"] for s in file["signups"]] == ["confirmed"]
    assert (file["cleared"], file["clearance_gaps"], file["honorability_verified_by"]) == (True, [], "staff-1")


def test_on_postgresql_the_latest_revision_wins_too_whatever_the_order(start_on_postgres, publish_raw):
    from services.volunteers.service import VolunteersService

    volunteers = start_on_postgres(VolunteersService)
    jeanne = call(volunteers, "register_volunteer", volunteer_fields())
    for line in (
        attendance(jeanne["id"], present=False, revision=2),
        attendance(jeanne["id"], present=True, revision=1),  # late
        attendance(jeanne["id"], part=1, start=(14, 0), end=(17, 30)),
    ):
        deliver(volunteers, publish_raw, "education.attendance_recorded", line, "record_training")
    assert records() == [("session-1", 0, jeanne["id"], False, 2), ("session-1", 1, jeanne["id"], True, 1)]
    assert year_of(volunteers, jeanne["id"])["training_hours"] == "3.50"
