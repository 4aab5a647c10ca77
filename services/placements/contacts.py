"""Who a trainee is, for the one service that writes to them (notifications), asked when an
email leaves rather than copied into events (docs/architecture.md, "Personal data travels by
id"). Read-only."""

from services.placements.models import Beneficiary, Immersion, Trainee
from shared.broker_loss import rpc

TRAINEE = "trainee"
BENEFICIARY = "beneficiary"  # a person in a PMSMP immersion
PRESCRIBER = "prescriber"  # the adviser who prescribed an immersion (its id is the immersion's)


class ContactsRpc:
    @rpc
    def contact(self, kind, subject_id):
        """`("trainee", id)` -> {email, first_name}; `("beneficiary", id)` the same;
        `("prescriber", immersion_id)` -> the adviser's {email, first_name (their full name)} and
        the assessment's {beneficiary_name, skills_observed, next_steps, comment};
        None for anyone this service does not know."""
        if kind == TRAINEE:
            trainee = Trainee.get_or_none(Trainee.id == str(subject_id))
            return {"email": trainee.email, "first_name": trainee.first_name} if trainee else None
        if kind == BENEFICIARY:
            person = Beneficiary.get_or_none(Beneficiary.id == str(subject_id))
            return {"email": person.email, "first_name": person.first_name} if person else None
        if kind == PRESCRIBER:
            return _prescriber(Immersion.get_or_none(Immersion.id == str(subject_id)))
        return None


def _prescriber(immersion):
    """The adviser's address and name, with what the assessment's email says: the beneficiary's
    name and the tutor's texts (None once the beneficiary's data is erased: empty)."""
    if immersion is None:
        return None
    beneficiary = immersion.beneficiary
    assessment = immersion.assessment or {}
    return {
        "email": immersion.adviser_email,
        "first_name": immersion.adviser_name,
        "beneficiary_name": f"{beneficiary.first_name} {beneficiary.last_name}".strip(),
        **{name: assessment.get(name) or "" for name in ("skills_observed", "next_steps", "comment")},
    }
