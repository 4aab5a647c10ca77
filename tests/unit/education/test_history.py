"""education's `history` (insights' one-time backfill): its past facts shaped as the events that
told them, under the same dedupe keys insights derives from the live events, without the
course's title."""

import json

from services.education import models
from services.insights.backfill import loaded
from services.insights.domain.reduction import dedupe_key, reduce_payload
from tests.unit.education.test_half_day_attendance import full_day, mark, service  # noqa: F401 (fixtures)

TOLD = ("education.enrolment_confirmed", "education.attendance_recorded")


def live_keys():
    keys = set()
    for row in models.Outbox.select().where(models.Outbox.event_type.in_(TOLD)):
        body = json.loads(row.body)
        keys.add(dedupe_key(body["type"], reduce_payload(body["type"], body["payload"])))
    return keys


def test_the_history_tells_the_enrolments_and_the_latest_marks_under_the_live_events_keys(service, full_day):  # noqa: F811
    session, _, lea = full_day
    service.record_attendance(session["id"], mark(lea["participant_id"]))
    service.record_attendance(session["id"], mark(lea["participant_id"], present=False))  # revision 2

    items = service.history()

    told = set()
    for item in items:
        name, _, payload = loaded(item)  # each a valid (partial) payload of its contract
        told.add(dedupe_key(name, reduce_payload(name, payload)))
        assert "title" not in item["payload"]
    assert [item["name"] for item in items].count("education.enrolment_confirmed") == 2
    [sheet] = [item["payload"] for item in items if item["name"] == "education.attendance_recorded"]
    assert (sheet["present"], sheet["revision"], sheet["hours"]) == (False, 2, "3.50")
    assert told <= live_keys() and len(told) == 3  # the first revision is history: only the latest is told
