"""The personal calendar link: shown again as it is, changed by a reset (the old one then answers
404), the .ics served without signing in (no broker: the bookings service is stood in for)."""

from icalendar import Calendar

from services.gateway.models import Account, database


def link(client, headers):
    response = client.get("/api/v1/me/calendar-link", headers=headers)
    assert response.status_code == 200, response.json
    return response.json["url"]


def path_of(url):
    return url[url.index("/calendar/") :]


def test_the_link_is_the_same_each_time_it_is_asked_for(client, role_headers, recorded_rpc):
    first = link(client, role_headers["family"])
    assert first == link(client, role_headers["family"])
    assert "/calendar/" in first and first.endswith(".ics")
    assert first != link(client, role_headers["volunteer"])


def test_the_link_serves_an_icalendar_file_without_signing_in(client, role_headers, recorded_rpc):
    response = client.get(path_of(link(client, role_headers["family"])))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert str(Calendar.from_ical(response.data)["version"]) == "2.0"
    [(service, method, (query,))] = recorded_rpc.calls
    assert (service, method, query["role"], query["subject_ids"]) == (
        "bookings",
        "calendar_feed",
        "family",
        ["family-1"],
    )


def test_after_a_reset_the_old_link_answers_404_and_the_new_one_200(client, role_headers, recorded_rpc):
    old = link(client, role_headers["family"])
    response = client.post("/api/v1/me/calendar-link/reset", headers=role_headers["family"])
    assert response.status_code == 200
    new = response.json["url"]
    assert new != old and new == link(client, role_headers["family"])
    assert client.get(path_of(old)).status_code == 404
    assert client.get(path_of(new)).status_code == 200


def test_a_reset_sent_twice_with_the_same_key_resets_once(client, role_headers, recorded_rpc):
    old = link(client, role_headers["trainee"])
    headers = dict(role_headers["trainee"], **{"Idempotency-Key": "agenda-1"})
    first = client.post("/api/v1/me/calendar-link/reset", headers=headers).json["url"]
    assert client.post("/api/v1/me/calendar-link/reset", headers=headers).json["url"] == first != old
    with database.connection_context():
        assert Account.get(Account.email == "trainee@example.fr").calendar_generation == 1


def test_an_unknown_or_altered_secret_answers_404(client, role_headers, recorded_rpc):
    good = path_of(link(client, role_headers["family"]))
    altered = good[:-5] + ("0" if good[-5] != "0" else "1") + ".ics"
    for path in (altered, "/calendar/nothing.ics", "/calendar/x-1.ics", good.replace(".ics", "x.ics")):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json["error"]["code"] == "not_found"
    assert recorded_rpc.calls == []


def test_a_trainee_s_feed_asks_for_both_ids_they_may_be_assigned_by(client, role_headers, recorded_rpc):
    client.get(path_of(link(client, role_headers["trainee"])))
    [(_, _, (query,))] = [call for call in recorded_rpc.calls if call[0] == "bookings"]
    with database.connection_context():
        account = Account.get(Account.email == "trainee@example.fr")
    assert query["subject_ids"] == ["trainee-1", account.id]


def test_the_link_is_built_on_the_configured_public_address_whatever_the_host_header(app, client, role_headers):
    headers = dict(role_headers["family"], Host="evil.example", **{"X-Forwarded-Host": "evil.example"})
    url = client.get("/api/v1/me/calendar-link", headers=headers).json["url"]
    assert url.startswith("http://127.0.0.1:8000/calendar/")  # COCOON_PUBLIC_URL's default
    app.config["PUBLIC_URL"] = "https://cocoonage.fr"
    assert link(client, headers).startswith("https://cocoonage.fr/calendar/")
