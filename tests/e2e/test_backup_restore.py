"""`cocoon backup` on a running venue while a family keeps booking through the API, then
`cocoon restore` into a fresh var directory and a fresh RabbitMQ vhost: every booking, hour log
and invoice made before the backup began is in the restored databases, the broker's queues are
declared again and the secret key is the venue's (docs/operations.md, "Backups")."""

import json
import sqlite3
import subprocess
import sys
from datetime import date, datetime, time, timedelta
from urllib.parse import quote

import pytest
import requests

from shared import timeutil
from tests.api import Api, Http
from tests.factories import PASSWORD, family_fields
from tests.support import REPO
from tests.venue import RABBIT_API, amqp_uri, rabbit_vhost, running_venue, staff_of

pytestmark = pytest.mark.e2e

BUSINESS = {"bookings": ("booking", "invoice", "contract"), "placements": ("hourlog", "placement")}


@pytest.fixture
def venue(rabbit_config, tmp_path):
    with running_venue(rabbit_config["AMQP_URI"], tmp_path / "var") as running:
        yield running


def rows_of(var, database, table):
    """The ids in one table of a SQLite file, read-only (the venue may be writing in it)."""
    connection = sqlite3.connect(f"file:{var / (database + '.db')}?mode=ro", uri=True, timeout=30)
    try:
        return {row[0] for row in connection.execute(f'SELECT id FROM "{table}"')}
    finally:
        connection.close()


def snapshot(var):
    return {
        (database, table): rows_of(var, database, table) for database, tables in BUSINESS.items() for table in tables
    }


def family_with_children(base):
    """A new family with two walking children and two babies: (its API, [(child id, age group)])."""
    fields = family_fields(email=f"sauvegarde-{datetime.now().timestamp()}@example.fr", password=PASSWORD)
    api = Api(Http(base, timeout=30))
    api.created("/api/v1/families", fields)
    family = api.signed_in(fields)
    today = date.today()
    children = []
    for number, (days, group) in enumerate(
        [(700, "walking"), (800, "walking"), (200, "non_walking"), (250, "non_walking")]
    ):
        body = {"first_name": f"Enfant{number}", "birth_date": (today - timedelta(days=days)).isoformat()}
        children.append((family.created("/api/v1/families/me/children", body)["id"], group))
    return family, children


def slots_ahead(staff, rooms):
    """Childcare slots on the next ten weekdays, made by staff: [(slot id, age group)]."""
    made = []
    day = timeutil.venue_today() + timedelta(days=1)
    while len(made) < 20:
        if day.weekday() < 5:
            for group, (begin, end) in (("walking", (9, 12)), ("non_walking", (14, 17))):
                body = {
                    "room_id": rooms[0],
                    "starts_at": _local(day, begin).isoformat(),
                    "ends_at": _local(day, end).isoformat(),
                    "age_group": group,
                    "staff_on_duty": 1,
                }
                made.append((staff.created("/api/v1/childcare-slots", body)["id"], group))
        day += timedelta(days=1)
    return made


def _local(day, hour):
    return datetime.combine(day, time(hour), tzinfo=timeutil.venue_zone())


def bookings_to_make(children, slots):
    return [(child, slot) for child, age in children for slot, group in slots if group == age]


def book(family, child, slot):
    response = family.post("/api/v1/bookings", json={"slot_id": slot, "child_id": child})
    assert response.status_code in (200, 201), response.text
    return response.json()["id"]


def test_a_backup_made_under_writes_restores_every_booking_hour_and_invoice_made_before_it(venue, tmp_path):
    var = tmp_path / "var"
    staff = staff_of(venue.base_url)
    rooms = [
        staff.created("/api/v1/rooms", {"name": "Salle des sauvegardes", "kind": "childcare", "capacity": 12})["id"]
    ]
    family, children = family_with_children(venue.base_url)
    pairs = bookings_to_make(children, slots_ahead(staff, rooms))
    before = [book(family, *pair) for pair in pairs[:10]]
    invoice = invoiced(venue.base_url, staff)
    hours = logged_hours(venue.base_url, staff)
    seen = snapshot(var)
    assert set(before) <= seen[("bookings", "booking")] and invoice in seen[("bookings", "invoice")]
    assert hours in seen[("placements", "hourlog")]

    saved = tmp_path / "backup"
    command = subprocess.Popen(
        [sys.executable, "-m", "shared.operator", "backup", str(saved), "--json"],
        cwd=REPO,
        env=venue.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    during = []
    for pair in pairs[10:]:  # the family keeps booking while the backup runs
        if command.poll() is not None:
            break
        during.append(book(family, *pair))
    out, err = command.communicate(timeout=120)
    assert command.returncode == 0, err
    assert during, "no booking was made while the backup ran"
    manifest = json.loads(out)

    with rabbit_vhost("cocoon-restored") as vhost:
        elsewhere = dict(venue.env, COCOON_VAR_DIR=str(tmp_path / "restored"), AMQP_URI=amqp_uri(vhost))
        (tmp_path / "restored").mkdir()
        restored = subprocess.run(
            [sys.executable, "-m", "shared.operator", "restore", str(saved)],
            cwd=REPO,
            env=elsewhere,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert restored.returncode == 0, restored.stderr
        queues = requests.get(f"{RABBIT_API}/queues/{quote(vhost, safe='')}", timeout=10).json()
        assert {q["name"] for q in queues} >= {q["name"] for q in manifest_queues(saved, manifest)}
        assert queues

    after = snapshot(tmp_path / "restored")
    for key, ids in seen.items():
        assert ids <= after[key], f"{key}: {len(ids - after[key])} rows made before the backup are missing"
    assert (tmp_path / "restored" / "gateway-secret-key").read_text() == (var / "gateway-secret-key").read_text()


def manifest_queues(saved, manifest):
    return json.loads((saved / manifest["broker"]["file"]).read_text())["queues"]


def invoiced(base, staff):
    """A family with a contract from today, and the current month closed: the invoice's id."""
    fields = family_fields(email=f"facture-{datetime.now().timestamp()}@example.fr", password=PASSWORD)
    api = Api(Http(base, timeout=30))
    api.created("/api/v1/families", fields)
    family = api.signed_in(fields)
    today = date.today()
    child = family.created(
        "/api/v1/families/me/children", {"first_name": "Lou", "birth_date": (today - timedelta(days=400)).isoformat()}
    )
    asked = family.created(
        "/api/v1/contracts",
        {
            "child_id": child["id"],
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=90)).isoformat(),
            "weeks_per_year": 46,
            "pattern": [{"weekday": d, "start": "09:00", "end": "12:00"} for d in range(5)],
        },
    )
    assert staff.post(f"/api/v1/contracts/{asked['id']}/accept").status_code == 200
    month = timeutil.venue_today().strftime("%Y-%m")
    closing = staff.post(f"/api/v1/billing/{month}/close", json={})
    assert closing.status_code == 200, closing.text
    return staff.get(f"/api/v1/invoices?month={month}").json()[0]["id"]


def logged_hours(base, staff):
    """A trainee on a placement begun three weeks ago logs a morning of last week: the log's id."""
    trainee = {"email": f"stagiaire-{datetime.now().timestamp()}@example.fr", "password": PASSWORD}
    body = {
        **trainee,
        "first_name": "Inès",
        "last_name": "Sauvegarde",
        "birth_date": "2004-09-12",
        "programme": "cap_aepe",
        "school": "Lycée professionnel Jean-Moulin",
        "referent_name": "M. Garnier",
        "referent_email": "referent@lycee.example",
    }
    staff.created("/api/v1/trainees", body)
    signed_in = Api(Http(base, timeout=30)).signed_in(trainee)
    trainee_id = signed_in.get("/api/v1/trainees/me").json()["id"]
    monday = timeutil.venue_today() - timedelta(days=timeutil.venue_today().weekday())
    placement = staff.created(
        "/api/v1/placements",
        {
            "trainee_id": trainee_id,
            "tutor_id": staff.get("/api/v1/me").json()["id"],
            "school": "Lycée professionnel Jean-Moulin",
            "starts_on": (monday - timedelta(weeks=3)).isoformat(),
            "ends_on": (monday + timedelta(weeks=8)).isoformat(),
            "weekly_schedule": [
                {"weekday": day, "start": "09:00", "end": "17:00", "break_minutes": 60} for day in range(5)
            ],
        },
    )
    tuesday = monday - timedelta(days=6)
    log = {"starts_at": _local(tuesday, 9).isoformat(), "ends_at": _local(tuesday, 12).isoformat(), "tasks": "Accueil"}
    return signed_in.created(f"/api/v1/placements/{placement['id']}/hours", log)["id"]
