"""Who a training participant is, as their enrolment names them, for the one service that
writes to them, asked when an email leaves rather than copied into events (docs/architecture.md,
"Personal data travels by id"). A trainee or a volunteer is better asked of their own service
(placements, volunteers: their account's address); education holds the professionals' and
external people's. Read-only."""

from services.education.models import Enrolment
from shared.broker_loss import rpc

PARTICIPANT = "participant"


class ContactsRpc:
    @rpc
    def contact(self, kind, subject_id):
        """`("participant", participant id)` -> {email (may be ""), name, participant_kind}, from
        their newest enrolment; None for anyone this service does not know."""
        if kind != PARTICIPANT:
            return None
        enrolment = (
            Enrolment.select()
            .where(Enrolment.participant_id == str(subject_id))
            .order_by(Enrolment.created_at.desc(), Enrolment.id.desc())
            .first()
        )
        if enrolment is None:
            return None
        return {"email": enrolment.email, "name": enrolment.name, "participant_kind": enrolment.participant_kind}
