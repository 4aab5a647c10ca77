"""« Mot de passe oublié ? » and staff's hold on accounts (no broker: the notifications service is
stood in for): the same answer whether or not the email has an account, a link on the venue's
configured address that serves once within the hour and ends every session and token, the
requests limited; a deactivated account cannot sign in and loses its sessions and tokens at once."""

from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from nameko.exceptions import RpcTimeout

from services.gateway import auth
from services.gateway.models import Account, AuditEntry, PasswordReset, database
from tests.api import STAFF
from tests.unit.gateway.conftest import bearer_of

EMAIL = "lea@example.fr"
PASSWORD = "les-petits-loups"
NEW_PASSWORD = "un-jardin-en-hiver"
PUBLIC_URL = "https://creche.example.fr"


class NotificationsStandIn:
    """The notifications service: records each reset email asked for; `down` makes it time out."""

    def __init__(self):
        self.sent, self.down = [], False

    @contextmanager
    def cluster(self, correlation_id=None, context=None):
        yield self

    @property
    def notifications(self):
        return self

    def send_password_reset(self, request):
        if self.down:
            raise RpcTimeout()
        self.sent.append(request)
        return {"accepted": True}

    def unread_count(self, role, subject_id):
        return {"unread": 0}


@pytest.fixture
def mail(app):
    app.config["WTF_CSRF_ENABLED"] = False
    app.config["PUBLIC_URL"] = PUBLIC_URL
    app.extensions["rpc_pool"] = app.extensions["ready_pool"] = stand_in = NotificationsStandIn()
    with app.app_context(), database.connection_context():
        stand_in.account_id = auth.create_account(EMAIL, PASSWORD, "volunteer", subject_id="volunteer-1").id
    return stand_in


def token_of(request):
    return parse_qs(urlsplit(request["link"]).query)["jeton"][0]


def ask(client, email=EMAIL, **kwargs):
    return client.post("/api/v1/auth/password-reset", json={"email": email}, **kwargs)


def confirm(client, token, password=NEW_PASSWORD):
    return client.post("/api/v1/auth/password-reset/confirm", json={"token": token, "password": password})


def signs_in(client, password):
    return client.post("/api/v1/auth/token", json={"email": EMAIL, "password": password})


def test_a_known_and_an_unknown_email_get_the_same_202_and_only_the_known_one_an_email(client, mail):
    known, unknown = ask(client), ask(client, "personne@example.fr")
    assert known.status_code == unknown.status_code == 202
    assert known.json == unknown.json
    [sent] = mail.sent
    assert (sent["email"], sent["role"], sent["subject_id"], sent["valid_minutes"]) == (
        EMAIL,
        "volunteer",
        "volunteer-1",
        60,
    )


def test_the_link_is_on_the_configured_public_address_whatever_the_request_s_host(client, mail):
    ask(client, headers={"Host": "piege.example.com"})
    [sent] = mail.sent
    assert sent["link"].startswith(f"{PUBLIC_URL}/mot-de-passe-oublie/nouveau?jeton=")
    assert "piege" not in sent["link"]


def test_the_link_is_stored_hashed(app, client, mail):
    ask(client)
    with app.app_context(), database.connection_context():
        [row] = PasswordReset.select()
    assert row.token_hash == auth.digest(token_of(mail.sent[0])) != token_of(mail.sent[0])


def test_the_link_sets_the_new_password_and_ends_every_session_and_token(app, client, mail):
    old_token = bearer_of_volunteer(client)
    page = app.test_client()
    page.post("/connexion", data={"email": EMAIL, "password": PASSWORD})
    ask(client)
    answer = confirm(client, token_of(mail.sent[0]))
    assert answer.status_code == 200, answer.json
    assert answer.json["email"] == EMAIL
    assert client.get("/api/v1/me", headers=old_token).status_code == 401
    assert page.get("/mot-de-passe").status_code == 302  # the page session ended too
    assert signs_in(client, PASSWORD).status_code == 401
    assert signs_in(client, NEW_PASSWORD).status_code == 200


def bearer_of_volunteer(client):
    return {"Authorization": f"Bearer {signs_in(client, PASSWORD).json['token']}"}


def test_a_link_used_once_is_refused_the_second_time(client, mail):
    ask(client)
    token = token_of(mail.sent[0])
    assert confirm(client, token).status_code == 200
    again = confirm(client, token, "encore-un-autre-jardin-bleu")
    assert again.status_code == 422
    assert again.json["error"]["fields"]["token"] == [
        "Ce lien a déjà servi : demandez-en un nouveau depuis « Mot de passe oublié ? »."
    ]
    assert signs_in(client, NEW_PASSWORD).status_code == 200


@pytest.mark.parametrize(("minutes", "status"), [(59, 200), (61, 422)])
def test_a_link_works_59_minutes_after_it_was_sent_but_not_61(app, client, mail, minutes, status):
    ask(client)
    with app.app_context(), database.connection_context():
        row = PasswordReset.get()
        PasswordReset.update(created_at=row.created_at - timedelta(minutes=minutes)).execute()
    assert confirm(client, token_of(mail.sent[0])).status_code == status


def test_a_weak_password_is_refused_in_french_and_the_link_still_serves(client, mail):
    ask(client)
    token = token_of(mail.sent[0])
    weak = confirm(client, token, "azertyuiop")
    assert weak.status_code == 422
    assert weak.json["error"]["fields"]["password"][0].startswith("Ce mot de passe est trop facile à deviner")
    assert confirm(client, token).status_code == 200


def test_an_unknown_token_is_refused(client, mail):
    answer = confirm(client, "pas-un-jeton")
    assert answer.status_code == 422
    assert "n'est pas valable" in answer.json["error"]["fields"]["token"][0]


def test_requests_for_one_email_are_limited_like_sign_ins_and_say_so_in_french(client, mail):
    answers = [ask(client, "personne@example.fr").status_code for _ in range(6)]
    assert answers == [202] * 5 + [429]
    refused = ask(client, "personne@example.fr")
    assert refused.headers["Retry-After"]
    assert refused.json["error"]["message"].startswith("Trop d'essais pour cette adresse e-mail.")


def test_the_answer_is_the_same_when_the_notifications_service_does_not_answer(client, mail):
    mail.down = True
    assert ask(client).status_code == 202


def test_staff_send_a_link_to_anyone_and_others_may_not(client, mail, role_headers):
    answer = client.post(f"/api/v1/accounts/{mail.account_id}/password-reset", headers=role_headers["staff"])
    assert answer.status_code == 202
    assert mail.sent[-1]["by_staff"] is True and mail.sent[-1]["email"] == EMAIL
    refused = client.post(f"/api/v1/accounts/{mail.account_id}/password-reset", headers=role_headers["family"])
    assert refused.status_code == 403
    assert client.post("/api/v1/accounts/inconnu/password-reset", headers=role_headers["staff"]).status_code == 404


def test_a_deactivated_account_cannot_sign_in_and_loses_its_tokens_and_sessions_at_once(app, client, mail):
    staff = bearer_of(client, "staff")
    token = bearer_of_volunteer(client)
    page = app.test_client()
    page.post("/connexion", data={"email": EMAIL, "password": PASSWORD})
    answer = client.post(f"/api/v1/accounts/{mail.account_id}/deactivate", headers=staff)
    assert answer.status_code == 200 and answer.json["active"] is False
    assert client.get("/api/v1/me", headers=token).status_code == 401
    assert page.get("/mot-de-passe").status_code == 302
    refused = signs_in(client, PASSWORD)
    assert (refused.status_code, refused.json["error"]["message"]) == (
        403,
        "Ce compte est désactivé : adressez-vous à l'accueil.",
    )
    signed_in_page = app.test_client().post("/connexion", data={"email": EMAIL, "password": PASSWORD})
    assert signed_in_page.status_code == 403
    assert "Ce compte est désactivé : adressez-vous à l" in signed_in_page.get_data(as_text=True)
    with app.app_context(), database.connection_context():
        assert Account.get_by_id(mail.account_id).subject_id == "volunteer-1"  # nothing deleted


def test_a_reactivated_account_signs_in_again_with_the_same_password(client, mail):
    staff = bearer_of(client, "staff")
    client.post(f"/api/v1/accounts/{mail.account_id}/deactivate", headers=staff)
    answer = client.post(f"/api/v1/accounts/{mail.account_id}/reactivate", headers=staff)
    assert answer.status_code == 200 and answer.json["active"] is True
    assert signs_in(client, PASSWORD).status_code == 200


def test_a_deactivated_account_gets_no_link_and_its_pending_links_stop(client, mail):
    ask(client)
    token = token_of(mail.sent[0])
    client.post(f"/api/v1/accounts/{mail.account_id}/deactivate", headers=bearer_of(client, "staff"))
    assert ask(client).status_code == 202
    assert len(mail.sent) == 1
    assert confirm(client, token).status_code == 422


def test_staff_cannot_deactivate_their_own_account(app, client, mail):
    with app.app_context(), database.connection_context():
        own = Account.get(Account.email == STAFF["email"]).id
    answer = client.post(f"/api/v1/accounts/{own}/deactivate", headers=bearer_of(client, "staff"))
    assert answer.status_code == 409


# --- the pages ---
def test_the_sign_in_page_offers_the_forgotten_password_page(client, mail):
    page = client.get("/connexion").get_data(as_text=True)
    assert "Mot de passe oublié ?" in page and 'href="/mot-de-passe-oublie/"' in page


def test_the_forgotten_password_page_answers_the_same_for_a_known_and_an_unknown_email(client, mail):
    known = client.post("/mot-de-passe-oublie/", data={"email": EMAIL})
    unknown = client.post("/mot-de-passe-oublie/", data={"email": "personne@example.fr"})
    assert known.status_code == unknown.status_code == 202
    assert known.get_data(as_text=True).replace(EMAIL, "X") == unknown.get_data(as_text=True).replace(
        "personne@example.fr", "X"
    )
    assert "Si un compte actif existe" in known.get_data(as_text=True)
    assert len(mail.sent) == 1


def test_the_emailed_link_opens_the_form_and_the_new_password_signs_in(client, mail):
    client.post("/mot-de-passe-oublie/", data={"email": EMAIL})
    path = mail.sent[0]["link"].removeprefix(PUBLIC_URL)
    form = client.get(path)
    assert form.status_code == 200 and "Choisir un nouveau mot de passe" in form.get_data(as_text=True)
    weak = client.post("/mot-de-passe-oublie/nouveau", data={"jeton": token_of(mail.sent[0]), "password": "court"})
    assert weak.status_code == 422 and "au moins 10 caractères" in weak.get_data(as_text=True)
    done = client.post("/mot-de-passe-oublie/nouveau", data={"jeton": token_of(mail.sent[0]), "password": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"].endswith("/connexion")
    assert client.get(path).status_code == 410  # used: the page says so and offers a new link
    assert signs_in(client, NEW_PASSWORD).status_code == 200


def test_the_staff_accounts_page_deactivates_reactivates_and_sends_a_link(app, staff, mail):
    listing = staff.get("/equipe/comptes/?role=volunteer").get_data(as_text=True)
    assert EMAIL in listing and "Désactiver" in listing and "Envoyer un lien de réinitialisation" in listing
    staff.post(f"/equipe/comptes/{mail.account_id}/desactiver")
    assert "Réactiver" in staff.get("/equipe/comptes/?role=volunteer").get_data(as_text=True)
    assert signs_in(app.test_client(), PASSWORD).status_code == 403
    staff.post(f"/equipe/comptes/{mail.account_id}/reactiver")
    assert signs_in(app.test_client(), PASSWORD).status_code == 200
    sent = staff.post(f"/equipe/comptes/{mail.account_id}/lien", follow_redirects=True)
    assert "Un lien de réinitialisation a été envoyé à lea@example.fr" in sent.get_data(as_text=True)
    assert mail.sent[-1]["by_staff"] is True


def test_a_reset_and_a_deactivation_are_written_in_the_audit_trail(app, client, mail):
    staff = bearer_of(client, "staff")
    ask(client)
    assert confirm(client, token_of(mail.sent[0])).status_code == 200
    client.post(f"/api/v1/accounts/{mail.account_id}/deactivate", headers=staff)
    client.post(f"/api/v1/accounts/{mail.account_id}/reactivate", headers=staff)
    with app.app_context(), database.connection_context():
        lines = [
            (e.action, e.actor_role)
            for e in AuditEntry.select().order_by(AuditEntry.created_at, AuditEntry.id)
            if f" {mail.account_id} " in e.subjects
        ]
    assert ("password_reset_sent", "") in lines and ("password_reset", "") in lines
    assert ("account_deactivated", "staff") in lines and ("account_reactivated", "staff") in lines
