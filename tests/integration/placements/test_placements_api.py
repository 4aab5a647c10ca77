"""The placements part of the JSON API through the gateway, on the real broker: a trainee logs
hours on their own placement only, only its tutor validates, progress and exports follow."""

import csv
import io

from tests.dates import DAY, at
from tests.integration.placements.conftest import OTHER_STAFF, TRAINEE, placement_fields


def test_staff_create_a_trainee_whose_profile_lives_in_the_placements_service(api, staff):
    trainee = staff.created("/api/v1/trainees", TRAINEE)
    assert "password" not in trainee
    me = api.signed_in(TRAINEE).get("/api/v1/trainees/me")
    assert (me.status_code, me.json["id"], me.json["school"]) == (200, trainee["id"], "Lycée Jean Moulin")


def test_a_placements_tutor_must_be_a_staff_account(staff, placed):
    trainee, _, _ = placed
    refused = staff.post("/api/v1/placements", json=placement_fields(trainee["id"], trainee["id"]))
    assert (refused.status_code, list(refused.json["error"]["fields"])) == (422, ["tutor_id"])


def test_a_trainee_logs_hours_and_the_tutor_validates_them(api, staff, placed):
    trainee, me, placement = placed
    logged = me.post(
        f"/api/v1/placements/{placement['id']}/hours",
        json={"starts_at": at(9), "ends_at": at(12, 30), "tasks": "Accueil du matin"},
        key="log-1",
    )
    assert (logged.status_code, logged.json["status"], logged.json["hours"]) == (201, "submitted", "3.50")
    tutor = api.signed_in({"email": "tutrice@cocoonage.fr", "password": "patience-et-rigueur-1"})
    pending = tutor.get("/api/v1/hour-logs").json
    assert [(p["id"], p["trainee_name"]) for p in pending] == [(logged.json["id"], "Léa Martin")]
    validated = tutor.post(f"/api/v1/hour-logs/{logged.json['id']}/validate")
    assert (validated.status_code, validated.json["status"]) == (200, "validated")
    shown = me.get(f"/api/v1/placements/{placement['id']}").json
    assert (shown["status"], shown["validated_hours"], shown["submitted_hours"], shown["required_hours"]) == (
        "active",
        "3.50",
        "0.00",
        "490.00",
    )
    assert shown["gratification_due"] is True  # 490 h planned: beyond 308 h
    assert [w["validated_hours"] for w in shown["weeks"]] == ["3.50"]

    sheet = me.get(f"/api/v1/placements/{placement['id']}/hours.csv")
    assert sheet.status_code == 200 and sheet.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(sheet.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["date", "début", "fin", "heures", "nature", "statut", "validé par", "le"]
    assert rows[1][:7] == [f"{DAY:%d/%m/%Y}", "09:00", "12:30", "3,50", "sur place", "validée", "Inès Roy"]


def test_a_log_breaking_the_rules_is_a_422_with_every_sentence(staff, placed):
    _, me, placement = placed
    refused = me.post(f"/api/v1/placements/{placement['id']}/hours", json={"starts_at": at(7), "ends_at": at(18)})
    assert refused.status_code == 422
    assert "10\u00a0h" in " ".join(refused.json["error"]["fields"]["ends_at"])
    future = me.post(f"/api/v1/placements/{placement['id']}/hours", json={"starts_at": at(21), "ends_at": at(22)})
    assert "pas encore passées" in " ".join(future.json["error"]["fields"]["ends_at"])


def test_a_trainee_sees_only_their_own_placement(api, staff, placed, tutor_account):
    _, _, placement = placed
    other = dict(TRAINEE, email="sami@example.fr", first_name="Sami")
    staff.created("/api/v1/trainees", other)
    intruder = api.signed_in(other)
    assert intruder.get(f"/api/v1/placements/{placement['id']}").status_code == 404
    assert intruder.get(f"/api/v1/placements/{placement['id']}/hours.csv").status_code == 404
    logged = intruder.post(f"/api/v1/placements/{placement['id']}/hours", json={"starts_at": at(9), "ends_at": at(10)})
    assert logged.status_code == 404
    assert intruder.get("/api/v1/placements").json == []


def test_only_the_placements_tutor_validates_or_rejects(api, staff, placed):
    _, me, placement = placed
    logged = me.created(f"/api/v1/placements/{placement['id']}/hours", {"starts_at": at(9), "ends_at": at(11)})
    staff.created("/api/v1/staff", OTHER_STAFF)
    other = api.signed_in(OTHER_STAFF)
    assert other.post(f"/api/v1/hour-logs/{logged['id']}/validate").status_code == 403
    assert other.post(f"/api/v1/hour-logs/{logged['id']}/reject", json={"reason": "Non"}).status_code == 403
    assert me.post(f"/api/v1/hour-logs/{logged['id']}/validate").status_code == 403  # a trainee, never
    assert staff.post(f"/api/v1/hour-logs/{logged['id']}/validate").status_code == 403  # staff, not its tutor
    assert api.signed_in(OTHER_STAFF).post("/api/v1/hour-logs/nothing/validate").status_code == 404


def test_a_rejected_log_is_corrected_and_resubmitted(api, placed):
    _, me, placement = placed
    logged = me.created(f"/api/v1/placements/{placement['id']}/hours", {"starts_at": at(9), "ends_at": at(12)})
    tutor = api.signed_in({"email": "tutrice@cocoonage.fr", "password": "patience-et-rigueur-1"})
    rejected = tutor.post(f"/api/v1/hour-logs/{logged['id']}/reject", json={"reason": "Arrivée à 10 h."})
    assert (rejected.json["status"], rejected.json["reason"]) == ("rejected", "Arrivée à 10 h.")
    again = me.post(f"/api/v1/hour-logs/{logged['id']}/correct", json={"starts_at": at(10), "ends_at": at(12)})
    assert (again.status_code, again.json["status"], again.json["hours"]) == (200, "submitted", "2.00")


def test_the_attestation_waits_for_the_end_of_the_placement(api, staff, placed):
    _, me, placement = placed
    early = me.get(f"/api/v1/placements/{placement['id']}/attestation.pdf")
    assert early.status_code == 409
    staff.post(f"/api/v1/placements/{placement['id']}/interrupt", json={"reason": "Réorientation"})
    pdf = me.get(f"/api/v1/placements/{placement['id']}/attestation.pdf")
    assert (pdf.status_code, pdf.mimetype, pdf.data[:5]) == (200, "application/pdf", b"%PDF-")


def test_the_tutor_evaluates_against_the_schools_grid(api, staff, placed):
    _, _, placement = placed
    tutor = api.signed_in({"email": "tutrice@cocoonage.fr", "password": "patience-et-rigueur-1"})
    items = [{"competence": "Accueillir l'enfant et sa famille", "rating": "in_progress", "comment": "Progresse"}]
    assert staff.post(f"/api/v1/placements/{placement['id']}/evaluation", json={"items": items}).status_code == 403
    rated = tutor.post(f"/api/v1/placements/{placement['id']}/evaluation", json={"items": items})
    assert (rated.status_code, rated.json["evaluation"]) == (200, items)


def test_a_trainee_confirms_a_log_pre_filled_from_an_activity_and_only_their_own(
    api, staff, placed, placements, publish_raw
):
    from nameko.testing.services import entrypoint_waiter

    from shared.events import new_event

    trainee, me, placement = placed
    completion = {
        "activity_id": "act-conte",
        "kind": "story_time",
        "started_at": at(9),
        "ended_at": at(11),
        "trainee_ids": [trainee["id"]],
        "volunteer_ids": [],
    }
    with entrypoint_waiter(placements, "prefill_from_activity", timeout=10):
        publish_raw("bookings.activity_completed", new_event("bookings.activity_completed", completion))
    (log,) = me.get(f"/api/v1/placements/{placement['id']}/hours").json
    assert (log["source"], log["status"], log["confirmed_by_trainee_at"]) == ("activity", "submitted", None)

    other = dict(TRAINEE, email="sami@example.fr", first_name="Sami")
    staff.created("/api/v1/trainees", other)
    assert api.signed_in(other).post(f"/api/v1/hour-logs/{log['id']}/confirm").status_code == 404
    assert staff.post(f"/api/v1/hour-logs/{log['id']}/confirm").status_code == 403  # a trainee's own act

    confirmed = me.post(f"/api/v1/hour-logs/{log['id']}/confirm", key="confirm-1")
    assert (confirmed.status_code, confirmed.json["status"]) == (200, "submitted")  # still the tutor's to decide
    assert confirmed.json["confirmed_by_trainee_at"] is not None
    again = me.post(f"/api/v1/hour-logs/{log['id']}/confirm", key="confirm-2")
    assert again.json["confirmed_by_trainee_at"] == confirmed.json["confirmed_by_trainee_at"]  # once
