"""The one access rule with staff roles (services/gateway/access.py): a staff role opens what names
it, the director whatever names any staff role, "staff" any staff member; nothing else opens."""

from types import SimpleNamespace

import pytest

from services.gateway import access
from shared.vocabulary import STAFF_ROLES


def staff(*staff_roles):
    return SimpleNamespace(role="staff", staff_roles=list(staff_roles))


def test_a_staff_role_opens_the_places_that_name_it():
    assert access.refusal(staff("educator"), ("educator",)) is None
    assert access.refusal(staff("educator"), ("educator", "family")) is None
    assert access.refusal(staff("trainer", "accounting"), ("accounting",)) is None


def test_a_staff_role_does_not_open_a_place_for_another_one():
    assert access.refusal(staff("educator"), ("accounting",)) == access.WRONG_ROLE
    assert access.refusal(staff("accounting"), ("educator", "family")) == access.WRONG_ROLE
    assert access.refusal(staff("coordinator"), ("director",)) == access.WRONG_ROLE


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_the_director_passes_wherever_any_staff_role_passes(role):
    assert access.refusal(staff("director"), (role,)) is None


def test_the_director_does_not_pass_where_no_staff_role_is_named():
    assert access.refusal(staff("director"), ("family",)) == access.WRONG_ROLE
    assert access.refusal(staff("director"), ("trainee", "volunteer")) == access.WRONG_ROLE


def test_a_staff_member_without_staff_roles_opens_only_the_places_every_staff_member_needs():
    nobody_yet = staff()
    assert access.refusal(nobody_yet, access.ALL_STAFF) is None
    assert access.refusal(nobody_yet, access.SIGNED_IN) is None
    for role in STAFF_ROLES:
        assert access.refusal(nobody_yet, (role,)) == access.WRONG_ROLE


def test_a_staff_role_name_opens_nothing_to_another_kind_of_account():
    family = SimpleNamespace(role="family", staff_roles=["director"])  # never so, but never enough either
    assert access.refusal(family, ("director",)) == access.WRONG_ROLE
    assert access.refusal(family, ("educator", "family")) is None


def test_nobody_signed_in_is_sent_to_sign_in_and_a_public_place_is_open():
    assert access.refusal(None, ("educator",)) == access.SIGNED_OUT
    assert access.refusal(None, access.PUBLIC) is None
