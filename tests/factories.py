"""Valid things for tests, with defaults a test overrides only where its point lies:
`create_family(bookings, job_seeker=True)`, `schedule_activity(bookings, room, starts_at=at(14))`.

Three ways in, one set of defaults:
- `*_fields(**overrides)`: the request body alone, for a test that sends it itself (through the
  API, tests/api.py, or an RPC call whose answer or error is its subject);
- `create_*(bookings, ...)`: made through the bookings service's RPCs, where `bookings` is
  `rpc.bookings` of a ClusterRpcProxy or a service container of this test (run through
  nameko's entrypoint_hook, see tests/support.py `call`);
- `sign_up_family(api, ...)`: made through the gateway's API.

Names and emails are numbered, so two things made with the defaults never clash (room names
and family emails are unique).
"""

import weakref
from datetime import date, timedelta
from itertools import count

from nameko.containers import ServiceContainer

from tests.dates import DAY, at
from tests.staff_on_duty import LEAD, SECOND, seed_staff
from tests.support import call

# Who collects the child at check-out: the first guardian of the family, ID checked.
GUARDIAN = {"kind": "guardian", "id": "0", "id_checked": True}

PASSWORD = "les-petits-loups"
_numbers = count(1)
_told_leads = weakref.WeakSet()  # the containers bookings' leads were seeded into


# --- request bodies -------------------------------------------------------------------------------
def room_fields(**overrides):
    return {"name": f"Salle {next(_numbers)}", "kind": "workshop", "capacity": 12, **overrides}


def activity_fields(room_id, **overrides):
    """Heure du conte, 09:00-10:00 on DAY, 8 children, 2 volunteers, 1 trainee, led by the two
    professionals of tests/staff_on_duty.py (bookings must know them: `seed_staff`)."""
    return {
        "lead_staff_id": LEAD,
        "staff_ids": [SECOND],
        "title": "Heure du conte",
        "kind": "story_time",
        "room_id": room_id,
        "starts_at": at(9),
        "ends_at": at(10),
        "children_capacity": 8,
        "volunteer_slots": 2,
        "trainee_slots": 1,
        **overrides,
    }


def tuesday_gardening_fields(room_id):
    """Gardening with the elders on a Tuesday afternoon (2030-05-14), when a volunteer of
    `volunteer_fields` is free: the activity the end-to-end checks show to a volunteer."""
    return activity_fields(
        room_id,
        title="Jardinage avec les aînés",
        kind="gardening",
        volunteer_slots=3,
        starts_at="2030-05-14T14:00:00+02:00",
        ends_at="2030-05-14T15:30:00+02:00",
    )


def slot_fields(room_id, **overrides):
    """A childcare slot 08:00-12:00 on DAY for walking children, two professionals on duty
    (unnamed: given as a number alone)."""
    return {
        "room_id": room_id,
        "starts_at": at(8),
        "ends_at": at(12),
        "age_group": "walking",
        "staff_on_duty": 2,
        **overrides,
    }


def family_fields(**overrides):
    """A family of one child, not job-seeking, one guardian (add password= for the API's sign-up)."""
    return {
        "email": f"famille{next(_numbers)}@example.fr",
        "monthly_resources": "3000",
        "dependent_children": 1,
        "job_seeker": False,
        "guardians": [{"first_name": "Camille", "last_name": "Durand", "phone": "0601020304"}],
        **overrides,
    }


def child_fields(**overrides):
    """A child two years old on DAY: she walks."""
    return {"first_name": "Léa", "birth_date": (DAY - timedelta(days=2 * 365)).isoformat(), **overrides}


def weekly(weekdays, start="08:30", end="17:30"):
    """A contract's weekly pattern: the same hours on each of `weekdays` (0 = Monday)."""
    return [{"weekday": d, "start": start, "end": end} for d in weekdays]


def contract_fields(child_id, starts_on, ends_on, **overrides):
    """A regular care contract asked for Monday to Thursday, 08:30-17:30 (36 h a week), 46 weeks a year."""
    return {
        "child_id": child_id,
        "starts_on": starts_on.isoformat(),
        "ends_on": ends_on.isoformat(),
        "weeks_per_year": 46,
        "pattern": weekly(range(4)),
        **overrides,
    }


def course_fields(**overrides):
    """A one-day first-aid course (7 h, 120 €), paid by an OPCO or by the participant."""
    return {
        "title": f"Premiers secours {next(_numbers)}",
        "objectives": "Réagir face à un enfant qui s'étouffe ou qui fait un malaise",
        "audience": "Professionnels de la petite enfance",
        "prerequisites": "",
        "duration_hours": "7",
        "trainer": "Claire Martin",
        "price": "120.00",
        "funding": ["opco", "self_funded"],
        **overrides,
    }


def trainee_fields(**overrides):
    """A CAP AEPE trainee of 25, with her account (POST /trainees, by staff)."""
    return {
        "email": f"stagiaire{next(_numbers)}@example.fr",
        "password": PASSWORD,
        "first_name": "Lina",
        "last_name": "Roux",
        "birth_date": "2001-03-14",
        "programme": "cap_aepe",
        "school": "Lycée Jean-Moulin",
        **overrides,
    }


def placement_fields(trainee_id, tutor_id, **overrides):
    """A placement begun ten days ago, ending in sixty, of 70 required hours."""
    return {
        "trainee_id": trainee_id,
        "tutor_id": tutor_id,
        "starts_on": (date.today() - timedelta(days=10)).isoformat(),
        "ends_on": (date.today() + timedelta(days=60)).isoformat(),
        "required_hours": "70",
        **overrides,
    }


def volunteer_fields(**overrides):
    """A retired volunteer who gardens, free on Tuesday afternoons (POST /volunteers, by anyone)."""
    return {
        "email": f"benevole{next(_numbers)}@example.fr",
        "password": PASSWORD,
        "first_name": "André",
        "last_name": "Dupont",
        "birth_date": "1948-06-01",
        "phone": "+33 6 11 22 33 44",
        "interests": ["gardening"],
        "availability": [{"weekday": 1, "part": "afternoon"}],
        **overrides,
    }


# --- through the bookings service's RPCs ----------------------------------------------------------
def call_service(bookings, method, *args):
    """`method` of the bookings service, through a proxy (`rpc.bookings`) or a service container."""
    if isinstance(bookings, ServiceContainer):
        return call(bookings, method, *args)
    return getattr(bookings, method)(*args)


def create_room(bookings, **overrides):
    return call_service(bookings, "create_room", room_fields(**overrides))


def schedule_activity(bookings, room=None, **overrides):
    """An activity in `room` (a new workshop room when None); a service container of this test is
    first told about the two leads (tests/staff_on_duty.py)."""
    if isinstance(bookings, ServiceContainer) and bookings not in _told_leads:
        seed_staff(bookings)
        _told_leads.add(bookings)
    room = room or create_room(bookings)
    return call_service(bookings, "schedule_activity", activity_fields(room["id"], **overrides))


def create_slot(bookings, room=None, **overrides):
    """A childcare slot in `room` (a new childcare room of 10 places when None)."""
    room = room or create_room(bookings, kind="childcare", capacity=10)
    return call_service(bookings, "create_slot", slot_fields(room["id"], **overrides))


def create_family(bookings, **overrides):
    return call_service(bookings, "register_family", family_fields(**overrides))


def create_child(bookings, family, **overrides):
    return call_service(bookings, "add_child", family["id"], child_fields(**overrides))


def book(bookings, family, slot, child):
    return call_service(bookings, "book", family["id"], {"slot_id": slot["id"], "child_id": child["id"]})


# --- through the gateway's API --------------------------------------------------------------------
def sign_up_family(api, **overrides):
    """A family signed up through the API (no account needed first); returns (its profile, the API
    signed in as that family)."""
    fields = family_fields(password=PASSWORD, **overrides)
    profile = api.created("/api/v1/families", fields)
    return profile, api.signed_in(fields)
