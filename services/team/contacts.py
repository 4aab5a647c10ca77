"""Who a staff member is, for a service that names or writes to them, asked when needed rather
than copied into events (docs/architecture.md, "Personal data travels by id"). Read-only."""

from services.team.models import StaffMember
from shared.broker_loss import rpc

STAFF = "staff"


class ContactsRpc:
    @rpc
    def contact(self, kind, subject_id):
        """`("staff", id)` -> {email, first_name, last_name}; None for anyone this service does not know."""
        if kind != STAFF:
            return None
        member = StaffMember.get_or_none(StaffMember.id == str(subject_id))
        if member is None:
            return None
        return {"email": member.email, "first_name": member.first_name, "last_name": member.last_name}
