"""The education service's answers and event payloads: one function per kind of answer, each
dumping rows (or the domain's results) through an Out schema of schemas.py; event payloads as
their contracts in shared/events/education.py name them."""

from decimal import Decimal

from services.education.domain import attendance, certificates, contracts, enrolment, half_days, satisfaction
from services.education.domain import bpf as bpf_rules
from services.education.domain.room_saga import CONFIRMED as SESSION_CONFIRMED
from services.education.schemas import (
    AttendanceOut,
    BpfOut,
    CertificateOut,
    CourseOut,
    EnrolmentDetailOut,
    EnrolmentOut,
    FunderInvoiceOut,
    LearningEvaluationOut,
    LearningEvaluationSheetOut,
    ParticipantEnrolmentOut,
    SatisfactionFormOut,
    SatisfactionOut,
    SessionFunderInvoicesOut,
    SessionOut,
    SheetOut,
    SignatureOut,
    SigningOut,
)
from services.education.settings import EducationSettings
from shared import timeutil
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


def _enrolment_fields(row, position=None, payments=None, now=None):
    """`payments`: the enrolment's EnrolmentPayment rows; `now`: aware (the clock when not given)."""
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
        "employer_name": row.employer_name or "",
        **contract_fields(row, payments or [], now or timeutil.now_utc()),
    }


def enrolment_out(row, position=None, payments=None):
    return EnrolmentOut().dump(_enrolment_fields(row, position, payments))


def enrolments(rows, positions, payments=None):
    """`positions`: {enrolment id: place on the waiting list}; `payments`: {enrolment id: [rows]}."""
    payments = payments or {}
    return [enrolment_out(row, positions.get(row.id), payments.get(row.id)) for row in rows]


def participant_enrolment(row, position, session, payments=None):
    """`session`: session_fields of its session."""
    return ParticipantEnrolmentOut().dump({**_enrolment_fields(row, position, payments), "session": session})


# --- learners' contracts -------------------------------------------------------------------------------
def contract_status(row, now):
    """schemas.CONTRACT_STATUSES: where the enrolment's contrat de formation stands at `now` (aware)."""
    if row.status == enrolment.RETRACTED:
        return "retracted"
    if not contracts.needs_contract(row.funding):
        return "not_needed"
    if row.contract_accepted_at is None:
        return "to_accept"
    return "withdrawal_period" if contracts.can_withdraw(as_utc(row.withdrawal_until), now) else "in_force"


def contract_fields(row, payments, now):
    until = as_utc(row.withdrawal_until) if row.withdrawal_until else None
    return {
        "funder_name": row.funder_name or "",
        "agreement_number": row.agreement_number or "",
        "contract_status": contract_status(row, now),
        "contract_accepted_at": row.contract_accepted_at,
        "contract_accepted_by": row.contract_accepted_by or "",
        "contract_price": row.contract_price,
        "withdrawal_until": row.withdrawal_until,
        "withdrawal_last_day": contracts.last_day_to_withdraw(until, venue_zone()) if until else None,
        "retracted_at": row.retracted_at,
        "payments": [
            {"id": p.id, "amount": p.amount, "paid_on": p.paid_on, "recorded_at": p.created_at} for p in payments
        ],
        "paid_total": sum((Decimal(p.amount) for p in payments), Decimal(0)),
        "convention": contracts.needs_convention(row.funding),
    }


def enrolment_detail(row, position, session, course_row, payments):
    """EnrolmentDetailOut: `session`: session_fields of its session."""
    return EnrolmentDetailOut().dump(
        {**_enrolment_fields(row, position, payments), "session": session, "course": course_row}
    )


def enrolment_retracted(row, session_row):
    return {**enrolment_fact(row, session_row), "retracted_at": from_db(row.retracted_at).isoformat()}


def attendance_out(row):
    return AttendanceOut().dump(row)


def certificate_fields(row, course_row, session, evaluation_row=None):
    """CertificateOut's fields, not dumped yet; `session`: session_fields of its session;
    `evaluation_row`: the participant's Evaluation, or None when none was recorded."""
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
        "assiduity": row.assiduity,
        "threshold": row.threshold,
        "assiduity_mention": certificates.assiduity_mention(row.rate, row.assiduity, row.threshold),
        "employer_name": row.employer_name or "",
        "evaluation": evaluation_fields(evaluation_row, course_row) if evaluation_row else None,
        "course": course_row,
        "session": session,
    }


def certificate(row, course_row, session, evaluation_row=None):
    return CertificateOut().dump(certificate_fields(row, course_row, session, evaluation_row))


def evaluation_fields(row, course_row):
    return {
        "session_id": row.session_id,
        "participant_id": row.participant_id,
        "method": course_row.evaluation_method or "",
        "results": row.results,
        "revision": row.revision,
        "recorded_at": row.recorded_at,
    }


def evaluation(row, course_row):
    return LearningEvaluationOut().dump(evaluation_fields(row, course_row))


def evaluation_sheet(session, course_row, is_open, rows):
    """`session`: session_fields; `rows`: dicts of LearningEvaluationRowOut's fields."""
    return LearningEvaluationSheetOut().dump(
        {
            "session": session,
            "method": course_row.evaluation_method or "",
            "objectives": certificates.objectives(course_row.objectives),
            "open": is_open,
            "rows": rows,
        }
    )


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
        "participant_id": row.participant_id,  # by id only: education `contact` gives the name
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
        "attestation_number": row.attestation_number,
        "realisation_number": row.realisation_number,
        "hours_attended": _hours(row.hours_attended),
        "assiduity": row.assiduity,
    }


# --- funders' invoices, the BPF, the satisfaction questionnaire ----------------------------------
def frozen_course(course_row):
    """The course as a funder's invoice keeps it."""
    return {
        "title": course_row.title,
        "price": f"{course_row.price:.2f}",
        "duration_hours": _hours(course_row.duration_hours),
        "trainer": course_row.trainer,
    }


def frozen_session(row, parts, lunch=DEFAULT_LUNCH):
    """The session as a funder's invoice keeps it (times aware, in the venue's zone)."""
    return {
        "id": row.id,
        "title": row.course.title,
        "starts_at": from_db(row.starts_at).isoformat(),
        "ends_at": from_db(row.ends_at).isoformat(),
        "hours": _hours(attendance.session_hours(domain_parts(parts, lunch))),
        "room_name": row.room_name or "",
    }


def funder_invoice_lines(lines):
    """domain.funder_invoices.Line -> the JSON an invoice keeps."""
    return [
        {
            "enrolment_id": item.participant.enrolment_id,
            "participant_id": item.participant.participant_id,
            "participant_kind": item.participant.participant_kind,
            "name": item.participant.name,
            "hours": _hours(item.hours),
            "amount": f"{item.amount:.2f}",
        }
        for item in lines
    ]


def funder_invoice(row):
    return FunderInvoiceOut().dump(row)


def funder_invoices(session_id, rows):
    return SessionFunderInvoicesOut().dump({"session_id": session_id, "invoices": rows})


def _figures(figures):
    return {"trainees": figures.trainees, "hours": _hours(figures.hours), "income": f"{figures.income:.2f}"}


def bpf(report, sessions_count, not_invoiced):
    """`report`: domain.bpf.Report; `not_invoiced`: [{id, title, ends_at}] of its sessions_not_invoiced."""
    return BpfOut().dump(
        {
            "year": report.year,
            "sessions": sessions_count,
            "total": _figures(report.total),
            "by_funding": [{"key": key, **_figures(f)} for key, f in report.by_funding.items()],
            "by_kind": [{"key": key, **_figures(f)} for key, f in report.by_kind.items()],
            "income_lines": [
                {"code": code, "label": label, **_figures(report.income_lines[code])}
                for code, label in bpf_rules.INCOME_LINES
            ],
            "trainee_lines": [
                {"code": code, "label": label, **_figures(report.trainee_lines[code])}
                for code, label in bpf_rules.TRAINEE_LINES
            ],
            "sessions_not_invoiced": not_invoiced,
        }
    )


def satisfaction_form(session_row, enrolled, is_open, answered):
    return SatisfactionFormOut().dump(
        {
            "session_id": session_row.id,
            "participant_id": enrolled.participant_id,
            "name": enrolled.name,
            "title": session_row.course.title,
            "starts_at": session_row.starts_at,
            "ends_at": session_row.ends_at,
            "open": is_open,
            "answered": answered,
            "questions": [{"key": key, "label": label} for key, label in satisfaction.QUESTIONS],
            "scale": [{"value": value, "label": label} for value, label in satisfaction.SCALE],
        }
    )


def satisfaction_results(session_row, is_open, confirmed_rows, answers):
    """`answers`: SatisfactionAnswer rows; the comments are shown without their authors."""
    answered = {a.participant_id for a in answers}
    return SatisfactionOut().dump(
        {
            "session_id": session_row.id,
            "title": session_row.course.title,
            "open": is_open,
            "participants": len(confirmed_rows),
            "respondents": len(answers),
            "questions": [
                {
                    "key": r.key,
                    "label": r.label,
                    "counts": {str(value): n for value, n in r.counts.items()},
                    "answered": r.answered,
                    "average": None if r.average is None else f"{r.average:.2f}",
                }
                for r in satisfaction.results([a.scores for a in answers])
            ],
            "comments": [a.comment for a in answers if (a.comment or "").strip()],
            "people": [
                {
                    "participant_id": row.participant_id,
                    "participant_kind": row.participant_kind,
                    "name": row.name,
                    "answered": row.participant_id in answered,
                }
                for row in confirmed_rows
            ],
        }
    )
