"""The password policy (10 characters or more, not guessable, not the person's name or email),
the same for a registration, a password change and an account made by staff."""

import pytest

from services.gateway import auth, passwords
from services.gateway.models import Account, database
from tests.api import STAFF
from tests.unit.gateway.conftest import served_by
from tests.unit.gateway.test_web_placements_staff import Placements

EMAIL = "camille.dupont@example.fr"


@pytest.mark.parametrize(
    "password, refusal",
    [
        ("password", passwords.TOO_SHORT),
        ("12345678", passwords.TOO_SHORT),
        (" " * 8, passwords.TOO_SHORT),
        ("x" * 201, passwords.TOO_LONG),
        ("password1234", passwords.GUESSABLE),
        ("1234567890", passwords.GUESSABLE),
        ("azertyuiop", passwords.GUESSABLE),
        (EMAIL, passwords.PERSONAL),
        ("camilledupont", passwords.PERSONAL),
        ("dupont1985!", passwords.PERSONAL),
    ],
)
def test_short_common_patterned_or_personal_passwords_are_refused(password, refusal):
    assert passwords.problem(password, passwords.personal_words(EMAIL, "Camille", "Dupont")) == refusal


@pytest.mark.parametrize("password", ["les-petits-loups", "jardin-1950", "tricot-1948", "une-formation-utile"])
def test_long_unrelated_words_are_accepted(password):
    assert passwords.problem(password, passwords.personal_words(EMAIL, "Camille", "Dupont")) is None


def staff_headers(client):
    return {"Authorization": "Bearer " + client.post("/api/v1/auth/token", json=STAFF).json["token"]}


def test_a_staff_account_made_through_the_api_with_a_weak_password_is_a_422_on_the_field(client):
    body = {"email": EMAIL, "password": "dupont-camille", "first_name": "Camille", "last_name": "Dupont"}
    answer = client.post("/api/v1/staff", json=body, headers=staff_headers(client))
    assert answer.status_code == 422
    assert answer.json["error"]["fields"] == {"password": [passwords.PERSONAL]}


@pytest.mark.parametrize("password", ["12345678", " " * 8, EMAIL, "passwordpassword"])
def test_a_registration_through_the_api_with_a_weak_password_is_refused_before_any_service(
    client, recorded_rpc, password
):
    answer = client.post("/api/v1/families", json={"email": EMAIL, "password": password, "guardians": []})
    assert answer.status_code == 422
    assert list(answer.json["error"]["fields"]) == ["password"]
    assert recorded_rpc.calls == []


def test_the_family_registration_page_shows_the_refusal_next_to_the_password(app, recorded_rpc):
    app.config["WTF_CSRF_ENABLED"] = False
    form = {"email": EMAIL, "password": "camille-dupont", "first_name": "Camille", "last_name": "Dupont"}
    page = app.test_client().post("/inscription", data=form)
    assert page.status_code == 422
    assert 'id="password-erreur">Ce mot de passe reprend votre nom ou votre adresse e-mail' in page.get_data(
        as_text=True
    )
    assert recorded_rpc.calls == []


def test_a_password_change_to_a_weak_password_is_refused_next_to_the_field(app):
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context(), database.connection_context():
        auth.create_account(EMAIL, "les-petits-loups", "family", first_name="Camille", last_name="Dupont")
    client = app.test_client()
    client.post("/connexion", data={"email": EMAIL, "password": "les-petits-loups"})
    for weak, sentence in [("password1234", "trop facile à deviner"), ("camilledupont", "reprend votre nom")]:
        page = client.post("/mot-de-passe", data={"current": "les-petits-loups", "new": weak})
        assert page.status_code == 422
        assert 'id="new-erreur">Ce mot de passe' in page.get_data(as_text=True)
        assert sentence in page.get_data(as_text=True)
    assert client.post("/api/v1/auth/token", json={"email": EMAIL, "password": "les-petits-loups"}).status_code == 200


def test_a_trainee_account_made_with_a_placement_follows_the_policy(app):
    stand_in = served_by(app, Placements())
    app.config["WTF_CSRF_ENABLED"] = False
    staff = app.test_client()
    staff.post("/connexion", data=STAFF)
    with app.app_context(), database.connection_context():
        tutor = Account.get(Account.email == STAFF["email"]).id
    form = {
        "trainee_id": "",
        "first_name": "Lina",
        "last_name": "Roux",
        "email": "lina.roux@example.fr",
        "password": "linaroux2004",
        "birth_date": "2004-05-04",
        "programme": "cap_aepe",
        "school": "Lycée Jean-Moulin",
        "tutor_id": tutor,
        "starts_on": "2030-12-01",
        "ends_on": "2031-02-28",
        "idempotency_key": "k1",
    }
    page = staff.post("/equipe/stages/nouveau", data=form)
    assert page.status_code == 422
    assert 'id="password-erreur">Ce mot de passe reprend votre nom' in page.get_data(as_text=True)
    assert not [call for call in stand_in.calls if call[0] == "register_trainee"]
