"""The education service's part of the RGPD export (shared/personal_data.py): a participant's
enrolments (contract or convention, payments), what the attendance sheets say of them with their
signatures, their certificates, the trainer's evaluations and their questionnaire answers.
Read-only."""

from marshmallow import Schema, fields

from services.education import presenters, store
from services.education.models import Attendance, Evaluation, SatisfactionAnswer, Signature
from services.education.schemas import SignatureOut
from shared import personal_data
from shared.broker_loss import rpc

PARTS = ("enrolments", "attendance", "signatures", "certificates", "evaluations", "questionnaire_answers")
PARTICIPANTS = ("trainee", "volunteer")  # the roles whose accounts enrol (gateway, api/education.py)


class SignatureExportOut(SignatureOut):
    image = fields.String()  # the drawn signature, base64 of its PNG


class AnswerOut(Schema):
    session_id = fields.String()
    scores = fields.Dict(keys=fields.String(), values=fields.Integer())
    comment = fields.String()
    answered_via = fields.String()
    created_at = fields.DateTime()


class PersonalDataExport:
    @rpc
    def export_person(self, person):
        """{"enrolments", "attendance", "signatures", "certificates", "evaluations",
        "questionnaire_answers"}: lists, empty for someone who never enrolled."""
        who = personal_data.person(person)
        participant_id = who["subject_id"] if who["role"] in PARTICIPANTS else None
        if not participant_id:
            return {name: [] for name in PARTS}
        return {
            "enrolments": [self.get_enrolment(row.id) for row in store.enrolments_of(participant_id)],
            "attendance": [presenters.attendance_out(row) for row in _of(Attendance, participant_id)],
            "signatures": SignatureExportOut(many=True).dump(_of(Signature, participant_id)),
            "certificates": self.participant_certificates(participant_id),
            "evaluations": evaluations(participant_id),
            "questionnaire_answers": AnswerOut(many=True).dump(_of(SatisfactionAnswer, participant_id)),
        }


def _of(model, participant_id):
    return list(model.select().where(model.participant_id == participant_id).order_by(model.created_at, model.id))


def evaluations(participant_id):
    rows = _of(Evaluation, participant_id)
    sessions = store.sessions_of(row.session_id for row in rows)
    return [presenters.evaluation(row, sessions[row.session_id].course) for row in rows if row.session_id in sessions]
