"""The one-process packaging, as `COCOON_PROCESSES=one make run` starts it (Procfile.one under
shared/supervisor.py): every nameko service in one process (shared/run_services.py) beside the
gunicorn gateway, on a vhost, SQLite files and a port of this test. A request crossing services
works (a volunteer signs up with the volunteers service; staff post an activity to bookings,
whose event reaches volunteers), each line of the services' process names the service that wrote
it, and the idle venue holds at most 20 AMQP connections (docs/hosting.md, "What a venue costs").
Counts only: no time is measured."""

import json
import re
from urllib.parse import quote, urlparse

import pytest
import requests

from tests.api import STAFF, Api, Http
from tests.factories import room_fields, tuesday_gardening_fields, volunteer_fields
from tests.staff_on_duty import tell_venue
from tests.support import wait_for
from tests.venue import running_venue

MAX_AMQP_CONNECTIONS = 20  # the bound for an idle small venue, RabbitMQ's side of it


@pytest.fixture
def venue(rabbit_config, tmp_path):
    with running_venue(rabbit_config["AMQP_URI"], tmp_path, COCOON_PROCESSES="one") as running:
        yield running


@pytest.fixture
def connections(request, rabbit_config):
    """The AMQP connections open on this test's vhost, from RabbitMQ's management API."""
    api = urlparse(request.config.getoption("RABBIT_API_URI"))
    url = f"{api.scheme}://{api.hostname}:{api.port}/api/vhosts/{quote(rabbit_config['vhost'], safe='')}/connections"
    return lambda: requests.get(url, auth=(api.username, api.password), timeout=5).json()


def started(log_path):
    return re.findall(r"system\s+\| (\S+)\.1 started \(pid=\d+\)", log_path.read_text())


def service_lines(log_path, process="services"):
    """The JSON lines the process `process` wrote."""
    found = []
    for line in log_path.read_text().splitlines():
        head, _, rest = line.partition("| ")
        if head.split()[-1:] == [f"{process}.1"] and rest.startswith("{"):
            found.append(json.loads(rest))
    return found


def test_every_service_runs_in_one_process_and_a_request_crosses_them(venue, rabbit_config, connections):
    assert sorted(started(venue.log_path)) == ["gateway", "services"]

    api = Api(Http(venue.base_url))
    staff = api.signed_in(STAFF)
    tell_venue(rabbit_config["AMQP_URI"], staff)  # bookings' leads, as the team service would tell it
    volunteer = volunteer_fields()  # free on Tuesday afternoons
    assert api.post("/api/v1/volunteers", json=volunteer).status_code == 201
    room = staff.post("/api/v1/rooms", json=room_fields())
    assert room.status_code == 201, room.text
    activity = staff.post(
        "/api/v1/activities",
        json=tuesday_gardening_fields(room.json()["id"]),
    )
    assert activity.status_code == 201, activity.text

    as_volunteer = api.signed_in(volunteer)
    listed = wait_for(
        lambda: as_volunteer.get("/api/v1/opportunities").json(),
        timeout=20,
        interval=0.2,
        message="the opportunity to reach the volunteers service",
    )
    assert [o["activity_id"] for o in listed] == [activity.json()["id"]]

    # the services' process says which service wrote each line: bookings relayed, volunteers applied
    request_id = activity.headers["X-Request-ID"]
    lines = [line for line in service_lines(venue.log_path) if line.get("correlation_id") == request_id]
    assert {"bookings", "volunteers"} <= {line["service"] for line in lines}, lines
    assert any(line["service"] == "volunteers" and line["message"] == "event applied" for line in lines), lines

    # one consumer connection for the seven services, one relay connection each, two to publish
    # on; the gateway's worker: its RPC clients and their connections to publish on
    open_now = connections()
    assert len(open_now) <= MAX_AMQP_CONNECTIONS, [(c["name"], c["channels"]) for c in open_now]
