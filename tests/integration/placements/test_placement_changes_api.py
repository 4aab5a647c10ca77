"""A placement's change, its gratification paid and the host's quota through the JSON API, on the
real broker (the placements and team services running): PATCH keeps the history, a payment a
month, and the quota counts the staff the team service knows."""

from datetime import timedelta

from tests.dates import DAY
from tests.integration.placements.conftest import TRAINEE, placement_fields


def test_staff_change_a_placements_end_and_the_history_says_who_and_why(staff, placed, tutor_account):
    _, me, placement = placed
    new_end = (DAY + timedelta(days=14)).isoformat()
    changed = staff.patch(
        f"/api/v1/placements/{placement['id']}", json={"ends_on": new_end, "reason": "Arrêt maladie"}, key="edit-1"
    )
    assert (changed.status_code, changed.json["ends_on"]) == (200, new_end)
    (entry,) = changed.json["history"]
    assert entry["reason"] == "Arrêt maladie"
    assert entry["changes"]["ends_on"] == {"before": placement["ends_on"], "after": new_end}
    assert me.get(f"/api/v1/placements/{placement['id']}").json["history"] == changed.json["history"]
    refused = me.patch(f"/api/v1/placements/{placement['id']}", json={"ends_on": new_end}, key="edit-2")
    assert refused.status_code == 403  # a trainee does not edit their convention


def test_a_change_to_a_tutor_who_is_not_staff_is_a_422(staff, placed):
    trainee, _, placement = placed
    refused = staff.patch(f"/api/v1/placements/{placement['id']}", json={"tutor_id": trainee["id"]}, key="edit-3")
    assert (refused.status_code, list(refused.json["error"]["fields"])) == (422, ["tutor_id"])


def test_the_gratification_paid_is_recorded_once_a_month(staff, placed):
    _, me, placement = placed
    month = f"{DAY:%Y-%m}"
    paid = staff.post(
        f"/api/v1/placements/{placement['id']}/gratification-payments",
        json={"month": month, "amount": "472.50"},
        key="pay-1",
    )
    assert (paid.status_code, paid.json["gratification_paid"]) == (201, "472.50")
    again = staff.post(
        f"/api/v1/placements/{placement['id']}/gratification-payments",
        json={"month": month, "amount": "10.00"},
        key="pay-2",
    )
    assert again.status_code == 409
    wrong = staff.post(
        f"/api/v1/placements/{placement['id']}/gratification-payments",
        json={"month": "mars", "amount": 1.5},
        key="pay-3",
    )
    assert (wrong.status_code, sorted(wrong.json["error"]["fields"])) == (422, ["amount", "month"])
    assert me.get(f"/api/v1/placements/{placement['id']}").json["gratification_paid"] == "472.50"


def test_the_host_quota_counts_the_staff_the_team_service_knows(staff, placed, tutor_account):
    """Two staff accounts (fewer than 20): at most 3 trainees in one civil week, asked of team."""
    tutors = [tutor_account["id"]]
    for n in (1, 2, 3):
        tutors.append(
            staff.created(
                "/api/v1/staff",
                {
                    "email": f"tuteur{n}@cocoonage.fr",
                    "password": f"patience-{n}-et-rigueur",
                    "first_name": "T",
                    "last_name": f"Tuteur{n}",
                },
            )["id"]
        )
    trainees = [
        staff.created("/api/v1/trainees", {**TRAINEE, "email": f"stagiaire{n}@example.fr"})["id"] for n in (1, 2, 3)
    ]
    fields = dict(required_hours="70")
    staff.created("/api/v1/placements", placement_fields(trainees[0], tutors[1], **fields))
    staff.created("/api/v1/placements", placement_fields(trainees[1], tutors[2], **fields))
    refused = staff.post("/api/v1/placements", json=placement_fields(trainees[2], tutors[3], **fields), key="q-4")
    assert refused.status_code == 409 and "R124-10" in refused.json["error"]["message"]
