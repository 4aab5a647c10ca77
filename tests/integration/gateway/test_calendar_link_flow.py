"""The personal calendar link against the real bookings service on the real broker: a family
books, its .ics (read back with icalendar's parser) holds the booking at the right times and
nobody else's; a reset retires the old link; staff see the venue's slots and activities."""

from datetime import datetime, timezone

import pytest
from icalendar import Calendar

from services.bookings.service import BookingsService
from services.education.service import EducationService
from services.gateway import auth
from services.gateway.models import database
from tests.api import STAFF
from tests.dates import at, moment
from tests.factories import activity_fields, child_fields, room_fields, sign_up_family, slot_fields
from tests.integration.education.conftest import COURSE, session_fields
from tests.staff_on_duty import clear_trainee, seed_staff
from tests.support import wait_for


@pytest.fixture
def bookings(container_factory, service_config):
    """Bookings, and the education service whose training sessions the feed also holds (a feed
    with a service missing answers 503: the calendar apps keep the file they had)."""
    container = container_factory(BookingsService, service_config)
    container.start()
    seed_staff(container)  # the activities' leads, as the team service tells bookings
    container_factory(EducationService, service_config).start()
    return container


@pytest.fixture
def slot(api, bookings):
    staff = api.signed_in(STAFF)
    room = staff.created("/api/v1/rooms", room_fields(name="Les Lucioles", kind="childcare", capacity=10))
    return staff.created("/api/v1/childcare-slots", slot_fields(room["id"]))  # 08:00-12:00 on DAY


def family_with_a_booking(api, slot, name):
    _, family = sign_up_family(api)
    child = family.created("/api/v1/families/me/children", child_fields(first_name=name))
    booking = family.created("/api/v1/bookings", {"slot_id": slot["id"], "child_id": child["id"]})
    return family, booking


def feed(api, account):
    url = account.get("/api/v1/me/calendar-link").json["url"]
    return url[url.index("/calendar/") :]


def events_of(api, path):
    response = api.get(path)
    assert response.status_code == 200, response.data
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.data).events


def test_a_family_s_calendar_holds_its_booking_at_the_right_times_and_not_another_family_s(api, slot):
    family, booking = family_with_a_booking(api, slot, "Léa")
    _other, other_booking = family_with_a_booking(api, slot, "Noé")
    [event] = events_of(api, feed(api, family))  # anyone holding the link, signed in or not
    assert str(event["uid"]) == f"booking-{booking['id']}@cocoonage"
    assert event.decoded("dtstart") == moment(8).astimezone(timezone.utc)
    assert event.decoded("dtend") == moment(12).astimezone(timezone.utc)
    assert str(event["summary"]) == "Accueil de Léa à la crèche"
    assert str(event["location"]) == "Les Lucioles"
    assert str(event["status"]) == "CONFIRMED"
    assert other_booking["id"] not in event["uid"]


def test_a_cancelled_booking_stays_in_the_calendar_marked_cancelled(api, slot):
    family, booking = family_with_a_booking(api, slot, "Léa")
    assert family.post(f"/api/v1/bookings/{booking['id']}/cancel").status_code == 200
    [event] = events_of(api, feed(api, family))
    assert (str(event["uid"]), str(event["status"])) == (f"booking-{booking['id']}@cocoonage", "CANCELLED")


def test_after_a_reset_the_old_link_answers_404_and_the_new_one_200(api, slot):
    family, _ = family_with_a_booking(api, slot, "Léa")
    old = feed(api, family)
    reset = family.post("/api/v1/me/calendar-link/reset", key="agenda-reset-1")
    assert reset.status_code == 200
    new = reset.json["url"][reset.json["url"].index("/calendar/") :]
    assert new != old
    assert api.get(old).status_code == 404
    assert len(events_of(api, new)) == 1
    assert api.get("/calendar/inconnu.ics").status_code == 404


def test_staff_find_the_venue_s_slots_and_activities(api, slot):
    staff = api.signed_in(STAFF)
    workshop = staff.created("/api/v1/rooms", room_fields(name="L'Atelier"))
    activity = staff.created("/api/v1/activities", activity_fields(workshop["id"], title="Heure du conte"))
    events = {str(e["uid"]): e for e in events_of(api, feed(api, staff))}
    assert set(events) == {f"slot-{slot['id']}@cocoonage", f"activity-{activity['id']}@cocoonage"}
    assert str(events[f"activity-{activity['id']}@cocoonage"]["location"]) == "L'Atelier"
    assert events[f"activity-{activity['id']}@cocoonage"].decoded("dtstamp") <= datetime.now(timezone.utc)


def test_a_trainee_finds_the_activities_they_are_assigned_to_and_no_other(api, bookings, known_trainees):
    known_trainees("t0")  # bookings asks the placements service who is a trainee
    clear_trainee(bookings, "t0")  # cleared by placements (tests/staff_on_duty.py)
    staff = api.signed_in(STAFF)
    workshop = staff.created("/api/v1/rooms", room_fields(name="L'Atelier"))
    theirs = staff.created("/api/v1/activities", activity_fields(workshop["id"], title="Éveil musical"))
    staff.created("/api/v1/activities", activity_fields(workshop["id"], starts_at=at(14), ends_at=at(15)))
    credentials = {"email": "stagiaire@example.fr", "password": "carnet-du-soir-7"}
    with database.connection_context():
        auth.create_account(credentials["email"], credentials["password"], "trainee", subject_id="t0")
    assigned = staff.post(f"/api/v1/activities/{theirs['id']}/trainees", json={"trainee_id": "t0"})
    assert assigned.status_code == 200, assigned.json
    [event] = events_of(api, feed(api, api.signed_in(credentials)))
    assert (str(event["uid"]), str(event["summary"])) == (f"activity-{theirs['id']}@cocoonage", "Éveil musical")


def test_a_trainee_finds_the_training_session_they_enrolled_in_one_event_per_part(api, bookings):
    staff = api.signed_in(STAFF)
    room = staff.created("/api/v1/rooms", room_fields(name="Salle de formation", kind="training"))
    course = staff.created("/api/v1/courses", COURSE)
    planned = staff.created("/api/v1/sessions", session_fields(course["id"], room["id"]))
    wait_for(
        lambda: staff.get(f"/api/v1/sessions/{planned['id']}").json["status"] == "confirmed",
        timeout=15,
        message="the room held by bookings",
    )
    credentials = {"email": "stagiaire-formation@example.fr", "password": "carnet-du-soir-7"}
    with database.connection_context():
        auth.create_account(credentials["email"], credentials["password"], "trainee", subject_id="t-formation")
    trainee = api.signed_in(credentials)
    trainee.created(f"/api/v1/sessions/{planned['id']}/enrolments", {"funding": "cpf"})
    events = sorted(events_of(api, feed(api, trainee)), key=lambda e: e.decoded("dtstart"))
    assert [str(e["uid"]) for e in events] == [
        f"session-{planned['id']}-0@cocoonage",
        f"session-{planned['id']}-1@cocoonage",
    ]
    assert {str(e["summary"]) for e in events} == {f"Formation : {COURSE['title']}"}
    assert {str(e["location"]) for e in events} == {"Salle de formation"} and {str(e["status"]) for e in events} == {
        "CONFIRMED"
    }
