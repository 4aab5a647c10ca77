"""The education service's answers and event payloads: one function per kind of answer, each
dumping rows (or the domain's results) through an Out schema of schemas.py; event payloads as
their contracts in shared/events/education.py name them."""

from services.education.domain import attendance, enrolment, half_days
from services.education.domain.room_saga import CONFIRMED as SESSION_CONFIRMED
from services.education.schemas import (
    AttendanceOut,
    CertificateOut,
    CourseOut,
    EnrolmentOut,
    ParticipantEnrolmentOut,
    SessionOut,
    SheetOut,
    SignatureOut,
    SigningOut,
)
from services.education.settings import EducationSettings
from shared.timeutil import as_utc, from_db, to_db, venue_zone

DEFAULT_LUNCH = EducationSettings().lunch_break


def _hours(value):
    return f"{value:.2f}"


def halves_of(part, lunch=DEFAULT_LUNCH):
    """A SessionPart row's half-days (domain.half_days), aware UTC times."""
    return half_days.split(as_utc(part.starts_at), as_utc(part.ends_at), lunch, venue_zone())


def session_half_days(parts, lunch=DEFAULT_LUNCH):
    """[(part_index, HalfDay)] of a session's parts, in time order: the units of attendance."""
    return [(p.part_index, half) for p in parts for half in halves_of(p, lunch)]


def domain_parts(parts, lunch=DEFAULT_LUNCH):
    """A session's half-days as the domain's attendance parts (aware UTC times), in the order of
    session_half_days: the hours counted (the lunch break excluded)."""
    return [attendance.Part(h.starts_at, h.ends_at) for _, h in session_half_days(parts, lunch)]


def half_day_fields(part_index, half):
    return {
        "part_index": part_index,
        "half_day": half.name,
        "starts_at": to_db(half.starts_at),
        "ends_at": to_db(half.ends_at),
        "hours": _hours(half.hours),
    }


def course(row):
    return CourseOut().dump(row)


def courses(rows):
    return CourseOut(many=True).dump(rows)


def session_fields(row, facts, now, warning_days, lunch=DEFAULT_LUNCH):
    """SessionOut's fields, not dumped yet (for an answer that nests the session)."""
    parts = domain_parts(facts.parts, lunch)
    starts_at = as_utc(row.starts_at)
    today = now.astimezone(venue_zone()).date()  # `now` is aware
    return {
        "id": row.id,
        "course_id": row.course_id,
        "title": row.course.title,
        "trainer": row.course.trainer,
        "room_id": row.room_id,
        "room_name": row.room_name,
        "capacity": row.capacity,
        "min_participants": row.min_participants,
        "status": row.status,
        "refusal_reason": row.refusal_reason or "",
        "request": row.request,
        "parts": [
            {
                "index": p.part_index,
                "starts_at": p.starts_at,
                "ends_at": p.ends_at,
                "hours": _hours(half_days.total_hours(halves)),
                "attendance_open": attendance.day_has_come(from_db(p.starts_at).date(), today),
                "half_days": [half_day_fields(p.part_index, h) for h in halves],
            }
            for p, halves in ((p, halves_of(p, lunch)) for p in facts.parts)
        ],
        "starts_at": row.starts_at,
        "ends_at": row.ends_at,
        "hours": _hours(attendance.session_hours(parts)),
        "confirmed_count": facts.confirmed,
        "waitlisted_count": facts.waitlisted,
        "places_left": max(row.capacity - facts.confirmed, 0),
        "enrolment_open": row.status == SESSION_CONFIRMED and enrolment.is_open(starts_at, now),
        "under_minimum": row.status == SESSION_CONFIRMED
        and enrolment.under_minimum(facts.confirmed, row.min_participants, starts_at, now, warning_days),
        "cancel_reason": row.cancel_reason or "",
    }


def session(row, facts, now, warning_days, lunch=DEFAULT_LUNCH):
    """`facts`: store.SessionFacts; `now`: aware; `warning_days`, `lunch`: the settings."""
    return SessionOut().dump(session_fields(row, facts, now, warning_days, lunch))


def sessions(rows, facts, now, warning_days, lunch=DEFAULT_LUNCH):
    return [session(row, facts[row.id], now, warning_days, lunch) for row in rows]


def _enrolment_fields(row, position=None):
    return {
        "id": row.id,
        "session_id": row.session_id,
        "participant_kind": row.participant_kind,
        "participant_id": row.participant_id,
        "name": row.name,
        "email": row.email or "",
        "funding": row.funding,
        "status": row.status,
        "position": position if row.status == enrolment.WAITLISTED else None,
        "cancel_reason": row.cancel_reason or "",
        "created_at": row.created_at,
    }


def enrolment_out(row, position=None):
    return EnrolmentOut().dump(_enrolment_fields(row, position))


def enrolments(rows, positions):
    """`positions`: {enrolment id: place on the waiting list}."""
    return [enrolment_out(row, positions.get(row.id)) for row in rows]


def participant_enrolment(row, position, session):
    """`session`: session_fields of its session."""
    return ParticipantEnrolmentOut().dump({**_enrolment_fields(row, position), "session": session})


def attendance_out(row):
    return AttendanceOut().dump(row)


def certificate_fields(row, course_row, session):
    """CertificateOut's fields, not dumped yet; `session`: session_fields of its session."""
    return {
        "session_id": row.session_id,
        "participant_id": row.participant_id,
        "participant_kind": row.participant_kind,
        "name": row.name,
        "attestation_number": row.attestation_number,
        "realisation_number": row.realisation_number,
        "hours_attended": row.hours_attended,
        "session_hours": row.session_hours,
        "rate": row.rate,
        "issued_on": row.issued_on,
        "course": course_row,
        "session": session,
    }


def certificate(row, course_row, session):
    return CertificateOut().dump(certificate_fields(row, course_row, session))


def mark_fields(row, signature=None):
    """MarkOut's fields of an Attendance row (None: not recorded) and its Signature row, if any."""
    if row is None:
        return None
    return {
        "present": row.present,
        "refusal_reason": row.refusal_reason or "",
        "revision": row.revision,
        "signed": signature is not None,
        "method": signature.method if signature else None,
        "signed_at": signature.signed_at if signature else None,
    }


def sheet(session, units, trainer_marks, rows):
    """`session`: session_fields; `units`: session_half_days; `rows`: dicts of SheetRowOut's
    fields (marks: mark_fields per unit; certificate: certificate_fields or None)."""
    return SheetOut().dump(
        {
            "session": session,
            "half_days": [half_day_fields(index, half) for index, half in units],
            "trainer": trainer_marks,
            "rows": rows,
        }
    )


def signature_out(row):
    return SignatureOut().dump(row)


def signing(session_row, part_index, half, participant_id, name, signed):
    return SigningOut().dump(
        {
            "session_id": session_row.id,
            "title": session_row.course.title,
            "trainer": session_row.course.trainer,
            "half_day": half_day_fields(part_index, half),
            "participant_id": participant_id,
            "name": name,
            "signed": signed,
        }
    )


# --- event payloads ----------------------------------------------------------------------------------
def _parts_payload(parts):
    return [{"starts_at": from_db(p.starts_at).isoformat(), "ends_at": from_db(p.ends_at).isoformat()} for p in parts]


def room_requested(row, parts):
    return {
        "session_id": row.id,
        "room_id": row.room_id,
        "title": row.course.title,
        "parts": _parts_payload(parts),
        "request": row.request,
    }


def session_planned(row, parts):
    return {
        "session_id": row.id,
        "course_id": row.course_id,
        "title": row.course.title,
        "room_id": row.room_id,
        "capacity": row.capacity,
        "min_participants": row.min_participants,
        "parts": _parts_payload(parts),
    }


def session_confirmed(row, parts):
    return {
        "session_id": row.id,
        "title": row.course.title,
        "room_id": row.room_id,
        "room_name": row.room_name,
        "parts": _parts_payload(parts),
    }


def session_room_refused(row):
    return {"session_id": row.id, "room_id": row.room_id, "reason": row.refusal_reason}


def session_cancelled(row):
    return {"session_id": row.id, "reason": row.cancel_reason or ""}


def enrolment_fact(row, session_row):
    return {
        "enrolment_id": row.id,
        "session_id": session_row.id,
        "title": session_row.course.title,
        "participant_kind": row.participant_kind,
        "participant_id": row.participant_id,
        "name": row.name,
        "starts_at": from_db(session_row.starts_at).isoformat(),
    }


def attendance_recorded(row, session_row, half, enrolment_row):
    """`half`: the half-day (domain.half_days.HalfDay) the mark is for: its times and hours."""
    return {
        "session_id": session_row.id,
        "title": session_row.course.title,
        "part_index": row.part_index,
        "half_day": row.half_day,
        "participant_kind": enrolment_row.participant_kind,
        "participant_id": row.participant_id,
        "present": row.present,
        "starts_at": half.starts_at.astimezone(venue_zone()).isoformat(),
        "ends_at": half.ends_at.astimezone(venue_zone()).isoformat(),
        "hours": _hours(half.hours),
        "revision": row.revision,
    }


def certificate_issued(row):
    return {
        "session_id": row.session_id,
        "participant_kind": row.participant_kind,
        "participant_id": row.participant_id,
        "name": row.name,
        "attestation_number": row.attestation_number,
        "realisation_number": row.realisation_number,
        "hours_attended": _hours(row.hours_attended),
    }
