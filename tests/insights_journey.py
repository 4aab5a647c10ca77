"""A job-seeking parent's path through the venue, as the producers' events tell it (insights' unit
and integration tests): a crèche place on an AVIP share, a PMSMP immersion agreed then assessed,
a training (enrolment and a half-day attended) and a hire, the outcome linking the person's
family, beneficiary and trainee records. The trainee record is linked by the last event only,
so the training facts are attributed to the person after they were counted."""

from datetime import datetime, timezone

PERSON, FAMILY, CHILD, BENEFICIARY, TRAINEE = "person-p", "family-f", "child-c", "beneficiary-b", "trainee-t"
SESSION = "session-s"
SUBJECTS = [{"role": "family", "id": FAMILY}, {"role": "beneficiary", "id": BENEFICIARY}]


def at(day, hour=9):
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00+02:00")


def immersion(**extra):
    return {
        "person_id": PERSON,
        "subjects": SUBJECTS,
        "immersion_id": "immersion-1",
        "beneficiary_id": BENEFICIARY,
        "object": "discover",
        "prescriber_organisation": "france_travail",
        "starts_on": "2026-07-13",
        "ends_on": "2026-07-24",
        "tutor_id": "staff-1",
        **extra,
    }


JOURNEY = [
    (
        "bookings.job_search_changed",
        {"family_id": FAMILY, "job_seeker": True, "changed_on": "2026-06-01", "source": "family_file"},
        at("2026-06-01"),
    ),
    (
        "bookings.booking_confirmed",
        {
            "booking_id": "booking-1",
            "slot_id": "slot-1",
            "child_id": CHILD,
            "family_id": FAMILY,
            "starts_at": "2026-07-06T08:30:00+02:00",
            "ends_at": "2026-07-06T12:30:00+02:00",
            "avip": True,
            "room_name": "Les Lucioles",
        },
        at("2026-07-01"),
    ),
    ("placements.immersion_agreed", immersion(planned_hours="70.00"), at("2026-07-08")),
    ("placements.immersion_assessed", immersion(assessed_on="2026-07-24", days_present=9), at("2026-07-24")),
    (
        "education.enrolment_confirmed",
        {
            "enrolment_id": "enrolment-1",
            "session_id": SESSION,
            "title": "CAP AEPE, module 1",
            "participant_kind": "trainee",
            "participant_id": TRAINEE,
            "starts_at": "2026-09-01T09:00:00+02:00",
        },
        at("2026-08-20"),
    ),
    (
        "education.attendance_recorded",
        {
            "session_id": SESSION,
            "title": "CAP AEPE, module 1",
            "part_index": 0,
            "half_day": "morning",
            "participant_kind": "trainee",
            "participant_id": TRAINEE,
            "present": True,
            "starts_at": "2026-09-01T09:00:00+02:00",
            "ends_at": "2026-09-01T12:30:00+02:00",
            "hours": "3.50",
            "revision": 1,
        },
        at("2026-09-01", 13),
    ),
    (
        "placements.outcome_recorded",
        {
            "person_id": PERSON,
            "subjects": [*SUBJECTS, {"role": "trainee", "id": TRAINEE}],
            "outcome_id": "outcome-1",
            "kind": "hired",
            "on": "2026-10-05",
        },
        at("2026-10-05"),
    ),
    (
        "bookings.job_search_changed",
        {"family_id": FAMILY, "job_seeker": False, "changed_on": "2026-10-05", "source": "outcome"},
        at("2026-10-05", 10),
    ),
]

EXPECTED_PATH = [
    {"on": "2026-07-06", "kind": "childcare_place", "detail": "avip", "source": "bookings"},
    {"on": "2026-07-13", "kind": "immersion_agreed", "detail": "discover", "source": "placements"},
    {"on": "2026-07-24", "kind": "immersion_assessed", "detail": "discover", "source": "placements"},
    {"on": "2026-09-01", "kind": "enrolment", "detail": SESSION, "source": "education"},
    {"on": "2026-09-01", "kind": "session_attended", "detail": SESSION, "source": "education"},
    {"on": "2026-10-05", "kind": "outcome", "detail": "hired", "source": "placements"},
]

UTC = timezone.utc
