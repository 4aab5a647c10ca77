"""The immersions' entrypoints, mixed into PlacementsService: record a PMSMP convention, its
three signatures, the beneficiary's attestation d'honorabilité, the tutor's assessment, a
cancellation; read one, a page of them. Each emits its placements.immersion_* event inside its
transaction (docs/architecture.md's catalogue)."""

from services.placements.domain import immersion as rules
from services.placements.immersions import presenters, store
from services.placements.models import BeneficiaryHonorability, Immersion
from services.placements.schemas import (
    AssessmentIn,
    ImmersionIn,
    ImmersionQuery,
    ReasonIn,
    SignatureIn,
    TraineeHonorabilityIn,
)
from shared import honorability as honorability_rule
from shared import timeutil
from shared.broker_loss import rpc
from shared.commands import command
from shared.errors import Conflict, Forbidden, Invalid, NotFound, load

NOT_TUTOR = "Seul le tuteur ou la tutrice de cette immersion, ou la coordination, peut en faire le bilan."
SIGNED_ALREADY = "La convention est déjà signée par les trois parties : elle ne se signe plus."


def today():
    return timeutil.now_utc().astimezone(timeutil.venue_zone()).date()


class ImmersionEntrypoints:
    """Mixed into PlacementsService (its uow)."""

    @command
    def create_immersion(self, data, staff_id):
        """A PMSMP convention, agreed (signatures awaited): its rules are checked by ImmersionIn
        (one month, one object, the schedule's working time), the beneficiary's record made or
        brought up to date."""
        fields = load(ImmersionIn(), data)
        zone = timeutil.venue_zone()
        with self.uow.atomic(exclusive=True):
            beneficiary = store.beneficiary_record(fields)
            prescriber = fields["prescriber"]
            row = Immersion.create(
                beneficiary=beneficiary,
                person_id=fields["person_id"],
                subjects=fields["subjects"],
                prescriber_organisation=prescriber["organisation"],
                adviser_name=prescriber["adviser_name"],
                adviser_email=prescriber["adviser_email"].lower(),
                object=fields["object"],
                objectives=fields["objectives"],
                activities=fields["activities"],
                starts_on=fields["starts_on"],
                ends_on=fields["ends_on"],
                tutor_id=fields["tutor_id"],
                schedule=fields["schedule"],
                planned_hours=rules.planned_hours(fields["schedule"], fields["starts_on"], fields["ends_on"], zone),
                gratification=fields["gratification"],
                status=rules.AGREED,
                signatures={},
                created_by=str(staff_id),
            )
            self.uow.emit("placements.immersion_agreed", presenters.agreed(row))
        return self._immersion(row.id)

    @rpc
    def get_immersion(self, immersion_id, beneficiary_id=None):
        """One immersion; `beneficiary_id`: the beneficiary asking sees only their own (404)."""
        row = store.immersion(immersion_id)
        if beneficiary_id is not None and row.beneficiary_id != beneficiary_id:
            raise NotFound(store.NO_IMMERSION)
        return presenters.immersion(row, store.current_honorability(row.beneficiary_id))

    @rpc
    def list_immersions(self, query=None, beneficiary_id=None):
        found = store.immersions_page(load(ImmersionQuery(), query or {}), beneficiary_id)
        latest = {row.beneficiary_id: store.current_honorability(row.beneficiary_id) for row in found.rows}
        return found.answer(presenters.immersions(found.rows, latest))

    @command
    def sign_immersion(self, immersion_id, data):
        """One party's signature; the third makes the convention binding (status signed,
        placements.immersion_signed) only when the beneficiary's attestation d'honorabilité
        is valid from the first day to the last (409 otherwise, nothing recorded)."""
        fields = load(SignatureIn(), data)
        if fields["signed_on"] > today():
            raise Invalid(
                "La date de signature ne peut pas être dans le futur.",
                {"signed_on": ["Indiquez le jour où la convention a été signée."]},
            )
        with self.uow.atomic(exclusive=True):
            row = self._changeable(immersion_id)
            if row.status != rules.AGREED:
                raise Conflict(SIGNED_ALREADY)
            signatures = {
                **(row.signatures or {}),
                fields["signer"]: {"signed_on": fields["signed_on"].isoformat(), "name": fields["name"]},
            }
            last = rules.signed_on(signatures)
            if last is not None:
                self._refuse_uncleared(row)
                row.status, row.signed_on = rules.SIGNED, last
            row.signatures = signatures
            row.save()
            if last is not None:
                self.uow.emit("placements.immersion_signed", presenters.signed(row))
        return self._immersion(row.id)

    @command
    def record_beneficiary_honorability(self, immersion_id, data, staff_id):
        """The beneficiary's attestation d'honorabilité as staff verified it on the national
        platform (shared/honorability.py's rule, as for trainees)."""
        fields = load(TraineeHonorabilityIn(), data)
        errors = honorability_rule.recording_errors(fields["issued_on"], fields["verified_on"], today())
        if errors:
            raise Invalid("L'attestation n'a pas été enregistrée : corrigez les dates indiquées.", errors)
        with self.uow.atomic(exclusive=True):
            row = store.immersion(immersion_id)
            beneficiary = store.locked_beneficiary(row.beneficiary_id)
            BeneficiaryHonorability.create(beneficiary=beneficiary, verified_by=str(staff_id), **fields)
        return self._immersion(row.id)

    @command
    def assess_immersion(self, immersion_id, data, account_id, any_staff=False):
        """The tutor's assessment (or the coordination's, `any_staff`), once the immersion has
        begun; placements.immersion_assessed has notifications send it to the prescriber."""
        fields = load(AssessmentIn(), data)
        day = today()
        with self.uow.atomic(exclusive=True):
            row = self._changeable(immersion_id)
            if not any_staff and row.tutor_id != str(account_id):
                raise Forbidden(NOT_TUTOR)
            if row.status != rules.SIGNED:
                raise Conflict("Le bilan se fait une fois la convention signée par les trois parties.")
            if day < row.starts_on:
                raise Conflict(f"L'immersion commence le {row.starts_on:%d/%m/%Y} : son bilan se fait ensuite.")
            days = (row.ends_on - row.starts_on).days + 1
            if fields["days_present"] > days:
                raise Invalid(
                    "Le nombre de jours de présence dépasse la durée de l'immersion.",
                    {"days_present": [f"{days} jours au plus."]},
                )
            row.assessment = {**fields, "assessed_by": str(account_id)}
            row.status, row.assessed_on = rules.ASSESSED, day
            row.save()
            self.uow.emit("placements.immersion_assessed", presenters.assessed(row))
        return self._immersion(row.id)

    @command
    def cancel_immersion(self, immersion_id, data):
        reason = load(ReasonIn(), data)["reason"]
        with self.uow.atomic(exclusive=True):
            row = self._changeable(immersion_id)
            row.status, row.cancelled_on, row.cancel_reason = rules.CANCELLED, today(), reason
            row.save()
            self.uow.emit("placements.immersion_cancelled", presenters.cancelled(row))
        return self._immersion(row.id)

    # --- helpers ------------------------------------------------------------------------------
    def _immersion(self, immersion_id):
        row = store.immersion(immersion_id)
        return presenters.immersion(row, store.current_honorability(row.beneficiary_id))

    def _changeable(self, immersion_id):
        """The immersion, locked after its beneficiary; 409 once assessed or cancelled."""
        found = store.immersion(immersion_id)
        store.locked_beneficiary(found.beneficiary_id)
        row = store.locked_immersion(immersion_id)
        row.beneficiary = found.beneficiary
        if row.status in (rules.ASSESSED, rules.CANCELLED):
            raise Conflict("Cette immersion est terminée ou annulée : elle ne change plus.")
        return row

    def _refuse_uncleared(self, row):
        refusal = presenters.clearance_refusal(row, store.current_honorability(row.beneficiary_id))
        if refusal:
            raise Conflict(
                f"La convention ne peut pas être signée : {refusal}",
                {"honorability": [refusal]},
            )
