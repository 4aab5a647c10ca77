"""Staff roles on the real broker: the director creates an educator (POST /api/v1/staff with
staff_roles), the team service keeps the roles, the gateway reads them at sign-in, and a change
(PATCH /api/v1/staff/{id}) opens or closes the way on the person's next request."""

import pytest

from tests.api import STAFF, staff_member
from tests.support import call


@pytest.fixture
def director(api, team):
    return api.signed_in(STAFF)


def test_an_educator_checks_in_but_reads_no_invoice_until_the_director_adds_accounting(director, team):
    made, educator = staff_member(director, "educator")
    assert made["staff_roles"] == ["educator"]
    assert call(team, "staff_access", made["id"])["staff_roles"] == ["educator"]
    assert educator.get("/api/v1/childcare-slots").status_code == 503  # let in: bookings is not running here
    refused = educator.get("/api/v1/invoices")
    assert (refused.status_code, refused.json["error"]["code"]) == (403, "forbidden")

    changed = director.patch(f"/api/v1/staff/{made['id']}", json={"staff_roles": ["educator", "accounting"]})
    assert changed.status_code == 200, changed.json
    assert changed.json["staff_roles"] == ["educator", "accounting"]
    assert educator.get("/api/v1/invoices").status_code == 503  # let in with the same token, at once

    director.patch(f"/api/v1/staff/{made['id']}", json={"staff_roles": ["accounting"]})
    assert educator.post("/api/v1/bookings/nothing/check-in").status_code == 403
    assert educator.get("/api/v1/me").json["staff_roles"] == ["accounting"]


def test_the_director_lists_the_staff_with_their_roles_and_others_may_not(director, team):
    made, coordinator = staff_member(director, "coordinator")
    listed = {m["id"]: m["staff_roles"] for m in director.get("/api/v1/staff").json}
    assert listed[made["id"]] == ["coordinator"]
    assert ["director"] in listed.values()  # the bootstrap account, its profile made at its first sign-in
    assert coordinator.get("/api/v1/staff").status_code == 403
    assert coordinator.get("/api/v1/audit").status_code == 403
    assert coordinator.patch(f"/api/v1/staff/{made['id']}", json={"staff_roles": ["director"]}).status_code == 403


def test_an_unknown_staff_role_is_refused_on_its_field(director, team):
    refused = director.post(
        "/api/v1/staff",
        json={
            "email": "x@cocoonage.fr",
            "password": "un-role-bien-defini",
            "first_name": "A",
            "last_name": "B",
            "staff_roles": ["admin"],
        },
    )
    assert refused.status_code == 422
    assert "staff_roles" in refused.json["error"]["fields"]
