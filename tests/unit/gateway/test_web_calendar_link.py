"""« Mon agenda »: any signed-in person sees their link and may change it (no broker needed)."""

import re

import pytest

from services.gateway import auth
from services.gateway.models import database

PASSWORD = "les-petits-loups"


@pytest.fixture
def volunteer_client(app):
    app.config["WTF_CSRF_ENABLED"] = False  # the CSRF refusal has its own browser test
    with app.app_context(), database.connection_context():
        auth.create_account("benevole@example.fr", PASSWORD, "volunteer", subject_id="v-1")
    client = app.test_client()
    client.post("/connexion", data={"email": "benevole@example.fr", "password": PASSWORD})
    return client


def shown_link(client):
    page = client.get("/agenda/").get_data(as_text=True)
    return re.search(r'id="lien-agenda" name="lien-agenda" type="url" value="([^"]+)"', page).group(1)


def test_a_visitor_is_sent_to_sign_in(client):
    asked = client.get("/agenda/")
    assert (asked.status_code, asked.location) == (302, "/connexion?suite=/agenda/")


def test_a_signed_in_person_sees_their_link_and_the_nav_leads_there(volunteer_client):
    page = volunteer_client.get("/agenda/").get_data(as_text=True)
    assert "<h1>Mon agenda</h1>" in page
    assert 'href="/agenda/">Mon agenda</a>' in page
    assert shown_link(volunteer_client).endswith(".ics")
    assert "Changer de lien" in page and "Google Agenda" in page and "Outlook" in page


def test_changing_the_link_retires_the_old_one_once_per_form(volunteer_client):
    old = shown_link(volunteer_client)
    form = {"idempotency_key": "formulaire-agenda-1"}
    for _ in range(2):  # a double click: the same form sent twice
        sent = volunteer_client.post("/agenda/nouveau-lien", data=form)
        assert (sent.status_code, sent.location) == (302, "/agenda/")
    assert "L&#39;ancien ne fonctionne plus" in volunteer_client.get("/agenda/").get_data(as_text=True)
    new = shown_link(volunteer_client)
    assert new != old
    assert volunteer_client.get(old[old.index("/calendar/") :]).status_code == 404
    with database.connection_context():
        assert auth.Account.get(auth.Account.email == "benevole@example.fr").calendar_generation == 1
