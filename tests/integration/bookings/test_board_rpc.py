"""The staff's board on the real broker and database: the day's occupancy and ratio status as
children arrive, who is in the building (bookings and contracts alike), a room's week."""

from datetime import timedelta

import pytest
from nameko.testing.services import entrypoint_waiter

from shared.events import new_event
from tests.dates import DAY, at, day, set_clock
from tests.factories import (
    GUARDIAN,
    call_service,
    contract_fields,
    create_child,
    create_family,
    create_room,
    create_slot,
    schedule_activity,
    weekly,
)
from tests.staff_on_duty import clear_trainee, seed_staff
from tests.support import call

# A working day (Monday to Thursday) at least ten days ahead: a contract may hold it.
WORKDAY = next(d for d in (day(n) for n in range(10, 20)) if d.weekday() < 4)
BABY = (WORKDAY - timedelta(days=200)).isoformat()  # about 6 months old: does not walk yet


@pytest.fixture
def creche(bookings, monkeypatch):
    """A non-walking slot 08:00-12:00 on WORKDAY, two professionals (10 places), 10 babies booked
    at 07:00 that day (the places kept for AVIP children are released by then)."""
    set_clock(monkeypatch, 7, day=WORKDAY)
    return open_creche(bookings, 10)


def open_creche(bookings, babies):
    room = create_room(bookings, name="Les Lucioles", kind="childcare", capacity=12)
    slot = create_slot(
        bookings, room, starts_at=at(8, day=WORKDAY), ends_at=at(12, day=WORKDAY), age_group="non_walking"
    )
    family = create_family(bookings, dependent_children=3)
    booked = []
    for n in range(babies):
        child = create_child(bookings, family, first_name=f"Bébé {n:02d}", birth_date=BABY)
        booked.append(call(bookings, "book", family["id"], {"slot_id": slot["id"], "child_id": child["id"]}))
    assert {b["status"] for b in booked} == {"confirmed"}
    return room, slot, booked


def board(bookings):
    return call(bookings, "day_board", {"date": WORKDAY.isoformat()})


def test_the_ratio_status_moves_to_the_limit_when_the_tenth_baby_arrives(bookings, creche, monkeypatch):
    room, slot, booked = creche
    schedule_activity(bookings, starts_at=at(15, day=WORKDAY), ends_at=at(16, day=WORKDAY), title="Éveil musical")
    set_clock(monkeypatch, 9, day=WORKDAY)
    before = board(bookings)
    assert [a["title"] for a in before["activities"]] == ["Éveil musical"]
    (shown,) = before["slots"]
    assert (shown["places"], shown["booked"], shown["present"], shown["ratio_status"]) == (10, 10, 0, "ok")

    for booking in booked[:9]:
        call(bookings, "check_in", booking["id"], {"at": at(8, 30, day=WORKDAY)})
    nine = board(bookings)
    assert (nine["slots"][0]["present"], nine["slots"][0]["ratio_status"], nine["present"]) == (9, "ok", 9)

    call(bookings, "check_in", booked[9]["id"], {"at": at(8, 45, day=WORKDAY)})
    ten = board(bookings)["slots"][0]
    assert (ten["present_non_walking"], ten["adults_required"], ten["ratio_status"]) == (10, 2, "at_limit")
    assert board(bookings)["ratio_status"] == "at_limit"

    call(bookings, "check_out", booked[0]["id"], {"collected_by": GUARDIAN, "at": at(8, 50, day=WORKDAY)})
    assert board(bookings)["slots"][0]["ratio_status"] == "ok"  # one left: a place again


def test_the_register_lists_the_children_in_the_building_from_bookings_and_contracts(bookings, monkeypatch):
    set_clock(monkeypatch, 7, day=WORKDAY)
    room, slot, booked = open_creche(bookings, 5)
    family = create_family(bookings, guardians=[{"first_name": "Inès", "last_name": "Martin", "phone": "0601020304"}])
    lou = create_child(bookings, family, first_name="Lou", birth_date=BABY)
    contract = call_service(
        bookings,
        "request_contract",
        contract_fields(
            lou["id"],
            WORKDAY,
            WORKDAY + timedelta(days=60),
            pattern=weekly([WORKDAY.weekday()], "08:30", "11:30"),
        ),
    )
    call(bookings, "accept_contract", contract["id"])
    set_clock(monkeypatch, 10, day=WORKDAY)

    expected = call(bookings, "day_children", {"date": WORKDAY.isoformat()})
    assert expected["count"] == 6  # five bookings and Lou's contract, nobody arrived yet
    row = next(c for c in expected["children"] if c["first_name"] == "Lou")
    assert (row["contract_id"], row["booking_id"], row["slot_id"], row["family_name"]) == (
        contract["id"],
        None,
        slot["id"],
        "Martin",
    )
    assert row["walks"] is False and row["arrived_at"] is None
    assert call(bookings, "building_register", {"date": WORKDAY.isoformat()})["count"] == 0

    call(bookings, "check_in", booked[0]["id"], {"at": at(8, 10, day=WORKDAY)})
    call(bookings, "contract_check_in", contract["id"], {"at": at(8, 35, day=WORKDAY)})
    register = call(bookings, "building_register", {"date": WORKDAY.isoformat()})
    assert [(c["first_name"], c["room_name"]) for c in register["children"]] == [
        ("Bébé 00", "Les Lucioles"),
        ("Lou", "Les Lucioles"),
    ]
    assert register["children"][1]["arrived_at"] == at(8, 35, day=WORKDAY)
    # Lou counts in the slot's ratio with the booked baby
    assert board(bookings)["slots"][0]["present"] == 2

    call(bookings, "contract_check_out", contract["id"], {"collected_by": GUARDIAN, "at": at(9, 30, day=WORKDAY)})
    register = call(bookings, "building_register", {"date": WORKDAY.isoformat()})
    assert [c["first_name"] for c in register["children"]] == ["Bébé 00"]


def test_a_rooms_week_shows_its_activities_slots_and_training_reservations(bookings, publish_raw):
    room = create_room(bookings, name="Grande salle", capacity=20)
    other = create_room(bookings, name="Atelier", capacity=20)
    monday = DAY - timedelta(days=DAY.weekday())
    schedule_activity(bookings, room, title="Conte", starts_at=at(9, day=monday), ends_at=at(10, day=monday))
    others = seed_staff(bookings, "staff-third", "staff-fourth")  # a staff member is in one place at a time
    schedule_activity(
        bookings,
        other,
        title="Ailleurs",
        starts_at=at(9, day=monday),
        ends_at=at(10, day=monday),
        lead_staff_id=others[0],
        staff_ids=others[1:],
    )
    create_slot(
        bookings, room, starts_at=at(8, day=monday + timedelta(days=2)), ends_at=at(12, day=monday + timedelta(days=2))
    )
    with entrypoint_waiter(bookings, "reserve_room", timeout=10):
        publish_raw(
            "education.room_reservation_requested",
            new_event(
                "education.room_reservation_requested",
                {
                    "session_id": "session-1",
                    "room_id": room["id"],
                    "title": "Premiers secours",
                    "parts": [{"starts_at": at(14, day=monday), "ends_at": at(17, day=monday)}],
                },
            ),
        )
    next_week = schedule_activity(
        bookings,
        room,
        title="La semaine d'après",
        starts_at=at(9, day=monday + timedelta(days=7)),
        ends_at=at(10, day=monday + timedelta(days=7)),
    )

    week = call(bookings, "room_week", room["id"], {"week": (monday + timedelta(days=3)).isoformat()})
    assert week["week"] == monday.isoformat() and week["room"]["name"] == "Grande salle"
    assert week["previous_week"] == (monday - timedelta(days=7)).isoformat()
    assert [d["date"] for d in week["days"]] == [(monday + timedelta(days=n)).isoformat() for n in range(7)]
    assert [(e["kind"], e["title"]) for e in week["days"][0]["entries"]] == [
        ("activity", "Conte"),
        ("training", "Premiers secours"),
    ]
    assert [(e["kind"], e["places"], e["booked"]) for e in week["days"][2]["entries"]] == [("slot", 16, 0)]
    later = call(bookings, "room_week", room["id"], {"week": week["next_week"]})
    assert [e["id"] for e in later["days"][0]["entries"]] == [next_week["id"]]


def test_an_unknown_room_or_a_malformed_day_is_refused_in_french(bookings):
    from shared.errors import Invalid, NotFound

    with pytest.raises(NotFound, match="Salle introuvable"):
        call(bookings, "room_week", "pas-une-salle", {})
    with pytest.raises(Invalid):
        call(bookings, "day_board", {"date": "demain"})


def test_the_adults_on_site_are_those_of_the_activities_and_sessions_under_way(
    bookings, publish_raw, monkeypatch, known_trainees
):
    known_trainees("trainee-1")
    clear_trainee(bookings, "trainee-1")
    set_clock(monkeypatch, 7)
    workshop = create_room(bookings, name="Atelier", capacity=20)
    training = create_room(bookings, name="Salle de formation", capacity=14, kind="training")
    story = schedule_activity(bookings, workshop, title="Conte", starts_at=at(9), ends_at=at(10))
    call(bookings, "assign_trainee", story["id"], {"trainee_id": "trainee-1"})
    with entrypoint_waiter(bookings, "count_volunteer", timeout=10):
        publish_raw(
            "volunteers.signup_confirmed",
            new_event(
                "volunteers.signup_confirmed",
                {"signup_id": "s1", "activity_id": story["id"], "volunteer_id": "volunteer-1"},
            ),
        )
    garden = create_room(bookings, name="Jardin", capacity=20)
    others = seed_staff(bookings, "staff-third", "staff-fourth")  # a staff member is in one place at a time
    cancelled = schedule_activity(
        bookings, garden, title="Semis", starts_at=at(9), ends_at=at(10), lead_staff_id=others[0], staff_ids=others[1:]
    )
    call(bookings, "cancel_activity", cancelled["id"], {"reason": "Pluie"})
    with entrypoint_waiter(bookings, "reserve_room", timeout=10):
        publish_raw(
            "education.room_reservation_requested",
            new_event(
                "education.room_reservation_requested",
                {
                    "session_id": "session-1",
                    "room_id": training["id"],
                    "title": "Premiers secours",
                    "parts": [{"starts_at": at(9), "ends_at": at(12)}],
                },
            ),
        )

    set_clock(monkeypatch, 8, 59)
    before = call(bookings, "on_site_now")
    assert (before["activities"], before["sessions"]) == ([], [])

    set_clock(monkeypatch, 9, 30)
    now = call(bookings, "on_site_now")
    assert [(a["title"], a["trainee_ids"], a["volunteer_ids"]) for a in now["activities"]] == [
        ("Conte", ["trainee-1"], ["volunteer-1"])
    ]  # the cancelled activity puts nobody in the building
    assert [(s["session_id"], s["room_name"], s["ends_at"]) for s in now["sessions"]] == [
        ("session-1", "Salle de formation", at(12))
    ]

    set_clock(monkeypatch, 10)  # the activity's end: its people have left
    assert [a["title"] for a in call(bookings, "on_site_now")["activities"]] == []
