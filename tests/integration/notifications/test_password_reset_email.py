"""« Mot de passe oublié ? » on the real broker: the gateway asks the notifications service for the
email (its send_password_reset command), which sends it through a real local SMTP server
(aiosmtpd) with the link on COCOON_PUBLIC_URL; the link then sets the new password, once."""

import email
import re
from email.policy import default as default_policy
from urllib.parse import parse_qs, urlsplit

from services.gateway.models import Account, database
from tests.api import STAFF
from tests.support import call, wait_for

NEW_PASSWORD = "un-jardin-en-hiver"


def link_in(raw):
    body = email.message_from_bytes(raw, policy=default_policy).get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://\S+", body).group(0)


def test_the_reset_email_reaches_its_person_through_the_notifications_service(api, client, notifications, smtp):
    smtp.start()
    answer = api.post("/api/v1/auth/password-reset", json={"email": STAFF["email"]}, headers={"Host": "piege.example"})
    assert answer.status_code == 202, answer.json

    wait_for(lambda: smtp.messages, timeout=15, message="the reset email")
    [(to, raw)] = smtp.messages
    assert to == [STAFF["email"]]
    link = link_in(raw)
    assert link.startswith(client.application.config["PUBLIC_URL"] + "/mot-de-passe-oublie/nouveau?jeton=")

    with client.application.app_context(), database.connection_context():
        staff_id = Account.get(Account.email == STAFF["email"]).id
    [notice] = call(notifications, "list_notifications", "staff", staff_id, {})["items"]
    assert notice["kind"] == "password_reset" and "jeton" not in notice["text"]

    token = parse_qs(urlsplit(link).query)["jeton"][0]
    confirm = {"token": token, "password": NEW_PASSWORD}
    assert api.post("/api/v1/auth/password-reset/confirm", json=confirm).status_code == 200
    assert api.post("/api/v1/auth/password-reset/confirm", json=confirm).status_code == 422  # once
    signed_in = api.post("/api/v1/auth/token", json={"email": STAFF["email"], "password": NEW_PASSWORD})
    assert signed_in.status_code == 200


def test_an_unknown_email_gets_the_same_answer_and_no_email(api, notifications, smtp):
    smtp.start()
    answer = api.post("/api/v1/auth/password-reset", json={"email": "personne@example.fr"})
    assert answer.status_code == 202
    known = api.post("/api/v1/auth/password-reset", json={"email": STAFF["email"]})
    assert known.json == answer.json
    wait_for(lambda: smtp.messages, timeout=15, message="the known address's email")
    assert [to for to, _ in smtp.messages] == [[STAFF["email"]]]
