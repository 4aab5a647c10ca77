"""The education routes fill a trainee's or a volunteer's own identity (no broker: the services
are stood in for, each call recorded)."""


def enrol(client, headers, body):
    return client.post("/api/v1/sessions/s-1/enrolments", json=body, headers=headers)


def test_a_trainee_enrols_as_themselves_with_the_accounts_name_and_email(client, role_headers, recorded_rpc):
    enrol(client, role_headers["trainee"], {"funding": "cpf"})
    [(service, method, (session_id, data))] = recorded_rpc.calls
    assert (service, method, session_id) == ("education", "enrol", "s-1")
    assert data == {
        "participant_kind": "trainee",
        "participant_id": "trainee-1",
        "name": "trainee@example.fr",  # no first or last name on that account: its email
        "email": "trainee@example.fr",
        "funding": "cpf",
    }


def test_a_volunteer_naming_someone_else_is_refused_before_any_call(client, role_headers, recorded_rpc):
    other = enrol(client, role_headers["volunteer"], {"participant_id": "volunteer-2", "funding": "cpf"})
    as_trainee = enrol(client, role_headers["volunteer"], {"participant_kind": "trainee", "funding": "cpf"})
    assert (other.status_code, as_trainee.status_code) == (403, 403)
    assert other.json["error"]["message"] == "Vous ne pouvez inscrire que vous-même."
    assert recorded_rpc.calls == []


def test_staff_enrol_whoever_the_body_names(client, role_headers, recorded_rpc):
    body = {"participant_kind": "external", "name": "Ana Lopes", "email": "ana@example.fr", "funding": "employer"}
    enrol(client, role_headers["staff"], body)
    [(_, _, (_, data))] = recorded_rpc.calls
    assert data == body


def test_a_participant_cancels_with_their_own_id_and_staff_without(client, role_headers, recorded_rpc):
    client.post("/api/v1/enrolments/e-1/cancel", json={}, headers=role_headers["volunteer"])
    client.post("/api/v1/enrolments/e-1/cancel", json={}, headers=role_headers["staff"])
    assert [args for _, _, args in recorded_rpc.calls] == [("e-1", "volunteer-1"), ("e-1",)]


def test_a_trainee_sees_only_the_sessions_open_to_them(client, role_headers, recorded_rpc):
    client.get("/api/v1/sessions?status=cancelled", headers=role_headers["trainee"])
    client.get("/api/v1/sessions?status=cancelled", headers=role_headers["staff"])
    [(_, _, (trainee_query,)), (_, _, (staff_query,))] = recorded_rpc.calls
    assert trainee_query == {"open_to": "trainee"}
    assert staff_query == {"status": "cancelled"}


def test_my_enrolments_are_asked_with_my_own_id(client, role_headers, recorded_rpc):
    assert client.get("/api/v1/me/enrolments", headers=role_headers["trainee"]).status_code == 200
    [(_, method, (participant_id, _query))] = recorded_rpc.calls
    assert (method, participant_id) == ("list_participant_enrolments", "trainee-1")
