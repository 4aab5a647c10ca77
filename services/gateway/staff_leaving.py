"""A staff member who leaves the venue can no longer sign in. The team service keeps the profile
(`active` false: left); the account is the gateway's, with the same id as the profile, so the
view that marks someone as left (the API's PATCH /staff/{id}, the staff's team page) closes the
account in the same request with the accounts' own deactivation (password_resets.deactivate:
every session, token and link of it ends; nothing is erased). Nobody marks themselves as left:
the venue would risk having nobody left to reactivate anyone (as for a deactivation)."""

from marshmallow import fields

from services.gateway import password_resets
from shared.errors import NotFound

NOT_YOURSELF = "Vous ne pouvez pas noter votre propre départ : demandez à un autre membre de l'équipe."


def marks_as_left(data):
    """Whether the change asks `active` false (as the team service reads a boolean)."""
    value = data.get("active")
    return isinstance(value, bool | int | str) and not isinstance(value, float) and value in fields.Boolean.falsy


def leaving_yourself(staff_id, data, by):
    """The sentence refusing `by` marking themselves as left, or None."""
    return NOT_YOURSELF if marks_as_left(data) and str(staff_id) == str(by.id) else None


def close_account_if_left(member, by):
    """Deactivate the account of `member` (the team's answer) when they have left; a profile with
    no account of its own (none was created with it) has nothing to close."""
    if member.get("active") is not False:
        return
    try:
        password_resets.deactivate(member["id"], by)
    except NotFound:
        return
