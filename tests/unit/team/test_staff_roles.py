"""The staff roles the team service keeps for the gateway (what each staff member may open)."""

import pytest

from services.team import models
from shared.errors import Invalid, NotFound
from tests.unit.team.test_team_service import events, profile, service  # noqa: F401 (the fixture)


def test_a_profile_is_registered_with_its_staff_roles_in_order_and_once(service):  # noqa: F811
    member = service.register_staff(profile(staff_roles=["accounting", "educator", "accounting"]))
    assert (member["staff_roles"], member["roles_version"]) == (["educator", "accounting"], 1)
    access = service.staff_access("staff-1")
    assert access == {"staff_id": "staff-1", "staff_roles": ["educator", "accounting"], "roles_version": 1}


def test_a_profile_registered_without_staff_roles_has_none(service):  # noqa: F811
    service.register_staff(profile())
    assert service.staff_access("staff-1")["staff_roles"] == []


def test_an_unknown_staff_role_is_refused_on_its_field(service):  # noqa: F811
    with pytest.raises(Invalid) as refused:
        service.register_staff(profile(staff_roles=["admin"]))
    assert "staff_roles" in refused.value.fields


def test_a_change_of_staff_roles_counts_one_version_more_and_tells_bookings_nothing(service):  # noqa: F811
    service.register_staff(profile(staff_roles=["educator"]))
    changed = service.update_staff("staff-1", {"staff_roles": ["educator", "accounting"]})
    assert (changed["staff_roles"], changed["roles_version"]) == (["educator", "accounting"], 2)
    same = service.update_staff("staff-1", {"staff_roles": ["accounting", "educator"]})
    assert same["roles_version"] == 2  # the same roles: no change
    assert events("team.staff_updated") == []


def test_the_staff_roles_of_an_unknown_member_are_not_found(service):  # noqa: F811
    with pytest.raises(NotFound):
        service.staff_access("nobody")


def test_a_profile_made_before_staff_roles_existed_becomes_a_director_at_the_migration(service):  # noqa: F811
    service.register_staff(profile())
    models.StaffMember.update(staff_roles=None, roles_version=0).execute()  # as the column was added
    models.after_migrate()
    assert service.staff_access("staff-1") == {"staff_id": "staff-1", "staff_roles": ["director"], "roles_version": 1}
