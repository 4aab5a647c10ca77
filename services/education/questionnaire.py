"""The satisfaction questionnaire at the end of a session (domain/satisfaction.py): a mixin of
EducationService. Each confirmed participant answers once, from the last part's day: a trainee
or a volunteer on their own pages, anyone else through the personal link staff send them (the
gateway signs it and names the participant; this service only checks the enrolment). Staff see
the results per session: counts per answer, the average, the comments without their authors,
and who has not answered yet."""

from services.education import presenters, store
from services.education.domain import room_saga, satisfaction
from services.education.models import SatisfactionAnswer
from services.education.schemas import SatisfactionIn
from shared import timeutil
from shared.broker_loss import rpc
from shared.commands import command
from shared.errors import Conflict, NotFound, load
from shared.timeutil import from_db, venue_zone

NOT_ENROLLED = "Aucune inscription confirmée de cette personne à cette session."
VIA = ("account", "link")


def _is_open(session, parts):
    today = timeutil.now_utc().astimezone(venue_zone()).date()
    return (
        session.status == room_saga.CONFIRMED
        and bool(parts)
        and satisfaction.can_answer(from_db(parts[-1].starts_at).date(), today)
    )


class SatisfactionSurvey:
    @rpc
    def satisfaction_form(self, session_id, participant_id):
        """What the participant's questionnaire page shows (404 for someone not confirmed there)."""
        session = store.session(session_id)
        enrolled = store.confirmed_participant(session, participant_id)
        if enrolled is None:
            raise NotFound(NOT_ENROLLED)
        answered = store.satisfaction_answer(session.id, participant_id) is not None
        return presenters.satisfaction_form(session, enrolled, _is_open(session, store.parts_of(session)), answered)

    @command
    def answer_satisfaction(self, session_id, participant_id, data, via="account"):
        """The participant's answers, once (a second answer is refused: 409)."""
        fields = load(SatisfactionIn(), data or {})
        with self.uow.atomic(exclusive=True):
            session = store.locked_session(session_id)
            enrolled = store.confirmed_participant(session, participant_id)
            if enrolled is None:
                raise NotFound(NOT_ENROLLED)
            if not _is_open(session, store.parts_of(session)):
                raise Conflict("Le questionnaire ouvre le jour de la dernière partie de la formation.")
            if store.satisfaction_answer(session.id, participant_id) is not None:
                raise Conflict("Vous avez déjà répondu à ce questionnaire : merci !")
            SatisfactionAnswer.create(
                session_id=session.id,
                participant_id=participant_id,
                participant_kind=enrolled.participant_kind,
                scores={key: fields[key] for key, _label in satisfaction.QUESTIONS},
                comment=(fields.get("comment") or "").strip(),
                answered_via=via if via in VIA else "account",
            )
        return self.satisfaction_form(session_id, participant_id)

    @rpc
    def satisfaction_results(self, session_id):
        session = store.session(session_id)
        is_open = _is_open(session, store.parts_of(session))
        return presenters.satisfaction_results(
            session, is_open, store.confirmed(session), store.satisfaction_answers(session.id)
        )
