"""The audit trail (services/gateway/audit.py): sign-ins, account changes and every staff write
are recorded with who, what, on whom, the answer, the address and the request's id; staff read
it through GET /api/v1/audit and the « Journal des actions » page."""

import logging
from contextlib import contextmanager

from services.gateway import audit
from services.gateway.models import Account, AuditEntry, database
from tests.api import STAFF
from tests.unit.gateway.test_request_headers import staff_headers

ADDRESS = {"REMOTE_ADDR": "203.0.113.7"}


def lines(app, action=None):
    with app.app_context(), database.connection_context():
        select = AuditEntry.select().order_by(AuditEntry.created_at, AuditEntry.id)
        if action:
            select = select.where(AuditEntry.action == action)
        return [audit.presented(line) for line in select]


def staff_id(app):
    with app.app_context(), database.connection_context():
        return Account.get(Account.email == STAFF["email"]).id


class Answering:
    """Stands in for the RPC pool: every call answers {"id": "incident-1"}, and is remembered."""

    def __init__(self):
        self.calls = []

    @contextmanager
    def cluster(self, correlation_id=None, context=None):
        yield self

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return _Method(self.calls, name)


class _Method:
    def __init__(self, calls, name):
        self.calls, self.name = calls, name

    def __getattr__(self, method):
        return _Method(self.calls, f"{self.name}.{method}")

    def __call__(self, *args):
        self.calls.append(self.name)
        return {"id": "incident-1", "items": [], "next_cursor": None, "unread": 0}


def test_a_failed_sign_in_is_recorded_with_the_address_and_the_email_tried(app, client):
    answer = client.post(
        "/api/v1/auth/token", json={"email": "Inconnue@Example.fr", "password": "pas-le-bon"}, environ_base=ADDRESS
    )
    assert answer.status_code == 401
    [line] = lines(app, audit.SIGN_IN_FAILED)
    assert line["email_tried"] == "inconnue@example.fr"
    assert line["address"] == "203.0.113.7"
    assert line["status"] == 401
    assert line["actor_id"] is None
    assert line["correlation_id"] == answer.headers["X-Request-ID"]


def test_a_failed_sign_in_on_the_page_names_the_account_it_tried(app, client):
    app.config["WTF_CSRF_ENABLED"] = False
    client.post("/connexion", data={"email": STAFF["email"], "password": "pas-le-bon"}, environ_base=ADDRESS)
    [line] = lines(app, audit.SIGN_IN_FAILED)
    assert line["subjects"] == [staff_id(app)]
    assert line["email_tried"] == STAFF["email"]


def test_a_sign_in_is_recorded_with_its_account(app, client):
    client.post("/api/v1/auth/token", json=STAFF, environ_base=ADDRESS)
    [line] = lines(app, audit.SIGN_IN)
    assert line["actor_id"] == staff_id(app) and line["subjects"] == [staff_id(app)]
    assert line["address"] == "203.0.113.7" and line["email_tried"] == ""


def test_the_bootstrap_account_s_creation_is_recorded_without_an_actor(app):
    [line] = lines(app, audit.ACCOUNT_CREATED)
    assert line["subjects"] == [staff_id(app)] and line["actor_id"] is None


def test_an_account_s_creation_names_the_account_and_its_record(app, role_headers):
    family = [line for line in lines(app, audit.ACCOUNT_CREATED) if "family-1" in line["subjects"]]
    assert len(family) == 1 and len(family[0]["subjects"]) == 2


def test_a_staff_write_through_the_api_is_recorded_with_actor_route_subject_and_status(app, client):
    app.extensions["rpc_pool"] = Answering()
    headers = staff_headers(client)
    answer = client.post(
        "/api/v1/children/child-7/incidents", json={"description": "Chute"}, headers=headers, environ_base=ADDRESS
    )
    assert answer.status_code == 201
    [line] = lines(app, audit.STAFF_WRITE)
    assert line["actor_id"] == staff_id(app) and line["actor_role"] == "staff"
    assert (line["method"], line["route"]) == ("POST", "/api/v1/children/<child_id>/incidents")
    assert line["subjects"] == ["child-7"]
    assert line["status"] == 201
    assert line["address"] == "203.0.113.7"
    assert line["correlation_id"] == answer.headers["X-Request-ID"]


def test_a_staff_write_through_a_page_is_recorded_with_actor_route_subject_and_status(app, staff):
    answer = staff.post("/equipe/personnel/comptes/compte-inconnu/fiche", data={})
    assert answer.status_code == 404
    [line] = lines(app, audit.STAFF_WRITE)
    assert line["actor_id"] == staff.staff_id
    assert (line["method"], line["route"]) == ("POST", "/equipe/personnel/comptes/<account_id>/fiche")
    assert line["subjects"] == ["compte-inconnu"]
    assert line["status"] == 404


def test_a_staff_read_is_not_recorded(app, client):
    app.extensions["rpc_pool"] = app.extensions["ready_pool"] = Answering()
    client.get("/api/v1/audit", headers=staff_headers(client))
    assert lines(app, audit.STAFF_WRITE) == []


def test_a_family_s_read_and_write_are_not_staff_writes(app, client, role_headers):
    app.extensions["rpc_pool"] = Answering()
    assert client.get("/api/v1/families/me", headers=role_headers["family"]).status_code == 200
    client.delete("/api/v1/children/child-1/pickup-adults/adult-1", headers=role_headers["family"])
    assert lines(app, audit.STAFF_WRITE) == []


def test_a_password_change_is_recorded_in_its_own_transaction(app, staff):
    staff.post("/mot-de-passe", data={"current": STAFF["password"], "new": "un-autre-mot-de-passe-long"})
    [line] = lines(app, audit.PASSWORD_CHANGED)
    assert line["actor_id"] == staff.staff_id and line["subjects"] == [staff.staff_id]


def test_an_audit_line_that_cannot_be_written_is_logged_and_counted_and_the_request_goes_on(
    app, client, monkeypatch, caplog
):
    app.extensions["rpc_pool"] = Answering()
    headers = staff_headers(client)
    before = audit.FAILURES._value.get()

    def refused(**fields):
        raise RuntimeError("disk full")

    monkeypatch.setattr(AuditEntry, "create", refused)
    with caplog.at_level(logging.ERROR, logger="services.gateway.audit"):
        answer = client.post("/api/v1/children/child-7/incidents", json={}, headers=headers)
    assert answer.status_code == 201
    assert audit.FAILURES._value.get() == before + 1
    [record] = [r for r in caplog.records if r.getMessage() == "audit line not written"]
    assert record.audit["route"] == "/api/v1/children/<child_id>/incidents"


def test_the_audit_is_filtered_by_subject(app, client):
    app.extensions["rpc_pool"] = Answering()
    headers = staff_headers(client)
    client.post("/api/v1/children/child-7/incidents", json={}, headers=headers)
    client.post("/api/v1/children/child-8/incidents", json={}, headers=headers)
    found = client.get("/api/v1/audit", query_string={"subject": "child-7"}, headers=headers)
    assert found.status_code == 200
    assert [(line["action"], line["subjects"]) for line in found.json] == [(audit.STAFF_WRITE, ["child-7"])]
    assert found.json[0]["route"] == "/api/v1/children/<child_id>/incidents"


def test_the_audit_is_filtered_by_actor_and_between_two_times(app, client):
    headers = staff_headers(client)
    mine = client.get("/api/v1/audit", query_string={"actor": staff_id(app)}, headers=headers).json
    assert {line["action"] for line in mine} == {audit.SIGN_IN}
    later = client.get("/api/v1/audit", query_string={"since": "2090-01-01T00:00:00+01:00"}, headers=headers).json
    assert later == []
    earlier = client.get("/api/v1/audit", query_string={"until": "2001-01-01T00:00:00Z"}, headers=headers).json
    assert earlier == []


def test_the_audit_comes_newest_first_a_page_at_a_time(app, client):
    app.extensions["rpc_pool"] = Answering()
    headers = staff_headers(client)
    client.post("/api/v1/children/child-7/incidents", json={}, headers=headers)
    client.post("/api/v1/children/child-8/incidents", json={}, headers=headers)
    seen, query = [], {"actor": staff_id(app), "limit": 1}
    while True:
        page = client.get("/api/v1/audit", query_string=query, headers=headers)
        seen += [(line["action"], line["subjects"]) for line in page.json]
        if "X-Next-Cursor" not in page.headers:
            break
        query["cursor"] = page.headers["X-Next-Cursor"]
    assert seen == [
        (audit.STAFF_WRITE, ["child-8"]),
        (audit.STAFF_WRITE, ["child-7"]),
        (audit.SIGN_IN, [staff_id(app)]),
    ]


def test_a_filter_that_is_not_an_id_is_refused(client):
    answer = client.get("/api/v1/audit", query_string={"subject": "a b"}, headers=staff_headers(client))
    assert answer.status_code == 422


def test_only_staff_read_the_audit(app, client, role_headers):
    for role in ("family", "volunteer", "trainee"):
        assert client.get("/api/v1/audit", headers=role_headers[role]).status_code == 403
    assert client.get("/api/v1/audit").status_code == 401


def test_the_journal_page_lists_the_lines_with_their_filters(app, staff):
    app.extensions["rpc_pool"] = app.extensions["ready_pool"] = Answering()
    staff.post("/equipe/personnel/comptes/compte-inconnu/fiche", data={})
    page = staff.get("/equipe/journal/", query_string={"subject": "compte-inconnu"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Journal des actions" in text
    assert "/equipe/personnel/comptes/&lt;account_id&gt;/fiche" in text
    assert "Refusé (404)" in text
    assert '<label for="subject">' in text


def test_the_journal_page_says_which_day_is_not_a_date(app, staff):
    app.extensions["rpc_pool"] = app.extensions["ready_pool"] = Answering()
    page = staff.get("/equipe/journal/", query_string={"since": "hier"})
    assert page.status_code == 422
    assert 'href="#since"' in page.get_data(as_text=True)


def test_the_journal_page_is_for_staff_only(app, client, role_headers):
    app.extensions["rpc_pool"] = app.extensions["ready_pool"] = Answering()
    app.config["WTF_CSRF_ENABLED"] = False
    family = app.test_client()
    family.post("/connexion", data={"email": "family@example.fr", "password": STAFF["password"]})
    assert family.get("/equipe/journal/").status_code == 403
