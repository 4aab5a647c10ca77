"""Who a volunteer is, for the one service that writes to them (notifications), asked when an
email leaves rather than copied into events (docs/architecture.md, "Personal data travels by
id"). Read-only."""

from services.volunteers.models import Volunteer
from shared.broker_loss import rpc

VOLUNTEER = "volunteer"


class ContactsRpc:
    @rpc
    def contact(self, kind, subject_id):
        """`("volunteer", id)` -> {email, first_name}; None for anyone this service does not know."""
        if kind != VOLUNTEER:
            return None
        volunteer = Volunteer.get_or_none(Volunteer.id == str(subject_id))
        return {"email": volunteer.email, "first_name": volunteer.first_name} if volunteer else None
