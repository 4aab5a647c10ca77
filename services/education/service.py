"""Education service: continuing education courses, their sessions, enrolments, attendance sheets
(émargement) and certificates (docs/education-rules.md).

Thin entrypoints: load (store, locking what changes) -> check with the domain -> change -> record
the event -> present (presenters). Locks: a session's row before its enrolments and marks, so a
session's places, its waiting list and its sheet are decided one call at a time.

The room is asked of bookings by events (domain/room_saga.py): planning or a retry emits
`education.room_reservation_requested` with the session's request number; bookings answers with
`bookings.room_reserved` or `bookings.room_reservation_refused`, echoing it. An answer for an older
request, a second answer, or one arriving after the cancellation changes nothing; a timer marks a
session `waiting` when no answer came in time.
"""

from datetime import timedelta

from nameko.timer import Timer

from services.education import models, presenters, store
from services.education import settings as education_settings
from services.education.attendance_sheet import AttendanceCalls
from services.education.certification import CertificateEntrypoints
from services.education.contacts import ContactsRpc
from services.education.contracts import ContractEntrypoints, refuse_funding
from services.education.domain import enrolment, planning, room_saga
from services.education.domain.enrolment import CANCELLED, CONFIRMED, RETRACTED, WAITLISTED
from services.education.erasure import ErasureHandlers
from services.education.funders import FunderInvoicing
from services.education.history import HistoryRpc
from services.education.models import Course, Enrolment
from services.education.personal_data import PersonalDataExport
from services.education.questionnaire import SatisfactionSurvey
from services.education.schemas import (
    WITH_ACCOUNT,
    CancelIn,
    CourseIn,
    CourseQuery,
    EnrolIn,
    EnrolmentQuery,
    RetryIn,
    SessionIn,
    SessionQuery,
)
from services.education.settings import Settings
from shared import timeutil
from shared.broker_loss import rpc
from shared.commands import command
from shared.errors import Conflict, Invalid, load
from shared.handlers import on_event
from shared.logs import CorrelationId
from shared.models import new_id
from shared.pagination import PageQuery, page_of_list
from shared.timeutil import as_utc, to_db, venue_zone
from shared.unit_of_work import UnitOfWork

NOT_VALID = "Certains champs ne sont pas valides."
BY_PARTICIPANT, BY_STAFF = "Annulée par la personne inscrite.", "Annulée par l'équipe."


class RoomTimer(Timer):
    """nameko's timer, every few seconds of the saga's timeout (read from the settings at start)."""

    def setup(self):
        self.interval = sweep_seconds(education_settings.load().room_timeout_seconds)


def sweep_seconds(timeout):
    """How often planned sessions are checked: a quarter of the timeout, between 1 and 10 s."""
    return max(1, min(10, timeout // 4))


class EducationService(
    AttendanceCalls,
    CertificateEntrypoints,
    ContactsRpc,
    ContractEntrypoints,
    HistoryRpc,
    FunderInvoicing,
    PersonalDataExport,
    SatisfactionSurvey,
    ErasureHandlers,
):
    name = "education"

    correlation_id = CorrelationId()
    uow = UnitOfWork(models.database, "education", models.Outbox, models.Inbox)
    settings = Settings()

    @rpc
    def health(self):
        return self.uow.health(self.name)

    # --- courses ---------------------------------------------------------------------------------
    @command
    def create_course(self, data):
        fields = load(CourseIn(), data)
        fields["funding"] = list(dict.fromkeys(fields["funding"]))  # each once, in the order given
        fields["certification_code"] = fields.get("certification_code") or ""
        with self.uow.atomic(exclusive=True):
            course = Course.create(**fields)
        return presenters.course(course)

    @rpc
    def get_course(self, course_id):
        return presenters.course(store.course(course_id))

    @rpc
    def list_courses(self, query=None):
        found = store.courses(load(CourseQuery(), query or {}))
        return found.answer(presenters.courses(found.rows))

    # --- sessions --------------------------------------------------------------------------------
    @command
    def plan_session(self, data):
        fields = load(SessionIn(), data)
        now = timeutil.now_utc()
        parts = planning.sorted_parts([(p["starts_at"], p["ends_at"]) for p in fields["parts"]])
        problems = planning.part_errors(parts, now, venue_zone())
        if problems:
            raise Invalid(NOT_VALID, problems)
        with self.uow.atomic(exclusive=True):
            course = Course.get_or_none(Course.id == str(fields["course_id"]))
            if course is None:
                raise Invalid(NOT_VALID, {"course_id": ["Aucune formation avec cet identifiant."]})
            session = store.add_session(course, fields, parts, now)
            part_rows = store.parts_of(session)
            self.uow.emit("education.session_planned", presenters.session_planned(session, part_rows))
            self.uow.emit("education.room_reservation_requested", presenters.room_requested(session, part_rows))
        return self._session(session, now)

    @rpc
    def get_session(self, session_id):
        return self._session(store.session(session_id))

    @rpc
    def list_sessions(self, query=None):
        now = timeutil.now_utc()
        found = store.sessions(load(SessionQuery(), query or {}), now)
        facts = store.facts(found.rows)
        return found.answer(
            presenters.sessions(found.rows, facts, now, self.settings.minimum_warning_days, self.settings.lunch_break)
        )

    def _session(self, session, now=None):
        return presenters.session(*self._session_args(session, now))

    def _session_fields(self, session, now=None):
        return presenters.session_fields(*self._session_args(session, now))

    def _session_args(self, session, now):
        return (
            session,
            store.facts([session])[session.id],
            now or timeutil.now_utc(),
            self.settings.minimum_warning_days,
            self.settings.lunch_break,
        )

    @command
    def retry_room(self, session_id, data=None):
        """Ask again (the same room, or another) after a refusal or a timeout: a new request number."""
        room_id = load(RetryIn(), data or {})["room_id"]
        now = timeutil.now_utc()
        with self.uow.atomic(exclusive=True):
            session = store.locked_session(session_id)
            if not room_saga.can_retry(session.status):
                message = (
                    "Seule une session dont la salle a été refusée ou attend toujours une réponse peut être relancée."
                )
                raise Conflict(message, {"room_id": [message]})
            if not enrolment.is_open(as_utc(session.starts_at), now):
                message = "La session a déjà commencé : planifiez-en une nouvelle."
                raise Conflict(message, {"room_id": [message]})
            session.room_id = room_id or session.room_id
            session.request += 1
            session.status, session.refusal_reason, session.room_name = room_saga.PLANNED, "", None
            session.requested_at = to_db(now)
            session.save()
            self.uow.emit(
                "education.room_reservation_requested",
                presenters.room_requested(session, store.parts_of(session)),
            )
        return self._session(session, now)

    @command
    def cancel_session(self, session_id, data):
        """The session will not take place: bookings releases the room; each live enrolment is cancelled."""
        reason = load(CancelIn(), data)["reason"]
        now = timeutil.now_utc()
        with self.uow.atomic(exclusive=True):
            session = store.locked_session(session_id)
            if not room_saga.can_cancel(session.status):
                raise Conflict("Cette session est déjà annulée.")
            if not enrolment.is_open(as_utc(session.starts_at), now):
                raise Conflict("La session a commencé : elle ne peut plus être annulée.")
            session.status, session.cancel_reason = room_saga.CANCELLED, reason
            session.save()
            self.uow.emit("education.session_cancelled", presenters.session_cancelled(session))
            for row in store.live_enrolments(session):
                self._cancel_enrolment(row, session, reason)
        return self._session(session, now)

    # --- the room saga (bookings' answers) -----------------------------------------------------------
    @on_event("bookings.room_reserved", exclusive=True)
    def room_reserved(self, event):
        p = event["payload"]
        session = store.locked_session_or_none(p["session_id"])
        if session is None:
            return  # not one of ours
        status = room_saga.on_answer(session.status, session.request, p["request"], reserved=True)
        if status == session.status:
            return  # an older request's answer, a duplicate, or a cancelled session: nothing changes
        session.status, session.room_name, session.refusal_reason = status, p["room_name"], ""
        session.save()
        self.uow.emit("education.session_confirmed", presenters.session_confirmed(session, store.parts_of(session)))

    @on_event("bookings.room_reservation_refused", exclusive=True)
    def room_refused(self, event):
        p = event["payload"]
        session = store.locked_session_or_none(p["session_id"])
        if session is None:
            return
        status = room_saga.on_answer(session.status, session.request, p["request"], reserved=False)
        if status == session.status:
            return
        session.status, session.refusal_reason, session.room_name = status, p["reason"], None
        session.save()
        self.uow.emit("education.session_room_refused", presenters.session_room_refused(session))

    @RoomTimer.decorator(interval=10)  # the interval is set at start from the settings (RoomTimer.setup)
    def mark_waiting(self):
        """Planned sessions whose room has had no answer within the timeout become `waiting` (staff
        may retry; a late answer to the same request still settles it)."""
        timeout = self.settings.room_timeout_seconds
        now = timeutil.now_utc()
        marked = []
        for session_id in store.overdue_sessions(room_saga.PLANNED, to_db(now - timedelta(seconds=timeout))):
            with self.uow.atomic(exclusive=True):
                session = store.locked_session_or_none(session_id)
                if session is None:
                    continue
                waited = (now - as_utc(session.requested_at)).total_seconds()
                if not room_saga.timed_out(session.status, waited, timeout):
                    continue  # answered, or retried, meanwhile
                session.status = room_saga.WAITING
                session.save()
            marked.append(session_id)
        return marked

    # --- enrolments ------------------------------------------------------------------------------
    @command
    def enrol(self, session_id, data):
        fields = load(EnrolIn(), data)
        kind = fields["participant_kind"]
        now = timeutil.now_utc()
        with self.uow.atomic(exclusive=True):
            session = store.locked_session(session_id)  # its places, decided one call at a time
            _refuse_enrolment(session, now)
            refuse_funding(session.course, fields["funding"])
            if kind in WITH_ACCOUNT:
                participant_id, field = fields["participant_id"], "participant_id"
                twin = store.live_enrolment(session, participant_id=participant_id)
            else:
                participant_id, field = new_id(), "email"
                twin = store.live_enrolment(session, email=fields["email"])
            if twin is not None:
                message = "Cette personne est déjà inscrite à cette session (ou sur sa liste d'attente)."
                raise Conflict(message, {field: [message]})
            status = enrolment.decide(session.capacity, store.count(session, CONFIRMED))
            row = Enrolment.create(
                session=session,
                participant_kind=kind,
                participant_id=participant_id,
                name=fields["name"].strip(),
                email=(fields["email"] or "").strip(),
                funding=fields["funding"],
                status=status,
                employer_name=(fields["employer_name"] or "").strip(),
                funder_name=(fields["funder_name"] or "").strip(),
                agreement_number=(fields["agreement_number"] or "").strip(),
            )
            position = None
            if status == CONFIRMED:
                self.uow.emit(
                    "education.enrolment_confirmed", {**presenters.enrolment_fact(row, session), "promoted": False}
                )
            else:
                position = _positions(session)[row.id]
                self.uow.emit(
                    "education.enrolment_waitlisted", {**presenters.enrolment_fact(row, session), "position": position}
                )
        return presenters.enrolment_out(row, position)

    @command
    def cancel_enrolment(self, enrolment_id, participant_id=None):
        """Staff cancel anyone's; a participant (`participant_id` given) only their own (another's is
        not found). A confirmed place freed goes to the first on the waiting list."""
        now = timeutil.now_utc()
        session_id = store.enrolment(enrolment_id, participant_id).session_id
        with self.uow.atomic(exclusive=True):
            session = store.locked_session(session_id)
            row = store.locked_enrolment(enrolment_id)
            if row.status == CANCELLED:
                raise Conflict("Cette inscription est déjà annulée.")
            if row.status == RETRACTED:
                raise Conflict("Cette inscription a pris fin par une rétractation.")
            if not enrolment.is_open(as_utc(session.starts_at), now):
                raise Conflict("La session a commencé : l'inscription ne peut plus être annulée ; prévenez l'équipe.")
            was_confirmed = row.status == CONFIRMED
            self._cancel_enrolment(row, session, BY_PARTICIPANT if participant_id is not None else BY_STAFF)
            if was_confirmed:
                self._promote(session)
        return presenters.enrolment_out(row)

    def _cancel_enrolment(self, row, session, reason):
        row.status, row.cancel_reason = CANCELLED, reason
        row.save()
        self.uow.emit("education.enrolment_cancelled", {**presenters.enrolment_fact(row, session), "reason": reason})

    def _promote(self, session):
        waiting = {row.id: row for row in store.waiting(session)}
        queue = [enrolment.Waiting(row.id, row.created_at) for row in waiting.values()]
        for enrolment_id in enrolment.next_to_promote(queue, session.capacity, store.count(session, CONFIRMED)):
            row = waiting[enrolment_id]
            row.status = CONFIRMED
            row.save()
            self.uow.emit(
                "education.enrolment_confirmed", {**presenters.enrolment_fact(row, session), "promoted": True}
            )

    @rpc
    def list_enrolments(self, session_id, query=None):
        q = load(EnrolmentQuery(), query or {})
        session = store.session(session_id)
        found = store.enrolments(session, q)
        payments = store.payments_of(row.id for row in found.rows)
        return found.answer(presenters.enrolments(found.rows, _positions(session), payments))

    @rpc
    def list_participant_enrolments(self, participant_id, query=None):
        """A person's own enrolments, each with its session, by the session's start: the whole
        list without `query` (the pages), a page {"items", "next_cursor"} with one (the API's
        `limit`, `cursor`)."""
        rows = store.enrolments_of(participant_id)
        if query is None:
            return self._participant_enrolments(rows)
        found = page_of_list(rows, _enrolment_key, load(PageQuery(), query))
        return found.answer(self._participant_enrolments(found.rows))

    def _participant_enrolments(self, rows):
        sessions = {row.session.id: row.session for row in rows}
        facts = store.facts(list(sessions.values()))
        now = timeutil.now_utc()
        days = self.settings.minimum_warning_days
        lunch = self.settings.lunch_break
        answers = {sid: presenters.session_fields(s, facts[sid], now, days, lunch) for sid, s in sessions.items()}
        positions = {}
        for sid, s in sessions.items():
            if any(r.session.id == sid and r.status == WAITLISTED for r in rows):
                positions.update(_positions(s))
        payments = store.payments_of(r.id for r in rows)
        return [
            presenters.participant_enrolment(r, positions.get(r.id), answers[r.session.id], payments[r.id])
            for r in rows
        ]


def _refuse_enrolment(session, now):
    """Enrolment is open while the session is confirmed and has not started."""
    if session.status == room_saga.CANCELLED:
        raise Conflict("Cette session est annulée : les inscriptions sont fermées.")
    if session.status != room_saga.CONFIRMED:
        raise Conflict(
            "La salle de cette session n'est pas encore confirmée : les inscriptions ouvrent à sa confirmation."
        )
    if not enrolment.is_open(as_utc(session.starts_at), now):
        raise Conflict("La session a commencé : les inscriptions sont closes.")


def _enrolment_key(row):
    """store.enrolments_of's order, as a cursor can carry it."""
    return (row.session.starts_at.isoformat(), row.created_at.isoformat(), row.id)


def _positions(session):
    """{enrolment id: place on the session's waiting list} (1 = next)."""
    return enrolment.positions([enrolment.Waiting(row.id, row.created_at) for row in store.waiting(session)])
