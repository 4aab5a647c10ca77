"""The bridge on the real broker, every producer real: a job-seeking parent of the crèche (bookings)
is given a PMSMP immersion (their account gains the beneficiary role), signs, is assessed, then is
hired (an outcome). Bookings ends the family's job search; insights counts the immersion, the hire
and the return to work from the events alone, and the staff read it through the API. A rebuild
from insights' log gives the same figures."""

from datetime import timedelta

import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from services.bookings.service import BookingsService
from services.insights.service import InsightsService
from tests.dates import DAY, today
from tests.factories import PASSWORD, sign_up_family
from tests.integration.placements.conftest import TUTOR
from tests.integration.placements.test_immersion_flow import immersion_request
from tests.support import wait_for

PARENT = "nadia.benali@example.fr"


@pytest.fixture
def bookings(container_factory, service_config):
    container = container_factory(BookingsService, service_config)
    container.start()
    return container


@pytest.fixture
def insights(container_factory, service_config):
    container = container_factory(InsightsService, service_config)
    container.start()
    return container


def signed_and_assessed(staff, tutor, immersion):
    path = f"/api/v1/immersions/{immersion['id']}"
    signed_on = (DAY - timedelta(days=8)).isoformat()
    staff.created(
        f"{path}/honorability",
        {"issued_on": (DAY - timedelta(days=30)).isoformat(), "verified_on": (DAY - timedelta(days=10)).isoformat()},
    )
    for signer, name in (("beneficiary", "Nadia Benali"), ("venue", "Claire Martin"), ("prescriber", "C. Petit")):
        staff.created(f"{path}/signatures", {"signer": signer, "signed_on": signed_on, "name": name})
    assessment = {"days_present": 8, "skills_observed": "Soins, jeux.", "next_steps": "Formation d'auxiliaire."}
    return tutor.created(f"{path}/assessment", assessment)


def summary_of(staff):
    answer = staff.get("/api/v1/insights/summary")
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_a_job_seeking_parent_in_immersion_then_hired_shows_in_the_bilan(
    api, staff, tutor_account, bookings, insights, service_config
):
    family, as_parent = sign_up_family(api, email=PARENT, job_seeker=True)
    account_id = as_parent.get("/api/v1/me").get_json()["id"]

    request = {**immersion_request(tutor_account["id"]), "beneficiary_email": PARENT}
    immersion = staff.created("/api/v1/immersions", request)
    assert immersion["person_id"] == account_id  # the parent's own account gained the role
    token = api.post("/api/v1/auth/token", json={"email": PARENT, "password": PASSWORD})
    assert set(token.get_json()["roles"]) == {"family", "beneficiary"}

    tutor = api.signed_in(TUTOR)
    assert signed_and_assessed(staff, tutor, immersion)["status"] == "assessed"
    hired_on = today().isoformat()
    outcome = staff.post(f"/api/v1/accounts/{account_id}/outcomes", json={"kind": "hired", "on": hired_on})
    assert outcome.status_code == 201, outcome.get_json()

    def counted():
        found = summary_of(staff)["indicators"]
        return found if found["hired"] == 1 and found["back_to_work"] == 1 and found["immersions"] == 1 else None

    indicators = wait_for(counted, timeout=30, interval=0.5, message="insights to count the journey")
    assert indicators["job_seeking_families_with_place"] == 0  # no childcare place in this journey
    found = summary_of(staff)
    assert found["immersions_by_object"] == {"discover": 1, "confirm": 0, "recruit": 0}
    steps = {step["step"]: step["count"] for step in found["funnel"]}
    assert (steps["immersion"], steps["hired"]) == (1, 1)
    file = staff.get(f"/api/v1/families/{family['id']}").get_json()
    assert (file["job_seeker"], file["back_to_work_on"]) == (False, hired_on)

    with ServiceRpcProxy("insights", service_config, timeout=30) as rpc:
        path = [step["kind"] for step in rpc.person_path(account_id)]
        rpc.rebuild()
    assert {"immersion_agreed", "immersion_assessed", "outcome"} <= set(path)
    assert summary_of(staff) == found  # rebuilt from the log: the same figures
