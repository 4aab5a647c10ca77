"""The staff roles on a staff account (services/gateway/staff_roles.py): read from the team service
at each sign-in, written at once when they change through the gateway, never older over newer."""

from contextlib import contextmanager

import pytest
from nameko.exceptions import UnknownService

from services.gateway import auth, staff_roles
from services.gateway.models import database
from shared.errors import Conflict, NotFound
from tests.api import STAFF
from tests.unit.gateway.conftest import ASK_TEAM

PASSWORD = STAFF["password"]


class Team:
    """Stands in for the team service: each profile's staff roles and roles_version, by id."""

    def __init__(self, down=False):
        self.profiles, self.registered, self.down = {}, [], down

    @contextmanager
    def cluster(self, correlation_id=None, context=None):
        if self.down:
            raise UnknownService("team")
        yield self

    @property
    def team(self):
        return self

    @property
    def bookings(self):  # what the invoices' list asks, once let in
        return self

    def list_invoices(self, query):
        return {"items": [], "next_cursor": None}

    def staff_access(self, staff_id):
        if staff_id not in self.profiles:
            raise NotFound("Membre de l'équipe introuvable.")
        return {"staff_id": staff_id, **self.profiles[staff_id]}

    def register_staff(self, profile):
        if any(p.get("email") == profile["email"] for p in self.profiles.values()):
            raise Conflict("Cette adresse est déjà celle d'un membre de l'équipe.", {"email": ["déjà utilisée"]})
        self.registered.append(profile)
        self.profiles[profile["id"]] = {
            "staff_roles": profile["staff_roles"],
            "roles_version": 1,
            "email": profile["email"],
        }
        return self.staff_access(profile["id"])

    def update_staff(self, staff_id, data):
        held = self.profiles[staff_id]
        held.update(staff_roles=data["staff_roles"], roles_version=held["roles_version"] + 1)
        return self.staff_access(staff_id)


@pytest.fixture
def team(app, monkeypatch):
    monkeypatch.setattr(staff_roles, "_ask_team", ASK_TEAM)  # the real read, against the stand-in
    app.extensions["rpc_pool"] = stand_in = Team()
    return stand_in


def account(app, email, **staff):
    with app.app_context(), database.connection_context():
        return auth.create_account(email, PASSWORD, "staff", **staff)


def held(app, account_id):
    with app.app_context(), database.connection_context():
        found = auth.Account.get_by_id(account_id)
        return found.staff_roles, found.staff_roles_version


def sign_in(client, email):
    return client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})


def test_a_sign_in_takes_the_staff_roles_team_keeps_now(app, client, team):
    made = account(app, "ines@example.fr", staff_roles=["educator"], staff_roles_version=1)
    team.profiles[made.id] = {"staff_roles": ["educator", "accounting"], "roles_version": 2}
    assert sign_in(client, "ines@example.fr").status_code == 200
    assert held(app, made.id) == (["educator", "accounting"], 2)


def test_an_older_answer_never_puts_back_roles_changed_since(app, client, team):
    made = account(app, "ines@example.fr", staff_roles=["accounting"], staff_roles_version=3)
    team.profiles[made.id] = {"staff_roles": ["director"], "roles_version": 2}  # read before the change
    assert sign_in(client, "ines@example.fr").status_code == 200
    assert held(app, made.id) == (["accounting"], 3)


def test_team_down_signs_in_with_the_roles_team_last_gave_and_never_more(app, client, team):
    made = account(app, "ines@example.fr", staff_roles=["educator"], staff_roles_version=2)
    team.down = True
    assert sign_in(client, "ines@example.fr").status_code == 200
    assert held(app, made.id) == (["educator"], 2)


def test_the_bootstrap_account_is_a_director_and_gets_its_team_profile_at_its_first_sign_in(app, client, team):
    assert sign_in(client, STAFF["email"]).status_code == 200
    [profile] = team.registered
    assert (profile["email"], profile["staff_roles"]) == (STAFF["email"], ["director"])
    assert held(app, profile["id"]) == (["director"], 1)


def test_an_older_staff_account_without_a_profile_has_no_staff_role(app, client, team):
    made = account(app, "ancien@example.fr")
    assert sign_in(client, "ancien@example.fr").status_code == 200
    assert held(app, made.id) == ([], 0)
    assert team.registered == []


def test_a_change_of_staff_roles_opens_the_way_at_once_with_the_same_token(app, client, team):
    made = account(app, "ines@example.fr", staff_roles=["educator"], staff_roles_version=1)
    team.profiles[made.id] = {"staff_roles": ["educator"], "roles_version": 1}
    ines = {"Authorization": f"Bearer {sign_in(client, 'ines@example.fr').json['token']}"}
    director = {"Authorization": f"Bearer {sign_in(client, STAFF['email']).json['token']}"}
    assert client.get("/api/v1/invoices", headers=ines).status_code == 403
    changed = client.patch(
        f"/api/v1/staff/{made.id}", json={"staff_roles": ["educator", "accounting"]}, headers=director
    )
    assert changed.status_code == 200
    assert client.get("/api/v1/invoices", headers=ines).status_code == 200
    client.patch(f"/api/v1/staff/{made.id}", json={"staff_roles": ["accounting"]}, headers=director)
    assert client.post("/api/v1/bookings/b-1/check-in", headers=ines).status_code == 403


def test_a_bootstrap_account_whose_email_team_already_holds_under_another_id_still_signs_in_as_director(
    app, client, team
):
    team.profiles["other-gateway-id"] = {"staff_roles": ["director"], "roles_version": 4, "email": STAFF["email"]}
    assert sign_in(client, STAFF["email"]).status_code == 200
    assert team.registered == []
    with app.app_context(), database.connection_context():
        found = auth.Account.get(auth.Account.email == STAFF["email"])
    assert found.staff_roles == ["director"]
