"""placements' `history` (insights' one-time backfill): its past facts shaped as the events that
told them, with the same dedupe keys insights derives from the live events, and no text."""

import json

from services.insights.backfill import loaded
from services.insights.domain.reduction import dedupe_key, reduce_payload
from services.placements import models
from tests.unit.placements.test_placements_service import TUTOR, log, placed, service  # noqa: F401 (fixtures)

TOLD = ("placements.placement_created", "placements.placement_started", "placements.hours_validated")


def live_keys():
    keys = set()
    for row in models.Outbox.select():
        body = json.loads(row.body)
        if body["type"] in TOLD:
            keys.add(dedupe_key(body["type"], reduce_payload(body["type"], body["payload"])))
    return keys


def test_the_history_tells_the_placement_and_its_validated_hours_under_the_live_events_keys(service, placed):  # noqa: F811
    entry = log(service, placed, "16T09:00:00", "16T12:00:00")
    service.validate_hours(entry["id"], TUTOR)
    log(service, placed, "17T09:00:00", "17T12:00:00")  # submitted, not validated: not told

    items = service.history()

    assert [item["name"] for item in items] == list(TOLD)  # the first hours logged started the placement
    told = set()
    for item in items:
        name, _, payload = loaded(item)  # each a valid (partial) payload of its contract
        told.add(dedupe_key(name, reduce_payload(name, payload)))
    assert told == live_keys()
    assert items[2]["payload"]["hours"] == "3.00"
    assert "school" not in items[0]["payload"]  # a text stays in placements
