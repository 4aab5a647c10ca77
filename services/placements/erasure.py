"""The erasure of a trainee's data in placements (shared/erasure.py, docs/privacy.md).

What stays, under the pseudonym: placements with their dates, hours logged and validated, the
gratification paid and the attestations' dates (the convention and the gratification are kept for
the school and URSSAF). What goes: email, names, phone, the school referent's name and email, the
tasks and free text written in the logs and evaluations, and the detail of the outcomes recorded for
the account (services/placements/outcomes.py; their kind and date stay).


A beneficiary of PMSMP immersions (found by the account's id, whatever its role): their
immersions stay with their dates, object, prescriber's organisation, planned hours, status and
days present; their email, names and birth date go, with the objectives, activities, the
assessment's texts, the cancellation's reason and their own signature's name."""

from datetime import date

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


def beneficiary_person(beneficiary):
    return erasure.person(
        beneficiary.id,
        ids=[beneficiary.id],
        emails=[beneficiary.email],
        names=[f"{beneficiary.first_name} {beneficiary.last_name}"],
    )


def _erase_beneficiary(beneficiary, who):
    M.Beneficiary.update(
        email=erasure.pseudonym_email(beneficiary.id),
        first_name=who.pseudonym,
        last_name="",
        birth_date=ERASED_BIRTH_DATE,
    ).where(M.Beneficiary.id == beneficiary.id).execute()
    for row in M.Immersion.select().where(M.Immersion.beneficiary == beneficiary.id):
        signatures = dict(row.signatures or {})
        if "beneficiary" in signatures:
            signatures["beneficiary"] = {**signatures["beneficiary"], "name": who.pseudonym}
        assessment = row.assessment
        if assessment:
            assessment = {**assessment, "skills_observed": "", "next_steps": "", "comment": ""}
        M.Immersion.update(
            objectives="",
            activities="",
            assessment=assessment,
            signatures=signatures,
            cancel_reason=erasure.scrub_text(row.cancel_reason, who.scrubbed, who.pseudonym)
            if row.cancel_reason
            else None,
        ).where(M.Immersion.id == row.id).execute()


ERASED_BIRTH_DATE = date(1900, 1, 1)  # the column is required; an erased person keeps no birth date


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
        for beneficiary in M.Beneficiary.select().where(M.Beneficiary.person_id == payload["account_id"]):
            if not erasure.is_pseudonym(beneficiary.email):
                who = beneficiary_person(beneficiary)
                self.dead_letters(who.texts)
                _erase_beneficiary(beneficiary, who)
                erasure.purge_spine(M, who)
        self.uow.emit("placements.personal_data_erased", erasure.answer("placements", payload["erasure_id"]))
