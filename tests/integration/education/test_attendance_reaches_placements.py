"""A trainee's attendance, recorded on the education service's sheet, reaches their placement on
the real broker (education → placements, with bookings holding the room): each half-day attended
is credited as training hours, apart from the on-site hours; a correction to absent takes it
back. A volunteer's reaches the volunteers service the same way, per half-day."""

from datetime import timedelta

import pytest

from services.placements.service import PlacementsService
from services.volunteers.service import VolunteersService
from tests.dates import DAY, at, set_clock
from tests.factories import create_room
from tests.integration.education.conftest import plan, settled
from tests.integration.volunteers.conftest import volunteer_fields
from tests.support import call, wait_for

TRAINEE = {
    "id": "trainee-ines",
    "email": "ines@example.fr",
    "first_name": "Inès",
    "last_name": "Petit",
    "birth_date": "2003-09-12",
    "programme": "cap_aepe",
    "school": "Lycée Jean Moulin",
}


@pytest.fixture
def placed(container_factory, service_config, team):  # team: the host quota asks its headcount
    container = container_factory(PlacementsService, service_config)
    container.start()
    call(container, "register_trainee", TRAINEE)
    placement = call(
        container,
        "create_placement",
        {
            "trainee_id": TRAINEE["id"],
            "tutor_id": "tutor-1",
            "starts_on": (DAY - timedelta(days=7)).isoformat(),
            "ends_on": (DAY + timedelta(days=7)).isoformat(),
            "required_hours": "70",
        },
    )
    return container, placement


def hours(placements, placement):
    shown = call(placements, "get_placement", placement["id"])
    return shown["training_hours"], shown["validated_hours"]


def test_the_parts_a_trainee_attended_are_credited_to_their_placement_and_a_correction_takes_one_back(
    education, bookings, placed, monkeypatch
):
    placements, placement = placed
    set_clock(monkeypatch, 7, day=DAY)
    room = create_room(bookings, name="Salle de formation", kind="training", capacity=14)
    session = settled(education, plan(education, room["id"])["id"], "confirmed")  # two parts of 3.5 h on DAY
    enrolment = {
        "participant_kind": "trainee",
        "participant_id": TRAINEE["id"],
        "name": "Inès Petit",
        "email": TRAINEE["email"],
        "funding": "employer",
    }
    assert call(education, "enrol", session["id"], enrolment)["status"] == "confirmed"

    set_clock(monkeypatch, 18, day=DAY)
    for part in (0, 1):
        mark = {"part_index": part, "participant_id": TRAINEE["id"], "present": True}
        call(education, "record_attendance", session["id"], mark)
    wait_for(lambda: hours(placements, placement) == ("7.00", "0.00"), timeout=15, message="7 h of training credited")

    correction = {"part_index": 1, "participant_id": TRAINEE["id"], "present": False}
    call(education, "record_attendance", session["id"], correction)
    wait_for(lambda: hours(placements, placement) == ("3.50", "0.00"), timeout=15, message="the afternoon taken back")


@pytest.fixture
def volunteers(container_factory, service_config):
    container = container_factory(VolunteersService, service_config)
    container.start()
    return container


def test_a_full_day_attended_in_the_morning_only_reaches_placements_and_volunteers_as_three_and_a_half_hours(
    education, bookings, placed, volunteers, monkeypatch
):
    placements, placement = placed
    jeanne = call(volunteers, "register_volunteer", volunteer_fields())
    set_clock(monkeypatch, 7, day=DAY)
    room = create_room(bookings, name="Salle de formation", kind="training", capacity=14)
    session = settled(education, plan(education, room["id"], parts=[(at(9), at(17))])["id"], "confirmed")
    assert session["hours"] == "7.00"  # 09:00–17:00 without the lunch break
    for who in (
        {"participant_kind": "trainee", "participant_id": TRAINEE["id"], "name": "Inès Petit"},
        {"participant_kind": "volunteer", "participant_id": jeanne["id"], "name": "Jeanne Martin"},
    ):
        call(education, "enrol", session["id"], {**who, "email": "", "funding": "employer"})

    set_clock(monkeypatch, 18, day=DAY)
    for participant_id in (TRAINEE["id"], jeanne["id"]):
        for half_day, present in (("morning", True), ("afternoon", False)):
            mark = {"part_index": 0, "half_day": half_day, "participant_id": participant_id, "present": present}
            call(education, "record_attendance", session["id"], mark)
    wait_for(lambda: hours(placements, placement) == ("3.50", "0.00"), timeout=15, message="the morning credited")

    def volunteer_training():
        mine = call(volunteers, "my_hours", jeanne["id"], {"year": DAY.year})
        return mine["training_hours"], mine["training_parts"]

    wait_for(lambda: volunteer_training() == ("3.50", 1), timeout=15, message="the volunteer's morning counted")
