"""The bookings service's entrypoints with nameko's worker_factory: real SQLite, no broker."""

import json

import pytest
from nameko.testing.services import worker_factory

from services.bookings import models
from services.bookings.service import BookingsService
from services.bookings.settings import VenueSettings
from shared import migrate
from shared.errors import Conflict, Invalid
from shared.unit_of_work import Work
from tests.staff_on_duty import LEAD, SECOND, seed_staff

ACTIVITY = {
    "title": "Conte",
    "kind": "story_time",
    "starts_at": "2026-12-01T09:00:00+01:00",
    "ends_at": "2026-12-01T10:00:00+01:00",
    "children_capacity": 8,
    "volunteer_slots": 2,
    "trainee_slots": 1,
    "lead_staff_id": LEAD,
    "staff_ids": [SECOND],
}


@pytest.fixture
def service(tmp_path):
    migrate.migrate("bookings", f"sqlite:///{tmp_path / 'bookings.db'}")
    models.database.connect()
    worker = worker_factory(
        BookingsService, uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"), settings=VenueSettings()
    )
    seed_staff(worker)  # the activities' two leads
    yield worker
    models.database.close()


def test_scheduling_stores_the_activity_and_its_event_together(service):
    room = service.create_room({"name": "Lucioles", "kind": "workshop", "capacity": 12})
    activity = service.schedule_activity(dict(ACTIVITY, room_id=room["id"]))
    assert activity["status"] == "scheduled"
    [row] = models.Outbox.select()
    event = json.loads(row.body)
    assert event["type"] == "bookings.activity_scheduled"
    assert event["correlation_id"] == "test-cid"
    assert event["payload"]["activity_id"] == activity["id"]
    assert event["payload"]["starts_at"] == "2026-12-01T09:00:00+01:00"


def test_the_scheduled_event_says_the_childrens_age_group_when_staff_gave_one(service):
    room = service.create_room({"name": "Lucioles", "kind": "workshop", "capacity": 12})
    service.schedule_activity(dict(ACTIVITY, room_id=room["id"], age_group="walking"))
    service.schedule_activity(
        dict(ACTIVITY, room_id=room["id"], starts_at="2026-12-02T09:00:00+01:00", ends_at="2026-12-02T10:00:00+01:00")
    )
    payloads = [json.loads(row.body)["payload"] for row in models.Outbox.select()]
    assert {p["starts_at"][:10]: p["age_group"] for p in payloads} == {"2026-12-01": "walking", "2026-12-02": None}


def test_a_refused_activity_leaves_no_row_and_no_event(service):
    room = service.create_room({"name": "Lucioles", "kind": "workshop", "capacity": 12})
    service.schedule_activity(dict(ACTIVITY, room_id=room["id"]))
    with pytest.raises(Conflict) as clash:
        service.schedule_activity(dict(ACTIVITY, room_id=room["id"], starts_at="2026-12-01T09:30:00+01:00"))
    assert "Conte" in clash.value.message
    with pytest.raises(Invalid) as too_many:
        service.schedule_activity(
            dict(
                ACTIVITY,
                room_id=room["id"],
                children_capacity=13,
                starts_at="2026-12-02T09:00:00+01:00",
                ends_at="2026-12-02T10:00:00+01:00",
            )
        )
    assert "children_capacity" in too_many.value.fields
    assert models.Activity.select().count() == 1
    assert models.Outbox.select().count() == 1


def test_unknown_room_and_bad_times_are_field_errors(service):
    with pytest.raises(Invalid) as unknown:
        service.schedule_activity(dict(ACTIVITY, room_id="nope"))
    assert "room_id" in unknown.value.fields
    with pytest.raises(Invalid) as backwards:
        service.schedule_activity(dict(ACTIVITY, room_id="nope", ends_at="2026-12-01T08:00:00+01:00"))
    assert "ends_at" in backwards.value.fields


def test_room_names_are_unique(service):
    service.create_room({"name": "Lucioles", "kind": "workshop", "capacity": 12})
    with pytest.raises(Conflict):
        service.create_room({"name": "Lucioles", "kind": "garden", "capacity": 5})


def test_activities_filter_by_period(service):
    room = service.create_room({"name": "Lucioles", "kind": "workshop", "capacity": 12})
    service.schedule_activity(dict(ACTIVITY, room_id=room["id"]))
    period = {"from": "2026-12-01T00:00:00+01:00", "to": "2026-12-02T00:00:00+01:00"}
    assert len(service.list_activities(period)["items"]) == 1
    assert service.list_activities({"from": "2026-12-02T00:00:00+01:00"}) == {"items": [], "next_cursor": None}


def test_slots_are_listed_over_a_period_of_local_days_from_included_to_excluded(service):
    room = service.create_room({"name": "Crèche", "kind": "childcare", "capacity": 12})
    for starts_at in ("2026-11-30T23:30", "2026-12-01T00:00", "2026-12-02T23:00", "2026-12-03T00:00"):
        ends_at = starts_at[:11] + ("23:59" if starts_at.endswith("23:30") or starts_at.endswith("23:00") else "04:00")
        service.create_slot(
            {
                "room_id": room["id"],
                "starts_at": starts_at + ":00+01:00",
                "ends_at": ends_at + ":00+01:00",
                "age_group": "walking",
                "staff_on_duty": 2,
            }
        )
    listed = service.list_slots({"from": "2026-12-01", "to": "2026-12-03"})
    assert [s["starts_at"] for s in listed["items"]] == ["2026-12-01T00:00:00+01:00", "2026-12-02T23:00:00+01:00"]
    assert len(service.list_slots({"date": "2026-12-02"})["items"]) == 1  # one day, as before


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-12-01"}, "to"),
        ({"to": "2026-12-01"}, "from"),
        ({"from": "2026-12-01", "to": "2026-12-01"}, "to"),
        ({"from": "2026-12-01", "to": "2027-03-04"}, "to"),  # 93 days
        ({"date": "2026-12-01", "from": "2026-12-01", "to": "2026-12-02"}, "date"),
    ],
)
def test_a_period_of_slots_is_both_ends_in_order_and_at_most_92_days(service, query, field):
    with pytest.raises(Invalid) as refused:
        service.list_slots(query)
    assert field in refused.value.fields
    assert service.list_slots({"from": "2026-12-01", "to": "2027-03-03"})["items"] == []  # 92 days


def test_a_booking_on_a_date_the_cnaf_scale_does_not_cover_is_refused_clearly(service):
    room = service.create_room({"name": "Crèche", "kind": "childcare", "capacity": 3})
    slot = service.create_slot(
        {
            "room_id": room["id"],
            "starts_at": "2035-03-01T08:00:00+01:00",
            "ends_at": "2035-03-01T12:00:00+01:00",
            "age_group": "walking",
            "staff_on_duty": 2,
        }
    )
    family = service.register_family(
        {
            "email": "f@example.fr",
            "monthly_resources": "2000",
            "dependent_children": 1,
            "guardians": [{"first_name": "A", "last_name": "B", "phone": "0601020304"}],
        }
    )
    child = service.add_child(family["id"], {"first_name": "E", "birth_date": "2025-01-01"})
    with pytest.raises(Conflict) as refused:
        service.book(family["id"], {"slot_id": slot["id"], "child_id": child["id"]})
    assert "barème CNAF" in refused.value.message
    assert models.Booking.select().count() == 0 and models.Outbox.select().count() == 0


FAMILY = {
    "email": "dossier@example.fr",
    "monthly_resources": "2000",
    "dependent_children": 1,
    "guardians": [{"first_name": "Anne", "last_name": "Brun", "phone": "0601020304"}],
}


def test_a_walking_value_that_no_staff_account_set_is_moved_to_the_familys_proposal_by_migrate(service):
    family = service.register_family(FAMILY)
    declared = service.add_child(family["id"], {"first_name": "E", "birth_date": "2025-01-01"})
    old = models.Child.create(family=family["id"], first_name="O", birth_date="2025-06-01", walking_override=True)
    staff_said = service.set_child_walking(declared["id"], {"walking": False}, "staff-1")
    models.after_migrate()
    models.after_migrate()  # safe to run again
    old = models.Child.get_by_id(old.id)
    assert (old.walking_override, old.walking_declared) == (None, True)
    kept = models.Child.get_by_id(declared["id"])
    assert (kept.walking_override, kept.walking_set_by) == (False, "staff-1")
    assert staff_said["walking_set_by_staff"] is True


def test_a_correction_keeps_one_history_row_per_field_and_tells_it_in_one_event(service):
    family = service.register_family(FAMILY)
    service.correct_family(family["id"], {"aeeh": True, "dependent_children": 2, "job_seeker": False}, "staff-7")
    rows = list(models.FamilyChange.select().order_by(models.FamilyChange.field))
    assert [(r.field, r.before, r.after, r.changed_by) for r in rows] == [
        ("aeeh_children", "0", "1", "staff-7"),  # the former flag: true means one AEEH child
        ("dependent_children", "1", "2", "staff-7"),
    ]  # job_seeker was already false: no change, no row
    [event] = [json.loads(row.body) for row in models.Outbox.select()]
    assert event["type"] == "bookings.family_file_corrected"
    assert event["payload"] == {
        "family_id": family["id"],
        "changed_fields": ["dependent_children", "aeeh_children"],
        "changed_by": "staff-7",
        "child_id": None,
        "effective_on": None,
    }


def test_a_family_registers_its_number_of_aeeh_children_and_the_former_flag_means_one(service):
    two = service.register_family(dict(FAMILY, dependent_children=2, aeeh_children=2))
    assert (two["aeeh_children"], two["aeeh"]) == (2, True)
    flag = service.register_family(dict(FAMILY, email="flag@example.fr", aeeh=True))
    assert (flag["aeeh_children"], flag["aeeh"]) == (1, True)
    none = service.get_family(service.register_family(dict(FAMILY, email="none@example.fr"))["id"])
    assert (none["aeeh_children"], none["aeeh"]) == (0, False)


@pytest.mark.parametrize(
    "figures, message",
    [
        ({"dependent_children": 2, "aeeh_children": 3}, "Au plus autant d'enfants bénéficiaires de l'AEEH"),
        ({"aeeh": False, "aeeh_children": 1}, "aeeh et aeeh_children se contredisent"),
        ({"aeeh_children": -1}, "De 0 à 10 enfants bénéficiaires de l'AEEH."),
    ],
)
def test_more_aeeh_children_than_dependent_children_is_refused_in_french(service, figures, message):
    with pytest.raises(Invalid) as refused:
        service.register_family(dict(FAMILY, **figures))
    [said] = refused.value.fields["aeeh_children"]
    assert said.startswith(message)
    assert models.Family.select().count() == 0


def test_a_correction_sets_the_number_of_aeeh_children_at_most_the_dependent_children(service):
    family = service.register_family(dict(FAMILY, dependent_children=2))
    corrected = service.correct_family(family["id"], {"aeeh_children": 2}, "staff-7")
    assert (corrected["aeeh_children"], corrected["aeeh"]) == (2, True)
    # the former flag says "AEEH in the household": true keeps the count, false clears it
    assert service.correct_family(family["id"], {"aeeh": True}, "staff-7")["aeeh_children"] == 2
    with pytest.raises(Invalid) as fewer:
        service.correct_family(family["id"], {"dependent_children": 1}, "staff-7")
    assert fewer.value.fields == {
        "dependent_children": [
            "Pas moins d'enfants à charge que d'enfants bénéficiaires de l'AEEH (2) : corrigez aussi ce nombre."
        ]
    }
    with pytest.raises(Invalid) as more:
        service.correct_family(family["id"], {"aeeh_children": 3}, "staff-7")
    assert more.value.fields == {
        "aeeh_children": ["Au plus autant d'enfants bénéficiaires de l'AEEH que d'enfants à charge."]
    }
    both = service.correct_family(family["id"], {"dependent_children": 1, "aeeh_children": 1}, "staff-7")
    assert (both["dependent_children"], both["aeeh_children"]) == (1, 1)
    cleared = service.correct_family(family["id"], {"aeeh": False}, "staff-7")
    assert (cleared["aeeh_children"], cleared["aeeh"]) == (0, False)
    rows = {(r.field, r.before, r.after) for r in models.FamilyChange.select()}
    assert rows == {
        ("aeeh_children", "0", "2"),
        ("dependent_children", "2", "1"),
        ("aeeh_children", "2", "1"),
        ("aeeh_children", "1", "0"),
    }  # nothing for the refused corrections, nor for aeeh: true on a family that had two


def test_migrate_turns_the_former_aeeh_flag_into_one_aeeh_child(service):
    family = service.register_family(FAMILY)
    models.Family.update(aeeh=True, aeeh_children=0).execute()  # a row written before the count
    kept = service.register_family(dict(FAMILY, email="deux@example.fr", dependent_children=2, aeeh_children=2))
    models.after_migrate()
    models.after_migrate()  # safe to run again
    assert service.get_family(family["id"])["aeeh_children"] == 1
    assert service.get_family(kept["id"])["aeeh_children"] == 2


def test_both_quotes_take_the_number_of_aeeh_children_and_show_it(service):
    asked = {"monthly_resources": "5200", "dependent_children": "2", "on": "2026-03-10"}
    two = service.quote_fee(dict(asked, aeeh_children="2"))
    assert (two["effort_rate"], two["aeeh_children"]) == ("0.00031", 2)
    flag = service.quote_fee(dict(asked, aeeh="true"))
    assert (flag["effort_rate"], flag["aeeh_children"]) == ("0.000413", 1)
    assert service.quote_fee(asked)["aeeh_children"] == 0
    month = {"hours_per_week": "36", "weeks_per_year": "46"}
    one = service.quote_contract(dict(asked, aeeh="true", **month))
    both = service.quote_contract(dict(asked, aeeh_children="2", **month))
    assert (one["monthly_amount"], one["aeeh_children"]) == ("296.37", 1)
    assert (both["monthly_amount"], both["aeeh_children"]) == ("222.46", 2)  # 73.91 EUR a month less
    with pytest.raises(Invalid) as refused:
        service.quote_fee(dict(asked, aeeh_children="3"))
    assert refused.value.fields == {
        "aeeh_children": ["Au plus autant d'enfants bénéficiaires de l'AEEH que d'enfants à charge."]
    }


def test_a_refused_correction_changes_nothing(service):
    family = service.register_family(FAMILY)
    with pytest.raises(Invalid) as refused:
        service.correct_family(family["id"], {"monthly_resources": "-1"}, "staff-7")
    assert refused.value.fields == {"monthly_resources": ["Entre 0 et 1 000 000 € par mois."]}
    assert models.FamilyChange.select().count() == 0 and models.Outbox.select().count() == 0
    assert service.get_family(family["id"])["monthly_resources"] == "2000.00"
