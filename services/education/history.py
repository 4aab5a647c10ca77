"""What education tells insights of its past (insights' one-time backfill, docs/insights-rules.md):
its facts from before insights existed, shaped as the events that told them (`{"name",
"occurred_at", "payload"}`: each payload holds the fields of its contract, without the course's
title), so insights logs them under the same dedupe keys as the live events. Read-only; kept
small: confirmed enrolments, each participant's latest attendance mark per half-day, and the
certificates (without their numbers)."""

from datetime import datetime, timezone

from services.education import presenters, store
from services.education.domain import half_days
from services.education.domain.enrolment import CONFIRMED
from services.education.models import TRAINER, Attendance, Certificate, Enrolment, Session
from shared.broker_loss import rpc
from shared.timeutil import as_utc

WITHOUT = ("title", "attestation_number", "realisation_number")  # a course's title, document numbers


def told(name, occurred_at, payload):
    kept = {field: value for field, value in payload.items() if field not in WITHOUT}
    return {"name": name, "occurred_at": as_utc(occurred_at).isoformat(), "payload": kept}


def attendance_history(lunch, start):
    marks = Attendance.select().where(Attendance.participant_id != TRAINER).order_by(Attendance.created_at)
    for mark in marks.where(Attendance.created_at >= start) if start else marks:
        session = Session.get_or_none(Session.id == mark.session_id)
        enrolled = Enrolment.get_or_none(
            (Enrolment.session == mark.session_id) & (Enrolment.participant_id == mark.participant_id)
        )
        parts = store.parts_of(session) if session else []
        if enrolled is None or mark.part_index >= len(parts):
            continue
        half = half_days.choose(presenters.halves_of(parts[mark.part_index], lunch), mark.half_day or None)
        if isinstance(half, str):  # a mark from before half-days whose part has two: not told
            continue
        yield told(
            "education.attendance_recorded",
            mark.created_at,
            presenters.attendance_recorded(mark, session, half, enrolled),
        )


class HistoryRpc:
    @rpc
    def history(self, since=None):
        """Event-shaped facts of the past, from `since` (an ISO time) when given."""
        start = datetime.fromisoformat(since).astimezone(timezone.utc).replace(tzinfo=None) if since else None
        enrolments = Enrolment.select().where(Enrolment.status == CONFIRMED).order_by(Enrolment.created_at)
        items = [
            told("education.enrolment_confirmed", row.created_at, presenters.enrolment_fact(row, row.session))
            for row in (enrolments.where(Enrolment.created_at >= start) if start else enrolments)
        ]
        items += attendance_history(self.settings.lunch_break, start)
        certificates = Certificate.select().order_by(Certificate.created_at)
        items += [
            told("education.certificate_issued", row.created_at, presenters.certificate_issued(row))
            for row in (certificates.where(Certificate.created_at >= start) if start else certificates)
        ]
        return items
