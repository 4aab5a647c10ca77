"""Outcomes on a person's path (docs/placements-rules.md, "Outcomes"): staff record what happened
next to a person (a training started, a placement, a hire here, a job found elsewhere, back to
work), by their gateway account id, with the account's records as the gateway knew them.

`placements.outcome_recorded` tells bookings (a family back to work is no longer job-seeking:
its AVIP priority ends) in the same transaction; the free-text `detail` never leaves placements
(events carry ids only): it is in the person's RGPD export (`export_outcomes`) and blanked by
their erasure (`erase_outcomes`), the kind and the date staying under the pseudonymous account id.
"""

from services.placements.models import Outcome
from services.placements.schemas import OutcomeOut, RecordOutcomeIn
from shared import timeutil
from shared.broker_loss import rpc
from shared.commands import command
from shared.errors import Forbidden, load
from shared.pagination import PageQuery, page
from shared.timeutil import to_db

STAFF_ONLY = "Seule l'équipe peut noter la suite du parcours d'une personne."


# --- store --------------------------------------------------------------------------------------
ORDER = (Outcome.on, Outcome.recorded_at, Outcome.id)  # oldest first, by date then as recorded


def of_person(person_id):
    return Outcome.select().where(Outcome.person_id == str(person_id))


def outcomes_of_person(person_id):
    """The person's outcomes, oldest first."""
    return list(of_person(person_id).order_by(*ORDER))


def add_outcome(person_id, fields, recorded_by, recorded_at):
    return Outcome.create(
        person_id=str(person_id),
        subjects=[{"role": s["role"], "id": s["id"]} for s in fields["subjects"]],
        kind=fields["kind"],
        on=fields["on"],
        detail=fields["detail"],
        recorded_by=str(recorded_by),
        recorded_at=recorded_at,
    )


def erase_outcomes(account_id):
    """The person's erasure (services/placements/erasure.py): the free-text detail goes; the kind,
    the date and the account id (a pseudonymous key once the account is erased) stay for the
    pilot's counts. Returns how many rows were blanked."""
    if not account_id:
        return 0
    return Outcome.update(detail="").where(Outcome.person_id == str(account_id), Outcome.detail != "").execute()


def export_outcomes(account_id):
    """The person's outcomes in the RGPD export (services/placements/personal_data.py)."""
    return presented(outcomes_of_person(account_id)) if account_id else []


# --- presenters -----------------------------------------------------------------------------------
def presented(rows):
    return OutcomeOut(many=True).dump(rows)


def outcome_recorded(row):
    """placements.outcome_recorded: ids, the kind and the date; never the detail (free text)."""
    return {
        "person_id": row.person_id,
        "subjects": row.subjects,
        "outcome_id": row.id,
        "kind": row.kind,
        "on": row.on.isoformat(),
    }


# --- entrypoints ----------------------------------------------------------------------------------
class OutcomesRpc:
    """Mixed into PlacementsService."""

    @command
    def record_outcome(self, person_id, data, recorded_by):
        """Staff (`recorded_by`, their account id) record an outcome for the person of account
        `person_id`; `data`: kind, on (not after today), detail (optional), subjects."""
        fields = load(RecordOutcomeIn(), data)
        if not recorded_by:
            raise Forbidden(STAFF_ONLY)
        with self.uow.atomic():
            row = add_outcome(person_id, fields, recorded_by, to_db(timeutil.now_utc()))
            self.uow.emit("placements.outcome_recorded", outcome_recorded(row))
        return OutcomeOut().dump(row)

    @rpc
    def outcomes_of(self, person_id):
        """The person's outcomes (account id), oldest first: all of them (a person has a few)."""
        return presented(outcomes_of_person(person_id))

    @rpc
    def list_outcomes(self, person_id, query=None):
        """A page of the person's outcomes, oldest first (GET /api/v1/accounts/{id}/outcomes)."""
        found = page(of_person(person_id), ORDER, load(PageQuery(), query or {}))
        return found.answer(presented(found.rows))
