"""The erasure of a person's data, owned by the team service (docs/privacy.md, docs/architecture.md
"Erasure"): the gateway asks `request_erasure`, this service publishes
`team.account_erasure_requested` from its outbox, gathers each service's
`<service>.personal_data_erased` and tells the gateway where it stands (`erasure_status`).

`ErasureHandlers` is the team service's own part: a staff member's profile anonymised."""

from marshmallow import Schema, fields

from services.team import models
from shared import erasure
from shared.broker_loss import rpc
from shared.commands import command
from shared.errors import NotFound, found, load
from shared.handlers import on_event
from shared.retention import RetentionPurge
from shared.timeutil import as_utc, db_now

ERASURE_NOT_FOUND = "Aucun effacement n'a été demandé sous cet identifiant."
ID_FIELDS = ("family_id", "volunteer_id", "trainee_id", "staff_id")


class ErasureIn(Schema):
    account_id = fields.String(required=True)
    role = fields.String(required=True)
    family_id = fields.String(load_default=None, allow_none=True)
    volunteer_id = fields.String(load_default=None, allow_none=True)
    trainee_id = fields.String(load_default=None, allow_none=True)
    staff_id = fields.String(load_default=None, allow_none=True)


def status_of(request, answers):
    """{erasure_id, account_id, status pending|complete, services: {service: answered_at or None}}."""
    answered = {a.service: as_utc(a.created_at).isoformat() for a in answers}
    services = {service: answered.get(service) for service in erasure.ERASURE_SERVICES}
    complete = all(services.values())
    return {
        "erasure_id": request.id,
        "account_id": request.account_id,
        "status": "complete" if complete else "pending",
        "requested_at": as_utc(request.created_at).isoformat(),
        "completed_at": as_utc(request.completed_at).isoformat() if request.completed_at else None,
        "services": services,
    }


def _answers(erasure_id):
    return list(models.ErasureAnswer.select().where(models.ErasureAnswer.erasure_id == erasure_id))


class ErasureOwner:
    """Mixed into TeamService: the erasure's one owner."""

    @command
    def request_erasure(self, erasure_id, data):
        """Publish the erasure of this account's person, once per erasure id (a repeat answers the
        status). The gateway checked the refusals (unpaid invoice, legal retention) before."""
        person = load(ErasureIn(), data)
        with self.uow.atomic(exclusive=True):
            request = models.ErasureRequest.get_or_none(models.ErasureRequest.id == erasure_id)
            if request is None:
                ids = {name: person[name] for name in ID_FIELDS if person.get(name)}
                request = models.ErasureRequest.create(
                    id=erasure_id, account_id=person["account_id"], role=person["role"], ids=ids
                )
                payload = {"erasure_id": erasure_id, "account_id": person["account_id"], "role": person["role"], **ids}
                self.uow.emit("team.account_erasure_requested", payload)
        return status_of(request, _answers(erasure_id))

    @rpc
    def erasure_status(self, erasure_id):
        request = found(models.ErasureRequest.get_or_none(models.ErasureRequest.id == erasure_id), ERASURE_NOT_FOUND)
        return status_of(request, _answers(erasure_id))

    @rpc
    def account_erasure(self, account_id):
        """The newest erasure of this account, or NotFound."""
        request = (
            models.ErasureRequest.select()
            .where(models.ErasureRequest.account_id == account_id)
            .order_by(models.ErasureRequest.created_at.desc())
            .first()
        )
        if request is None:
            raise NotFound(ERASURE_NOT_FOUND)
        return status_of(request, _answers(request.id))

    def _record_answer(self, event):
        payload = event["payload"]
        erasure_id = payload["erasure_id"]
        models.ErasureAnswer.insert(erasure_id=erasure_id, service=payload["service"]).on_conflict_ignore().execute()
        request = models.ErasureRequest.get_or_none(models.ErasureRequest.id == erasure_id)
        if request is not None and request.completed_at is None:
            if status_of(request, _answers(erasure_id))["status"] == "complete":
                request.completed_at = db_now()
                request.save()

    @on_event("bookings.personal_data_erased", exclusive=True)
    def bookings_erased(self, event):
        self._record_answer(event)

    @on_event("placements.personal_data_erased", exclusive=True)
    def placements_erased(self, event):
        self._record_answer(event)

    @on_event("volunteers.personal_data_erased", exclusive=True)
    def volunteers_erased(self, event):
        self._record_answer(event)

    @on_event("education.personal_data_erased", exclusive=True)
    def education_erased(self, event):
        self._record_answer(event)

    @on_event("team.personal_data_erased", exclusive=True)
    def team_erased(self, event):
        self._record_answer(event)

    @on_event("notifications.personal_data_erased", exclusive=True)
    def notifications_erased(self, event):
        self._record_answer(event)


class ErasureHandlers(RetentionPurge):
    """Mixed into TeamService: a staff member's profile under a pseudonym (the attestations'
    dates are kept: they prove the venue checked, CASF L133-6)."""

    dead_letters = erasure.DeadLetters()

    @on_event("team.account_erasure_requested")
    def erase_staff_member(self, event):
        payload = event["payload"]
        member = models.StaffMember.get_or_none(models.StaffMember.id == (payload.get("staff_id") or ""))
        if member is not None:
            who = erasure.person(
                member.id, ids=[member.id], emails=[member.email], names=[f"{member.first_name} {member.last_name}"]
            )
            self.dead_letters(who.texts)
            member.email = erasure.pseudonym_email(member.id)
            member.first_name, member.last_name, member.job_title = who.pseudonym, "", ""
            member.save()
            erasure.purge_spine(models, who)
        self.uow.emit("team.personal_data_erased", erasure.answer("team", payload["erasure_id"]))
