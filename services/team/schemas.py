"""The team service's published interface: its marshmallow In (requests), Out (answers) and Query
(a list's filters, ending with shared.pagination's limit and cursor) schemas. The gateway may import
this module, and no other of this service."""

from marshmallow import Schema, fields, validate

from shared.diplomas import DIPLOMAS
from shared.pagination import cursor_field, limit_field
from shared.vocabulary import STAFF_ROLES

NAME = validate.Length(min=1, max=100)
DIPLOMA = validate.OneOf(list(DIPLOMAS), error="Diplôme inconnu : choisissez-en un de la liste.")
STAFF_ROLE = validate.OneOf(list(STAFF_ROLES), error="Rôle inconnu : choisissez-en un de la liste.")


def staff_roles_field(**options):
    """The staff roles (shared/vocabulary.py STAFF_ROLES), each at most once."""
    return fields.List(fields.String(validate=STAFF_ROLE), **options)


class StaffIn(Schema):
    """A staff member's profile, as the gateway registers it with the account it creates (same id)."""

    id = fields.String(required=True, validate=validate.Length(min=1, max=36))
    email = fields.Email(required=True)
    first_name = fields.String(required=True, validate=NAME)
    last_name = fields.String(required=True, validate=NAME)
    job_title = fields.String(load_default="", validate=validate.Length(max=100))
    diplomas = fields.List(fields.String(validate=DIPLOMA), load_default=list)
    health_referent = fields.Boolean(load_default=False)
    staff_roles = staff_roles_field(load_default=list)  # none: only what every staff member may open


class StaffPatchIn(Schema):
    """What the director may change on a profile; a field left out is kept. `active` false: they
    left the venue. `staff_roles`: the whole new list."""

    job_title = fields.String(validate=validate.Length(max=100))
    diplomas = fields.List(fields.String(validate=DIPLOMA))
    health_referent = fields.Boolean()
    active = fields.Boolean()
    staff_roles = staff_roles_field()


class StaffHonorabilityIn(Schema):
    """The attestation d'honorabilité as staff checked it on the national platform."""

    issued_on = fields.Date(required=True)
    verified_on = fields.Date(required=True)


class StaffQuery(Schema):
    """A page of the staff, by last name, first name, id; `active`: only those still at the venue
    (true) or only those who left (false)."""

    active = fields.Boolean(load_default=None)
    limit = limit_field()
    cursor = cursor_field()


class StaffOut(Schema):
    """A staff member with their clearance today (shared/honorability.py)."""

    id = fields.String()
    email = fields.String()
    first_name = fields.String()
    last_name = fields.String()
    job_title = fields.String()
    diplomas = fields.List(fields.String())  # codes, shared/diplomas.py
    counts_in_ratio = fields.Boolean()  # a diploma of COCOON_RATIO_DIPLOMAS, and still at the venue
    state_diploma = fields.Boolean()  # one of R2324-42's state diplomas
    health_referent = fields.Boolean()  # référent santé et accueil inclusif
    active = fields.Boolean()
    left_on = fields.Date(allow_none=True)
    staff_roles = fields.List(fields.String())  # shared/vocabulary.py STAFF_ROLES
    roles_version = fields.Integer()  # one more at each change of staff_roles
    honorability_issued_on = fields.Date(allow_none=True)
    honorability_verified_on = fields.Date(allow_none=True)
    honorability_expires_on = fields.Date(allow_none=True)  # the last day it clears them
    cleared = fields.Boolean()  # may be with the children today
    # why not, as a code of shared/honorability.py (honorability_missing, honorability_expired,
    # honorability_not_yet_verified) and as the sentence a refusal gives; null when cleared
    clearance_gap = fields.String(allow_none=True)
    clearance_refusal = fields.String(allow_none=True)


class StaffAccessOut(Schema):
    """What the gateway reads at a staff member's sign-in: their staff roles, and how many times
    they changed (the gateway keeps the newest it saw)."""

    staff_id = fields.String()
    staff_roles = fields.List(fields.String())
    roles_version = fields.Integer()


class AttestationOut(Schema):
    """An attestation recorded: who may be with the children from `verified_on` to `expires_on`."""

    id = fields.String()
    staff_id = fields.String()
    issued_on = fields.Date()
    verified_on = fields.Date()
    expires_on = fields.Date()
    verified_by = fields.String()
