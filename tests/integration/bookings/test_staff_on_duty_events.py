"""Named staff on duty on the real broker: team's and placements' events reach bookings as those
services publish them (an outbox row, relayed by shared/outbox_relay.py), and bookings answers
with who may be with the children.

- a trainee without attestation is refused on an activity with children, then accepted once
  placements.trainee_cleared was published;
- a staff member's clearance expiring removes them from the ratio (staff_on_duty drops);
- a sick call replaces a named staff member and the board turns red, nothing cancelled.
"""

import pytest
from nameko.testing.services import entrypoint_waiter

from shared.events import new_event
from shared.outbox import record_event
from shared.outbox_relay import OutboxRelay
from tests.dates import at, set_clock
from tests.factories import activity_fields, create_child, create_family, create_room, room_fields
from tests.integration import probe
from tests.integration.bookings.test_board_rpc import BABY, WORKDAY
from tests.staff_on_duty import LEAD, SECOND, staff_events, trainee_cleared_event
from tests.support import call

THIRD = "staff-third"


@pytest.fixture
def publish(probe_config, rabbit_config, bookings):
    """Publish envelopes as their service would: recorded in an outbox, relayed to the broker;
    returns once bookings' handler of each has run."""
    relay = OutboxRelay(probe.Outbox, rabbit_config["AMQP_URI"], sweep_seconds=0.1)

    def send(*envelopes):
        for envelope in envelopes:
            with entrypoint_waiter(bookings, HANDLERS[envelope["type"]], timeout=10):
                with probe.database.connection_context():
                    record_event(probe.Outbox, envelope)
                assert relay.publish_pending() == 1

    return send


HANDLERS = {
    "team.staff_registered": "record_staff_member",
    "team.staff_cleared": "record_staff_clearance",
    "team.staff_clearance_expired": "record_staff_clearance_end",
    "placements.trainee_cleared": "record_trainee_clearance",
}


@pytest.fixture
def team(publish):
    """Three cleared professionals, registered and cleared by the team service's events."""
    for staff_id in (LEAD, SECOND, THIRD):
        publish(*staff_events(staff_id))


def test_a_trainee_without_attestation_is_refused_then_accepted_once_placements_cleared_them(
    staff, team, publish, known_trainees
):
    known_trainees("t-lina")
    room = staff.created("/api/v1/rooms", room_fields())
    activity = staff.created("/api/v1/activities", activity_fields(room["id"]))
    assert activity["lead"]["name"].startswith("Inès")

    refused = staff.post(f"/api/v1/activities/{activity['id']}/trainees", json={"trainee_id": "t-lina"})
    assert refused.status_code == 409
    assert "n'a pas d'attestation d'honorabilité vérifiée" in refused.get_json()["error"]["message"]

    publish(trainee_cleared_event("t-lina"))
    accepted = staff.post(f"/api/v1/activities/{activity['id']}/trainees", json={"trainee_id": "t-lina"})
    assert accepted.status_code == 200, accepted.get_json()
    assert accepted.get_json()["trainees"] == ["t-lina"]


def test_a_staff_clearance_expiring_removes_them_from_the_ratio(staff, team, publish):
    room = staff.created("/api/v1/rooms", room_fields(kind="childcare", capacity=10))
    body = {"room_id": room["id"], "starts_at": at(8, day=WORKDAY), "ends_at": at(12, day=WORKDAY)}
    slot = staff.created("/api/v1/childcare-slots", dict(body, age_group="walking", staff_ids=[LEAD, SECOND]))
    assert (slot["staff_on_duty"], slot["places"]) == (2, 10)

    day_before = WORKDAY.fromordinal(WORKDAY.toordinal() - 1)
    publish(new_event("team.staff_clearance_expired", {"staff_id": SECOND, "expired_on": day_before.isoformat()}))

    [listed] = staff.get(f"/api/v1/childcare-slots?date={WORKDAY.isoformat()}").get_json()
    assert (listed["staff_on_duty"], listed["places"]) == (1, 0)
    assert [(s["staff_id"], s["counted"]) for s in listed["staff"]] == [(LEAD, True), (SECOND, False)]


def test_a_sick_call_replaces_a_named_staff_member_and_the_board_turns_red(bookings, staff, team, monkeypatch):
    set_clock(monkeypatch, 7, day=WORKDAY)
    room = create_room(bookings, name="Les Lucioles", kind="childcare", capacity=12)
    body = {"room_id": room["id"], "starts_at": at(8, day=WORKDAY), "ends_at": at(12, day=WORKDAY)}
    slot = call(bookings, "create_slot", dict(body, age_group="non_walking", staff_ids=[LEAD, SECOND]))
    family = create_family(bookings, dependent_children=3)
    booked = []
    for n in range(8):
        child = create_child(bookings, family, first_name=f"Bébé {n:02d}", birth_date=BABY)
        booked.append(call(bookings, "book", family["id"], {"slot_id": slot["id"], "child_id": child["id"]}))
    set_clock(monkeypatch, 9, day=WORKDAY)
    for booking in booked:
        call(bookings, "check_in", booking["id"], {"at": at(8, 30, day=WORKDAY)})

    # 7:30 sick call: SECOND stays home, THIRD replaces them
    replaced = staff.patch(f"/api/v1/childcare-slots/{slot['id']}", json={"staff_ids": [LEAD, THIRD]})
    assert replaced.status_code == 200, replaced.get_json()
    board = call(bookings, "day_board", {"date": WORKDAY.isoformat()})
    [shown] = board["slots"]
    assert [s["staff_id"] for s in shown["staff"]] == [LEAD, THIRD]
    assert (shown["staff_on_duty"], shown["ratio_status"], shown["ratio_alert"]) == (2, "ok", None)

    # nobody replaces LEAD when they leave too: accepted, red, nothing cancelled
    alone = staff.patch(f"/api/v1/childcare-slots/{slot['id']}", json={"staff_ids": [THIRD]})
    assert alone.status_code == 200
    board = call(bookings, "day_board", {"date": WORKDAY.isoformat()})
    [shown] = board["slots"]
    assert (shown["staff_on_duty"], shown["booked"], shown["ratio_status"]) == (1, 8, "breach")
    assert "Taux d'encadrement non respecté" in shown["ratio_alert"]
    assert board["ratio_status"] == "breach"
    assert board["state_diploma_share"] == 100
