"""Named staff on duty in bookings' entrypoints (worker_factory, real SQLite, no broker): slots and
activities name staff members bookings learned from team's events, trainees are cleared from
placements' events, and a sick call changes a slot's staff at any time."""

import json
from datetime import date, timedelta

import pytest
from nameko.testing.services import worker_factory

from services.bookings import models
from services.bookings.service import BookingsService
from services.bookings.settings import VenueSettings
from shared import migrate
from shared.errors import Conflict, Invalid
from shared.events.envelope import new_event
from shared.unit_of_work import Work
from tests import factories
from tests.dates import DAY, at
from tests.staff_on_duty import LEAD, SECOND, clear_trainee, cleared, deliver, profile, seed_staff, staff_events

ONE_DAY = timedelta(days=1)


@pytest.fixture
def service(tmp_path):
    migrate.migrate("bookings", f"sqlite:///{tmp_path / 'bookings.db'}")
    models.database.connect()
    worker = worker_factory(
        BookingsService, uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"), settings=VenueSettings()
    )
    seed_staff(worker)
    yield worker
    models.database.close()


@pytest.fixture
def room(service):
    return service.create_room(factories.room_fields(kind="childcare", capacity=10))


def slot_with(service, room, staff_ids, **fields):
    body = factories.slot_fields(room["id"], staff_ids=staff_ids)
    body.pop("staff_on_duty")
    return service.create_slot(dict(body, **fields))


def expire(service, staff_id, last_day):
    deliver(
        service, new_event("team.staff_clearance_expired", {"staff_id": staff_id, "expired_on": last_day.isoformat()})
    )


# --- slots ----------------------------------------------------------------------------------------
def test_a_slot_counts_its_named_professionals_and_shows_their_names(service, room):
    slot = slot_with(service, room, [LEAD, SECOND])
    assert slot["staff_on_duty"] == 2
    assert slot["unnamed_staff"] == 0
    assert [s["staff_id"] for s in slot["staff"]] == [LEAD, SECOND]
    assert all(s["counted"] and s["name"].startswith("Inès") for s in slot["staff"])
    assert slot["places"] == 10  # 2 professionals, walking children: 16, the room holds 10


def test_a_slot_given_a_number_alone_counts_unnamed_staff_as_before(service, room):
    slot = service.create_slot(factories.slot_fields(room["id"], staff_on_duty=2))
    assert (slot["staff_on_duty"], slot["unnamed_staff"], slot["staff"]) == (2, 2, [])


def test_a_slot_needs_its_staff_named_or_counted(service, room):
    body = factories.slot_fields(room["id"])
    body.pop("staff_on_duty")
    with pytest.raises(Invalid) as refused:
        service.create_slot(body)
    assert "staff_ids" in refused.value.fields


def test_naming_a_staff_member_without_attestation_is_refused_with_the_reason(service, room):
    deliver(service, staff_events("staff-new", verified_on=None)[0])
    with pytest.raises(Conflict) as refused:
        slot_with(service, room, [LEAD, "staff-new"])
    assert "n'a pas d'attestation d'honorabilité vérifiée" in refused.value.message
    assert "staff_ids" in refused.value.fields
    assert models.ChildcareSlot.select().count() == 0


def test_naming_an_unknown_staff_member_is_refused(service, room):
    with pytest.raises(Conflict) as refused:
        slot_with(service, room, ["nobody"])
    assert "inconnu" in refused.value.message


def test_a_cleared_staff_member_without_a_qualifying_diploma_is_present_but_not_counted(service, room):
    seed_staff(service, "staff-cook", counts_in_ratio=False, diplomas=[], state_diploma=False)
    slot = slot_with(service, room, [LEAD, "staff-cook"])
    assert slot["staff_on_duty"] == 1
    assert [s["counted"] for s in slot["staff"]] == [True, False]


def test_a_sick_call_replaces_a_named_staff_member_at_any_time(service, room):
    seed_staff(service, "staff-third")
    slot = slot_with(service, room, [LEAD, SECOND])
    changed = service.change_slot_staff(slot["id"], {"staff_ids": [LEAD, "staff-third"]})
    assert [s["staff_id"] for s in changed["staff"]] == [LEAD, "staff-third"]
    assert changed["staff_on_duty"] == 2


def test_a_sick_call_that_breaks_the_ratio_is_accepted_and_cancels_no_booking(service, room):
    slot = slot_with(service, room, [LEAD, SECOND], age_group="non_walking")
    family = factories.create_family(service)
    booked = []
    for n in range(8):
        child = service.add_child(
            family["id"], factories.child_fields(first_name=f"Enfant{n}", birth_date=str(DAY - timedelta(days=200)))
        )
        booked.append(service.book(family["id"], {"slot_id": slot["id"], "child_id": child["id"]}))
    assert {b["status"] for b in booked} == {"confirmed"}
    changed = service.change_slot_staff(slot["id"], {"staff_ids": [LEAD]})
    assert (changed["staff_on_duty"], changed["booked"]) == (1, 8)
    assert changed["places"] == 0  # one adult: no new child, those booked stay
    assert models.Booking.select().where(models.Booking.status == "confirmed").count() == 8


def test_the_unnamed_count_stays_unless_the_change_gives_a_new_one(service, room):
    slot = slot_with(service, room, [LEAD], staff_on_duty=1)
    assert service.change_slot_staff(slot["id"], {"staff_ids": []})["staff_on_duty"] == 1
    assert service.change_slot_staff(slot["id"], {"staff_ids": [LEAD], "staff_on_duty": 0})["staff_on_duty"] == 1


def test_a_change_naming_someone_twice_is_refused(service, room):
    slot = slot_with(service, room, [LEAD])
    with pytest.raises(Invalid):
        service.change_slot_staff(slot["id"], {"staff_ids": [LEAD, LEAD]})


# --- events from team, any order -------------------------------------------------------------------
def test_a_clearance_expiring_removes_the_staff_member_from_the_ratio(service, room):
    slot = slot_with(service, room, [LEAD, SECOND])
    expire(service, SECOND, DAY - ONE_DAY)
    [listed] = service.list_slots({"date": DAY.isoformat()})["items"]
    assert listed["staff_on_duty"] == 1
    assert listed["places"] == 0  # walking children, the minimum of two: nobody new
    assert [s["cleared"] for s in listed["staff"]] == [True, False]
    assert listed["id"] == slot["id"]


def test_an_expiry_on_the_slots_day_still_counts_the_staff_member_that_day(service, room):
    slot_with(service, room, [LEAD, SECOND])
    expire(service, SECOND, DAY)
    [listed] = service.list_slots({"date": DAY.isoformat()})["items"]
    assert listed["staff_on_duty"] == 2


def test_a_clearance_arriving_before_the_profile_names_them_once_it_comes(service, room):
    registered, *cleared = staff_events("staff-late")
    for event in cleared:
        deliver(service, event)
    with pytest.raises(Conflict):
        slot_with(service, room, ["staff-late"])
    deliver(service, registered)
    assert slot_with(service, room, ["staff-late"])["staff_on_duty"] == 1


def test_an_older_profile_arriving_late_does_not_undo_a_newer_one(service, room):
    newer = new_event("team.staff_updated", profile(SECOND, active=False))
    older = new_event("team.staff_updated", profile(SECOND), occurred_at=newer_than(newer, -60))
    deliver(service, newer)
    deliver(service, older)
    with pytest.raises(Conflict) as refused:
        slot_with(service, room, [SECOND])
    assert "ne fait plus partie" in refused.value.message


def test_the_same_event_delivered_twice_changes_nothing_more(service, room):
    event = new_event("team.staff_clearance_expired", {"staff_id": SECOND, "expired_on": (DAY - ONE_DAY).isoformat()})
    deliver(service, event)
    deliver(service, event)
    assert models.Clearance.select().where(models.Clearance.verified_on.is_null()).count() == 1


def test_a_staff_member_leaving_counts_no_more_in_the_slots_naming_them(service, room):
    slot_with(service, room, [LEAD, SECOND])
    deliver(service, new_event("team.staff_updated", profile(SECOND, active=False)))
    [listed] = service.list_slots({"date": DAY.isoformat()})["items"]
    assert listed["staff_on_duty"] == 1


def _waitlist_of_nine_babies(service):
    """A non-walking slot of a room of 20, named LEAD, SECOND and staff-cook (present, no qualifying
    diploma: not counted): 2 professionals, 10 places, 2 of them kept for AVIP children; nine babies
    of a family not job-seeking booked, the last one waiting."""
    seed_staff(service, "staff-cook", counts_in_ratio=False, diplomas=[], state_diploma=False)
    room = service.create_room(factories.room_fields(kind="childcare", capacity=20))
    slot = slot_with(service, room, [LEAD, SECOND, "staff-cook"], age_group="non_walking")
    family = factories.create_family(service)
    booked = []
    for n in range(9):
        child = service.add_child(
            family["id"], factories.child_fields(first_name=f"Bébé{n}", birth_date=str(DAY - timedelta(days=200)))
        )
        booked.append(service.book(family["id"], {"slot_id": slot["id"], "child_id": child["id"]}))
    assert [b["status"] for b in booked] == ["confirmed"] * 8 + ["waitlisted"]
    return slot, booked[-1]


def _promoted():
    return [
        json.loads(r.body)["payload"]
        for r in models.Outbox.select()
        if json.loads(r.body)["type"] == "bookings.booking_promoted"
    ]


def test_a_staff_member_counted_again_by_an_event_promotes_the_waiting_list_as_a_cancellation_does(service):
    slot, waiting = _waitlist_of_nine_babies(service)
    qualified = profile("staff-cook", diplomas=["auxiliaire_puericulture"], counts_in_ratio=True)
    deliver(service, new_event("team.staff_updated", qualified))
    [listed] = service.list_slots({"date": DAY.isoformat()})["items"]
    assert (listed["staff_on_duty"], listed["places"]) == (3, 15)
    assert models.Booking.get_by_id(waiting["id"]).status == "confirmed"
    [told] = _promoted()
    assert told["booking_id"] == waiting["id"]


def test_a_renewed_clearance_counts_the_staff_member_again_and_promotes_the_waiting_list(service):
    seed_staff(service, "staff-third")
    room = service.create_room(factories.room_fields(kind="childcare", capacity=20))
    slot = slot_with(service, room, [LEAD, SECOND, "staff-third"], age_group="non_walking")
    expire(service, "staff-third", DAY - timedelta(days=3))  # no longer counted on DAY: 10 places
    family = factories.create_family(service)
    booked = []
    for n in range(11):
        child = service.add_child(
            family["id"], factories.child_fields(first_name=f"Bébé{n}", birth_date=str(DAY - timedelta(days=200)))
        )
        booked.append(service.book(family["id"], {"slot_id": slot["id"], "child_id": child["id"]}))
    waiting = [b["id"] for b in booked if b["status"] == "waitlisted"]
    assert len(waiting) == 3  # 10 places, 2 kept for AVIP children: 8 confirmed
    renewed = cleared("staff_id", "staff-third", verified_on=DAY - timedelta(days=2))
    deliver(service, new_event("team.staff_cleared", renewed))
    [listed] = service.list_slots({"date": DAY.isoformat()})["items"]
    assert (listed["staff_on_duty"], listed["places"]) == (3, 15)
    assert sorted(told["booking_id"] for told in _promoted()) == sorted(waiting)  # 15 places, 3 kept: 12


def newer_than(event, seconds):
    from datetime import datetime

    return datetime.fromisoformat(event["occurred_at"]) + timedelta(seconds=seconds)


# --- activities -----------------------------------------------------------------------------------
def activity(room, **overrides):
    return factories.activity_fields(room["id"], **overrides)


def test_an_activity_with_children_is_led_by_a_professional_named(service, room):
    scheduled = service.schedule_activity(activity(room))
    assert scheduled["lead"]["staff_id"] == LEAD
    assert [s["staff_id"] for s in scheduled["staff"]] == [SECOND]
    assert (scheduled["professionals"], scheduled["professionals_required"]) == (2, 2)


def test_an_activity_with_children_and_no_lead_is_refused_as_the_old_body_was(service, room):
    body = activity(room)
    body.pop("lead_staff_id")
    with pytest.raises(Invalid) as refused:
        service.schedule_activity(body)
    assert "lead_staff_id" in refused.value.fields


def test_an_activity_without_children_needs_no_lead(service, room):
    body = activity(room, children_capacity=0, staff_ids=[])
    body.pop("lead_staff_id")
    assert service.schedule_activity(body)["lead"] is None


def test_volunteers_and_trainees_never_make_up_the_ratio_of_an_activity(service, room):
    with pytest.raises(Conflict) as refused:
        service.schedule_activity(activity(room, staff_ids=[]))
    assert "Il faut 2 professionnels" in refused.value.message


def test_a_lead_without_a_qualifying_diploma_is_refused(service, room):
    seed_staff(service, "staff-cook", counts_in_ratio=False, diplomas=[], state_diploma=False)
    with pytest.raises(Conflict) as refused:
        service.schedule_activity(activity(room, lead_staff_id="staff-cook"))
    assert "lead_staff_id" in refused.value.fields


def test_an_uncleared_lead_is_refused_with_the_reason(service, room):
    expire(service, LEAD, DAY - ONE_DAY)
    with pytest.raises(Conflict) as refused:
        service.schedule_activity(activity(room))
    assert "a expiré le" in refused.value.message


def test_an_outing_of_eleven_children_needs_three_professionals(service):
    room = service.create_room(factories.room_fields(capacity=20))
    seed_staff(service, "staff-third")
    body = activity(room, children_capacity=11, outing=True)
    with pytest.raises(Conflict) as refused:
        service.schedule_activity(body)
    assert "Il faut 3 professionnels" in refused.value.message
    scheduled = service.schedule_activity(dict(body, staff_ids=[SECOND, "staff-third"]))
    assert (scheduled["outing"], scheduled["professionals_required"]) == (True, 3)


def test_an_activitys_staff_change_keeps_the_lead_when_none_is_given(service, room):
    seed_staff(service, "staff-third")
    scheduled = service.schedule_activity(activity(room))
    changed = service.change_activity_staff(scheduled["id"], {"staff_ids": ["staff-third"]})
    assert (changed["lead"]["staff_id"], [s["staff_id"] for s in changed["staff"]]) == (LEAD, ["staff-third"])
    with pytest.raises(Conflict):
        service.change_activity_staff(scheduled["id"], {"staff_ids": []})


# --- trainees -------------------------------------------------------------------------------------
def test_a_trainee_without_attestation_is_refused_on_an_activity_with_children(service, room):
    scheduled = service.schedule_activity(activity(room))
    with pytest.raises(Conflict) as refused:
        service.assign_trainee(scheduled["id"], {"trainee_id": "t1"})
    assert "Ce stagiaire n'a pas d'attestation d'honorabilité" in refused.value.message
    assert models.ActivityTrainee.select().count() == 0


def test_a_trainee_is_accepted_once_placements_said_they_are_cleared(service, room):
    scheduled = service.schedule_activity(activity(room))
    clear_trainee(service, "t1")
    assert service.assign_trainee(scheduled["id"], {"trainee_id": "t1"})["trainees"] == ["t1"]


def test_a_trainee_whose_attestation_ended_before_the_activity_is_refused(service, room):
    scheduled = service.schedule_activity(activity(room))
    clear_trainee(service, "t1", verified_on=date(2023, 6, 1), last_day=DAY - ONE_DAY)
    with pytest.raises(Conflict) as refused:
        service.assign_trainee(scheduled["id"], {"trainee_id": "t1"})
    assert "n'est plus valable" in refused.value.message


def test_a_trainee_needs_no_attestation_for_an_activity_without_children(service, room):
    body = activity(room, children_capacity=0, staff_ids=[], lead_staff_id=None)
    scheduled = service.schedule_activity(body)
    assert service.assign_trainee(scheduled["id"], {"trainee_id": "t1"})["trainees"] == ["t1"]


# --- the board ------------------------------------------------------------------------------------
def test_the_board_names_the_days_staff_and_their_share_of_state_diplomas(service, room):
    seed_staff(service, "staff-cap", diplomas=["cap_aepe"], state_diploma=False)
    slot_with(service, room, [LEAD, "staff-cap"], starts_at=at(8), ends_at=at(12))
    board = service.day_board({"date": DAY.isoformat()})
    assert [s["staff_id"] for s in board["slots"][0]["staff"]] == [LEAD, "staff-cap"]
    assert (board["state_diploma_share"], board["state_diploma_minimum"], board["state_diploma_low"]) == (50, 40, False)
    assert board["slots"][0]["ratio_alert"] is None


def test_the_boards_sentence_for_a_broken_ratio_says_what_is_missing_and_that_nothing_is_cancelled():
    from services.bookings.board.presenters import ratio_alert

    assert ratio_alert("ok", 2, 2) is None and ratio_alert("at_limit", 2, 2) is None
    assert ratio_alert("breach", 1, 3) == (
        "Taux d'encadrement non respecté : 3 professionnels nécessaires pour les enfants présents, 1 en poste. "
        "Appelez un renfort (2 de plus) ; aucune réservation n'est annulée."
    )
