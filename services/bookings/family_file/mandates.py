"""A family's SEPA direct debit mandate: the family records the mandate it signed, reads it back
(masked) or revokes it; staff read it from the family's file. The pain.008 file itself is built from the month's
invoices by services/bookings/sepa/debits.py.

Recording: check the IBAN (schwifty, its keys), the BIC, the date (not in the future) -> lock the
family -> the active mandate, if any, is revoked (a new account or holder is a new mandate, with a
new reference: its first debit is a FRST again) -> the new one gets the family's next reference,
made once and never changed -> bookings.mandate_signed -> the answer, IBAN masked.
"""

from services.bookings.childcare import store as childcare_store
from services.bookings.domain import mandates
from services.bookings.family_file import presenters, store
from services.bookings.models import SepaMandate
from services.bookings.schemas.mandates import MandateIn
from services.bookings.sepa.accounts import bic_of, checked_bic, checked_iban
from shared import timeutil
from shared.broker_loss import rpc
from shared.commands import command
from shared.errors import Invalid, NotFound, load
from shared.timeutil import to_db

NO_MANDATE = "Aucun mandat de prélèvement SEPA n'est enregistré pour cette famille."


class MandateRpc:
    @command
    def sign_mandate(self, family_id, data):
        """The family records the SEPA mandate it signed: {iban, holder, signed_on, bic?}."""
        fields = load(MandateIn(), data)
        account = _checked(fields, timeutil.venue_today())
        now = timeutil.now_utc()
        with self.uow.atomic(exclusive=True):
            family = childcare_store.locked_family(family_id)
            previous = store.active_mandate(family)
            if previous:
                previous.active_family, previous.revoked_at = None, to_db(now)
                previous.save()
            number = store.last_mandate_number(family) + 1
            mandate = SepaMandate.create(
                family=family,
                active_family=family.id,
                reference=mandates.reference(family.id, number),
                number=number,
                signed_on=fields["signed_on"],
                **account,
            )
            self.uow.emit("bookings.mandate_signed", presenters.mandate_signed(mandate, previous))
        return presenters.mandate(mandate, self.settings.sepa)

    @command
    def revoke_mandate(self, family_id):
        """The family withdraws its active mandate (SEPA rulebook: the debtor may revoke at any
        time): invoices are no longer debited; 404 when there is none."""
        with self.uow.atomic(exclusive=True):
            family = childcare_store.locked_family(family_id)
            mandate = store.active_mandate(family)
            if mandate is None:
                raise NotFound(NO_MANDATE)
            mandate.active_family, mandate.revoked_at = None, to_db(timeutil.now_utc())
            mandate.save()
            self.uow.emit("bookings.mandate_revoked", presenters.mandate_revoked(mandate))
        return presenters.mandate(mandate, self.settings.sepa)

    @rpc
    def get_mandate(self, family_id):
        """The family's active mandate (IBAN masked), or 404."""
        family = childcare_store.family(family_id)
        mandate = store.active_mandate(family)
        if mandate is None:
            raise NotFound(NO_MANDATE)
        return presenters.mandate(mandate, self.settings.sepa)

    @rpc
    def mandate_terms(self, family_id):
        """What the mandate form shows: the creditor, the next reference, the active mandate or None."""
        family = childcare_store.family(family_id)
        next_reference = mandates.reference(family.id, store.last_mandate_number(family) + 1)
        return presenters.mandate_terms(store.active_mandate(family), next_reference, self.settings.sepa)


def _checked(fields, today):
    """{iban, bic, holder} normalised, or Invalid naming each wrong field in French."""
    errors = dict(mandates.signed_on_errors(fields["signed_on"], today))
    iban, error = checked_iban(fields["iban"])
    if error:
        errors["iban"] = [error]
    bic = None
    if fields.get("bic") and fields["bic"].strip():
        bic, error = checked_bic(fields["bic"])
        if error:
            errors["bic"] = [error]
    elif iban:
        bic = bic_of(iban)
    holder = " ".join(fields["holder"].split())
    if not holder:
        errors["holder"] = ["Le nom du titulaire du compte est obligatoire."]
    if errors:
        raise Invalid("Ce mandat ne peut pas être enregistré.", errors)
    return {"iban": iban, "bic": bic, "holder": holder}
