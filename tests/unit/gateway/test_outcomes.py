"""Outcomes on a person's path through the gateway (services/gateway/outcomes.py), placements stood
in for: who may record and read them, what placements is told (the account id and the account's
records), the staff's page and its form, and the AVIP status on the family file."""

from contextlib import contextmanager
from datetime import datetime, timezone

from services.gateway import auth
from services.gateway.models import Account, database
from shared import timeutil
from shared.errors import Invalid
from tests.unit.gateway.conftest import STAFF, served_by

RECORDED = {
    "id": "o-1",
    "person_id": "account-x",
    "subjects": [{"role": "family", "id": "family-1"}],
    "kind": "hired",
    "on": "2026-03-12",
    "detail": "CDI",
    "recorded_by": "staff-1",
    "recorded_at": "2026-03-12T10:00:00+01:00",
}
NOW = datetime(2026, 3, 20, 10, tzinfo=timezone.utc)


class Placements:
    """The services as these views call them: placements' outcomes, and bookings' family."""

    def __init__(self, refuse=None, family=None):
        self.sent, self.refuse, self.family = [], refuse, family

    @contextmanager
    def cluster(self, correlation_id=None, context=None):
        yield self

    def close(self):
        pass

    @property
    def placements(self):
        return self

    @property
    def bookings(self):
        return self

    @property
    def notifications(self):
        return self

    def unread_count(self, role, subject_id):
        return {"unread": 0}

    def record_outcome(self, person_id, data, recorded_by):
        self.sent.append(("record_outcome", person_id, data, recorded_by))
        if self.refuse:
            raise self.refuse
        return dict(RECORDED, person_id=person_id, **{k: data[k] for k in ("kind", "on", "detail")})

    def outcomes_of(self, person_id):
        self.sent.append(("outcomes_of", person_id))
        return [dict(RECORDED, person_id=person_id)]

    def list_outcomes(self, person_id, query):
        self.sent.append(("list_outcomes", person_id, query))
        return {"items": [dict(RECORDED, person_id=person_id)], "next_cursor": None}

    def get_family(self, family_id):
        return self.family

    def mandate_terms(self, family_id):
        return {}


def family_account(app):
    with app.app_context(), database.connection_context():
        return Account.get(Account.email == "family@example.fr")


def test_a_coordinator_records_an_outcome_for_the_account_with_its_records(app, client, role_headers, monkeypatch):
    monkeypatch.setattr(timeutil, "now_utc", lambda: NOW)
    placements = served_by(app, Placements())
    parent = family_account(app)
    body = {"kind": "hired", "on": "2026-03-12", "detail": "CDI d'auxiliaire"}
    answer = client.post(f"/api/v1/accounts/{parent.id}/outcomes", json=body, headers=role_headers["coordinator"])
    assert answer.status_code == 201, answer.json
    [(method, person_id, data, recorded_by)] = placements.sent
    assert (method, person_id) == ("record_outcome", parent.id)
    assert data == {**body, "subjects": [{"role": "family", "id": "family-1"}]}
    with app.app_context(), database.connection_context():
        assert recorded_by == Account.get(Account.email == "coordinator@example.fr").id


def test_the_director_records_one_too_and_other_roles_are_refused(app, client, role_headers, monkeypatch):
    monkeypatch.setattr(timeutil, "now_utc", lambda: NOW)
    placements = served_by(app, Placements())
    parent = family_account(app)
    body = {"kind": "job_found", "on": "2026-03-12"}
    assert (
        client.post(f"/api/v1/accounts/{parent.id}/outcomes", json=body, headers=role_headers["director"]).status_code
        == 201
    )
    for role in ("educator", "accounting", "trainer", "family", "trainee", "volunteer"):
        answer = client.post(f"/api/v1/accounts/{parent.id}/outcomes", json=body, headers=role_headers[role])
        assert answer.status_code == 403, role
        assert client.get(f"/api/v1/accounts/{parent.id}/outcomes", headers=role_headers[role]).status_code == 403
    assert len(placements.sent) == 1


def test_a_date_after_today_or_an_unknown_kind_is_refused_before_placements_is_asked(
    app, client, role_headers, monkeypatch
):
    monkeypatch.setattr(timeutil, "now_utc", lambda: NOW)
    placements = served_by(app, Placements())
    parent = family_account(app)
    url = f"/api/v1/accounts/{parent.id}/outcomes"
    tomorrow = client.post(url, json={"kind": "hired", "on": "2026-03-21"}, headers=role_headers["coordinator"])
    assert (tomorrow.status_code, list(tomorrow.json["error"]["fields"])) == (422, ["on"])
    unknown = client.post(url, json={"kind": "retired", "on": "2026-03-12"}, headers=role_headers["coordinator"])
    assert (unknown.status_code, list(unknown.json["error"]["fields"])) == (422, ["kind"])
    assert placements.sent == []


def test_recording_for_an_unknown_account_is_404(app, client, role_headers, monkeypatch):
    monkeypatch.setattr(timeutil, "now_utc", lambda: NOW)
    served_by(app, Placements())
    body = {"kind": "hired", "on": "2026-03-12"}
    assert (
        client.post("/api/v1/accounts/nobody/outcomes", json=body, headers=role_headers["coordinator"]).status_code
        == 404
    )


def test_a_coordinator_reads_a_page_of_the_accounts_outcomes(app, client, role_headers):
    placements = served_by(app, Placements())
    parent = family_account(app)
    answer = client.get(f"/api/v1/accounts/{parent.id}/outcomes?limit=5", headers=role_headers["coordinator"])
    assert answer.status_code == 200
    assert [o["kind"] for o in answer.json] == ["hired"]
    assert placements.sent == [("list_outcomes", parent.id, {"limit": "5"})]


def pages_signed_in(app, email, role, **fields):
    """A client signed in on the pages as a new account (its password: the bootstrap's)."""
    app.config["WTF_CSRF_ENABLED"] = False  # the CSRF refusal has its own browser test
    with app.app_context(), database.connection_context():
        account = auth.create_account(email, STAFF["password"], role, **fields)
    client = app.test_client()
    client.post("/connexion", data={"email": email, "password": STAFF["password"]})
    return client, account


def coordinator_pages(app):
    app.config["WTF_CSRF_ENABLED"] = False  # the CSRF refusal has its own browser test
    with app.app_context(), database.connection_context():
        auth.create_account("coord@example.fr", STAFF["password"], "staff", staff_roles=["coordinator"])
        parent = auth.create_account("parent@example.fr", STAFF["password"], "family", subject_id="family-7")
    client = app.test_client()
    client.post("/connexion", data={"email": "coord@example.fr", "password": STAFF["password"]})
    return client, parent


def test_the_path_page_lists_the_outcomes_in_words_and_its_form_records_one(app, monkeypatch):
    monkeypatch.setattr(timeutil, "now_utc", lambda: NOW)
    placements = served_by(app, Placements())
    client, parent = coordinator_pages(app)
    page = client.get(f"/equipe/comptes/{parent.id}/parcours").get_data(as_text=True)
    assert f'href="/equipe/personnes/{parent.id}/parcours"' in page  # its steps across the services
    assert "Embauche dans la structure" in page and "12 mars 2026" in page
    assert "Noter une suite de parcours" in page
    form = {"kind": "back_to_work", "on": "2026-03-18", "detail": " Reprise à temps partiel "}
    answer = client.post(f"/equipe/comptes/{parent.id}/parcours", data=form)
    assert answer.status_code == 302
    [sent] = [s for s in placements.sent if s[0] == "record_outcome"]
    assert sent[1:3] == (
        parent.id,
        {
            "kind": "back_to_work",
            "on": "2026-03-18",
            "detail": "Reprise à temps partiel",
            "subjects": [{"role": "family", "id": "family-7"}],
        },
    )


def test_the_path_pages_refusal_is_shown_next_to_its_field(app, monkeypatch):
    refusal = Invalid("Certains champs ne sont pas valides.", {"on": ["La date ne peut pas être dans le futur."]})
    served_by(app, Placements(refuse=refusal))
    client, parent = coordinator_pages(app)
    answer = client.post(f"/equipe/comptes/{parent.id}/parcours", data={"kind": "hired", "on": "2030-01-01"})
    assert answer.status_code == 422
    assert 'id="on-erreur">La date ne peut pas être dans le futur.' in answer.get_data(as_text=True)
    empty = client.post(f"/equipe/comptes/{parent.id}/parcours", data={"kind": "hired", "on": ""})
    assert empty.status_code == 422


def test_the_path_page_is_the_coordinators(app, staff):
    served_by(app, Placements())
    client, educator = pages_signed_in(app, "edu@example.fr", "staff", staff_roles=["educator"])
    assert client.get(f"/equipe/comptes/{educator.id}/parcours").status_code == 403
    assert staff.get(f"/equipe/comptes/{educator.id}/parcours").status_code == 200  # the director


FAMILY = {
    "id": "family-1",
    "email": "f@example.fr",
    "guardians": [{"first_name": "Anne", "last_name": "Brun", "phone": "0601020304"}],
    "monthly_resources": "2000.00",
    "dependent_children": 1,
    "aeeh_children": 0,
    "aeeh": False,
    "job_seeker": True,
    "resources_checked_on": None,
    "resources_source": None,
    "job_seeker_checked_on": "2026-01-05",
    "job_search_changed_on": "2026-02-02",
    "back_to_work_on": None,
    "children": [],
    "resources_known": True,
    "postal_address": "",
}


def test_the_family_file_shows_the_job_search_and_its_date(app, staff):
    served_by(app, Placements(family=FAMILY))
    page = staff.get("/equipe/familles/family-1").get_data(as_text=True)
    assert "En recherche d&#39;emploi depuis le 2 février 2026" in page


def test_the_family_file_shows_the_return_to_work_and_its_date(app, staff):
    served_by(app, Placements(family=dict(FAMILY, job_seeker=False, back_to_work_on="2026-03-12")))
    page = staff.get("/equipe/familles/family-1").get_data(as_text=True)
    assert "A repris une activité le 12 mars 2026" in page


def test_a_family_sees_its_own_avip_status(app):
    served_by(app, Placements(family=dict(FAMILY, job_seeker=False, back_to_work_on="2026-03-12")))
    client, _ = pages_signed_in(app, "parent@example.fr", "family", subject_id="family-1")
    page = client.get("/famille/").get_data(as_text=True)
    assert "A repris une activité le 12 mars 2026" in page
