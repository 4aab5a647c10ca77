"""The education service's queries and locks: the only module, with models.py, that speaks peewee.

A missing thing raises NotFound with a French message. Locks, in this order so that two calls
never wait on each other: a session's row (shared.db.get_locked), then its enrolments; the
certificate year's key (shared.db.lock_key) before its sequence row.
"""

from dataclasses import dataclass, field

from peewee import fn

from services.education.domain.enrolment import CONFIRMED, LIVE, WAITLISTED
from services.education.domain.funder_invoices import SERIES
from services.education.domain.room_saga import CONFIRMED as SESSION_CONFIRMED
from services.education.models import (
    Attendance,
    Certificate,
    CertificateSequence,
    Course,
    Enrolment,
    EnrolmentPayment,
    Evaluation,
    FunderInvoice,
    SatisfactionAnswer,
    Session,
    SessionPart,
    Signature,
    database,
)
from shared import pagination
from shared.db import get_locked, lock_key
from shared.errors import found
from shared.numbering import next_number
from shared.timeutil import to_db

SESSION_MISSING = "Session introuvable."
ENROLMENT_MISSING = "Inscription introuvable."
CERTIFICATE_YEAR = "education.certificate_year"


@dataclass
class SessionFacts:
    """What a session's answer shows beyond its row: its parts (in order) and its counts."""

    parts: list = field(default_factory=list)
    confirmed: int = 0
    waitlisted: int = 0


# --- courses -------------------------------------------------------------------------------------
def course(course_id):
    return found(Course.get_or_none(Course.id == str(course_id)), "Formation introuvable.")


def courses(query):
    return pagination.page(Course.select(), [Course.title, Course.id], query)


# --- sessions ------------------------------------------------------------------------------------
def _session_query():
    return Session.select(Session, Course).join(Course)


def session(session_id):
    return found(_session_query().where(Session.id == str(session_id)).first(), SESSION_MISSING)


def locked_session(session_id):
    """The session a command or a handler changes (its status, its places): locked first."""
    return found(get_locked(_session_query().where(Session.id == str(session_id))), SESSION_MISSING)


def locked_session_or_none(session_id):
    return get_locked(_session_query().where(Session.id == str(session_id)))


def sessions(query, now):
    """A page of the sessions by their first part; `open_to`: confirmed and not started at `now`."""
    select = _session_query()
    if query.get("status"):
        select = select.where(Session.status == query["status"])
    if query.get("open_to"):
        select = select.where(Session.status == SESSION_CONFIRMED, Session.starts_at > to_db(now))
    return pagination.page(select, [Session.starts_at, Session.id], query)


def add_session(course_row, fields, parts, now):
    """`parts`: (starts_at, ends_at) aware, in time order."""
    row = Session.create(
        course=course_row,
        room_id=fields["room_id"],
        capacity=fields["capacity"],
        min_participants=fields["min_participants"],
        requested_at=to_db(now),
        starts_at=to_db(parts[0][0]),
        ends_at=to_db(parts[-1][1]),
    )
    for index, (starts_at, ends_at) in enumerate(parts):
        SessionPart.create(session=row, part_index=index, starts_at=to_db(starts_at), ends_at=to_db(ends_at))
    return row


def parts_of(session_row):
    return list(SessionPart.select().where(SessionPart.session == session_row).order_by(SessionPart.part_index))


def facts(session_rows):
    """{session id: SessionFacts} for these sessions, in two queries."""
    known = {s.id: SessionFacts() for s in session_rows}
    if not known:
        return known
    for part in SessionPart.select().where(SessionPart.session.in_(list(known))).order_by(SessionPart.part_index):
        known[part.session_id].parts.append(part)
    counts = (
        Enrolment.select(Enrolment.session, Enrolment.status, fn.COUNT(Enrolment.id).alias("n"))
        .where(Enrolment.session.in_(list(known)), Enrolment.status.in_([CONFIRMED, WAITLISTED]))
        .group_by(Enrolment.session, Enrolment.status)
    )
    for row in counts:
        if row.status == CONFIRMED:
            known[row.session_id].confirmed = row.n
        else:
            known[row.session_id].waitlisted = row.n
    return known


def overdue_sessions(status, requested_before):
    """Ids of the sessions in `status` whose current request was sent at or before `requested_before` (stored)."""
    query = Session.select(Session.id).where(Session.status == status, Session.requested_at <= requested_before)
    return [s.id for s in query]


# --- enrolments ----------------------------------------------------------------------------------
def enrolment(enrolment_id, participant_id=None):
    """The enrolment; with `participant_id`, only theirs (another's is not found: ownership)."""
    query = Enrolment.select().where(Enrolment.id == str(enrolment_id))
    if participant_id is not None:
        query = query.where(Enrolment.participant_id == str(participant_id))
    return found(query.first(), ENROLMENT_MISSING)


def locked_enrolment(enrolment_id):
    """After its session's row."""
    return found(get_locked(Enrolment.select().where(Enrolment.id == str(enrolment_id))), ENROLMENT_MISSING)


def live_enrolment(session_row, participant_id=None, email=None):
    """The participant's enrolment in the session that is live (not cancelled nor retracted; by id,
    or by email)."""
    query = Enrolment.select().where(Enrolment.session == session_row, Enrolment.status.in_(LIVE))
    if participant_id is not None:
        query = query.where(Enrolment.participant_id == str(participant_id))
    else:
        query = query.where(fn.LOWER(Enrolment.email) == (email or "").lower())
    return query.first()


def count(session_row, status):
    """Read with the session's row locked: nobody else changes its places meanwhile."""
    return Enrolment.select().where(Enrolment.session == session_row, Enrolment.status == status).count()


def _in_order(session_row, status):
    return list(
        Enrolment.select()
        .where(Enrolment.session == session_row, Enrolment.status == status)
        .order_by(Enrolment.created_at, Enrolment.id)
    )


def waiting(session_row):
    """The session's waiting list, first come first."""
    return _in_order(session_row, WAITLISTED)


def confirmed(session_row):
    return _in_order(session_row, CONFIRMED)


def live_enrolments(session_row):
    return list(
        Enrolment.select()
        .where(Enrolment.session == session_row, Enrolment.status.in_(LIVE))
        .order_by(Enrolment.created_at, Enrolment.id)
    )


def enrolments(session_row, query):
    select = Enrolment.select().where(Enrolment.session == session_row)
    if query.get("status"):
        select = select.where(Enrolment.status == query["status"])
    return pagination.page(select, [Enrolment.created_at, Enrolment.id], query)


def enrolments_of(participant_id):
    """A person's enrolments with their session (and course), by the session's start."""
    return list(
        Enrolment.select(Enrolment, Session, Course)
        .join(Session)
        .join(Course)
        .where(Enrolment.participant_id == str(participant_id))
        .order_by(Session.starts_at, Enrolment.created_at, Enrolment.id)
    )


def confirmed_participant(session_row, participant_id):
    return (
        Enrolment.select()
        .where(
            Enrolment.session == session_row,
            Enrolment.participant_id == str(participant_id),
            Enrolment.status == CONFIRMED,
        )
        .first()
    )


def enrolment_with_session(enrolment_id, participant_id=None):
    """The enrolment with its session and course; with `participant_id`, only theirs."""
    query = Enrolment.select(Enrolment, Session, Course).join(Session).join(Course)
    query = query.where(Enrolment.id == str(enrolment_id))
    if participant_id is not None:
        query = query.where(Enrolment.participant_id == str(participant_id))
    return found(query.first(), ENROLMENT_MISSING)


def payments_of(enrolment_ids):
    """{enrolment id: [EnrolmentPayment]} by the day paid, then the order recorded."""
    ids = [str(i) for i in enrolment_ids]
    known = {i: [] for i in ids}
    if not ids:
        return known
    query = (
        EnrolmentPayment.select()
        .where(EnrolmentPayment.enrolment.in_(ids))
        .order_by(EnrolmentPayment.paid_on, EnrolmentPayment.created_at, EnrolmentPayment.id)
    )
    for row in query:
        known[row.enrolment_id].append(row)
    return known


# --- attendance (per half-day) and signatures --------------------------------------------------------
def attendance(session_id, part_index, half_day, participant_id):
    return (
        Attendance.select()
        .where(
            Attendance.session_id == str(session_id),
            Attendance.part_index == part_index,
            Attendance.half_day == half_day,
            Attendance.participant_id == str(participant_id),
        )
        .first()
    )


def marks(session_id):
    """{participant_id: {(part_index, half_day): Attendance row}} of the session."""
    known = {}
    for row in Attendance.select().where(Attendance.session_id == str(session_id)):
        known.setdefault(row.participant_id, {})[(row.part_index, row.half_day)] = row
    return known


def _signature_query(session_id):
    return Signature.select(
        Signature.id,
        Signature.session_id,
        Signature.part_index,
        Signature.half_day,
        Signature.participant_id,
        Signature.method,
        Signature.signed_at,
    ).where(Signature.session_id == str(session_id))


def signatures(session_id):
    """{(participant_id, part_index, half_day): Signature row without its image} of the session."""
    return {(r.participant_id, r.part_index, r.half_day): r for r in _signature_query(session_id)}


def signature(session_id, part_index, half_day, participant_id):
    return (
        _signature_query(session_id)
        .where(
            Signature.part_index == part_index,
            Signature.half_day == half_day,
            Signature.participant_id == str(participant_id),
        )
        .first()
    )


def signature_images(session_id):
    """[(participant_id, part_index, half_day, base64 PNG)] of the session."""
    query = Signature.select(Signature.participant_id, Signature.part_index, Signature.half_day, Signature.image)
    return [
        (r.participant_id, r.part_index, r.half_day, r.image)
        for r in query.where(Signature.session_id == str(session_id))
    ]


def drop_signature(session_id, part_index, half_day, participant_id):
    Signature.delete().where(
        Signature.session_id == str(session_id),
        Signature.part_index == part_index,
        Signature.half_day == half_day,
        Signature.participant_id == str(participant_id),
    ).execute()


# --- certificates --------------------------------------------------------------------------------
def certificate(session_id, participant_id):
    return (
        Certificate.select()
        .where(Certificate.session_id == str(session_id), Certificate.participant_id == str(participant_id))
        .first()
    )


def certificates_of_session(session_id):
    return {c.participant_id: c for c in Certificate.select().where(Certificate.session_id == str(session_id))}


def certificates_of(participant_id):
    return list(
        Certificate.select()
        .where(Certificate.participant_id == str(participant_id))
        .order_by(Certificate.issued_on, Certificate.id)
    )


def next_certificate_sequence(year):
    """The year's next number, under the year's key (two issues at once never share a number)."""
    lock_key(database, CERTIFICATE_YEAR, year)
    row = CertificateSequence.get_or_none(CertificateSequence.year == year)
    if row is None:
        row = CertificateSequence.create(year=year, last=0)
    row.last += 1
    row.save()
    return row.last


def sessions_of(session_ids):
    ids = list({str(s) for s in session_ids})
    return {s.id: s for s in _session_query().where(Session.id.in_(ids))} if ids else {}


# --- certificates: the evaluation of what was learned ----------------------------------------------
def evaluation(session_id, participant_id):
    return (
        Evaluation.select()
        .where(Evaluation.session_id == str(session_id), Evaluation.participant_id == str(participant_id))
        .first()
    )


def evaluations_of_session(session_id):
    """{participant_id: Evaluation} of the session."""
    return {e.participant_id: e for e in Evaluation.select().where(Evaluation.session_id == str(session_id))}


# --- funders' invoices, the BPF, the satisfaction questionnaire ---------------------------------
def funder_invoices_of(session_id):
    """The session's funders' invoices, in the order of their numbers."""
    return list(
        FunderInvoice.select().where(FunderInvoice.session_id == str(session_id)).order_by(FunderInvoice.number)
    )


def funder_invoice(invoice_id):
    return found(FunderInvoice.get_or_none(FunderInvoice.id == str(invoice_id)), "Facture introuvable.")


def take_funder_invoice_number(year):
    """The next number of the funders' series, inside the caller's write transaction."""
    return next_number(database, SERIES, year)


def sessions_ended_between(starts, ends):
    """The confirmed sessions whose last part ends in [starts, ends) (stored times), by their end."""
    return list(
        _session_query()
        .where(Session.status == SESSION_CONFIRMED, Session.ends_at >= starts, Session.ends_at < ends)
        .order_by(Session.ends_at, Session.id)
    )


def parts_by_session(session_ids):
    """{session id: [SessionPart in order]}."""
    known = {str(s): [] for s in session_ids}
    if known:
        query = SessionPart.select().where(SessionPart.session.in_(list(known))).order_by(SessionPart.part_index)
        for part in query:
            known[part.session_id].append(part)
    return known


def confirmed_by_session(session_ids):
    """{session id: [confirmed Enrolment in order of enrolment]}."""
    known = {str(s): [] for s in session_ids}
    if known:
        query = (
            Enrolment.select()
            .where(Enrolment.session.in_(list(known)), Enrolment.status == CONFIRMED)
            .order_by(Enrolment.created_at, Enrolment.id)
        )
        for row in query:
            known[row.session_id].append(row)
    return known


def marks_by_session(session_ids):
    """{session id: {participant_id: {(part_index, half_day): Attendance row}}}, as `marks` gives one."""
    known = {str(s): {} for s in session_ids}
    if known:
        for row in Attendance.select().where(Attendance.session_id.in_(list(known))):
            known[row.session_id].setdefault(row.participant_id, {})[(row.part_index, row.half_day)] = row
    return known


def funder_invoices_by_session(session_ids):
    known = {str(s): [] for s in session_ids}
    if known:
        query = FunderInvoice.select().where(FunderInvoice.session_id.in_(list(known))).order_by(FunderInvoice.number)
        for row in query:
            known[row.session_id].append(row)
    return known


def satisfaction_answer(session_id, participant_id):
    return (
        SatisfactionAnswer.select()
        .where(
            SatisfactionAnswer.session_id == str(session_id),
            SatisfactionAnswer.participant_id == str(participant_id),
        )
        .first()
    )


def satisfaction_answers(session_id):
    return list(
        SatisfactionAnswer.select()
        .where(SatisfactionAnswer.session_id == str(session_id))
        .order_by(SatisfactionAnswer.created_at, SatisfactionAnswer.id)
    )
