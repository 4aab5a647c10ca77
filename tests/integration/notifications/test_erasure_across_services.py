"""The erasure of a family on the real broker, every service running: once the gateway shows it
complete, no database of the venue (every table, every column), no outbox row and no dead letter
holds the family's email or phone any more; a dead letter about someone else stays."""

import json
import sqlite3

import psycopg2
import pytest

from services.bookings.service import BookingsService
from services.education.service import EducationService
from services.gateway.models import Account, database
from services.notifications.service import NotificationsService
from services.placements.service import PlacementsService
from services.team.service import TeamService
from services.volunteers.service import VolunteersService
from shared import topology
from shared.operator import dead_letters
from tests.api import STAFF
from tests.dates import at
from tests.factories import child_fields, room_fields, sign_up_family, slot_fields
from tests.staff_on_duty import seed_staff
from tests.support import wait_for

EMAIL = "camille.efface@example.fr"
PHONE = "0611223344"
OTHER = "quelqu.un.d.autre@example.fr"
BOOKING_CONFIRMED_DLQ = "evt-bookings-booking_confirmed--notifications.notify_booking_confirmed.dlq"


@pytest.fixture
def notifications(container_factory, service_config, mail_env):
    """The real notifications service, asking the real owners of `venue` (not this folder's
    stand-ins, which would answer the RPCs meant for bookings, volunteers and placements)."""
    container = container_factory(NotificationsService, service_config)
    container.start()
    return container


@pytest.fixture
def venue(container_factory, service_config, notifications):
    containers = [
        container_factory(cls, service_config)
        for cls in (BookingsService, VolunteersService, PlacementsService, EducationService, TeamService)
    ]
    for container in containers:
        container.start()
    seed_staff(containers[0])
    return containers


def family_with_a_booking(api):
    staff = api.signed_in(STAFF)
    room = staff.created("/api/v1/rooms", room_fields(name="Les Lucioles", kind="childcare", capacity=6))
    slot = staff.created("/api/v1/childcare-slots", slot_fields(room["id"], starts_at=at(8, 30), ends_at=at(12, 30)))
    guardians = [{"first_name": "Camille", "last_name": "Effacée", "phone": PHONE}]
    profile, family = sign_up_family(api, email=EMAIL, guardians=guardians)
    child = family.created("/api/v1/families/me/children", child_fields(first_name="Léa"))
    booked = family.post("/api/v1/bookings", json={"slot_id": slot["id"], "child_id": child["id"]})
    assert booked.status_code == 201, booked.json
    return staff, family, profile


def park(publish_raw, text):
    """A message that breaks the booking_confirmed contract, so notifications parks it at once."""
    publish_raw("bookings.booking_confirmed", {"type": "bookings.booking_confirmed", "payload": {"note": text}})


def dead_letter_bodies(amqp_uri):
    with dead_letters.connect(amqp_uri) as connection:
        return [
            message["body"] or ""
            for queue in topology.dead_letter_queues()
            for message in dead_letters.peek(connection, queue, 100)[1]
        ]


def rows_mentioning(databases, needles):
    """(database, table, column) of every value of every component's database (SQLite files or, under
    `make test-postgres`, PostgreSQL databases) that holds one of `needles` (ignoring case, accents
    escaped as JSON writes them too)."""
    forms = {form.lower() for needle in needles for form in (needle, json.dumps(needle)[1:-1])}
    found = []
    for variable, url in sorted(databases.items()):
        for table, columns, rows in table_contents(url):
            for row in rows:
                for column, value in zip(columns, row, strict=True):
                    if any(form in as_text(value).lower() for form in forms):
                        found.append((variable, table, column))
    return sorted(set(found))


def as_text(value):
    return bytes(value).decode("utf-8", "replace") if isinstance(value, bytes | memoryview) else str(value)


def table_contents(url):
    """(table, column names, rows) of each table of the database at `url`."""
    if url.startswith("sqlite:///"):
        connection = sqlite3.connect(url[len("sqlite:///") :])
        tables_sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
    else:
        connection = psycopg2.connect(url)
        tables_sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
    try:
        cursor = connection.cursor()
        cursor.execute(tables_sql)
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT * FROM "{table}"')
            yield table, [d[0] for d in cursor.description], cursor.fetchall()
    finally:
        connection.close()


def test_an_erased_family_is_found_nowhere_once_every_service_answered(
    venue, notifications, api, client, publish_raw, service_config, databases
):
    staff, family, profile = family_with_a_booking(api)
    wait_for(lambda: family.get("/api/v1/notifications").json, timeout=15, message="the family's notification")
    park(publish_raw, f"écrire à {EMAIL}")
    park(publish_raw, f"écrire à {OTHER}")
    wait_for(lambda: len(dead_letter_bodies(service_config["AMQP_URI"])) == 2, message="the two dead letters")
    assert rows_mentioning(databases, [EMAIL])  # the search finds what is there before
    with client.application.app_context(), database.connection_context():
        account_id = Account.get(Account.email == EMAIL).id

    asked = staff.post(f"/api/v1/accounts/{account_id}/erase")
    assert asked.status_code == 202, asked.json

    def complete():
        answer = staff.get(f"/api/v1/accounts/{account_id}/erasure")
        return answer.json if answer.json["status"] == "complete" else None

    done = wait_for(complete, timeout=30, message="every service's answer")
    assert sorted(done["services"]) == ["bookings", "education", "notifications", "placements", "team", "volunteers"]
    assert all(done["services"].values())
    assert rows_mentioning(databases, [EMAIL, PHONE]) == []
    bodies = dead_letter_bodies(service_config["AMQP_URI"])
    assert [b for b in bodies if EMAIL in b] == [] and len([b for b in bodies if OTHER in b]) == 1
    signed_in = api.post("/api/v1/auth/token", json={"email": EMAIL, "password": "x" * 12})
    assert signed_in.status_code == 401
    again = staff.post(f"/api/v1/accounts/{account_id}/erase")  # carries on the same erasure
    assert again.status_code == 202 and again.json["erasure_id"] == done["erasure_id"]
