"""The bookings service's events, out and in, on the real broker."""

from datetime import timedelta

import pytest
from nameko.events import event_handler
from nameko.testing.services import entrypoint_waiter

from services.bookings.service import BookingsService
from shared.errors import Conflict
from shared.events import new_event
from tests.dates import DAY, at, set_clock
from tests.factories import (
    GUARDIAN,
    book,
    contract_fields,
    create_child,
    create_family,
    create_room,
    create_slot,
    schedule_activity,
    weekly,
)
from tests.staff_on_duty import clear_trainee
from tests.support import call, wait_for

OUT = [
    "activity_scheduled",
    "activity_rescheduled",
    "activity_cancelled",
    "activity_completed",
    "trainee_assigned",
    "room_reserved",
    "room_reservation_refused",
    "room_released",
    "booking_confirmed",
    "booking_waitlisted",
    "booking_promoted",
    "booking_cancelled",
    "avip_places_released",
    "contract_signed",
    "contract_amended",
    "contract_ended",
    "absence_recorded",
    "absence_requested",
    "absence_approved",
    "child_checked_in",
    "child_checked_out",
]
RECORDED = []


def _recorder_class():
    """A plain nameko service with one handler per bookings event: what any consumer would see."""

    def make(event_type):
        return event_handler("bookings", event_type)(lambda self, body: RECORDED.append(body))

    return type("Recorder", (), {"name": "recorder", **{f"on_{t}": make(t) for t in OUT}})


Recorder = _recorder_class()


def seen(event_type):
    return [e for e in RECORDED if e["type"] == f"bookings.{event_type}"]


@pytest.fixture
def bookings(container_factory, service_config):
    RECORDED.clear()
    recorder = container_factory(Recorder, service_config)
    recorder.start()
    container = container_factory(BookingsService, service_config)
    container.start()
    return container


def test_an_activity_lifecycle_is_told_in_events(bookings, publish_raw, monkeypatch, known_trainees):
    known_trainees("trainee-1")
    clear_trainee(bookings, "trainee-1")
    r = create_room(bookings)
    a = schedule_activity(bookings, r)  # 09:00-10:00
    call(bookings, "reschedule_activity", a["id"], {"starts_at": at(10), "ends_at": at(11, 30)})
    call(bookings, "assign_trainee", a["id"], {"trainee_id": "trainee-1"})
    with entrypoint_waiter(bookings, "count_volunteer", timeout=10):
        publish_raw(
            "volunteers.signup_confirmed",
            new_event(
                "volunteers.signup_confirmed",
                {"signup_id": "s1", "activity_id": a["id"], "volunteer_id": "volunteer-1"},
            ),
        )
    assert call(bookings, "get_activity", a["id"])["volunteers_confirmed"] == 1

    set_clock(monkeypatch, 12)
    done = call(bookings, "complete_activity", a["id"], {"started_at": at(10, 5), "ended_at": at(11, 20)})
    assert done["status"] == "completed"
    other = schedule_activity(bookings, r, starts_at=at(14), ends_at=at(15), title="Musique")
    call(bookings, "cancel_activity", other["id"], {"reason": "Intervenant malade"})

    wait_for(lambda: seen("activity_cancelled"), message="activity_cancelled")
    rescheduled = seen("activity_rescheduled")[0]["payload"]
    assert (rescheduled["previous_starts_at"], rescheduled["starts_at"]) == (at(9), at(10))
    assert seen("trainee_assigned")[0]["payload"]["trainee_id"] == "trainee-1"
    completed = seen("activity_completed")[0]["payload"]
    assert completed["trainee_ids"] == ["trainee-1"]
    assert completed["volunteer_ids"] == ["volunteer-1"]
    assert (completed["started_at"], completed["ended_at"]) == (at(10, 5), at(11, 20))
    assert seen("activity_cancelled")[0]["payload"]["reason"] == "Intervenant malade"


def test_a_withdrawn_signup_frees_the_volunteer_slot(bookings, publish_raw):
    a = schedule_activity(bookings)
    for event_type, handler in (("signup_confirmed", "count_volunteer"), ("signup_withdrawn", "uncount_volunteer")):
        with entrypoint_waiter(bookings, handler, timeout=10):
            publish_raw(
                f"volunteers.{event_type}",
                new_event(
                    f"volunteers.{event_type}",
                    {"signup_id": "s1", "activity_id": a["id"], "volunteer_id": "volunteer-1"},
                ),
            )
    assert call(bookings, "get_activity", a["id"])["volunteers_confirmed"] == 0


def test_room_reservations_for_training_sessions(bookings, publish_raw):
    r = create_room(bookings, name="Salle de formation")

    def request(session_id, parts):
        with entrypoint_waiter(bookings, "reserve_room", timeout=10):
            publish_raw(
                "education.room_reservation_requested",
                new_event(
                    "education.room_reservation_requested",
                    {
                        "session_id": session_id,
                        "room_id": r["id"],
                        "title": "Premiers secours",
                        "parts": [{"starts_at": at(s), "ends_at": at(e)} for s, e in parts],
                    },
                ),
            )

    request("session-1", [(9, 12), (13, 17)])
    reserved = wait_for(lambda: seen("room_reserved"), message="room_reserved")[0]["payload"]
    assert reserved["session_id"] == "session-1" and len(reserved["reservation_ids"]) == 2

    with pytest.raises(Conflict) as clash:  # the room is held: an activity cannot take it
        schedule_activity(bookings, r, starts_at=at(14), ends_at=at(15))
    assert "Premiers secours" in str(clash.value)

    request("session-2", [(16, 18)])
    refused = wait_for(lambda: seen("room_reservation_refused"), message="refusal")[0]["payload"]
    assert refused["session_id"] == "session-2"
    assert "Premiers secours" in refused["reason"]

    with entrypoint_waiter(bookings, "release_room", timeout=10):
        publish_raw(
            "education.session_cancelled",
            new_event("education.session_cancelled", {"session_id": "session-1", "reason": "annulée"}),
        )
    wait_for(lambda: seen("room_released"), message="room_released")
    assert schedule_activity(bookings, r, starts_at=at(14), ends_at=at(15))["status"] == "scheduled"  # free again


def test_booking_events(bookings, monkeypatch):
    slot = create_slot(bookings, create_room(bookings, kind="childcare", capacity=1), age_group="mixed")  # 08:00-12:00
    assert slot["places"] == 1
    booked = []
    for i in range(2):
        fam = create_family(bookings, monthly_resources="2500", job_seeker=True)
        booked.append(
            (fam, book(bookings, fam, slot, create_child(bookings, fam, first_name=f"E{i}", birth_date="2025-01-10")))
        )
    assert [b["status"] for _, b in booked] == ["confirmed", "waitlisted"]
    call(bookings, "cancel_booking", booked[0][1]["id"], booked[0][0]["id"])

    set_clock(monkeypatch, 12)
    call(bookings, "check_in", booked[1][1]["id"], {"at": at(8)})
    call(bookings, "check_out", booked[1][1]["id"], {"collected_by": GUARDIAN, "at": at(11, 45)})

    wait_for(lambda: seen("child_checked_out"), message="child_checked_out")
    assert seen("booking_confirmed")[0]["payload"]["booking_id"] == booked[0][1]["id"]
    assert seen("booking_waitlisted")[0]["payload"]["booking_id"] == booked[1][1]["id"]
    cancelled = seen("booking_cancelled")[0]["payload"]
    assert (cancelled["was_status"], cancelled["cancelled_in_time"]) == ("confirmed", True)
    assert seen("booking_promoted")[0]["payload"]["booking_id"] == booked[1][1]["id"]
    assert seen("child_checked_in")[0]["payload"]["at"] == at(8)


def test_places_kept_for_avip_go_to_the_waiting_list_once_when_the_notice_begins(small_creche, bookings, monkeypatch):
    slot = create_slot(bookings, create_room(bookings, kind="childcare", capacity=3), age_group="mixed")  # 08:00
    assert slot["places"] == 3  # a crèche of 3 places: 1 kept for AVIP children
    families = [create_family(bookings) for _ in range(3)]
    booked = [book(bookings, f, slot, create_child(bookings, f, first_name=f"E{i}")) for i, f in enumerate(families)]
    assert [b["status"] for b in booked] == ["confirmed", "confirmed", "waitlisted"]

    set_clock(monkeypatch, 9, day=DAY - timedelta(days=2))  # 47 h before 08:00: inside the 48 h release notice
    assert call(bookings, "release_avip_places") == [slot["id"]]
    assert call(bookings, "release_avip_places") == []  # once per slot

    released = wait_for(lambda: seen("avip_places_released"), message="avip_places_released")
    assert len(released) == 1
    assert released[0]["payload"]["places_released"] == 1
    assert released[0]["payload"]["promoted_booking_ids"] == [booked[2]["id"]]
    promoted = wait_for(lambda: seen("booking_promoted"), message="booking_promoted")[0]["payload"]
    assert promoted["booking_id"] == booked[2]["id"]
    assert promoted["family_id"] == families[2]["id"] and "family_email" not in promoted  # by id only
    assert "child_first_name" not in promoted and promoted["declinable_without_charge"] is True

    # inside the cancellation notice: the promoted place is declined without charge, a booked one is billed
    declined = call(bookings, "cancel_booking", booked[2]["id"], families[2]["id"])
    assert (declined["status"], declined["cancelled_in_time"], declined["amount"]) == ("cancelled", True, "0.00")
    late = call(bookings, "cancel_booking", booked[0]["id"], families[0]["id"])
    assert late["cancelled_in_time"] is False


def test_a_promotion_long_before_the_slot_cannot_be_declined_for_free_later(bookings, monkeypatch):
    slot = create_slot(bookings, create_room(bookings, kind="childcare", capacity=1), age_group="mixed")
    families = [create_family(bookings) for _ in range(2)]
    booked = [book(bookings, f, slot, create_child(bookings, f, first_name=f"E{i}")) for i, f in enumerate(families)]
    call(bookings, "cancel_booking", booked[0]["id"], families[0]["id"])  # ten days ahead: E1 promoted
    promoted = wait_for(lambda: seen("booking_promoted"), message="booking_promoted")[0]["payload"]
    assert promoted["declinable_without_charge"] is False
    set_clock(monkeypatch, 8, day=DAY - timedelta(days=1))  # then, 24 h before: a late cancellation
    assert call(bookings, "cancel_booking", booked[1]["id"], families[1]["id"])["cancelled_in_time"] is False


def test_a_contract_lifecycle_is_told_in_events(bookings):
    monday = DAY + timedelta(days=7 - DAY.weekday())
    family = create_family(bookings, monthly_resources="4000", dependent_children=2)
    child = create_child(bookings, family)
    fields = contract_fields(child["id"], monday, monday + timedelta(days=90))
    contract = call(bookings, "request_contract", fields, family["id"])
    call(bookings, "accept_contract", contract["id"])
    absence = {"starts_on": monday.isoformat(), "ends_on": monday.isoformat(), "reason": "hospitalisation"}
    call(bookings, "record_absence", contract["id"], absence, None, "staff-1")  # staff's: approved at once
    asked = call(
        bookings,
        "record_absence",
        contract["id"],
        dict(
            absence,
            reason="other",
            starts_on=(monday + timedelta(days=1)).isoformat(),
            ends_on=(monday + timedelta(days=1)).isoformat(),
        ),
        family["id"],
    )
    call(bookings, "approve_absence", asked["id"], {}, "staff-1")
    three_days = weekly(range(3))
    from_on = monday + timedelta(days=28)
    amended = call(
        bookings,
        "amend_contract",
        contract["id"],
        {"from_on": from_on.isoformat(), "weeks_per_year": 46, "pattern": three_days},
    )
    call(bookings, "end_contract", amended["id"], {"on": (from_on + timedelta(days=30)).isoformat()})

    # events of separate transactions may arrive in any order (the relay publishes what each commit
    # recorded, a delayed one later): wait for each one read below
    told = ("contract_signed", "absence_recorded", "absence_requested", "absence_approved", "contract_amended")
    for kind in (*told, "contract_ended"):
        wait_for(lambda kind=kind: seen(kind), message=kind)
    signed = seen("contract_signed")[0]["payload"]
    assert (signed["contract_id"], signed["hourly_rate"], signed["monthly_amount"]) == (
        contract["id"],
        "2.064",
        "284.83",
    )
    recorded = seen("absence_recorded")[0]["payload"]
    assert (recorded["reason"], recorded["deducted_hours"]) == ("hospitalisation", "9")
    requested = seen("absence_requested")[0]["payload"]
    assert (requested["absence_id"], requested["has_certificate"]) == (asked["id"], False)
    approved = seen("absence_approved")[0]["payload"]
    assert (approved["absence_id"], approved["deducted_hours"], approved["decided_by"]) == (asked["id"], "0", "staff-1")
    change = seen("contract_amended")[0]["payload"]
    assert (change["amends"], change["contract_id"], change["from_on"]) == (
        contract["id"],
        amended["id"],
        from_on.isoformat(),
    )
    ended = seen("contract_ended")[0]["payload"]
    assert (ended["contract_id"], ended["reason"]) == (amended["id"], "early_end")
