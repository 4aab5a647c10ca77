"""The placements service's part of the RGPD export (shared/personal_data.py): a trainee's record,
every attestation d'honorabilité recorded, every placement (its tutor's evaluation, changes and
gratification payments) with every hour log (who validated or rejected it, when) and the
training hours credited from education's sessions; a beneficiary's PMSMP immersions (found by
the account's id, whatever its role) with their attestations d'honorabilité; and the outcomes
staff recorded for the account (services/placements/outcomes.py, whatever its role). Read-only."""

from marshmallow import Schema, fields

from services.placements import store
from services.placements.immersions import presenters as immersion_presenters
from services.placements.immersions import store as immersion_store
from services.placements.models import Trainee, TraineeHonorability, TrainingCredit
from services.placements.outcomes import export_outcomes
from shared import honorability as honorability_rule
from shared import personal_data
from shared.broker_loss import rpc


class AttestationOut(Schema):
    id = fields.String()
    issued_on = fields.Date()
    verified_on = fields.Date()
    verified_by = fields.String()
    expires_on = fields.Date()


class TrainingCreditOut(Schema):
    session_id = fields.String()
    part_index = fields.Integer()
    half_day = fields.String()
    title = fields.String(allow_none=True)
    starts_at = fields.DateTime(allow_none=True)
    ends_at = fields.DateTime(allow_none=True)
    present = fields.Boolean()


class PersonalDataExport:
    @rpc
    def export_person(self, person):
        """{"trainee": the record (or None), "attestations", "placements": [{"placement", "logs"}],
        "training_credits", "immersions": [{"immersion", "attestations"}], "outcomes"}, each oldest first."""
        who = personal_data.person(person)
        trainee_id = personal_data.record_id(who, "trainee")
        trainee = Trainee.get_or_none(Trainee.id == trainee_id) if trainee_id else None
        immersions = immersions_of(who["account_id"])
        outcomes = export_outcomes(who["account_id"])
        if trainee is None:
            return {
                "trainee": None,
                "attestations": [],
                "placements": [],
                "training_credits": [],
                "immersions": immersions,
                "outcomes": outcomes,
            }
        return {
            "immersions": immersions,
            "outcomes": outcomes,
            "trainee": self.get_trainee(trainee.id),
            "attestations": attestations(trainee),
            "placements": [self.hour_sheet(p.id) for p in store.placements_of_trainee(trainee.id)],
            "training_credits": training_credits(trainee),
        }


def attestations(trainee):
    rows = TraineeHonorability.select().where(TraineeHonorability.trainee == trainee.id)
    return AttestationOut(many=True).dump(
        [
            {
                "id": row.id,
                "issued_on": row.issued_on,
                "verified_on": row.verified_on,
                "verified_by": row.verified_by,
                "expires_on": honorability_rule.expires_on(row.verified_on),
            }
            for row in rows.order_by(TraineeHonorability.verified_on, TraineeHonorability.id)
        ]
    )


def training_credits(trainee):
    rows = TrainingCredit.select().where(TrainingCredit.trainee_id == trainee.id)
    return TrainingCreditOut(many=True).dump(list(rows.order_by(TrainingCredit.starts_at, TrainingCredit.id)))


def immersions_of(account_id):
    """The person's immersions (by their account), each with their attestations d'honorabilité."""
    answer = []
    for row in immersion_store.immersions_of_person(account_id):
        rows = immersion_store.honorabilities_of(row.beneficiary_id)
        answer.append(
            {
                "immersion": immersion_presenters.immersion(row, rows[-1] if rows else None),
                "attestations": AttestationOut(many=True).dump(
                    [
                        {
                            "id": r.id,
                            "issued_on": r.issued_on,
                            "verified_on": r.verified_on,
                            "verified_by": r.verified_by,
                            "expires_on": honorability_rule.expires_on(r.verified_on),
                        }
                        for r in rows
                    ]
                ),
            }
        )
    return answer
