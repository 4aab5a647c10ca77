"""The erasure of a participant's data in education (shared/erasure.py, docs/privacy.md).

What stays, under the pseudonym: enrolments, attendance, signatures, certificates with their
numbers, hours and dates, payments and funders' invoices (the funders and the DREETS may check a
training's evidence: Code du travail L6362-5, the bilan pédagogique et financier). What goes: email,
names, employer's name, cancellation reasons and satisfaction comments."""

from services.education import models as M
from services.education.domain import erasure as rules
from services.education.domain.enrolment import LIVE
from shared import erasure
from shared.broker_loss import rpc
from shared.handlers import on_event
from shared.retention import RetentionPurge
from shared.timeutil import db_now


def participant_ids(ids):
    return [i for i in ((ids or {}).get("trainee_id"), (ids or {}).get("volunteer_id")) if i]


def participant_person(participant_id):
    enrolments = list(M.Enrolment.select().where(M.Enrolment.participant_id == participant_id))
    certificates = list(M.Certificate.select().where(M.Certificate.participant_id == participant_id))
    names = [e.name for e in enrolments] + [c.name for c in certificates]
    names += [e.employer_name for e in enrolments]
    return erasure.person(participant_id, ids=[participant_id], emails=[e.email for e in enrolments], names=names)


def _erase_participant(participant_id, pseudonym):
    M.Enrolment.update(name=pseudonym, email="", employer_name="", cancel_reason="").where(
        M.Enrolment.participant_id == participant_id
    ).execute()
    M.Certificate.update(name=pseudonym, employer_name="").where(
        M.Certificate.participant_id == participant_id
    ).execute()
    M.SatisfactionAnswer.update(comment="").where(M.SatisfactionAnswer.participant_id == participant_id).execute()


class ErasureHandlers(RetentionPurge):
    """Mixed into EducationService."""

    dead_letters = erasure.DeadLetters()

    @rpc
    def erasure_blockers(self, ids):
        people = participant_ids(ids)
        if not people:
            return []
        not_ended = (
            M.Enrolment.select()
            .join(M.Session)
            .where(M.Enrolment.participant_id.in_(people), M.Enrolment.status.in_(LIVE), M.Session.ends_at > db_now())
            .exists()
        )
        return rules.blockers(not_ended)

    @on_event("team.account_erasure_requested", exclusive=True)
    def erase_participant(self, event):
        payload = event["payload"]
        for participant_id in participant_ids(payload):
            who = participant_person(participant_id)
            self.dead_letters(who.texts)
            _erase_participant(participant_id, who.pseudonym)
            erasure.purge_spine(M, who)
        self.uow.emit("education.personal_data_erased", erasure.answer("education", payload["erasure_id"]))
