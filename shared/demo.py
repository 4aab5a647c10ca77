"""Demo data for a newcomer: `make run` loads it once the venue answers; `COCOON_DEMO=0` starts empty.

    python -m shared.demo [--base-url http://127.0.0.1:8000] [--wait-seconds 120]

Everything goes through the gateway's JSON API, signed in as the bootstrap staff account
(COCOON_BOOTSTRAP_STAFF_EMAIL / _PASSWORD, which `make run` sets): the services' own commands
decide and store, no table is written here. Idempotent: each part looks at what is there first
and creates only what is missing (and sends a fixed Idempotency-Key, so two loaders started at
once create nothing twice); run again, it changes nothing. The two weeks of activities and slots
start on the current week's Monday: run a week later, it adds the new week.

One function per service's part. The accounts
are listed in README.md ("Demo data"): demo passwords only.
"""

import argparse
import os
import re
import sys
import time
from datetime import datetime, timedelta

import requests

from shared import timeutil

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
WEEKS = 2

# The accounts (README.md, "Demo data"): demo passwords, never for a real venue.
STAFF = {"email": "demo.equipe@cocoonage.local", "password": "cahier-de-bord-2026", "first_name": "Sophie"}
# A second professional: an activity with children, and a slot, need two (docs/bookings-rules.md).
COLLEAGUE = {
    "email": "demo.auxiliaire@cocoonage.local",
    "password": "biberons-et-comptines-2026",
    "first_name": "Nadia",
    "last_name": "Benali",
}
FAMILY = {"email": "demo.famille@cocoonage.local", "password": "doudou-et-gouter-2026"}
VOLUNTEER = {"email": "demo.benevole@cocoonage.local", "password": "tricot-et-potager-2026"}
TRAINEE = {"email": "demo.stagiaire@cocoonage.local", "password": "carnet-de-stage-2026"}

ROOMS = [
    {"name": "Les Lucioles", "kind": "childcare", "capacity": 12},  # the crèche room
    {"name": "L'Atelier", "kind": "workshop", "capacity": 16},
    {"name": "Salle de formation", "kind": "training", "capacity": 14},
    {"name": "Le Jardin", "kind": "garden", "capacity": 20},
]
CRECHE, WORKSHOP, GARDEN = "Les Lucioles", "L'Atelier", "Le Jardin"

# (weekday 0 = Monday, start, end, title, kind, room, children, volunteers, trainees)
WEEK_OF_ACTIVITIES = [
    (0, "10:00", "11:00", "Heure du conte avec les aînés", "story_time", WORKSHOP, 10, 2, 1),
    (1, "14:30", "16:00", "Jardinage : semis de radis", "gardening", GARDEN, 8, 3, 1),
    (2, "10:00", "11:30", "Atelier cuisine : compote de pommes", "cooking", WORKSHOP, 8, 2, 1),
    (3, "10:00", "10:45", "Éveil musical", "music", WORKSHOP, 10, 1, 1),
    (4, "10:00", "11:00", "Parcours de motricité", "motor_skills", GARDEN, 10, 2, 1),
    (4, "14:30", "16:00", "Jeux d'antan entre générations", "intergenerational_workshop", WORKSHOP, 10, 3, 1),
]
# Childcare in the crèche room, Monday to Friday: (start, end, age group by weekday, staff on duty)
HALF_DAYS = [
    ("08:30", "12:30", {0: "walking", 1: "mixed", 2: "walking", 3: "mixed", 4: "walking"}, 2),
    ("13:30", "17:30", {0: "non_walking", 1: "non_walking", 2: "mixed", 3: "non_walking", 4: "non_walking"}, 2),
]


class Demo:
    """The gateway's API as the loader uses it: one account's token, fixed keys, a clear failure."""

    def __init__(self, base_url, token=None):
        self.base_url, self.token = base_url.rstrip("/"), token
        self.session = requests.Session()

    def signed_in(self, email, password):
        """The same API as this account, or None when the account does not exist (or has another password)."""
        response = self.session.post(
            f"{self.base_url}/api/v1/auth/token", json={"email": email, "password": password}, timeout=30
        )
        if response.status_code == 401:
            return None
        _check(response, "sign in")
        return Demo(self.base_url, response.json()["token"])

    def _headers(self, key=None):
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        if key:  # fixed per thing made, in the characters a key allows (docs/api.md, "Retries")
            headers["Idempotency-Key"] = re.sub(r"[^A-Za-z0-9._-]", "", key)[:64]
        return headers

    def get(self, path, **params):
        response = self._sent(
            lambda: self.session.get(f"{self.base_url}{path}", params=params, headers=self._headers(), timeout=30)
        )
        return _check(response, f"GET {path}").json()

    def post(self, path, body, key, accept=(200, 201), attempts=5, method="POST"):
        """A 503 (a service slow to answer while the venue starts) is tried again with the same
        Idempotency-Key: the service does it once whatever the tries."""
        for attempt in range(attempts):
            response = self._sent(
                lambda: self.session.request(
                    method, f"{self.base_url}{path}", json=body, headers=self._headers(key), timeout=30
                )
            )
            if response.status_code != 503 or attempt == attempts - 1:
                break
            time.sleep(2 * (attempt + 1))
        return _check(response, f"{method} {path}", accept).json()

    def put(self, path, body):
        """A PUT replaces a whole record: sent again, it changes nothing more."""
        response = self._sent(
            lambda: self.session.put(f"{self.base_url}{path}", json=body, headers=self._headers(), timeout=30)
        )
        return _check(response, f"PUT {path}").json()

    @staticmethod
    def _sent(send, attempts=3):
        """The response of `send()`, sent again when the connection dropped before an answer (the
        gateway closes an idle kept-alive connection after a few seconds: a request reusing it in
        that moment gets no response). A POST carries its Idempotency-Key: sent twice, done once."""
        for attempt in range(attempts):
            try:
                return send()
            except requests.ConnectionError:
                if attempt == attempts - 1:
                    raise
                time.sleep(1)


def _check(response, what, accept=(200, 201)):
    if response.status_code not in accept:
        raise SystemExit(f"demo: {what} answered {response.status_code}: {response.text[:300]}")
    return response


def local(day, hhmm):
    hour, minute = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=timeutil.venue_zone())


def monday_of(today):
    return today - timedelta(days=today.weekday())


# --- bookings service: rooms, activities, childcare slots, a family and its bookings ---------------
def rooms(staff, created):
    existing = {room["name"]: room for room in staff.get("/api/v1/rooms", limit=500)}
    for fields in ROOMS:
        if fields["name"] not in existing:
            existing[fields["name"]] = staff.post("/api/v1/rooms", fields, key=f"demo-room-{fields['kind']}")
            created["salles"] += 1
    return existing


def professionals(staff, wait_seconds=30):
    """Two staff members who count in the ratio and are cleared today, as bookings knows them
    (the team service tells it by events, so it may take a moment after they were recorded), or
    None: an activity with children is led by a professional and needs two of them
    (docs/bookings-rules.md)."""
    deadline = time.monotonic() + wait_seconds
    while True:
        counted = [m["staff_id"] for m in staff.get("/api/v1/staff-members", limit=200) if m["counted"]]
        if len(counted) >= 2 or time.monotonic() > deadline:
            return counted[:2] if len(counted) >= 2 else None
        time.sleep(1)


def activities(staff, found_rooms, monday, created, leads):
    start, end = local(monday, "00:00"), local(monday + timedelta(weeks=WEEKS), "00:00")
    listed = staff.get("/api/v1/activities", limit=500, **{"from": start.isoformat(), "to": end.isoformat()})
    existing = {(a["title"], datetime.fromisoformat(a["starts_at"])) for a in listed}
    for week in range(WEEKS):
        for weekday, begin, finish, title, kind, room, children, volunteers, trainees in WEEK_OF_ACTIVITIES:
            day = monday + timedelta(weeks=week, days=weekday)
            starts_at = local(day, begin)
            if (title, starts_at) in existing:
                continue
            body = {
                "title": title,
                "kind": kind,
                "room_id": found_rooms[room]["id"],
                "starts_at": starts_at.isoformat(),
                "ends_at": local(day, finish).isoformat(),
                # without two cleared professionals known to bookings, no child may come
                "children_capacity": children if leads else 0,
                "volunteer_slots": volunteers,
                "trainee_slots": trainees,
                **({"lead_staff_id": leads[0], "staff_ids": leads[1:]} if leads else {}),
            }
            staff.post("/api/v1/activities", body, key=f"demo-activity-{day.isoformat()}-{begin}-{kind}")
            created["activités"] += 1
    return staff.get("/api/v1/activities", limit=500, **{"from": start.isoformat(), "to": end.isoformat()})


def childcare_slots(staff, found_rooms, monday, created, leads):
    room_id, slots = found_rooms[CRECHE]["id"], []
    for week in range(WEEKS):
        for weekday in range(5):
            day = monday + timedelta(weeks=week, days=weekday)
            listed = staff.get("/api/v1/childcare-slots", date=day.isoformat())
            existing = {datetime.fromisoformat(s["starts_at"]) for s in listed if s["room_id"] == room_id}
            for begin, finish, groups, staff_on_duty in HALF_DAYS:
                if local(day, begin) in existing:
                    continue
                body = {
                    "room_id": room_id,
                    "starts_at": local(day, begin).isoformat(),
                    "ends_at": local(day, finish).isoformat(),
                    "age_group": groups[weekday],
                    # the two professionals by name; without them, their number alone (unnamed)
                    **({"staff_ids": leads} if leads else {"staff_on_duty": staff_on_duty}),
                }
                staff.post("/api/v1/childcare-slots", body, key=f"demo-slot-{day.isoformat()}-{begin}")
                created["créneaux"] += 1
            slots += staff.get("/api/v1/childcare-slots", date=day.isoformat())
    return [s for s in slots if s["room_id"] == room_id]


def family_with_children(api, today, created):
    """The demo family (two children: Léa walks, Hugo not yet), signed up like any family."""
    family = api.signed_in(FAMILY["email"], FAMILY["password"])
    if family is None:
        body = {
            **FAMILY,
            "guardians": [{"first_name": "Camille", "last_name": "Martin", "phone": "06 12 34 56 78"}],
            "monthly_resources": "3200",
            "dependent_children": 2,
            "aeeh": False,
            "job_seeker": False,
        }
        api.post("/api/v1/families", body, key="demo-family")
        created["comptes"] += 1
        family = api.signed_in(FAMILY["email"], FAMILY["password"])
    children = {c["first_name"]: c for c in family.get("/api/v1/families/me").get("children", [])}
    for name, born in (("Léa", today - timedelta(days=2 * 365)), ("Hugo", today - timedelta(days=300))):
        if name not in children:
            body = {"first_name": name, "birth_date": born.isoformat(), "walking": name == "Léa"}
            children[name] = family.post("/api/v1/families/me/children", body, key=f"demo-child-{name}")
    return family, children


DEMO_HEALTH = {
    "Léa": {"allergies": ["arachide"], "pai": "Allergie à l'arachide : stylo d'adrénaline dans la boîte rouge."},
    "Hugo": {"allergies": [], "pai": None},
}


def children_files(family, children, today):
    """The children's health files (vaccinations up to date, so the demo's bookings are never past a
    provisional admission however long ago it ran first) and an adult allowed to collect Léa."""
    for name, child in children.items():
        health = {
            **DEMO_HEALTH.get(name, {"allergies": [], "pai": None}),
            "medication_protocol": None,
            "vaccinations_up_to_date": True,
            "vaccinations_checked_on": today.isoformat(),
            "doctor": {"name": "Dr Anne Lefèvre", "phone": "01 23 45 67 89"},
            "emergency_authorisation": True,
        }
        family.put(f"/api/v1/children/{child['id']}/health", health)
    lea = children["Léa"]["id"]
    if not family.get(f"/api/v1/children/{lea}/pickup-adults"):
        adult = {"first_name": "Jeanne", "last_name": "Martin", "phone": "06 98 76 54 32", "relation": "grand-mère"}
        family.post(f"/api/v1/children/{lea}/pickup-adults", adult, key="demo-pickup-adult-lea")


def family_bookings(family, children, slots, now, created):
    """Léa on the next two mornings for walking children, Hugo on the next afternoon for babies."""
    booked = {(b["child_id"], b["slot_id"]) for b in family.get("/api/v1/bookings", limit=500)}
    ahead = [s for s in slots if datetime.fromisoformat(s["starts_at"]) > now + timedelta(hours=2)]
    wanted = [(children["Léa"], s) for s in ahead if s["age_group"] in ("walking", "mixed")][:2]
    wanted += [(children["Hugo"], s) for s in ahead if s["age_group"] == "non_walking"][:1]
    for child, slot in wanted:
        if (child["id"], slot["id"]) not in booked:
            body = {"slot_id": slot["id"], "child_id": child["id"]}
            family.post("/api/v1/bookings", body, key=f"demo-booking-{child['id'][:8]}-{slot['id'][:8]}")
            created["réservations"] += 1


def trainee_on_activities(staff, trainee_id, found_activities, now, created):
    """The demo trainee on the first two activities ahead that still take a trainee."""
    ahead = [a for a in found_activities if datetime.fromisoformat(a["starts_at"]) > now and a["status"] == "scheduled"]
    mine = [a for a in ahead if trainee_id in a.get("trainees", [])]
    for activity in [a for a in ahead if a not in mine and len(a.get("trainees", [])) < a["trainee_slots"]]:
        if len(mine) >= 2:
            break
        trainee_assigned(staff, activity["id"], trainee_id)
        mine.append(activity)
        created["affectations"] += 1


def trainee_assigned(staff, activity_id, trainee_id, wait_seconds=30):
    """Assign the trainee; a 409 while bookings has not yet heard of her attestation (placements
    tells it by an event) is tried again, each try with its own key (a refusal is kept under its key)."""
    deadline = time.monotonic() + wait_seconds
    for attempt in range(1000):
        body, key = {"trainee_id": trainee_id}, f"demo-trainee-{activity_id}-{attempt}"
        answer = staff.post(f"/api/v1/activities/{activity_id}/trainees", body, key=key, accept=(200, 201, 409))
        if "id" in answer or time.monotonic() > deadline:
            return answer
        time.sleep(1)


# --- gateway and volunteers service: one account per role --------------------------------------
def staff_account(staff, api, today, created):
    """The demo staff member, with their profile in the team service: an EJE (a state diploma),
    référent santé et accueil inclusif, cleared (an attestation d'honorabilité issued two months
    ago, verified a month ago)."""
    profile = {"job_title": "Éducatrice de jeunes enfants", "diplomas": ["eje"], "health_referent": True}
    staff_member(staff, api, today, created, {**STAFF, "last_name": "Bernard"}, profile, "demo-staff")


def colleague_account(staff, api, today, created):
    """The second professional: an auxiliaire de puériculture (a state diploma), cleared."""
    profile = {"job_title": "Auxiliaire de puériculture", "diplomas": ["auxiliaire_puericulture"]}
    staff_member(staff, api, today, created, COLLEAGUE, profile, "demo-colleague")


def staff_member(staff, api, today, created, account, profile, key):
    if api.signed_in(account["email"], account["password"]) is None:
        staff.post("/api/v1/staff", account, key=key)
        created["comptes"] += 1
    me = api.signed_in(account["email"], account["password"]).get("/api/v1/me")
    member = staff.get(f"/api/v1/staff/{me['id']}")
    if not member["diplomas"]:
        staff.post(f"/api/v1/staff/{me['id']}", profile, key=f"{key}-profile-{me['id']}", method="PATCH")
    if not member["cleared"]:
        dates = {
            "issued_on": (today - timedelta(days=60)).isoformat(),
            "verified_on": (today - timedelta(days=30)).isoformat(),
        }
        staff.post(f"/api/v1/staff/{me['id']}/honorability", dates, key=f"{key}-honorability-{me['id']}")


def volunteer_account(api, created):
    if api.signed_in(VOLUNTEER["email"], VOLUNTEER["password"]) is None:
        body = {
            **VOLUNTEER,
            "first_name": "Jeanne",
            "last_name": "Moreau",
            "birth_date": "1952-04-17",
            "phone": "06 98 76 54 32",
            "interests": ["story_time", "gardening", "cooking"],
            "availability": [{"weekday": 0, "part": "morning"}, {"weekday": 1, "part": "afternoon"}],
        }
        api.post("/api/v1/volunteers", body, key="demo-volunteer")
        created["comptes"] += 1


def trainee_account(staff, api, created):
    """The trainee: staff create the account and the profile (POST /api/v1/trainees, the profile
    kept by the placements service). Returns the trainee's id."""
    trainee = api.signed_in(TRAINEE["email"], TRAINEE["password"])
    if trainee is None:
        body = {
            **TRAINEE,
            "first_name": "Inès",
            "last_name": "Petit",
            "birth_date": "2004-09-12",
            "programme": "cap_aepe",
            "school": "Lycée professionnel Jean-Moulin",
            "referent_name": "M. Garnier",
            "referent_email": "referent@lycee-jean-moulin.example",
        }
        staff.post("/api/v1/trainees", body, key="demo-trainee")
        created["comptes"] += 1
        trainee = api.signed_in(TRAINEE["email"], TRAINEE["password"])
    return trainee.get("/api/v1/trainees/me")["id"]


def trainee_clearance(staff, api, trainee_id, today):
    """The trainee's attestation d'honorabilité, issued 45 days ago and verified 40 days ago by
    the demo staff (every adult with the children needs one: docs/honorability-rules.md)."""
    me = api.signed_in(TRAINEE["email"], TRAINEE["password"]).get("/api/v1/trainees/me")
    if me.get("cleared"):
        return
    dates = {
        "issued_on": (today - timedelta(days=45)).isoformat(),
        "verified_on": (today - timedelta(days=40)).isoformat(),
    }
    staff.post(f"/api/v1/trainees/{trainee_id}/honorability", dates, key=f"demo-trainee-honorability-{trainee_id}")


def trainee_placement(staff, api, trainee_id, today, created):
    """The trainee's placement (convention de stage) with the demo staff member as tutor: from
    the current week's Monday, 14 weeks, Monday to Friday 9:00–17:00 with an hour's lunch (35 h a
    week: 490 h planned, CAP AEPE's course total)."""
    if _placements_of(staff, trainee_id):
        return
    tutor = api.signed_in(STAFF["email"], STAFF["password"]).get("/api/v1/me")["id"]
    first = monday_of(today)
    body = {
        "trainee_id": trainee_id,
        "tutor_id": tutor,
        "school": "Lycée professionnel Jean-Moulin",
        "starts_on": first.isoformat(),
        "ends_on": (first + timedelta(weeks=14) - timedelta(days=3)).isoformat(),
        "weekly_schedule": [
            {"weekday": day, "start": "09:00", "end": "17:00", "break_minutes": 60} for day in range(5)
        ],
    }
    staff.post("/api/v1/placements", body, key=f"demo-placement-{trainee_id}")
    created["stages"] += 1


def _placements_of(staff, trainee_id):
    return staff.get("/api/v1/placements", trainee_id=trainee_id)


# --- education service: a course and its session in the training room ---------------------------
COURSE = {
    "title": "Éveil et motricité libre du jeune enfant",
    "objectives": "Accompagner la motricité libre de 0 à 3 ans ; aménager un espace sûr et stimulant.",
    "audience": "Professionnels de la petite enfance, assistantes maternelles, stagiaires",
    "prerequisites": "",
    "duration_hours": "7.00",
    "trainer": "Claire Roux",
    "price": "180.00",
    "funding": ["opco", "cpf", "employer", "self_funded"],
    "certification_code": "RS5612",  # CPF only for a registered certification (L6323-6); a demo code
}
SESSION_PARTS = [("09:00", "12:30"), ("13:30", "17:00")]  # a day in two half-days


def training_session(staff, found_rooms, monday, now, created):
    """The course, and one session of it ahead (next week's Tuesday) in the training room, asked
    of bookings by the education service's room saga. Returns the session ahead."""
    courses = {c["title"]: c for c in staff.get("/api/v1/courses", limit=100)}
    course = courses.get(COURSE["title"])
    if course is None:
        course = staff.post("/api/v1/courses", COURSE, key="demo-course-motricite")
        created["formations"] += 1
    ahead = [
        s
        for s in staff.get("/api/v1/sessions", limit=100)
        if s["course_id"] == course["id"]
        and s["status"] != "cancelled"
        and datetime.fromisoformat(s["starts_at"]) > now
    ]
    if ahead:
        return ahead[0]
    day = monday + timedelta(days=8)
    body = {
        "course_id": course["id"],
        "room_id": found_rooms["Salle de formation"]["id"],
        "capacity": 12,
        "min_participants": 4,
        "parts": [
            {"starts_at": local(day, a).isoformat(), "ends_at": local(day, b).isoformat()} for a, b in SESSION_PARTS
        ],
    }
    created["sessions"] += 1
    return staff.post("/api/v1/sessions", body, key=f"demo-session-{day.isoformat()}")


def enrolled_in_session(api, session, accounts, created, wait_seconds=30):
    """The demo trainee and volunteer enrolled in the session once bookings has confirmed its
    room (enrolment opens then)."""
    deadline = time.monotonic() + wait_seconds
    while session["status"] == "planned" and time.monotonic() < deadline:
        time.sleep(1)
        session = api.get(f"/api/v1/sessions/{session['id']}")
    if session["status"] != "confirmed":
        return
    for account, kind, funding in accounts:
        person = api.signed_in(account["email"], account["password"])
        mine = {e["session_id"] for e in person.get("/api/v1/me/enrolments") if e["status"] != "cancelled"}
        if session["id"] in mine:
            continue
        body = {"participant_kind": kind, "funding": funding}
        person.post(f"/api/v1/sessions/{session['id']}/enrolments", body, key=f"demo-enrol-{kind}-{session['id']}")
        created["inscrits à la formation"] += 1


def volunteer_signups(staff, api, today, created):
    """The demo volunteer cleared (an attestation d'honorabilité issued two months ago, checked a
    month ago, and an insurance cover for the year, recorded by staff), the charte de bénévolat
    accepted, and signed up to the first two
    activities ahead that match her (the volunteers service ranks them and refuses an overlap)."""
    volunteer = api.signed_in(VOLUNTEER["email"], VOLUNTEER["password"])
    me = volunteer.get("/api/v1/volunteers/me")
    if not me["cleared"]:
        dates = {
            "issued_on": (today - timedelta(days=60)).isoformat(),
            "verified_on": (today - timedelta(days=30)).isoformat(),
        }
        staff.post(f"/api/v1/volunteers/{me['id']}/honorability", dates, key=f"demo-honorability-{me['id']}")
        cover = {
            "insurer": "Mutuelle des aînés (démo)",
            "policy": "RC-BENEVOLES-2026",
            "valid_from": (today - timedelta(days=30)).isoformat(),  # a yearly contract
            "valid_until": (today + timedelta(days=334)).isoformat(),
        }
        staff.post(f"/api/v1/volunteers/{me['id']}/insurance", cover, key=f"demo-insurance-{me['id']}")
    if not me["charter_accepted"]:
        charter = {"version": me["charter_current_version"]}
        volunteer.post("/api/v1/volunteers/me/charter", charter, key=f"demo-charter-{me['id']}")
    signed_up = {s["activity_id"] for s in me.get("signups", []) if s["status"] == "confirmed"}
    for opportunity in _opportunities(volunteer):
        if len(signed_up) >= 2:
            break
        if opportunity["activity_id"] in signed_up or opportunity["free_places"] < 1 or opportunity["status"] != "open":
            continue
        answer = volunteer.post(
            f"/api/v1/opportunities/{opportunity['activity_id']}/signup",
            {},
            key=f"demo-signup-{opportunity['activity_id']}",
            accept=(200, 201, 409, 422),  # an overlap or a place just taken: the next one
        )
        if answer.get("status") == "confirmed":
            signed_up.add(opportunity["activity_id"])
            created["inscriptions"] += 1


def _opportunities(volunteer, wait_seconds=30):
    """The opportunities ahead, once the volunteers service has heard of the activities (by events,
    a moment after bookings scheduled them)."""
    deadline = time.monotonic() + wait_seconds
    while True:
        found = volunteer.get("/api/v1/opportunities", limit=50)
        if found or time.monotonic() > deadline:
            return found
        time.sleep(1)


# --- the whole ----------------------------------------------------------------------------------------
def _services_answer(readyz):
    """Ready, or only degraded (events parked or a binding missing: the services still answer)."""
    if readyz.status_code == 200:
        return True
    try:
        return readyz.status_code == 503 and readyz.json().get("status") == "degraded"
    except ValueError:
        return False


def wait_until_ready(base_url, wait_seconds):
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            if _services_answer(requests.get(f"{base_url}/readyz", timeout=3)):
                return
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"demo: {base_url}/readyz did not answer 200 within {wait_seconds:g} s")
        time.sleep(1)


def load(base_url, staff_email, staff_password, today=None, now=None):
    """Load what is missing; returns {what: how many were created} (all zeros on a second run)."""
    now = now or datetime.now(timeutil.venue_zone())
    today = today or now.date()  # the venue's day (a UTC machine is a day behind after midnight in Paris)
    api = Demo(base_url)
    staff = api.signed_in(staff_email, staff_password)
    if staff is None:
        raise SystemExit(f"demo: the bootstrap staff account {staff_email} could not sign in")
    created = dict.fromkeys(
        [
            "salles",
            "activités",
            "créneaux",
            "comptes",
            "réservations",
            "affectations",
            "stages",
            "inscriptions",
            "formations",
            "sessions",
            "inscrits à la formation",
        ],
        0,
    )
    monday = monday_of(today)
    found_rooms = rooms(staff, created)
    staff_account(staff, api, today, created)
    colleague_account(staff, api, today, created)
    leads = professionals(staff)
    found_activities = activities(staff, found_rooms, monday, created, leads)
    slots = childcare_slots(staff, found_rooms, monday, created, leads)
    volunteer_account(api, created)
    trainee_id = trainee_account(staff, api, created)
    trainee_placement(staff, api, trainee_id, today, created)
    trainee_clearance(staff, api, trainee_id, today)
    family, children = family_with_children(api, today, created)
    children_files(family, children, today)
    family_bookings(family, children, slots, now, created)
    trainee_on_activities(staff, trainee_id, found_activities, now, created)
    volunteer_signups(staff, api, today, created)
    session = training_session(staff, found_rooms, monday, now, created)
    enrolled_in_session(
        staff, session, [(TRAINEE, "trainee", "employer"), (VOLUNTEER, "volunteer", "self_funded")], created
    )
    return created, []


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m shared.demo", description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default=None, help="the gateway (default: http://GATEWAY_BIND)")
    parser.add_argument("--wait-seconds", type=float, default=float(os.environ.get("COCOON_DEMO_WAIT_SECONDS", 120)))
    args = parser.parse_args(argv)
    if os.environ.get("COCOON_DEMO", "1").strip() == "0":
        print("COCOON_DEMO=0 : pas de données de démonstration, le lieu démarre vide (no demo data)", flush=True)
        return 0
    base_url = args.base_url or gateway_url(os.environ.get("GATEWAY_BIND"))
    email, password = os.environ.get("COCOON_BOOTSTRAP_STAFF_EMAIL"), os.environ.get("COCOON_BOOTSTRAP_STAFF_PASSWORD")
    if not (email and password):
        raise SystemExit("demo: set COCOON_BOOTSTRAP_STAFF_EMAIL and COCOON_BOOTSTRAP_STAFF_PASSWORD (make run does)")
    wait_until_ready(base_url, args.wait_seconds)
    created, later = load(base_url, email, password)
    made = ", ".join(f"{count} {what}" for what, count in created.items() if count)
    print(f"Données de démonstration : {made or 'rien à ajouter, tout est déjà là'} (demo data loaded)", flush=True)
    for sentence in later:
        print(f"Pas encore dans la démonstration : {sentence}", flush=True)
    print("Comptes de démonstration : voir README.md, « Demo data »", flush=True)
    return 0


def gateway_url(bind):
    """http://host:port of GATEWAY_BIND (0.0.0.0 is reached as 127.0.0.1)."""
    if not bind:
        return DEFAULT_BASE_URL
    host, _, port = bind.rpartition(":")
    return f"http://{'127.0.0.1' if host in ('', '0.0.0.0') else host}:{port}"


if __name__ == "__main__":
    sys.exit(main())
