"""Who a family or a child is, for the one service that writes to them (notifications), asked
when an email leaves rather than copied into events: events name a family and a child by id
only, so an erasure here is the end of their names and address (docs/architecture.md,
"Personal data travels by id"). Read-only."""

import json

from services.bookings.models import Child, Family
from shared.broker_loss import rpc

FAMILY, CHILD = "family", "child"


class ContactsRpc:
    @rpc
    def contact(self, kind, subject_id):
        """`("family", id)` -> {email, first_name (the first guardian's), children: {child id:
        first name}}; `("child", id)` -> {email (the family's), first_name, family_id}. None for
        a person this service does not know (or no longer knows): there is nobody to write to."""
        if kind == FAMILY:
            family = Family.get_or_none(Family.id == str(subject_id))
            return family_contact(family) if family else None
        if kind == CHILD:
            child = Child.get_or_none(Child.id == str(subject_id))
            return child_contact(child) if child else None
        return None


def family_contact(family):
    guardians = json.loads(family.guardians or "[]")
    return {
        "email": family.email,
        "first_name": (guardians[0].get("first_name") if guardians else None) or None,
        # (id, first name) pairs, not Child models: building a model per row was most of the call
        "children": dict(Child.select(Child.id, Child.first_name).where(Child.family == family.id).tuples()),
    }


def child_contact(child):
    return {"email": child.family.email, "first_name": child.first_name, "family_id": child.family_id}
