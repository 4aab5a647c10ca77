"""Certificates and the evaluation of what was learned (domain/certificates.py,
docs/education-rules.md).

A mixin of EducationService (its `uow`, `settings`, `_session_fields`): the attestation de fin de
formation and the certificat de réalisation for every participant with hours done (their real
hours, the assiduity mention from the threshold, their employer's name), and the trainer's
results per objective, recorded from the last part's day until the certificate is issued.
Locks as everywhere in the service: the session's row first.
"""

from services.education import presenters, store
from services.education.attendance_sheet import hours_done
from services.education.domain import attendance, certificates, room_saga
from services.education.models import Certificate, Evaluation
from services.education.schemas import LearningEvaluationIn
from shared import timeutil
from shared.broker_loss import rpc
from shared.commands import command
from shared.errors import Conflict, Invalid, NotFound, load
from shared.timeutil import from_db, to_db, venue_zone

NOT_VALID = "Certains champs ne sont pas valides."


def _today():
    return timeutil.now_utc().astimezone(venue_zone()).date()


def _ended(parts, today):
    """The last part's day has come (the end of the training, L6353-1) [practice]."""
    return bool(parts) and attendance.can_certify(from_db(parts[-1].starts_at).date(), today)


class CertificateEntrypoints:
    # --- certificates ----------------------------------------------------------------------------
    @command
    def issue_certificate(self, session_id, participant_id):
        """The attestation de fin de formation and the certificat de réalisation, numbered once: a
        second call answers the same numbers (and emits nothing). For every participant with
        hours done; none at 0 hours (409)."""
        today = _today()
        threshold = self.settings.attendance_threshold
        with self.uow.atomic(exclusive=True):
            session = store.locked_session(session_id)
            issued = store.certificate(session.id, participant_id)
            if issued is not None:
                return self._certificate(issued, session)
            enrolled = store.confirmed_participant(session, participant_id)
            if enrolled is None:
                raise NotFound("Aucune inscription confirmée de cette personne à cette session.")
            if session.status != room_saga.CONFIRMED:
                raise Conflict("Cette session n'a pas eu lieu : pas de certificat.")
            parts = store.parts_of(session)
            if not _ended(parts, today):
                raise Conflict(
                    "La formation n'est pas terminée : les certificats sont délivrés dès sa dernière partie."
                )
            hours, total = hours_done(parts, self.settings.lunch_break, store.marks(session.id).get(participant_id, {}))
            if not certificates.certifiable(hours):
                raise Conflict(
                    "Aucune heure suivie selon la feuille d'émargement : pas de certificat de réalisation "
                    "(vérifiez la feuille d'émargement)."
                )
            sequence = store.next_certificate_sequence(today.year)
            certificate = Certificate.create(
                session_id=session.id,
                participant_id=participant_id,
                participant_kind=enrolled.participant_kind,
                name=enrolled.name,
                employer_name=enrolled.employer_name or "",
                attestation_number=attendance.attestation_number(today.year, sequence),
                realisation_number=attendance.realisation_number(today.year, sequence),
                hours_attended=hours,
                session_hours=total,
                rate=certificates.rate(hours, total),
                assiduity=certificates.assiduous(hours, total, threshold),
                threshold=threshold,
                issued_on=today,
            )
            self.uow.emit("education.certificate_issued", presenters.certificate_issued(certificate))
            return self._certificate(certificate, session)

    @rpc
    def participant_certificates(self, participant_id):
        found = store.certificates_of(participant_id)
        sessions = store.sessions_of(c.session_id for c in found)
        return [self._certificate(c, sessions[c.session_id]) for c in found]

    def _certificate(self, certificate, session):
        evaluation = store.evaluation(session.id, certificate.participant_id)
        return presenters.certificate(certificate, session.course, self._session_fields(session), evaluation)

    # --- the evaluation of what was learned ----------------------------------------------------------
    @command
    def record_evaluation(self, session_id, data):
        """The trainer's result per objective of the course for one participant, from the last
        part's day; recording again replaces it (a new revision) until the certificate is issued."""
        fields = load(LearningEvaluationIn(), data)
        participant_id = fields["participant_id"]
        now = timeutil.now_utc()
        today = now.astimezone(venue_zone()).date()
        with self.uow.atomic(exclusive=True):
            session = store.locked_session(session_id)
            if session.status != room_saga.CONFIRMED:
                raise Conflict("Cette session n'a pas eu lieu : il n'y a rien à évaluer.")
            if not _ended(store.parts_of(session), today):
                raise Conflict("La formation n'est pas terminée : l'évaluation se fait dès sa dernière partie.")
            if store.confirmed_participant(session, participant_id) is None:
                message = "Cette personne n'a pas d'inscription confirmée à cette session."
                raise Invalid(message, {"participant_id": [message]})
            if store.certificate(session.id, participant_id) is not None:
                raise Conflict("Le certificat de cette personne est délivré : son évaluation ne peut plus changer.")
            objectives = certificates.objectives(session.course.objectives)
            problems = certificates.evaluation_errors(objectives, fields["results"])
            if problems:
                raise Invalid(NOT_VALID, {"results": problems})
            results = certificates.in_course_order(objectives, fields["results"])
            row = store.evaluation(session.id, participant_id)
            if row is None:
                row = Evaluation.create(
                    session_id=session.id, participant_id=participant_id, results=results, recorded_at=to_db(now)
                )
            elif row.results != results:
                row.results, row.revision, row.recorded_at = results, row.revision + 1, to_db(now)
                row.save()
        return presenters.evaluation(row, session.course)

    @rpc
    def evaluation_sheet(self, session_id):
        """The course's evaluation method and objectives, and each confirmed participant's results
        (null when not recorded), for the trainer's page."""
        session = store.session(session_id)
        evaluations = store.evaluations_of_session(session.id)
        issued = store.certificates_of_session(session.id)
        rows = []
        for row in store.confirmed(session):
            found = evaluations.get(row.participant_id)
            rows.append(
                {
                    "participant_id": row.participant_id,
                    "participant_kind": row.participant_kind,
                    "name": row.name,
                    "evaluation": presenters.evaluation_fields(found, session.course) if found else None,
                    "certificate_issued": row.participant_id in issued,
                }
            )
        is_open = session.status == room_saga.CONFIRMED and _ended(store.parts_of(session), _today())
        return presenters.evaluation_sheet(self._session_fields(session), session.course, is_open, rows)
