"""The personal calendar as iCalendar (services/gateway/ical.py), built from plain entries and
read back with the icalendar parser, as a calendar app would."""

from datetime import datetime, timezone

from icalendar import Calendar

from services.gateway import ical

STAMP = datetime(2026, 11, 30, 8, 0, tzinfo=timezone.utc)


def entry(**values):
    return {
        "uid": "booking-b1",
        "kind": "booking",
        "status": "confirmed",
        "title": "",
        "child_first_name": "Léa",
        "room_name": "Les Lucioles",
        "starts_at": "2026-12-01T08:30:00+01:00",
        "ends_at": "2026-12-01T12:30:00+01:00",
        **values,
    }


def parsed(entries, name="Cocoon'Age — Camille Durand"):
    return Calendar.from_ical(ical.build(entries, name, STAMP))


def test_the_calendar_says_who_made_it_its_version_scale_method_name_and_zone():
    calendar = parsed([])
    assert str(calendar["prodid"]) == ical.PRODID
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["calscale"]) == "GREGORIAN"
    assert str(calendar["method"]) == "PUBLISH"
    assert str(calendar["x-wr-calname"]) == "Cocoon'Age — Camille Durand"
    assert str(calendar["x-wr-timezone"]) == "Europe/Paris"
    assert calendar.events == []


def test_a_confirmed_booking_is_an_event_in_utc_with_a_stable_uid_a_french_summary_and_the_room():
    [event] = parsed([entry()]).events
    assert str(event["uid"]) == "booking-b1@cocoonage"
    assert event.decoded("dtstart") == datetime(2026, 12, 1, 7, 30, tzinfo=timezone.utc)
    assert event.decoded("dtend") == datetime(2026, 12, 1, 11, 30, tzinfo=timezone.utc)
    assert event.decoded("dtstamp") == STAMP
    assert str(event["summary"]) == "Accueil de Léa à la crèche"
    assert str(event["location"]) == "Les Lucioles"
    assert str(event["status"]) == "CONFIRMED"


def test_the_times_are_written_in_utc_so_no_timezone_definition_is_needed():
    text = ical.build([entry()], "x", STAMP).decode()
    assert "DTSTART:20261201T073000Z" in text
    assert "VTIMEZONE" not in text


def test_a_waitlisted_booking_is_tentative_and_a_cancelled_one_is_cancelled():
    waiting, cancelled = parsed(
        [entry(status="waitlisted"), entry(uid="booking-b2", status="cancelled", starts_at="2026-12-02T08:30:00+01:00")]
    ).events
    assert (str(waiting["status"]), str(waiting["summary"])) == ("TENTATIVE", "Liste d'attente : accueil de Léa")
    assert (str(cancelled["status"]), str(cancelled["summary"])) == ("CANCELLED", "Annulé : accueil de Léa")


def test_an_activity_keeps_its_title_and_a_cancelled_one_says_so():
    workshop, cancelled = parsed(
        [
            entry(uid="activity-a1", kind="activity", status="scheduled", title="Heure du conte", room_name="Atelier"),
            entry(uid="activity-a2", kind="activity", status="cancelled", title="Jardinage"),
        ]
    ).events
    assert (str(workshop["summary"]), str(workshop["location"]), str(workshop["status"])) == (
        "Heure du conte",
        "Atelier",
        "CONFIRMED",
    )
    assert (str(cancelled["summary"]), str(cancelled["status"])) == ("Annulée : Jardinage", "CANCELLED")


def test_a_slot_in_the_staff_calendar_says_its_age_group_and_how_full_it_is():
    [slot] = parsed(
        [entry(uid="slot-s1", kind="slot", status="scheduled", age_group="walking", places=10, booked=6)]
    ).events
    assert str(slot["summary"]) == "Créneau d'accueil (enfants qui marchent) : 6 réservés sur 10 places"


def test_accents_and_long_lines_survive_the_folding():
    title = "Atelier intergénérationnel « pâte à sel » avec les aînés du club, goûter compris, été comme hiver"
    [event] = parsed([entry(uid="activity-a3", kind="activity", status="scheduled", title=title)]).events
    assert str(event["summary"]) == title
    assert all(len(line) <= 75 for line in ical.build([entry(title=title)], "x", STAMP).split(b"\r\n"))


class Education:
    """Stands in for the education service: a person's enrolments, one page at a time."""

    def __init__(self, enrolments):
        self.enrolments, self.asked = enrolments, []

    def list_participant_enrolments(self, participant_id, query):
        self.asked.append((participant_id, query))
        return {"items": self.enrolments, "next_cursor": None}


def session(status="confirmed", **values):
    parts = [
        {"index": 0, "starts_at": "2026-12-08T09:00:00+01:00", "ends_at": "2026-12-08T12:30:00+01:00"},
        {"index": 1, "starts_at": "2026-12-08T13:30:00+01:00", "ends_at": "2026-12-08T17:00:00+01:00"},
        {"index": 2, "starts_at": "2027-03-01T09:00:00+01:00", "ends_at": "2027-03-01T12:00:00+01:00"},
    ]
    return {
        "id": "s1",
        "title": "Motricité libre",
        "room_name": "Salle de formation",
        "status": status,
        "parts": parts,
        **values,
    }


def sessions_of(enrolments, role="trainee"):
    from types import SimpleNamespace

    rpc = SimpleNamespace(education=Education(enrolments))
    account = SimpleNamespace(role=role, subject_id="trainee-1")
    start, end = datetime(2026, 11, 1, tzinfo=timezone.utc), datetime(2027, 1, 1, tzinfo=timezone.utc)
    return ical.session_entries(rpc, account, start, end), rpc.education.asked


def test_a_training_session_is_one_event_per_part_within_the_period_with_a_stable_uid():
    entries, asked = sessions_of([{"status": "confirmed", "session": session()}])
    assert asked == [("trainee-1", {"limit": 100})]  # the person's own enrolments
    events = parsed(entries).walk("VEVENT")
    assert [str(e["uid"]) for e in events] == ["session-s1-0@cocoonage", "session-s1-1@cocoonage"]  # March is beyond
    assert [str(e["summary"]) for e in events] == ["Formation : Motricité libre"] * 2
    assert {str(e["status"]) for e in events} == {"CONFIRMED"} and str(events[0]["location"]) == "Salle de formation"


def test_a_waiting_enrolment_is_tentative_and_a_cancelled_session_or_enrolment_is_cancelled():
    def statuses(enrolment_status, session_status="confirmed"):
        entries, _ = sessions_of([{"status": enrolment_status, "session": session(session_status)}])
        return {str(e["status"]) for e in parsed(entries).walk("VEVENT")}

    assert statuses("waitlisted") == {"TENTATIVE"}
    assert statuses("cancelled") == {"CANCELLED"}
    assert statuses("confirmed", "cancelled") == {"CANCELLED"}
    assert statuses("confirmed", "planned") == {"TENTATIVE"}  # the room not held yet


def test_a_family_has_no_training_sessions_in_its_calendar():
    entries, asked = sessions_of([{"status": "confirmed", "session": session()}], role="family")
    assert (entries, asked) == ([], [])
