"""A sign-out or a password change ends every session and API token of the account; a replayed
session cookie or an old token is then treated as signed out. DELETE /api/v1/auth/token revokes
the token presented."""

import pytest

from services.gateway import auth
from services.gateway.models import database

PASSWORD = "les-petits-loups"
NEW_PASSWORD = "un-jardin-en-hiver"
EMAIL = "benevole@example.fr"
CREDENTIALS = {"email": EMAIL, "password": PASSWORD}


@pytest.fixture
def signed_up(app):
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context(), database.connection_context():
        auth.create_account(EMAIL, PASSWORD, "volunteer", subject_id="volunteer-1")
    return app


def browser(app):
    client = app.test_client()
    assert client.post("/connexion", data=CREDENTIALS).status_code == 302
    return client


def signed_in(client):
    """True when the password page opens (it sends anyone signed out to the sign-in page)."""
    return client.get("/mot-de-passe").status_code == 200


def bearer(app):
    value = app.test_client().post("/api/v1/auth/token", json=CREDENTIALS).json["token"]
    return {"Authorization": f"Bearer {value}"}


def test_a_session_cookie_replayed_after_a_sign_out_is_signed_out(signed_up):
    client = browser(signed_up)
    cookie = client.get_cookie("session").value
    client.post("/deconnexion")
    replayed = signed_up.test_client()
    replayed.set_cookie("session", cookie)
    assert replayed.get("/mot-de-passe").location == "/connexion?suite=/mot-de-passe"
    assert replayed.get_cookie("session") is None  # the stale session is emptied


def test_a_sign_out_ends_the_account_s_other_sessions_and_its_api_tokens(signed_up):
    leaving, other, headers = browser(signed_up), browser(signed_up), bearer(signed_up)
    leaving.post("/deconnexion")
    assert not signed_in(other)
    assert signed_up.test_client().get("/api/v1/me", headers=headers).status_code == 401


def test_a_password_change_ends_the_other_sessions_and_tokens_but_not_the_one_that_changed_it(signed_up):
    changing, other, headers = browser(signed_up), browser(signed_up), bearer(signed_up)
    changed = changing.post("/mot-de-passe", data={"current": PASSWORD, "new": NEW_PASSWORD})
    assert changed.status_code == 302
    assert signed_in(changing)
    assert not signed_in(other)
    api = signed_up.test_client()
    assert api.get("/api/v1/me", headers=headers).status_code == 401
    assert api.post("/api/v1/auth/token", json=dict(CREDENTIALS, password=NEW_PASSWORD)).status_code == 200


def test_a_token_revoked_by_its_holder_stops_answering_and_the_others_go_on(signed_up):
    api = signed_up.test_client()
    revoked, kept = bearer(signed_up), bearer(signed_up)
    assert api.get("/api/v1/me", headers=revoked).status_code == 200
    answer = api.delete("/api/v1/auth/token", headers=revoked)
    assert (answer.status_code, answer.get_data()) == (204, b"")
    assert api.get("/api/v1/me", headers=revoked).status_code == 401
    assert api.get("/api/v1/me", headers=kept).json["email"] == EMAIL
    assert api.delete("/api/v1/auth/token").status_code == 401  # nothing to revoke without a token
