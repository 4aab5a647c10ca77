"""The attendance sheet (émargement) per half-day and its signatures (docs/education-rules.md;
domain/half_days.py, domain/signatures.py).

A mixin of EducationService (its `uow`, `settings`): a part is split into half-days at the
venue's lunch break; each confirmed participant and the trainer (participant_id "trainer") have
one mark per half-day. A participant signs for themselves, on the trainer's tablet or on their own
phone from the half-day's QR code (only while it runs); a signature records the presence. Staff
may still record « absent » or « présent, signature refusée » with a reason. Each change of a
participant's mark is a new revision, told to placements and volunteers with the half-day's times
and hours (`education.attendance_recorded`).
"""

import base64

from services.education import presenters, store
from services.education.domain import attendance, certificates, half_days, room_saga, signatures
from services.education.models import TRAINER, Attendance, Signature
from services.education.schemas import WITH_ACCOUNT, AttendanceIn, SignatureIn
from shared import timeutil
from shared.broker_loss import rpc
from shared.commands import command
from shared.errors import Conflict, Invalid, load
from shared.timeutil import from_db, to_db, venue_zone

NOT_VALID = "Certains champs ne sont pas valides."


def attended(units, own):
    """The positions (in `units`, presenters.session_half_days) of the half-days a person was
    present at; `own`: their {(part_index, half_day): Attendance row}."""
    return {
        position
        for position, (index, half) in enumerate(units)
        if (mark := own.get((index, half.name))) is not None and mark.present
    }


def hours_done(parts, lunch, own):
    """(hours attended, the session's hours) of one person from their marks `own` ({(part_index,
    half_day): Attendance row}): the half-days present, the lunch break excluded. The one count the
    sheet, the certificates, the funders' invoices and the BPF share."""
    domain = presenters.domain_parts(parts, lunch)
    present = attended(presenters.session_half_days(parts, lunch), own)
    return attendance.hours_attended(domain, present), attendance.session_hours(domain)


class AttendanceCalls:
    # --- staff marks ------------------------------------------------------------------------------
    @command
    def record_attendance(self, session_id, data):
        """One mark per participant (or the trainer) per half-day, from the part's day: present,
        absent, or present with a refused signature (`refusal_reason`). Absent or refused takes
        that half-day's signature away; the same mark again changes nothing."""
        fields = load(AttendanceIn(), data)
        present, reason = fields["present"], (fields["refusal_reason"] or "").strip()
        with self.uow.atomic(exclusive=True):
            session = store.locked_session(session_id)
            index, half, enrolled = self._who_and_when(session, fields)
            participant_id = fields["participant_id"]
            if not present or reason:
                store.drop_signature(session.id, index, half.name, participant_id)
            mark = self._mark(session, index, half, participant_id, present, reason, enrolled)
        return presenters.attendance_out(mark)

    def _who_and_when(self, session, fields):
        """(part index, HalfDay, the confirmed enrolment or None for the trainer) of a mark or a
        signature, or the refusal: the session confirmed, the part and half-day its own, its day
        come, the person confirmed."""
        if session.status == room_saga.CANCELLED:
            raise Conflict("Cette session est annulée : il n'y a pas d'émargement.")
        if session.status != room_saga.CONFIRMED:
            raise Conflict("La salle de cette session n'est pas confirmée : l'émargement attend la confirmation.")
        parts, index = store.parts_of(session), fields["part_index"]
        if index >= len(parts):
            raise Invalid(NOT_VALID, {"part_index": [f"Cette session n'a pas de partie n° {index + 1}."]})
        part = parts[index]
        half = half_days.choose(presenters.halves_of(part, self.settings.lunch_break), fields.get("half_day"))
        if isinstance(half, str):
            raise Invalid(half, {"half_day": [half]})
        today = timeutil.now_utc().astimezone(venue_zone()).date()
        if not attendance.day_has_come(from_db(part.starts_at).date(), today):
            message = "Cette partie n'a pas encore eu lieu : l'émargement s'ouvre le jour même."
            raise Conflict(message, {"part_index": [message]})
        enrolled = None
        if fields["participant_id"] != TRAINER:
            enrolled = store.confirmed_participant(session, fields["participant_id"])
            if enrolled is None:
                message = "Cette personne n'a pas d'inscription confirmée à cette session."
                raise Invalid(message, {"participant_id": [message]})
        return index, half, enrolled

    def _mark(self, session, index, half, participant_id, present, reason, enrolled):
        mark = store.attendance(session.id, index, half.name, participant_id)
        if mark is not None and mark.present == present and (mark.refusal_reason or "") == reason:
            return mark  # the same mark again: nothing changes
        if mark is None:
            mark = Attendance.create(
                session_id=session.id,
                part_index=index,
                half_day=half.name,
                participant_id=participant_id,
                present=present,
                refusal_reason=reason,
            )
        else:
            mark.present, mark.refusal_reason, mark.revision = present, reason, mark.revision + 1
            mark.save()
        if enrolled is not None:
            self.uow.emit(
                "education.attendance_recorded", presenters.attendance_recorded(mark, session, half, enrolled)
            )
        return mark

    # --- signatures -------------------------------------------------------------------------------
    @command
    def sign_attendance(self, session_id, data):
        """A person's own signature for a half-day (once): on the trainer's tablet, or on their
        phone (a trainee or a volunteer, only while the half-day runs). It records them present."""
        fields = load(SignatureIn(), data)
        image, problem = signatures.png_of(fields["image"])
        if problem:
            raise Invalid(problem, {"image": [problem]})
        now = timeutil.now_utc()
        with self.uow.atomic(exclusive=True):
            session = store.locked_session(session_id)
            index, half, enrolled = self._may_sign(session, fields, now)
            participant_id = fields["participant_id"]
            row = Signature.create(
                session_id=session.id,
                part_index=index,
                half_day=half.name,
                participant_id=participant_id,
                method=fields["method"],
                image=base64.b64encode(image).decode("ascii"),
                signed_at=to_db(now),
            )
            self._mark(session, index, half, participant_id, True, "", enrolled)
        return presenters.signature_out(row)

    def _may_sign(self, session, fields, now):
        index, half, enrolled = self._who_and_when(session, fields)
        if fields["method"] == signatures.PHONE:
            if enrolled is None or enrolled.participant_kind not in WITH_ACCOUNT:
                message = "Seuls les stagiaires et les bénévoles signent sur leur téléphone, avec leur compte."
                raise Invalid(message, {"participant_id": [message]})
            refusal = half_days.qr_refusal(half, now, venue_zone())
            if refusal:
                raise Conflict(refusal, {"half_day": [refusal]})
        if store.signature(session.id, index, half.name, fields["participant_id"]) is not None:
            message = "Cette personne a déjà signé pour cette demi-journée."
            raise Conflict(message, {"participant_id": [message]})
        return index, half, enrolled

    @rpc
    def signing(self, session_id, data):
        """What a signing page shows (the half-day, who signs), or the refusal a signature would
        get (outside the half-day on the phone, already signed…): {part_index, half_day,
        participant_id, method} as sign_attendance takes them, without the image."""
        fields = load(SignatureIn(), {**data, "image": "-"})
        session = store.session(session_id)
        index, half, enrolled = self._may_sign(session, fields, timeutil.now_utc())
        name = enrolled.name if enrolled is not None else session.course.trainer
        return presenters.signing(session, index, half, fields["participant_id"], name, False)

    @rpc
    def sheet_signatures(self, session_id):
        """The session's signature images, for the printed sheet: [{participant_id, part_index,
        half_day, image (base64 PNG)}]."""
        store.session(session_id)
        return [
            {"participant_id": who, "part_index": index, "half_day": half, "image": image}
            for who, index, half, image in store.signature_images(session_id)
        ]

    # --- the sheet --------------------------------------------------------------------------------
    @rpc
    def attendance_sheet(self, session_id):
        session = store.session(session_id)
        answer = self._session_fields(session)
        parts = store.parts_of(session)
        lunch = self.settings.lunch_break
        units = presenters.session_half_days(parts, lunch)
        domain_parts = presenters.domain_parts(parts, lunch)
        marks, signed = store.marks(session.id), store.signatures(session.id)
        issued = store.certificates_of_session(session.id)
        evaluations = store.evaluations_of_session(session.id)
        threshold = self.settings.attendance_threshold
        total = attendance.session_hours(domain_parts)

        def marks_of(participant_id):
            own = marks.get(participant_id, {})
            return own, [
                presenters.mark_fields(own.get((i, h.name)), signed.get((participant_id, i, h.name))) for i, h in units
            ]

        rows = []
        for row in store.confirmed(session):
            own, shown = marks_of(row.participant_id)
            present = attended(units, own)
            hours = attendance.hours_attended(domain_parts, present)
            certificate = issued.get(row.participant_id)
            rows.append(
                {
                    "enrolment_id": row.id,
                    "participant_id": row.participant_id,
                    "participant_kind": row.participant_kind,
                    "name": row.name,
                    "marks": shown,
                    "hours_attended": hours,
                    "rate": attendance.rate(domain_parts, present),
                    "eligible": certificates.certifiable(hours),
                    "assiduity": certificates.assiduous(hours, total, threshold),
                    "certificate": (
                        presenters.certificate_fields(
                            certificate, session.course, answer, evaluations.get(row.participant_id)
                        )
                        if certificate
                        else None
                    ),
                }
            )
        return presenters.sheet(answer, units, marks_of(TRAINER)[1], rows)
