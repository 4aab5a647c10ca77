"""The staff routes and the combined renewal list (services/gateway/api/team.py, renewals.py),
the gateway alone: the services stood in for."""

from contextlib import contextmanager
from types import SimpleNamespace

from nameko.exceptions import MethodNotFound, RpcTimeout

from services.gateway import auth, renewals
from services.gateway.models import Account, database
from shared.errors import Unavailable
from tests.unit.gateway.test_request_headers import staff_headers

NEW_STAFF = {"email": "Claire@Example.fr", "password": "mot-de-passe-long", "first_name": "Claire", "last_name": "Roy"}


def line(kind, person_id, name, expires_on, status="expiring"):
    return {
        "kind": kind,
        "person_id": person_id,
        "name": name,
        "issued_on": None,
        "verified_on": None,
        "expires_on": expires_on,
        "status": status,
    }


def answering(**services):
    """An RPC proxy whose services answer honorability_renewals with a list, or raise."""

    def service(answer):
        def renewals_of(notice_days):
            assert notice_days == 60
            if isinstance(answer, Exception):
                raise answer
            return answer

        return SimpleNamespace(honorability_renewals=renewals_of)

    return SimpleNamespace(**{name: service(answer) for name, answer in services.items()})


def test_the_renewal_list_merges_the_three_kinds_missing_first_then_by_expiry():
    found = renewals.combined(
        answering(
            team=[line("staff", "s1", "Claire Roy", "2027-01-20"), line("staff", "s2", "Anne Bo", None, "missing")],
            placements=[line("trainee", "t1", "Léa Martin", "2026-12-01", "expired")],
            volunteers=[line("volunteer", "v1", "Jeanne Moreau", "2027-01-02")],
        )
    )
    assert [item["person_id"] for item in found.items] == ["s2", "t1", "v1", "s1"]
    assert found.unavailable == []


def test_a_service_that_does_not_answer_is_named_and_the_others_are_listed():
    found = renewals.combined(
        answering(
            team=[line("staff", "s1", "Claire Roy", "2027-01-20")],
            placements=RpcTimeout("placements"),
            volunteers=MethodNotFound("honorability_renewals"),  # a service not upgraded yet
        )
    )
    assert [item["person_id"] for item in found.items] == ["s1"]
    assert found.unavailable == ["trainee", "volunteer"]


class Recording:
    """The RPC pool, recording what the staff routes send to the team service."""

    def __init__(self, answer=None, refuse=None):
        self.calls, self.answer, self.refuse = [], answer or {}, refuse

    @contextmanager
    def cluster(self, correlation_id=None, context=None):
        yield self

    def __getattr__(self, name):
        if name == "team":
            return self
        calls = self.calls

        def call(*args):
            calls.append((name, args))
            if self.refuse is not None:
                raise self.refuse
            return self.answer

        return call

    def close(self):
        pass


def test_a_staff_account_is_created_with_its_profile_under_the_same_id(app, client, team_profiles):
    created = client.post("/api/v1/staff", json=NEW_STAFF, headers=staff_headers(client))
    assert created.status_code == 201
    [profile] = team_profiles.profiles.values()
    assert profile == {
        "id": created.json["id"],
        "email": "Claire@Example.fr",
        "first_name": "Claire",
        "last_name": "Roy",
        "staff_roles": [],  # none given: the staff home and their own account only
    }


def test_team_down_leaves_no_account_behind(app, client):
    app.extensions["rpc_pool"] = Recording(refuse=Unavailable(Unavailable.default_message))
    answer = client.post("/api/v1/staff", json=NEW_STAFF, headers=staff_headers(client))
    assert answer.status_code == 503
    with app.app_context(), database.connection_context():
        assert not Account.select().where(Account.email == "claire@example.fr").exists()


def test_a_taken_email_is_refused_before_team_is_asked(app, client):
    app.extensions["rpc_pool"] = recording = Recording()
    staff = dict(NEW_STAFF, email="equipe@example.fr")
    with app.app_context(), database.connection_context():
        staff["email"] = Account.get(Account.role == "staff").email
    answer = client.post("/api/v1/staff", json=staff, headers=staff_headers(client))
    assert answer.status_code == 409
    assert recording.calls == []


def test_recording_an_attestation_names_who_verified_it(app, client):
    app.extensions["rpc_pool"] = recording = Recording(answer={"id": "h-1", "expires_on": "2029-12-06"})
    headers = staff_headers(client)
    body = {"issued_on": "2026-11-01", "verified_on": "2026-12-07"}
    answer = client.post("/api/v1/staff/staff-9/honorability", json=body, headers=headers)
    assert answer.status_code == 201
    [(method, (staff_id, data, verified_by))] = recording.calls
    with app.app_context(), database.connection_context():
        me = Account.get(Account.role == "staff").id
    assert (method, staff_id, data, verified_by) == ("record_honorability", "staff-9", body, me)


def test_a_change_of_profile_is_sent_as_given(app, client):
    app.extensions["rpc_pool"] = recording = Recording(answer={"id": "staff-9"})
    answer = client.patch("/api/v1/staff/staff-9", json={"diplomas": ["eje"]}, headers=staff_headers(client))
    assert answer.status_code == 200
    assert recording.calls == [("update_staff", ("staff-9", {"diplomas": ["eje"]}))]


def test_the_renewals_route_says_which_part_is_missing(app, client):
    app.extensions["rpc_pool"] = SimpleNamespace(
        cluster=contextmanager(
            lambda *a, **k: iter(
                [
                    answering(
                        team=[line("staff", "s1", "Claire Roy", None, "missing")],
                        placements=[],
                        volunteers=RpcTimeout("v"),
                    )
                ]
            )
        ),
        close=lambda: None,
    )
    answer = client.get("/api/v1/honorability/renewals", headers=staff_headers(client))
    assert answer.status_code == 200
    assert answer.json == {"items": [line("staff", "s1", "Claire Roy", None, "missing")], "unavailable": ["volunteer"]}


def test_a_retry_with_the_key_completes_an_account_whose_first_attempt_stopped_after_the_profile(
    app, client, team_profiles, monkeypatch
):
    create_account = auth.create_account

    def fails_once(*args, **kwargs):
        monkeypatch.setattr(auth, "create_account", create_account)
        raise Unavailable(Unavailable.default_message)

    monkeypatch.setattr(auth, "create_account", fails_once)
    headers = staff_headers(client, key="new-staff-claire")
    assert client.post("/api/v1/staff", json=NEW_STAFF, headers=headers).status_code == 503
    [stored] = team_profiles.profiles.values()  # the profile is there, the account is not
    retried = client.post("/api/v1/staff", json=NEW_STAFF, headers=headers)
    assert retried.status_code == 201
    assert retried.json["id"] == stored["id"]
    assert len(team_profiles.profiles) == 1
