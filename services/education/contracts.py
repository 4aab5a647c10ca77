"""Learners' contracts (a base of EducationService): a self-funded learner accepts their contrat de
formation online, may withdraw within the period (a « rétractation », distinct from a
cancellation: status `retracted`, event `education.enrolment_retracted`, the place freed goes to
the waiting list), and staff record what they pay, never before the period ends, at most 30 % of
the agreed price until the session's last day. Rules in domain/contracts.py
(docs/education-rules.md, "Learners' contracts").

Who accepts: the learner themselves when they have an account (trainee, volunteer); staff on
behalf of a professional or an external person, who have none (after the signed contract came
back on paper or by email). Who withdraws: the learner, or staff on anyone's behalf (a
retraction received by letter, as L6353-5 describes it).
"""

from decimal import Decimal

from services.education import presenters, store
from services.education.domain import contracts, enrolment
from services.education.domain.enrolment import CONFIRMED, LIVE, RETRACTED, WAITLISTED
from services.education.models import EnrolmentPayment
from services.education.schemas import WITH_ACCOUNT, EnrolmentPaymentIn
from shared import timeutil
from shared.broker_loss import rpc
from shared.commands import command
from shared.errors import Conflict, Invalid, load
from shared.timeutil import as_utc, from_db, to_db, venue_zone

NOT_VALID = "Certains champs ne sont pas valides."
PARTICIPANT, STAFF = "participant", "staff"
FUNDING_WORDS = {
    "opco": "un OPCO",
    "cpf": "le CPF",
    "france_travail": "France Travail",
    "employer": "l'employeur",
    "self_funded": "la personne elle-même",
}


def refuse_funding(course, funding):
    """CPF only for a course leading to a registered certification (L6323-6): 422 on `funding`."""
    if funding == contracts.CPF and not contracts.cpf_allowed(course.certification_code):
        message = (
            "Cette formation ne mène pas à une certification enregistrée (RNCP ou RS) : le CPF ne peut pas la financer."
        )
        raise Invalid(NOT_VALID, {"funding": [message]})


class ContractEntrypoints:
    """Mixed into EducationService (uses its `uow` and `_promote`)."""

    @command
    def accept_contract(self, enrolment_id, participant_id=None):
        """The learner (`participant_id` given: only their own) or staff for one without an account.
        A second acceptance answers the same period."""
        now = timeutil.now_utc()
        session_id = store.enrolment(enrolment_id, participant_id).session_id
        with self.uow.atomic(exclusive=True):
            session = store.locked_session(session_id)
            row = store.locked_enrolment(enrolment_id)
            if not contracts.needs_contract(row.funding):
                raise Conflict(
                    f"Cette formation est financée par {FUNDING_WORDS.get(row.funding, row.funding)} : pas de contrat "
                    "de formation à accepter (le financeur signe une convention)."
                )
            if participant_id is None and row.participant_kind in WITH_ACCOUNT:
                raise Conflict("Cette personne a un compte : c'est elle qui lit et accepte son contrat en ligne.")
            if row.status not in LIVE:
                raise Conflict("Cette inscription a pris fin : il n'y a plus de contrat à accepter.")
            if row.contract_accepted_at is None:
                if not enrolment.is_open(as_utc(session.starts_at), now):
                    raise Conflict("La session a commencé : le contrat de formation se signe avant la formation.")
                row.contract_accepted_at = to_db(now)
                row.withdrawal_until = to_db(contracts.withdrawal_until(now, venue_zone()))
                row.contract_price = session.course.price
                row.contract_accepted_by = PARTICIPANT if participant_id is not None else STAFF
                row.save()
        return self._contract_answer(row, session)

    @command
    def retract_enrolment(self, enrolment_id, participant_id=None):
        """Within the withdrawal period, free: the enrolment ends as `retracted`; a confirmed place
        freed goes to the first waiting (before the start, as a cancellation)."""
        now = timeutil.now_utc()
        session_id = store.enrolment(enrolment_id, participant_id).session_id
        with self.uow.atomic(exclusive=True):
            session = store.locked_session(session_id)
            row = store.locked_enrolment(enrolment_id)
            if row.status == RETRACTED:
                raise Conflict("Cette inscription est déjà rétractée.")
            if row.status not in LIVE:
                raise Conflict("Cette inscription est annulée : il n'y a plus rien à rétracter.")
            if not contracts.needs_contract(row.funding) or row.contract_accepted_at is None:
                raise Conflict("Aucun contrat de formation n'est accepté pour cette inscription : annulez-la plutôt.")
            until = as_utc(row.withdrawal_until)
            if not contracts.can_withdraw(until, now):
                last_day = contracts.last_day_to_withdraw(until, venue_zone())
                raise Conflict(
                    f"Le délai de rétractation a pris fin le {last_day:%d/%m/%Y} à minuit : l'inscription peut "
                    "encore être annulée, aux conditions du contrat."
                )
            was_confirmed = row.status == CONFIRMED
            row.status, row.retracted_at = RETRACTED, to_db(now)
            row.save()
            self.uow.emit("education.enrolment_retracted", presenters.enrolment_retracted(row, session))
            if was_confirmed and enrolment.is_open(as_utc(session.starts_at), now):
                self._promote(session)
        return self._contract_answer(row, session)

    @command
    def record_payment(self, enrolment_id, data):
        """Staff record what a self-funded learner paid: {amount, paid_on} (L6353-6)."""
        fields = load(EnrolmentPaymentIn(), data)
        now = timeutil.now_utc()
        today = now.astimezone(venue_zone()).date()
        session_id = store.enrolment(enrolment_id).session_id
        with self.uow.atomic(exclusive=True):
            session = store.locked_session(session_id)
            row = store.locked_enrolment(enrolment_id)  # two payments at once are added one after the other
            if not contracts.needs_contract(row.funding):
                raise Conflict(
                    f"Cette formation est financée par {FUNDING_WORDS.get(row.funding, row.funding)} : elle est "
                    "facturée au financeur, pas payée par la personne."
                )
            if row.status != CONFIRMED:
                raise Conflict("Seule une inscription confirmée donne lieu à un paiement.")
            paid = store.payments_of([row.id])[row.id]
            last_day = from_db(session.ends_at).date()
            until = as_utc(row.withdrawal_until) if row.withdrawal_until else None
            refusal = contracts.payment_refusal(
                amount=fields["amount"],
                paid_on=fields["paid_on"],
                price=Decimal(row.contract_price if row.contract_price is not None else session.course.price),
                paid_until_the_end=sum((p.amount for p in paid if p.paid_on <= last_day), Decimal(0)),
                paid_in_all=sum((p.amount for p in paid), Decimal(0)),
                first_day_allowed=until.astimezone(venue_zone()).date() if until else None,
                last_day=last_day,
                today=today,
            )
            if refusal is not None:
                field, message = refusal
                if field == "paid_on":
                    raise Invalid(NOT_VALID, {field: [message]})
                raise Conflict(message, {field: [message]} if field != "_schema" else None)
            EnrolmentPayment.create(enrolment=row, amount=fields["amount"], paid_on=fields["paid_on"])
        return self._contract_answer(row, session)

    @rpc
    def get_enrolment(self, enrolment_id, participant_id=None):
        """One enrolment with its session and course (its contract or convention); with
        `participant_id`, only theirs (another's is not found)."""
        row = store.enrolment_with_session(enrolment_id, participant_id)
        session = row.session
        position = _position(session, row)
        payments = store.payments_of([row.id])[row.id]
        fields = self._session_fields(session)
        return presenters.enrolment_detail(row, position, fields, presenters.course(session.course), payments)

    def _contract_answer(self, row, session):
        return presenters.enrolment_out(row, _position(session, row), store.payments_of([row.id])[row.id])


def _position(session, row):
    if row.status != WAITLISTED:
        return None
    queue = [enrolment.Waiting(w.id, w.created_at) for w in store.waiting(session)]
    return enrolment.positions(queue).get(row.id)
