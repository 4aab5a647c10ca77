"""What the immersions' API and pages both do (docs/contributing.md, "Pages"): record an
immersion with its beneficiary's account, find which immersions a signed-in beneficiary sees,
draw the convention's PDF. The rules are the placements service's
(services/placements/domain/immersion.py); accounts are the gateway's."""

import uuid

from flask import current_app

from services.gateway import account_roles, downloads, immersion_convention, people, training_documents
from services.gateway.errors import ApiError
from services.gateway.models import Account
from services.gateway.people import staff_names
from services.gateway.service_calls import services
from services.placements.schemas import ImmersionRequestIn
from shared.errors import load
from shared.vocabulary import COORDINATOR, DIRECTOR

BENEFICIARY = "beneficiary"
UNKNOWN_TUTOR = {"tutor_id": ["Le tuteur ou la tutrice doit être un membre de l'équipe."]}


def create(data, staff):
    """The immersion of `data` (ImmersionRequestIn), its beneficiary's account made or found by
    email first: the rules are checked before any account is made (a 422 makes none)."""
    fields = load(ImmersionRequestIn(), data)
    if not Account.select().where(Account.id == fields["tutor_id"], Account.role == "staff").exists():
        raise ApiError(422, "validation_failed", "Tuteur inconnu.", UNKNOWN_TUTOR)
    account, _created = account_roles.grant_role(
        fields["beneficiary_email"], BENEFICIARY, str(uuid.uuid4()), fields["first_name"], fields["last_name"]
    )
    subjects = account_roles.subjects(account)
    beneficiary_id = next((s["id"] for s in subjects if s["role"] == BENEFICIARY), None)
    request = {
        **data,
        "beneficiary_id": beneficiary_id or str(uuid.uuid4()),  # an account of another role: its own record
        "person_id": account.id,
        "subjects": subjects,
    }
    with services() as rpc:
        return rpc.placements.create_immersion(request, staff.id)


def beneficiary_scope(account):
    """The beneficiary record a signed-in beneficiary sees (their own only); None for staff acting
    as staff here (a staff member who is also in immersion sees only theirs on /mon-immersion)."""
    if people.as_staff(account):
        return None
    return account_roles.subject_for(account, BENEFICIARY) or "-"


def coordinates(account):
    """Whether `account` may assess any immersion (the coordination, the director), not only
    those they tutor."""
    held = getattr(account, "staff_roles", None) or ()
    return "staff" in account_roles.roles_of(account) and bool({COORDINATOR, DIRECTOR}.intersection(held))


def convention_pdf(immersion_id, beneficiary_id=None):
    with services() as rpc:
        immersion = rpc.placements.get_immersion(immersion_id, beneficiary_id)
    tutor = staff_names([immersion.get("tutor_id")]).get(immersion.get("tutor_id"), "")
    organisation = training_documents.organisation_of(current_app.config)
    drawn = immersion_convention.render(immersion, tutor, organisation)
    return downloads.pdf(drawn, immersion_convention.filename(immersion))
