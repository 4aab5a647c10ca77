"""Security headers on every page and API answer, the secure cookie and HSTS behind https, no
inline script in the templates, and the request-size limit."""

import io
import re
from pathlib import Path

import pytest

import services.gateway
from services.gateway.app import create_app
from tests.api import STAFF

TEMPLATES = Path(services.gateway.__file__).parent / "templates"

BROKER = "amqp://guest:guest@127.0.0.1:1/"


def test_pages_and_api_answers_carry_the_security_headers_and_are_not_stored(client):
    for path in ("/", "/connexion", "/api/v1/rooms", "/api/openapi.json", "/page-inconnue"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp, path
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Cache-Control"] == "no-store", path
    assert "no-store" not in client.get("/static/site.css").headers.get("Cache-Control", "")


# A file meant to work alone (opened from a tablet's files while the system is down), not a page of the
# site: its script is inline, allowed by its hash when the gateway serves it (register_copy.serve).
SELF_CONTAINED_FILES = {"register_copy.html"}


def test_no_template_has_an_inline_script_or_event_handler():
    found = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        if template.name not in SELF_CONTAINED_FILES:
            found += [(template.name, tag) for tag in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", text)]
        found += [(template.name, handler) for handler in re.findall(r"\son[a-z]+\s*=", text)]
        found += [(template.name, "javascript:") for _ in re.findall(r"javascript:", text)]
    assert found == []


@pytest.fixture
def gateway_url(tmp_path, monkeypatch):
    from shared import migrate
    from tests.api import STAFF_ENV

    for name, value in STAFF_ENV.items():
        monkeypatch.setenv(name, value)
    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    migrate.migrate("gateway", url)
    return url


def signed_in_cookie(app):
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    answer = client.post("/connexion", data=STAFF)
    return answer, answer.headers["Set-Cookie"]


def test_behind_https_the_session_cookie_is_secure_and_browsers_are_told_to_keep_https(gateway_url, monkeypatch):
    monkeypatch.setenv("COCOON_SECURE_COOKIES", "1")
    answer, cookie = signed_in_cookie(create_app({"GATEWAY_DATABASE_URL": gateway_url, "AMQP_URI": BROKER}))
    assert "; Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert answer.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_over_plain_http_in_development_the_cookie_is_not_secure_and_no_hsts_is_sent(gateway_url, monkeypatch):
    monkeypatch.setenv("COCOON_SECURE_COOKIES", "0")
    answer, cookie = signed_in_cookie(create_app({"GATEWAY_DATABASE_URL": gateway_url, "AMQP_URI": BROKER}))
    assert "Secure" not in cookie
    assert "Strict-Transport-Security" not in answer.headers


def test_a_secure_cookies_setting_that_is_not_1_or_0_stops_the_start(gateway_url, monkeypatch):
    monkeypatch.setenv("COCOON_SECURE_COOKIES", "oui")
    with pytest.raises(ValueError, match="COCOON_SECURE_COOKIES='oui'"):
        create_app({"GATEWAY_DATABASE_URL": gateway_url, "AMQP_URI": BROKER})


def test_a_session_lasts_the_hours_set_not_flask_s_31_days(gateway_url, monkeypatch):
    monkeypatch.setenv("COCOON_SESSION_HOURS", "8")
    app = create_app({"GATEWAY_DATABASE_URL": gateway_url, "AMQP_URI": BROKER})
    assert app.permanent_session_lifetime.total_seconds() == 8 * 3600


class UnreadableBody:
    """A request body that must not be read."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


@pytest.mark.parametrize("path", ["/api/v1/families", "/api/v1/auth/token", "/connexion", "/inscription"])
def test_a_body_above_the_limit_is_refused_413_without_being_read(client, path):
    answer = client.post(
        path,
        environ_overrides={"CONTENT_LENGTH": str(100 * 1024 * 1024), "wsgi.input": UnreadableBody()},
        content_type="application/json" if path.startswith("/api/") else "application/x-www-form-urlencoded",
    )
    assert answer.status_code == 413
    if path.startswith("/api/"):
        assert answer.json["error"]["code"] == "payload_too_large"
        assert answer.json["error"]["message"] == "Le corps de la requête dépasse la taille permise (1 Mio)."
    else:
        assert "dépasse 1 Mio" in answer.get_data(as_text=True)


def test_the_request_size_limit_is_a_setting(gateway_url, monkeypatch):
    monkeypatch.setenv("COCOON_MAX_REQUEST_BYTES", "2048")
    client = create_app({"GATEWAY_DATABASE_URL": gateway_url, "AMQP_URI": BROKER}).test_client()
    assert client.post("/api/v1/auth/token", json=dict(STAFF, password="x" * 1900)).status_code == 401
    assert client.post("/api/v1/auth/token", json=dict(STAFF, password="x" * 2100)).status_code == 413


class CountingBody(io.BytesIO):
    """A body that remembers how much of it was read."""

    taken = 0

    def read(self, size=-1):
        data = super().read(size)
        self.taken += len(data)
        return data

    def readinto(self, buffer):
        count = super().readinto(buffer)
        self.taken += count
        return count


def test_a_chunked_body_without_a_length_is_read_no_further_than_the_limit(gateway_url, monkeypatch):
    monkeypatch.setenv("COCOON_MAX_REQUEST_BYTES", "2048")
    client = create_app({"GATEWAY_DATABASE_URL": gateway_url, "AMQP_URI": BROKER}).test_client()
    body = CountingBody(b'{"email": "' + b"x" * 100_000 + b'"}')
    answer = client.post(
        "/api/v1/auth/token",
        content_type="application/json",
        # as gunicorn hands a chunked body over: no length, a stream it ends itself
        environ_overrides={"CONTENT_LENGTH": "", "wsgi.input_terminated": True, "wsgi.input": body},
    )
    assert answer.status_code in (400, 413)  # the cut body is no JSON, or Werkzeug saw it go on
    assert body.taken <= 2048
