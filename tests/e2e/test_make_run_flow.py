"""End to end: the processes `make run` starts (the Procfile under shared/supervisor.py), driven
over HTTP like a user would."""

import os
import re
import signal

import pytest

from tests.api import STAFF, Api, Http
from tests.factories import room_fields, tuesday_gardening_fields, volunteer_fields
from tests.staff_on_duty import tell_venue
from tests.support import wait_for
from tests.venue import running_venue

pytestmark = pytest.mark.e2e


@pytest.fixture
def stack(rabbit_config, tmp_path):
    """Migrate, then start every process from the Procfile as `make run` does, on a vhost and var/
    of this test only."""
    with running_venue(rabbit_config["AMQP_URI"], tmp_path) as venue:
        yield venue.base_url, venue.log_path


def test_an_activity_posted_by_staff_is_listed_to_a_volunteer(stack, rabbit_config):
    base_url, log_path = stack
    api = Api(Http(base_url))
    staff = api.signed_in(STAFF)
    # its two leads, cleared until 2031, as the team service tells bookings (tests/staff_on_duty.py)
    tell_venue(rabbit_config["AMQP_URI"], staff)
    room = staff.post("/api/v1/rooms", json=room_fields())
    assert room.status_code == 201, room.text
    # a Tuesday afternoon, when the volunteer below is free
    activity = staff.post(
        "/api/v1/activities",
        json=tuesday_gardening_fields(room.json()["id"]),
    )
    assert activity.status_code == 201, activity.text
    assert activity.headers["X-Request-ID"]

    volunteer = volunteer_fields()  # free on Tuesday afternoons
    assert api.post("/api/v1/volunteers", json=volunteer).status_code == 201
    as_volunteer = api.signed_in(volunteer)

    listed = wait_for(
        lambda: as_volunteer.get("/api/v1/opportunities").json(),
        timeout=10,
        interval=0.2,
        message="the opportunity to be listed",
    )
    assert [o["activity_id"] for o in listed] == [activity.json()["id"]]
    assert listed[0]["title"] == "Jardinage avec les aînés"

    # one correlation id followed the request: gateway -> bookings (RPC, outbox) -> volunteers (event)
    request_id = activity.headers["X-Request-ID"]
    lines = [line for line in log_path.read_text().splitlines() if request_id in line]
    assert any(line.split("|")[0].split()[-1].startswith("bookings") for line in lines), lines
    assert any(line.split("|")[0].split()[-1].startswith("volunteers") and "event applied" in line for line in lines), (
        lines
    )


def test_a_service_that_dies_is_said_in_one_line_and_started_again(stack):
    base_url, log_path = stack
    started = re.compile(r"system\s+\| bookings\.1 started \(pid=(\d+)\)")
    os.kill(int(started.findall(log_path.read_text())[-1]), signal.SIGKILL)

    said = wait_for(
        lambda: re.search(r"system\s+\| (bookings\.1 was killed by SIGKILL .*)", log_path.read_text()),
        timeout=20,
        interval=0.2,
        message="the supervisor to say bookings died",
    )
    assert said.group(1).endswith(": restarting it (1 of 3 restarts within 5 min)"), said.group(1)
    wait_for(
        lambda: len(started.findall(log_path.read_text())) == 2,
        timeout=20,
        interval=0.2,
        message="bookings to be started again",
    )

    api = Api(Http(base_url))
    wait_for(
        lambda: api.get("/readyz").status_code == 200, timeout=60, interval=0.5, message="the venue to be ready again"
    )
    room = api.signed_in(STAFF).post("/api/v1/rooms", json=room_fields())
    assert room.status_code == 201, room.text  # bookings answers again
