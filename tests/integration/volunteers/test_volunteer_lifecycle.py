"""An activity's life as the volunteers service learns it from bookings' events, on the real
broker, with duplicate and out-of-order deliveries: the same final state, each volunteer told once."""

from datetime import date, datetime, timedelta, timezone

import pytest

from services.volunteers import models
from shared.errors import Conflict
from shared.events import new_event
from tests.dates import DAY, at, set_clock
from tests.integration.volunteers.conftest import (
    CHARTER,
    cleared_volunteer,
    completed,
    deliver,
    emitted,
    redeliver,
    rescheduled,
    scheduled,
    volunteer_fields,
)
from tests.support import call

T0 = datetime(2025, 1, 1, tzinfo=timezone.utc)  # bookings' decisions, in their order


def when(seconds):
    return T0 + timedelta(seconds=seconds)


def opportunity(activity_id="act-1"):
    with models.database.connection_context():
        return models.Opportunity.get_or_none(models.Opportunity.activity_id == activity_id)


def signup_status(signup_id):
    with models.database.connection_context():
        return models.Signup.get_by_id(signup_id).status


def test_scheduled_then_signed_up_then_moved_then_cancelled_tells_the_volunteer_once_each_time(volunteers, publish_raw):
    deliver(volunteers, publish_raw, "bookings.activity_scheduled", scheduled(), "open_opportunity", when(0))
    jeanne = cleared_volunteer(volunteers)
    signup = call(volunteers, "sign_up", jeanne["id"], "act-1")
    assert signup["status"] == "confirmed"
    assert opportunity().filled == 1

    moved = deliver(
        volunteers, publish_raw, "bookings.activity_rescheduled", rescheduled(), "move_opportunity", when(1)
    )
    del moved
    assert opportunity().starts_at.hour == 13  # 14 h in Paris, stored in UTC
    assert signup_status(signup["id"]) == "confirmed"  # nothing else on her calendar: kept
    assert [p["signup_id"] for p in emitted("volunteers.signup_moved")] == [signup["id"]]

    cancel = {"activity_id": "act-1", "reason": "Conteuse malade"}
    deliver(volunteers, publish_raw, "bookings.activity_cancelled", cancel, "close_opportunity", when(2))
    deliver(volunteers, publish_raw, "bookings.activity_cancelled", cancel, "close_opportunity", when(3))  # again
    assert signup_status(signup["id"]) == "cancelled"
    assert opportunity().status == "cancelled"
    cancelled = emitted("volunteers.signup_cancelled")
    assert [(p["signup_id"], p["reason"]) for p in cancelled] == [(signup["id"], "activity_cancelled")]
    assert call(volunteers, "list_opportunities", jeanne["id"])["items"] == []


def test_a_move_onto_another_of_her_sign_ups_cancels_that_one_and_says_why(volunteers, publish_raw):
    deliver(volunteers, publish_raw, "bookings.activity_scheduled", scheduled("act-1"), "open_opportunity", when(0))
    afternoon = scheduled("act-2", start=(14, 0), end=(15, 0))
    deliver(volunteers, publish_raw, "bookings.activity_scheduled", afternoon, "open_opportunity", when(0))
    jeanne = cleared_volunteer(volunteers)
    morning = call(volunteers, "sign_up", jeanne["id"], "act-1")
    call(volunteers, "sign_up", jeanne["id"], "act-2")

    deliver(volunteers, publish_raw, "bookings.activity_rescheduled", rescheduled("act-1"), "move_opportunity", when(1))

    assert signup_status(morning["id"]) == "cancelled"
    assert opportunity("act-1").filled == 0
    [cancelled] = emitted("volunteers.signup_cancelled")
    assert (cancelled["signup_id"], cancelled["reason"]) == (morning["id"], "activity_moved")
    assert cancelled["starts_at"].startswith(f"{DAY.isoformat()}T09:30")  # the time she knew


@pytest.mark.parametrize(
    "order",
    [("scheduled", "moved", "cancelled"), ("cancelled", "scheduled", "moved"), ("moved", "cancelled", "scheduled")],
    ids="_then_".join,
)
def test_a_cancelled_activity_is_not_open_whichever_event_arrives_first(volunteers, publish_raw, order):
    events = {
        "scheduled": ("bookings.activity_scheduled", scheduled(), "open_opportunity", when(0)),
        "moved": ("bookings.activity_rescheduled", rescheduled(), "move_opportunity", when(1)),
        "cancelled": (
            "bookings.activity_cancelled",
            {"activity_id": "act-1", "reason": "x"},
            "close_opportunity",
            when(2),
        ),
    }
    for step in order:
        deliver(volunteers, publish_raw, *events[step])
    jeanne = call(volunteers, "register_volunteer", volunteer_fields())
    assert call(volunteers, "list_opportunities", jeanne["id"])["items"] == []


@pytest.mark.parametrize("order", [("first", "second"), ("second", "first")], ids="_then_".join)
def test_the_latest_move_wins_whichever_arrives_first_even_before_the_activity(volunteers, publish_raw, order):
    moves = {
        "first": rescheduled(start=(11, 0), end=(12, 0)),
        "second": rescheduled(start=(15, 0), end=(16, 0), previous=((11, 0), (12, 0))),
    }
    times = {"first": when(1), "second": when(2)}
    deliver(
        volunteers, publish_raw, "bookings.activity_rescheduled", moves[order[0]], "move_opportunity", times[order[0]]
    )
    deliver(volunteers, publish_raw, "bookings.activity_scheduled", scheduled(), "open_opportunity", when(0))
    deliver(
        volunteers, publish_raw, "bookings.activity_rescheduled", moves[order[1]], "move_opportunity", times[order[1]]
    )
    jeanne = call(volunteers, "register_volunteer", volunteer_fields())
    [listed] = call(volunteers, "list_opportunities", jeanne["id"])["items"]
    assert listed["starts_at"] == at(15)


def test_completed_records_each_confirmed_volunteers_hours_once_even_delivered_twice(volunteers, publish_raw):
    deliver(volunteers, publish_raw, "bookings.activity_scheduled", scheduled(), "open_opportunity", when(0))
    jeanne, paul = cleared_volunteer(volunteers, 1), cleared_volunteer(volunteers, 2)
    call(volunteers, "sign_up", jeanne["id"], "act-1")
    left = call(volunteers, "sign_up", paul["id"], "act-1")
    call(volunteers, "withdraw", left["id"], paul["id"])

    envelope = new_event("bookings.activity_completed", completed(volunteer_ids=[jeanne["id"]]), occurred_at=when(5))
    redeliver(volunteers, publish_raw, envelope, "complete_opportunity")
    redeliver(volunteers, publish_raw, envelope, "complete_opportunity")  # the same event again
    deliver(volunteers, publish_raw, "bookings.activity_completed", completed(), "complete_opportunity", when(6))

    recorded = emitted("volunteers.volunteer_hours_recorded")
    assert [(p["volunteer_id"], p["hours"]) for p in recorded] == [(jeanne["id"], "1.50")]  # 9 h 30 – 11 h 00
    mine = call(volunteers, "my_hours", jeanne["id"], {"year": DAY.year})
    assert (mine["hours"], mine["activities"], len(mine["lines"])) == ("1.50", 1, 1)
    assert call(volunteers, "my_hours", paul["id"], {"year": DAY.year})["hours"] == "0.00"


def test_completed_before_it_was_scheduled_opens_nothing_and_records_nothing(volunteers, publish_raw):
    deliver(volunteers, publish_raw, "bookings.activity_completed", completed(), "complete_opportunity", when(5))
    deliver(volunteers, publish_raw, "bookings.activity_scheduled", scheduled(), "open_opportunity", when(0))
    assert opportunity() is None
    assert emitted("volunteers.volunteer_hours_recorded") == []


def test_an_uncleared_volunteer_is_told_what_is_missing_and_nothing_is_emitted(volunteers, publish_raw):
    deliver(volunteers, publish_raw, "bookings.activity_scheduled", scheduled(), "open_opportunity", when(0))
    jeanne = call(volunteers, "register_volunteer", volunteer_fields())
    call(volunteers, "accept_charter", jeanne["id"], {"version": CHARTER})
    with pytest.raises(Conflict) as refused:
        call(volunteers, "sign_up", jeanne["id"], "act-1")
    assert "attestation d'honorabilité n'est pas encore enregistrée" in refused.value.message
    assert "assurance" in refused.value.message
    assert emitted("volunteers.signup_confirmed") == []


def test_a_full_activity_refuses_the_next_volunteer_and_a_withdrawal_frees_the_place(volunteers, publish_raw):
    deliver(volunteers, publish_raw, "bookings.activity_scheduled", scheduled(slots=1), "open_opportunity", when(0))
    jeanne, paul = cleared_volunteer(volunteers, 1), cleared_volunteer(volunteers, 2)
    first = call(volunteers, "sign_up", jeanne["id"], "act-1")
    with pytest.raises(Conflict, match="Toutes les places"):
        call(volunteers, "sign_up", paul["id"], "act-1")
    call(volunteers, "withdraw", first["id"], jeanne["id"])
    assert call(volunteers, "sign_up", paul["id"], "act-1")["status"] == "confirmed"
    assert [e for e, _ in emitted() if e.startswith("volunteers.signup")] == [
        "volunteers.signup_confirmed",
        "volunteers.signup_withdrawn",
        "volunteers.signup_confirmed",
    ]


def test_no_withdrawal_once_the_activity_started(volunteers, publish_raw, monkeypatch):
    deliver(volunteers, publish_raw, "bookings.activity_scheduled", scheduled(), "open_opportunity", when(0))
    jeanne = cleared_volunteer(volunteers)
    signup = call(volunteers, "sign_up", jeanne["id"], "act-1")
    set_clock(monkeypatch, 9, 45)
    with pytest.raises(Conflict, match="déjà commencé"):
        call(volunteers, "withdraw", signup["id"], jeanne["id"])


def test_the_expiry_warning_is_emitted_once_per_attestation_whatever_the_runs(volunteers, publish_raw):
    jeanne = call(volunteers, "register_volunteer", volunteer_fields())
    issued = date.today().replace(year=date.today().year - 3) + timedelta(days=10)  # expires in 9 days
    call(
        volunteers,
        "record_honorability",
        jeanne["id"],
        {"issued_on": issued.isoformat(), "verified_on": issued.isoformat()},
        "staff-1",
    )
    first = call(volunteers, "announce_expiring")
    again = call(volunteers, "announce_expiring")
    assert (len(first), again) == (1, [])
    [warned] = emitted("volunteers.honorability_expiring")
    assert warned["volunteer_id"] == jeanne["id"] and "email" not in warned  # by id: volunteers `contact` says the rest
    assert [e["volunteer_id"] for e in call(volunteers, "list_expiring")["items"]] == [jeanne["id"]]


def test_cleared_is_emitted_once_when_the_second_record_completes_it(volunteers):
    cleared_volunteer(volunteers)
    assert len(emitted("volunteers.volunteer_cleared")) == 1
