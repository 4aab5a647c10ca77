"""One limiter for both sign-ins (the page and the token API) and for registrations: failed
attempts counted per account and per address in the gateway's database, successes not counted,
429 with Retry-After."""

from datetime import timedelta

import pytest
from flask import request

from services.gateway import auth
from services.gateway.app import create_app
from services.gateway.models import Attempt, database
from shared import migrate
from tests.api import STAFF_ENV

PASSWORD = "les-petits-loups"
EMAIL = "famille@example.fr"
BROKER = "amqp://guest:guest@127.0.0.1:1/"


@pytest.fixture
def gateway_url(tmp_path, monkeypatch):
    for name, value in STAFF_ENV.items():
        monkeypatch.setenv(name, value)
    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    migrate.migrate("gateway", url)
    return url


def make_app(url, **settings):
    app = create_app({"GATEWAY_DATABASE_URL": url, "AMQP_URI": BROKER, "WTF_CSRF_ENABLED": False, **settings})
    with app.app_context(), database.connection_context():
        if not auth.email_taken(EMAIL):
            auth.create_account(EMAIL, PASSWORD, "family", subject_id="family-1")
    return app


def token(client, password, email=EMAIL, address="192.0.2.10"):
    return client.post(
        "/api/v1/auth/token", json={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address}
    )


def page_sign_in(client, password, email=EMAIL, address="192.0.2.10"):
    return client.post("/connexion", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address})


def test_the_token_api_refuses_even_the_right_password_after_five_wrong_ones(gateway_url):
    client = make_app(gateway_url).test_client()
    assert [token(client, f"faux-{n}").status_code for n in range(5)] == [401] * 5
    refused = token(client, PASSWORD)
    assert refused.status_code == 429
    assert refused.json["error"]["code"] == "too_many_requests"
    assert refused.json["error"]["message"] == "Trop d'essais pour cette adresse e-mail. Réessayez dans une minute."
    assert 0 < int(refused.headers["Retry-After"]) <= 60


def test_successful_sign_ins_are_not_counted(gateway_url):
    client = make_app(gateway_url).test_client()
    assert [page_sign_in(client, PASSWORD).status_code for _ in range(8)] == [302] * 8
    assert [token(client, PASSWORD).status_code for _ in range(8)] == [200] * 8


def test_the_page_and_the_api_count_the_same_failures_of_an_account(gateway_url):
    client = make_app(gateway_url).test_client()
    for n in range(3):
        assert page_sign_in(client, f"faux-{n}", address=f"192.0.2.{n}").status_code == 401
    for n in range(2):
        assert token(client, f"faux-api-{n}", address=f"198.51.100.{n}").status_code == 401
    refused = page_sign_in(client, PASSWORD, address="203.0.113.9")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert "Trop d&#39;essais pour cette adresse e-mail. Réessayez dans une minute." in refused.get_data(as_text=True)


def test_failures_from_one_address_are_counted_whatever_the_accounts(gateway_url):
    client = make_app(gateway_url, LOGIN_LIMIT_PER_ADDRESS="3 per minute").test_client()
    for n in range(3):
        assert token(client, "faux-faux", email=f"personne{n}@example.fr").status_code == 401
    refused = token(client, PASSWORD)
    assert refused.status_code == 429
    assert refused.json["error"]["message"].startswith("Trop d'essais depuis cet appareil.")
    assert token(client, PASSWORD, address="192.0.2.99").status_code == 200  # another address


def test_every_worker_and_replica_sharing_the_database_counts_the_same_failures(gateway_url):
    first, second = make_app(gateway_url).test_client(), make_app(gateway_url).test_client()
    for n in range(5):
        assert token(first if n % 2 else second, f"faux-{n}").status_code == 401
    assert token(first, PASSWORD).status_code == 429
    assert token(second, PASSWORD).status_code == 429


def test_an_account_signs_in_again_once_its_failures_left_the_window(gateway_url):
    app = make_app(gateway_url)
    client = app.test_client()
    for n in range(5):
        token(client, f"faux-{n}")
    assert token(client, PASSWORD).status_code == 429
    with app.app_context(), database.connection_context():
        for attempt in Attempt.select():
            attempt.created_at -= timedelta(seconds=61)
            attempt.save()
    assert token(client, PASSWORD).status_code == 200


def test_registrations_from_one_address_are_limited_and_an_existing_email_still_says_so(gateway_url):
    client = make_app(gateway_url, REGISTRATION_LIMIT_PER_ADDRESS="2 per hour").test_client()
    taken = client.post("/api/v1/families", json={"email": EMAIL, "password": "un-autre-jardin-fleuri"})
    assert taken.status_code == 409
    assert taken.json["error"]["message"] == "Un compte existe déjà avec cette adresse."
    page = client.post("/inscription", data={"email": "nouvelle@example.fr", "password": "court"})
    assert page.status_code == 422
    refused = client.post("/api/v1/volunteers", json={"email": "autre@example.fr"})
    assert refused.status_code == 429
    assert refused.json["error"]["message"] == "Trop d'inscriptions depuis cet appareil. Réessayez dans 60 minutes."
    assert 3500 < int(refused.headers["Retry-After"]) <= 3600
    again = client.post("/benevole/inscription", data={"email": "autre@example.fr"})
    assert again.status_code == 429 and "Trop d&#39;inscriptions depuis cet appareil." in again.get_data(as_text=True)


def forwarded(client, password, client_address, proxy="10.0.0.2"):
    """A sign-in relayed by a proxy at `proxy`, which added the client's address to X-Forwarded-For."""
    return client.post(
        "/api/v1/auth/token",
        json={"email": EMAIL, "password": password},
        headers={"X-Forwarded-For": client_address, "X-Forwarded-Proto": "https"},
        environ_base={"REMOTE_ADDR": proxy},
    )


def test_behind_a_trusted_proxy_each_family_is_counted_by_its_own_address(gateway_url):
    client = make_app(gateway_url, TRUSTED_PROXIES=1, LOGIN_LIMIT_PER_ADDRESS="3 per minute").test_client()
    for _ in range(3):
        assert forwarded(client, "faux-faux", "198.51.100.7").status_code == 401
    assert forwarded(client, PASSWORD, "198.51.100.7").json["error"]["message"].startswith("Trop d'essais depuis")
    assert forwarded(client, PASSWORD, "203.0.113.20").status_code == 200  # another family, same proxy


def test_without_trusted_proxies_a_forged_x_forwarded_for_does_not_change_the_address_counted(gateway_url):
    client = make_app(gateway_url, LOGIN_LIMIT_PER_ADDRESS="3 per minute").test_client()
    for n in range(3):
        assert forwarded(client, "faux-faux", f"198.51.100.{n}").status_code == 401
    refused = forwarded(client, PASSWORD, "203.0.113.20")  # a new forged address each time: still the same peer
    assert refused.status_code == 429
    assert refused.json["error"]["message"].startswith("Trop d'essais depuis cet appareil.")


def test_behind_one_proxy_only_the_address_it_added_counts_not_one_the_client_wrote_before_it(gateway_url):
    client = make_app(gateway_url, TRUSTED_PROXIES=1, LOGIN_LIMIT_PER_ADDRESS="3 per minute").test_client()
    for n in range(3):  # the client writes a new address each time; the proxy appends the real one
        assert forwarded(client, "faux-faux", f"192.0.2.{n}, 198.51.100.7").status_code == 401
    assert forwarded(client, PASSWORD, "192.0.2.77, 198.51.100.7").status_code == 429


def test_behind_a_trusted_proxy_the_request_knows_it_came_over_https(gateway_url):
    app = make_app(gateway_url, TRUSTED_PROXIES=1)
    seen = {}

    @app.get("/_where")
    def _where():
        seen.update(scheme=request.scheme, host=request.host, address=request.remote_addr)
        return "ok"

    app.test_client().get(
        "/_where",
        headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "cocoon.example.fr", "X-Forwarded-For": "1.2.3.4"},
    )
    assert seen == {"scheme": "https", "host": "cocoon.example.fr", "address": "1.2.3.4"}
