"""The demo data: `make run`'s supervisor runs the loader once the venue answers; a second run
changes nothing (the same rooms, activities, slots, accounts and bookings)."""

import subprocess
import sys

import pytest
import requests
from icalendar import Calendar

from shared import demo
from tests.api import STAFF, Api, Http
from tests.support import REPO, wait_for
from tests.venue import running_venue

pytestmark = pytest.mark.e2e
LOADED = "Données de démonstration :"


@pytest.fixture
def demo_stack(rabbit_config, tmp_path):
    """The venue as `make run` starts it, the demo loader included (--once), on a vhost and var/ of its own."""
    with running_venue(
        rabbit_config["AMQP_URI"], tmp_path, once="demo=python -m shared.demo", COCOON_DEMO=None
    ) as venue:
        yield venue.base_url, venue.log_path, venue.env


def census(base):
    """What a newcomer finds: rooms, the two weeks' activities and slots, the family's bookings, who signs in."""
    api = Api(Http(base, timeout=30))
    staff = api.signed_in(STAFF)
    monday = demo.monday_of(demo.datetime.now(demo.timeutil.venue_zone()).date())
    start, end = demo.local(monday, "00:00"), demo.local(monday + demo.timedelta(weeks=2), "00:00")
    window = {"from": start.isoformat(), "to": end.isoformat(), "limit": 500}
    days = [monday + demo.timedelta(days=d) for d in range(14)]
    family = api.signed_in(demo.FAMILY)
    signed_in = [api.signed_in(account) for account in (demo.STAFF, demo.VOLUNTEER, demo.TRAINEE)]
    volunteer = signed_in[1].get("/api/v1/volunteers/me").json()
    member = staff.get(f"/api/v1/staff/{signed_in[0].get('/api/v1/me').json()['id']}").json()
    activities = staff.get("/api/v1/activities", params=window).json()
    return {
        "rooms": sorted(r["name"] for r in staff.get("/api/v1/rooms").json()),
        "activities": len(activities),
        "trainee assignments": sum(len(a["trainees"]) for a in activities),
        "slots": sum(len(staff.get("/api/v1/childcare-slots", params={"date": d.isoformat()}).json()) for d in days),
        "children": sorted(c["first_name"] for c in family.get("/api/v1/families/me").json()["children"]),
        "bookings": len(family.get("/api/v1/bookings").json()),
        "accounts signed in": len(signed_in) + 1,
        "placements": len(staff.get("/api/v1/placements").json()),
        "volunteer cleared": volunteer["cleared"],
        "staff member": (member["diplomas"], member["health_referent"], member["cleared"]),
        "volunteer charter accepted": volunteer["charter_accepted"],
        "trainee cleared": signed_in[2].get("/api/v1/trainees/me").json()["cleared"],
        "volunteer signups": sum(1 for s in volunteer["signups"] if s["status"] == "confirmed"),
        "sessions": [(s["title"], s["status"]) for s in staff.get("/api/v1/sessions").json()],
        "enrolled": sorted(
            e["participant_kind"]
            for s in staff.get("/api/v1/sessions").json()
            for e in staff.get(f"/api/v1/sessions/{s['id']}/enrolments").json()
            if e["status"] == "confirmed"
        ),
    }


def test_the_demo_is_loaded_by_the_supervisor_and_a_second_run_changes_nothing(demo_stack):
    base, log_path, env = demo_stack
    wait_for(lambda: "demo.1 exited" in log_path.read_text(), timeout=120, interval=0.5, message="the loader to end")
    assert LOADED in log_path.read_text()
    assert "demo.1 exited with code 0" in log_path.read_text()
    first = census(base)
    assert first["rooms"] == sorted(room["name"] for room in demo.ROOMS)
    assert first["activities"] == 2 * len(demo.WEEK_OF_ACTIVITIES)
    assert first["slots"] == 2 * 5 * len(demo.HALF_DAYS)
    assert first["children"] == ["Hugo", "Léa"]
    assert first["bookings"] >= 1  # the slots ahead this fortnight (none left late on a Friday of the second week)
    assert first["accounts signed in"] == 4
    assert first["placements"] == 1  # the trainee's, with the demo staff member as tutor
    assert first["volunteer cleared"] is True  # attestation and insurance recorded by the demo staff
    assert first["staff member"] == (["eje"], True, True)  # an EJE, référent santé, cleared (team service)
    assert first["volunteer charter accepted"] is True  # before her sign-ups
    assert first["trainee cleared"] is True  # her attestation d'honorabilité recorded by the demo staff
    assert first["volunteer signups"] >= 1  # two when two matching activities lie ahead this fortnight
    assert first["sessions"] == [(demo.COURSE["title"], "confirmed")]  # its room held by bookings (the saga)
    assert first["enrolled"] == ["trainee", "volunteer"]
    trainee = Api(Http(base, timeout=30)).signed_in(demo.TRAINEE)
    link = trainee.get("/api/v1/me/calendar-link").json()["url"]
    feed = Calendar.from_ical(requests.get(f"{base}/calendar/{link.rsplit('/calendar/', 1)[1]}", timeout=30).content)
    titles = [str(e["summary"]) for e in feed.walk("VEVENT")]
    assert titles.count(f"Formation : {demo.COURSE['title']}") == len(demo.SESSION_PARTS)  # her session, part by part

    again = subprocess.run(
        [sys.executable, "-m", "shared.demo", "--base-url", base], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert "rien à ajouter, tout est déjà là" in again.stdout
    assert census(base) == first
