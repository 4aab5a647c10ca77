"""The erasure of a person's data (RGPD art. 17; shared/erasure.py, docs/privacy.md).

The team service owns each erasure (docs/architecture.md, "Erasure"): it publishes
`team.account_erasure_requested` with the ids each service knows the person by (never their email:
every service finds it in its own rows); each service anonymises what it holds and answers
`<service>.personal_data_erased`, which the team service gathers for the gateway's status page."""

from marshmallow import Schema, fields

from shared.events.registry import register


class AccountErasureRequested(Schema):
    """Staff asked to erase an account's person. `role` is the account's space; the ids are those
    the services know the person by (absent when the person is not one of them)."""

    erasure_id = fields.String(required=True)
    account_id = fields.String(required=True)  # the gateway's account (also a staff member's id)
    role = fields.String(required=True)  # shared.vocabulary.ROLES
    family_id = fields.String(load_default=None, allow_none=True)  # bookings
    volunteer_id = fields.String(load_default=None, allow_none=True)  # volunteers, education
    trainee_id = fields.String(load_default=None, allow_none=True)  # placements, education
    staff_id = fields.String(load_default=None, allow_none=True)  # team, bookings, placements (tutor)


class PersonalDataErased(Schema):
    """A service has anonymised what it held of the person of `erasure_id`."""

    erasure_id = fields.String(required=True)
    service = fields.String(required=True)


register("team.account_erasure_requested", AccountErasureRequested)
for _service in ("bookings", "placements", "volunteers", "education", "team", "notifications"):
    register(f"{_service}.personal_data_erased", PersonalDataErased)
