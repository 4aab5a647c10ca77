"""The clearance routes of the placements and volunteers areas (no broker: the services are
stood in for, each call recorded): who may call them, what the service is told."""


def test_staff_record_a_trainees_attestation_as_the_one_who_verified_it(client, role_headers, recorded_rpc):
    body = {"issued_on": "2026-11-02", "verified_on": "2026-11-20"}
    client.post("/api/v1/trainees/t-9/honorability", json=body, headers=role_headers["staff"])
    [(service, method, (trainee_id, data, staff_id))] = recorded_rpc.calls
    assert (service, method, trainee_id, data) == ("placements", "record_trainee_honorability", "t-9", body)
    assert staff_id  # the staff account calling


def test_only_staff_record_a_trainees_attestation(client, role_headers, recorded_rpc):
    body = {"issued_on": "2026-11-02", "verified_on": "2026-11-20"}
    for role in ("trainee", "volunteer", "family"):
        answer = client.post("/api/v1/trainees/t-9/honorability", json=body, headers=role_headers[role])
        assert answer.status_code == 403, role
    assert recorded_rpc.calls == []


def test_a_volunteer_accepts_the_charte_for_themselves(client, role_headers, recorded_rpc):
    client.post("/api/v1/volunteers/me/charter", json={"version": "2026-01"}, headers=role_headers["volunteer"])
    assert recorded_rpc.calls == [("volunteers", "accept_charter", ("volunteer-1", {"version": "2026-01"}))]
    staff = client.post("/api/v1/volunteers/me/charter", json={"version": "2026-01"}, headers=role_headers["staff"])
    assert staff.status_code == 403
