"""Funders' invoices and the yearly BPF (docs/education-rules.md): a mixin of EducationService
(its `uow`, `settings`), as placements' TrainingCreditEvents is of PlacementsService.

- `issue_funder_invoices`: once the session's last part's day has come, one invoice per funder
  among the confirmed enrolments (self-funded learners left out), numbered in the series "FF"
  (shared/numbering.py) inside the session's lock; the first call issues them all, a later call
  answers the same invoices and issues nothing (domain/funder_invoices.py). An issued invoice
  is frozen (course, session, lines): a later correction of the attendance sheet does not change
  it (a credit note is out of scope).
- `bpf_report`: the year's figures from the sessions that ended in it (domain/bpf.py).

A participant's hours done are read as the attendance sheet reads them (`hours_done`): the marks
of the session's parts through domain/attendance.py.
"""

from datetime import datetime
from decimal import Decimal

from services.education import presenters, store
from services.education.attendance_sheet import hours_done
from services.education.domain import bpf, funder_invoices, room_saga
from services.education.models import FunderInvoice
from services.education.schemas import BpfYearIn
from shared import timeutil
from shared.broker_loss import rpc
from shared.commands import command
from shared.errors import Conflict, load
from shared.timeutil import from_db, to_db, venue_zone


def funder_name(enrolment_row):
    """The funder's name an enrolment gives, "" when it gives none (the funding kind alone)."""
    return (getattr(enrolment_row, "funder_name", "") or "").strip()


def _participants(parts, confirmed_rows, marks, lunch):
    return [
        funder_invoices.Participant(
            enrolment_id=row.id,
            participant_id=row.participant_id,
            participant_kind=row.participant_kind,
            name=row.name,
            funding=row.funding,
            funder_name=funder_name(row),
            hours=hours_done(parts, lunch, marks.get(row.participant_id, {}))[0],
        )
        for row in confirmed_rows
    ]


class FunderInvoicing:
    # --- funders' invoices ------------------------------------------------------------------------
    @command
    def issue_funder_invoices(self, session_id):
        """The session's funders' invoices, issued on the first call; later calls answer the same."""
        today = timeutil.now_utc().astimezone(venue_zone()).date()
        with self.uow.atomic(exclusive=True):
            session = store.locked_session(session_id)
            issued = store.funder_invoices_of(session.id)
            if issued:
                return presenters.funder_invoices(session.id, issued)
            if session.status != room_saga.CONFIRMED:
                raise Conflict("Cette session n'a pas eu lieu : pas de facture aux financeurs.")
            parts = store.parts_of(session)
            if not funder_invoices.can_invoice(from_db(parts[-1].starts_at).date(), today):
                raise Conflict(
                    "La formation n'est pas terminée : les financeurs sont facturés dès le jour de sa dernière partie."
                )
            course = session.course
            participants = _participants(
                parts, store.confirmed(session), store.marks(session.id), self.settings.lunch_break
            )
            rows = []
            for (funding, name), people in funder_invoices.groups(participants).items():
                lines = funder_invoices.lines(people, course.price, course.duration_hours)
                total = funder_invoices.total(lines)
                if total <= 0:
                    continue  # nobody of this funder did any hour: nothing to bill
                rows.append(
                    FunderInvoice.create(
                        session_id=session.id,
                        number=store.take_funder_invoice_number(today.year),
                        funding=funding,
                        funder_name=name,
                        issued_on=today,
                        hourly_price=funder_invoices.hourly_price(course.price, course.duration_hours),
                        total=total,
                        course=presenters.frozen_course(course),
                        session=presenters.frozen_session(session, parts, self.settings.lunch_break),
                        lines=presenters.funder_invoice_lines(lines),
                    )
                )
        return presenters.funder_invoices(session.id, rows)

    @rpc
    def session_funder_invoices(self, session_id):
        session = store.session(session_id)
        return presenters.funder_invoices(session.id, store.funder_invoices_of(session.id))

    @rpc
    def get_funder_invoice(self, invoice_id):
        return presenters.funder_invoice(store.funder_invoice(invoice_id))

    # --- the BPF ----------------------------------------------------------------------------------
    @rpc
    def bpf_report(self, year):
        year = load(BpfYearIn(), {"year": year})["year"]
        zone = venue_zone()
        starts = to_db(datetime(year, 1, 1, tzinfo=zone))
        ends = to_db(datetime(year + 1, 1, 1, tzinfo=zone))
        sessions = store.sessions_ended_between(starts, ends)
        ids = [s.id for s in sessions]
        parts = store.parts_by_session(ids)
        confirmed = store.confirmed_by_session(ids)
        marks = store.marks_by_session(ids)
        invoices = store.funder_invoices_by_session(ids)
        trainees = []
        for session in sessions:
            trainees += _trainees(
                session,
                parts[session.id],
                confirmed[session.id],
                marks[session.id],
                invoices[session.id],
                self.settings.lunch_break,
            )
        report = bpf.report(year, trainees)
        by_id = {s.id: s for s in sessions}
        not_invoiced = [
            {"id": sid, "title": by_id[sid].course.title, "ends_at": from_db(by_id[sid].ends_at).isoformat()}
            for sid in report.sessions_not_invoiced
        ]
        return presenters.bpf(report, len(sessions), not_invoiced)


def _trainees(session, parts, confirmed_rows, marks, invoices, lunch):
    """One bpf.Trainee per confirmed participant: hours from the sheet, income from the issued
    invoices' lines (or the course's price, self-funded)."""
    invoiced = {}
    for invoice in invoices:
        for item in invoice.lines:
            invoiced[item["enrolment_id"]] = invoiced.get(item["enrolment_id"], bpf.ZERO) + Decimal(item["amount"])
    found = []
    for row in confirmed_rows:
        hours = hours_done(parts, lunch, marks.get(row.participant_id, {}))[0]
        if row.funding == bpf.SELF_FUNDED:
            income, billed = bpf.self_funded_income(row.funding, hours, session.course.price), True
        else:
            income, billed = invoiced.get(row.id, bpf.ZERO), bool(invoices)
        found.append(
            bpf.Trainee(session.id, row.participant_id, row.participant_kind, row.funding, hours, income, billed)
        )
    return found
