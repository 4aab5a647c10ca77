"""End to end: the processes `make run` starts (honcho + Procfile), driven over HTTP like a user would."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.support import REPO, free_port, serving, wait_for

pytestmark = pytest.mark.e2e
STAFF = {"email": "direction@cocoonage.fr", "password": "mot-de-passe-long"}


@pytest.fixture
def stack(rabbit_config, tmp_path):
    """Migrate, then start every process from the Procfile on a vhost and var/ of this test only."""
    port = free_port()
    bin_dir = str(Path(sys.executable).parent)
    env = dict(os.environ, AMQP_URI=rabbit_config["AMQP_URI"], COCOON_VAR_DIR=str(tmp_path),
               GATEWAY_BIND=f"127.0.0.1:{port}", OUTBOX_SWEEP_SECONDS="1",
               COCOON_BOOTSTRAP_STAFF_EMAIL=STAFF["email"], COCOON_BOOTSTRAP_STAFF_PASSWORD=STAFF["password"],
               PATH=bin_dir + os.pathsep + os.environ["PATH"])
    for key in [k for k in env if k.endswith("_DATABASE_URL")]:
        del env[key]
    subprocess.run([sys.executable, "-m", "shared.migrate"], cwd=REPO, env=env, check=True, capture_output=True)
    base, log_path = f"http://127.0.0.1:{port}", tmp_path / "honcho.log"
    with serving([os.path.join(bin_dir, "honcho"), "start", "-f", "Procfile"], env, log_path, f"{base}/readyz"):
        try:
            yield base, log_path
        except AssertionError:
            print(log_path.read_text()[-5000:])
            raise


def test_an_activity_posted_by_staff_is_listed_to_a_volunteer(stack):
    stack, log_path = stack
    http = requests.Session()
    token = http.post(f"{stack}/api/v1/auth/token", json=STAFF, timeout=10).json()["token"]
    staff = {"Authorization": f"Bearer {token}"}
    room = http.post(f"{stack}/api/v1/rooms", json={"name": "Salle des Lucioles", "kind": "workshop",
                                                     "capacity": 12}, headers=staff, timeout=10)
    assert room.status_code == 201, room.text
    activity = http.post(f"{stack}/api/v1/activities", headers=staff, timeout=10, json={
        "title": "Jardinage avec les aînés", "kind": "gardening", "room_id": room.json()["id"],
        "starts_at": "2030-05-14T14:00:00+02:00", "ends_at": "2030-05-14T15:30:00+02:00",
        "children_capacity": 8, "volunteer_slots": 3, "trainee_slots": 1})
    assert activity.status_code == 201, activity.text
    assert activity.headers["X-Request-ID"]

    volunteer = {"email": "andre.dupont@example.fr", "password": "potager-1948", "first_name": "André",
                 "last_name": "Dupont", "birth_date": "1948-06-01", "phone": "+33 6 11 22 33 44",
                 "interests": ["gardening"], "availability": [{"weekday": 1, "part": "afternoon"}]}
    assert http.post(f"{stack}/api/v1/volunteers", json=volunteer, timeout=10).status_code == 201
    vtoken = http.post(f"{stack}/api/v1/auth/token", timeout=10,
                       json={"email": volunteer["email"], "password": volunteer["password"]}).json()["token"]

    listed = wait_for(lambda: http.get(f"{stack}/api/v1/opportunities", timeout=10,
                                       headers={"Authorization": f"Bearer {vtoken}"}).json(),
                      timeout=10, interval=0.2, message="the opportunity to be listed")
    assert [o["activity_id"] for o in listed] == [activity.json()["id"]]
    assert listed[0]["title"] == "Jardinage avec les aînés"

    # one correlation id followed the request: gateway -> bookings (RPC, outbox) -> volunteers (event)
    request_id = activity.headers["X-Request-ID"]
    lines = [line for line in log_path.read_text().splitlines() if request_id in line]
    assert any(line.split("|")[0].split()[-1].startswith("bookings") for line in lines), lines
    assert any(line.split("|")[0].split()[-1].startswith("volunteers") and "event applied" in line for line in lines), lines
