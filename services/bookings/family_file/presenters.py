"""What the family file answers and tells: the families found, a corrected file with the bookings
repriced, a child's walking with the bookings that followed, the history, and the payload of
family_file_corrected."""

from services.bookings.childcare.presenters import shown_child, shown_family
from services.bookings.presenting import Shown
from services.bookings.schemas.childcare import FamilyOut
from services.bookings.schemas.family_file import ChildWalkingOut, FamilyChangeOut, FamilyFileOut
from services.bookings.schemas.mandates import MandateOut, MandateTermsOut
from shared import timeutil


def families(families, children, settings):
    """`children`: store.children_of_families(families), {family id: [Child]}."""
    return FamilyOut(many=True).dump([shown_family(f, children[f.id], settings) for f in families])


def family_file(family, children, repriced, settings):
    """After a correction: the family and `repriced`, [(Booking, hourly rate before)]."""
    shown = [Shown(b, hourly_rate_before=before) for b, before in repriced]
    return FamilyFileOut().dump(Shown(shown_family(family, children, settings), bookings_repriced=shown))


def child_walking(child, settings, updated, to_review):
    """After staff set the walking status: `updated` booking ids, `to_review` [(Booking, reason, message)]."""
    review = [Shown(b, reason=reason, message=message) for b, reason, message in to_review]
    return ChildWalkingOut().dump(
        Shown(shown_child(child, settings), bookings_updated=updated, bookings_to_review=review)
    )


def family_history(changes):
    return FamilyChangeOut(many=True).dump(changes)


def family_file_corrected(family_id, changes, changed_by, child_id=None, effective_on=None):
    """`changes`: [(field, before, after)] (domain.family_file.changes); `effective_on`: the day a
    correction of the fee figures applies from, when staff gave one."""
    return {
        "family_id": family_id,
        "changed_fields": [name for name, _before, _after in changes],
        "changed_by": changed_by,
        "child_id": child_id,
        "effective_on": effective_on.isoformat() if effective_on else None,
    }


# --- SEPA mandates -------------------------------------------------------------------------------
def mandate(mandate, creditor):
    """A SepaMandate, IBAN masked, with the creditor it was signed to (`creditor`: settings.sepa)."""
    return MandateOut().dump(Shown(mandate, creditor_name=creditor.name, creditor_id=creditor.identifier))


def mandate_terms(active, next_reference, creditor):
    shown = Shown(active, creditor_name=creditor.name, creditor_id=creditor.identifier) if active else None
    return MandateTermsOut().dump(
        {
            "creditor_name": creditor.name,
            "creditor_id": creditor.identifier,
            "next_reference": next_reference,
            "mandate": shown,
        }
    )


def mandate_revoked(mandate):
    """The payload of bookings.mandate_revoked."""
    return {
        "family_id": mandate.family_id,
        "mandate_id": mandate.id,
        "reference": mandate.reference,
        "revoked_at": timeutil.from_db(mandate.revoked_at).isoformat(),
    }


def mandate_signed(mandate, previous):
    """The payload of bookings.mandate_signed: no account number (the IBAN stays in the service)."""
    return {
        "family_id": mandate.family_id,
        "mandate_id": mandate.id,
        "reference": mandate.reference,
        "signed_on": mandate.signed_on.isoformat(),
        "replaces": previous.id if previous else None,
    }
