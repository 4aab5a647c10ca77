"""Sign-in on the pages: back to the page that asked for it, and only to a page of this site."""

import pytest

from services.gateway import auth
from services.gateway.models import database
from services.gateway.web.public import local_path

PASSWORD = "les-petits-loups"


@pytest.fixture
def family_client(app):
    app.config["WTF_CSRF_ENABLED"] = False  # the CSRF refusal has its own browser test
    with app.app_context(), database.connection_context():
        auth.create_account("famille@example.fr", PASSWORD, "family", subject_id="family-1")
    return app.test_client()


def sign_in(client, suite):
    return client.post("/connexion", data={"email": "famille@example.fr", "password": PASSWORD, "suite": suite})


def test_a_visitor_sent_to_sign_in_comes_back_to_the_page_asked_for(family_client):
    asked = family_client.get("/famille/creneaux")
    assert asked.status_code == 302 and asked.location == "/connexion?suite=/famille/creneaux"
    form = family_client.get("/connexion?suite=/famille/creneaux").get_data(as_text=True)
    assert 'name="suite" value="/famille/creneaux"' in form
    signed_in = sign_in(family_client, "/famille/creneaux")
    assert (signed_in.status_code, signed_in.location) == (302, "/famille/creneaux")


@pytest.mark.parametrize(
    "elsewhere", ["https://ailleurs.example/", "//ailleurs.example/", "javascript:alert(1)", "famille"]
)
def test_a_return_address_outside_the_site_is_ignored(family_client, elsewhere):
    signed_in = sign_in(family_client, elsewhere)
    assert (signed_in.status_code, signed_in.location) == (302, "/famille/")


def test_only_paths_of_this_site_are_kept():
    assert local_path("/famille/reservations?mois=2026-12") == "/famille/reservations?mois=2026-12"
    assert local_path("/\\ailleurs.example") == ""
    assert local_path("") == ""


def test_anyone_signed_in_changes_their_password_and_signs_in_with_the_new_one(app):
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context(), database.connection_context():
        auth.create_account("benevole@example.fr", PASSWORD, "volunteer", subject_id="volunteer-1")
    client = app.test_client()
    assert client.get("/mot-de-passe").location == "/connexion?suite=/mot-de-passe"
    client.post("/connexion", data={"email": "benevole@example.fr", "password": PASSWORD})
    wrong = client.post("/mot-de-passe", data={"current": "pas-le-bon", "new": "court"})
    page = wrong.get_data(as_text=True)
    assert wrong.status_code == 422
    assert "Ce n&#39;est pas votre mot de passe actuel." in page and "au moins 10 caractères" in page
    changed = client.post("/mot-de-passe", data={"current": PASSWORD, "new": "un-jardin-en-hiver"})
    assert changed.status_code == 302
    client.post("/deconnexion")
    assert client.post("/connexion", data={"email": "benevole@example.fr", "password": PASSWORD}).status_code == 401
    again = client.post("/connexion", data={"email": "benevole@example.fr", "password": "un-jardin-en-hiver"})
    assert again.status_code == 302


def test_sign_ins_from_one_address_stop_at_the_venue_s_limit_whatever_the_accounts(tmp_path, monkeypatch):
    from services.gateway.app import create_app
    from shared import migrate
    from tests.api import STAFF_ENV

    for name, value in STAFF_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("COCOON_LOGIN_LIMIT_PER_ADDRESS", "3 per minute")
    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    migrate.migrate("gateway", url)
    app = create_app({"GATEWAY_DATABASE_URL": url, "AMQP_URI": "amqp://guest:guest@127.0.0.1:1/"})
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    address = {"REMOTE_ADDR": "192.0.2.33"}
    form = {"password": "pas-le-bon"}
    answers = [
        client.post("/connexion", data=dict(form, email=f"personne{n}@example.fr"), environ_base=address)
        for n in range(4)
    ]
    assert 429 not in [a.status_code for a in answers[:3]]
    assert answers[3].status_code == 429
    assert "Trop d&#39;essais depuis cet appareil" in answers[3].get_data(as_text=True)
