"""Who a trainee is, for the one service that writes to them (notifications), asked when an
email leaves rather than copied into events (docs/architecture.md, "Personal data travels by
id"). Read-only."""

from services.placements.models import Trainee
from shared.broker_loss import rpc

TRAINEE = "trainee"


class ContactsRpc:
    @rpc
    def contact(self, kind, subject_id):
        """`("trainee", id)` -> {email, first_name}; None for anyone this service does not know."""
        if kind != TRAINEE:
            return None
        trainee = Trainee.get_or_none(Trainee.id == str(subject_id))
        return {"email": trainee.email, "first_name": trainee.first_name} if trainee else None
