"""The erasure of a trainee's data in placements (shared/erasure.py, docs/privacy.md).

What stays, under the pseudonym: placements with their dates, hours logged and validated, the
gratification paid and the attestations' dates (the convention and the gratification are kept for
the school and URSSAF). What goes: email, names, phone, the school referent's name and email, the
tasks and free text written in the logs and evaluations, and the detail of the outcomes recorded for
the account (services/placements/outcomes.py; their kind and date stay)."""

from services.placements import models as M
from services.placements.domain import erasure as rules
from services.placements.domain.lifecycle import ACTIVE, PLANNED
from services.placements.outcomes import erase_outcomes
from shared import erasure
from shared.broker_loss import rpc
from shared.handlers import on_event
from shared.retention import RetentionPurge


def trainee_person(trainee):
    return erasure.person(
        trainee.id,
        ids=[trainee.id],
        emails=[trainee.email, trainee.referent_email],
        names=[f"{trainee.first_name} {trainee.last_name}", trainee.referent_name],
        phones=[trainee.phone],
    )


def _erase_trainee(trainee, who):
    M.Trainee.update(
        email=erasure.pseudonym_email(trainee.id),
        first_name=who.pseudonym,
        last_name="",
        phone=None,
        referent_name=None,
        referent_email=None,
    ).where(M.Trainee.id == trainee.id).execute()
    placements = M.Placement.select(M.Placement.id).where(M.Placement.trainee == trainee.id)
    M.HourLog.update(tasks="").where(M.HourLog.placement.in_(placements)).execute()
    M.Placement.update(evaluation=None).where(
        M.Placement.trainee == trainee.id, M.Placement.evaluation.is_null(False)
    ).execute()
    for change in M.PlacementChange.select().where(M.PlacementChange.placement.in_(placements)):
        M.PlacementChange.update(
            reason=erasure.scrub_text(change.reason, who.scrubbed, who.pseudonym),
            changes=erasure.scrub_json(change.changes, who.scrubbed, who.pseudonym),
        ).where(M.PlacementChange.id == change.id).execute()


class ErasureHandlers(RetentionPurge):
    """Mixed into PlacementsService."""

    dead_letters = erasure.DeadLetters()

    @rpc
    def erasure_blockers(self, ids):
        trainee_id = (ids or {}).get("trainee_id")
        if not trainee_id:
            return []
        running = (
            M.Placement.select()
            .where(M.Placement.trainee == trainee_id, M.Placement.status.in_([PLANNED, ACTIVE]))
            .exists()
        )
        return rules.blockers(running)

    @on_event("team.account_erasure_requested", exclusive=True)
    def erase_trainee(self, event):
        payload = event["payload"]
        trainee = M.Trainee.get_or_none(M.Trainee.id == (payload.get("trainee_id") or ""))
        if trainee is not None and not erasure.is_pseudonym(trainee.email):
            who = trainee_person(trainee)
            self.dead_letters(who.texts)
            _erase_trainee(trainee, who)
            erasure.purge_spine(M, who)
        erase_outcomes(payload.get("account_id"))  # any role: outcomes are kept by account id
        self.uow.emit("placements.personal_data_erased", erasure.answer("placements", payload["erasure_id"]))
