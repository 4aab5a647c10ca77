"""Hand-made bad requests over the JSON API and the pages: each is refused with a 4xx, never a
5xx, and a refused field is named. The gateway runs alone; the services are stood in for by
stand-ins that validate with each route's published schema, as the services do first
(tests/security/conftest.py)."""

import json
import re

import pytest

from services.gateway.web import SESSION_ACCOUNT, SESSION_VERSION
from tests.unit.gateway.conftest import STAFF

VOLUNTEER = {
    "email": "jeanne@example.fr",
    "password": "un-mot-de-passe",
    "first_name": "Jeanne",
    "last_name": "Martin",
    "birth_date": "1950-03-02",
    "phone": "06 12 34 56 78",
}
FAMILY = {
    "email": "famille@example.fr",
    "password": "un-mot-de-passe",
    "guardians": [{"first_name": "Léa", "last_name": "Petit", "phone": "0612345678"}],
    "monthly_resources": 3200,
    "dependent_children": 2,
}
ROOM = {"name": "Salle des Lucioles", "kind": "workshop", "capacity": 12}
SLOT = {
    "room_id": "r-1",
    "starts_at": "2030-12-03T09:00:00+01:00",
    "ends_at": "2030-12-03T12:00:00+01:00",
    "age_group": "mixed",
    "staff_on_duty": 2,
}
HOURS = {"starts_at": "2030-12-03T09:00:00+01:00", "ends_at": "2030-12-03T12:00:00+01:00"}
QUOTE = "/api/v1/fees/quote?monthly_resources=3200&dependent_children=2"
LONE_SURROGATE = '"Jea\\ud800nne"'  # as JSON text: json.dumps would refuse to write it


def nested(depth):
    return '{"a":' * depth + "1" + "}" * depth


def with_field(body, field, raw_json):
    """`body` as JSON text with `field` set to `raw_json` (written as is: surrogates, huge numbers)."""
    text = json.dumps({**body, field: "__bad__"})
    return text.replace('"__bad__"', raw_json)


def case(name, method, path, role=None, status=None, field=None, **options):
    return pytest.param(method, path, role, status, field, options, id=name)


JSON = {"content_type": "application/json"}

CASES = [
    # --- nesting: refused before any parsing of its own; the anonymous routes first
    case("nested-33-sign-up", "POST", "/api/v1/volunteers", status=400, data=nested(33), **JSON),
    case("nested-5000-sign-up", "POST", "/api/v1/volunteers", status=400, data=nested(5000), **JSON),
    case("nested-100000-token", "POST", "/api/v1/auth/token", status=400, data=nested(100_000), **JSON),
    case("nested-list-family", "POST", "/api/v1/families", status=400, data="[" * 50_000 + "]" * 50_000, **JSON),
    case(
        "nested-in-a-field",
        "POST",
        "/api/v1/families",
        status=400,
        data=with_field(FAMILY, "guardians", "[" + nested(40) + "]"),
        **JSON,
    ),
    # --- text that cannot be stored
    case(
        "surrogate-in-first-name",
        "POST",
        "/api/v1/volunteers",
        status=422,
        field="first_name",
        data=with_field(VOLUNTEER, "first_name", LONE_SURROGATE),
        **JSON,
    ),
    case(
        "surrogate-in-guardian-name",
        "POST",
        "/api/v1/families",
        status=422,
        field="guardians",
        data=json.dumps(FAMILY).replace('"L\\u00e9a"', '"L\\udfffa"'),
        **JSON,
    ),
    case(
        "surrogate-in-a-key",
        "POST",
        "/api/v1/volunteers",
        status=422,
        data=json.dumps(VOLUNTEER)[:-1] + ', "\\ud83d": 1}',
        **JSON,
    ),
    case(
        "nul-in-email",
        "POST",
        "/api/v1/volunteers",
        status=422,
        field="email",
        data=with_field(VOLUNTEER, "email", '"a\\u0000@example.fr"'),
        **JSON,
    ),
    case("nul-in-room-name", "POST", "/api/v1/rooms", "staff", 422, "name", json={**ROOM, "name": "Salle\x00"}),
    case("nul-in-query", "GET", "/api/v1/families?q=%00", "staff", 422, "q"),
    case("nul-in-path-id", "POST", "/api/v1/bookings/%00/cancel", "family", 404),
    case("crlf-in-path-id", "POST", "/api/v1/bookings/a%0d%0ab/cancel", "family", 404),
    case("tab-in-month", "GET", "/api/v1/families/me/statements/2030-%0901", "family", 404),
    case("surrogate-in-password", "POST", "/api/v1/auth/token", status=422, data='{"password": "\\udc00"}', **JSON),
    # --- numbers: huge, negative, not numbers
    case("huge-capacity", "POST", "/api/v1/rooms", "staff", 422, "capacity", json={**ROOM, "capacity": 10**30}),
    case("negative-capacity", "POST", "/api/v1/rooms", "staff", 422, "capacity", json={**ROOM, "capacity": -1}),
    case("float-capacity", "POST", "/api/v1/rooms", "staff", 422, "capacity", json={**ROOM, "capacity": 1.5}),
    case(
        "infinite-resources",
        "POST",
        "/api/v1/families",
        status=422,
        field="monthly_resources",
        data=with_field(FAMILY, "monthly_resources", "1e999"),
        **JSON,
    ),
    case(
        "nan-resources",
        "POST",
        "/api/v1/families",
        status=422,
        field="monthly_resources",
        data=with_field(FAMILY, "monthly_resources", "NaN"),
        **JSON,
    ),
    case(
        "5000-digit-number",
        "POST",
        "/api/v1/rooms",
        "staff",
        400,
        data=with_field(ROOM, "capacity", "9" * 5000),
        **JSON,
    ),
    case("negative-resources-query", "GET", QUOTE.replace("3200", "-1"), status=422, field="monthly_resources"),
    case("huge-children-query", "GET", QUOTE.replace("=2", "=" + "9" * 40), status=422, field="dependent_children"),
    case("text-resources-query", "GET", QUOTE.replace("3200", "beaucoup"), status=422, field="monthly_resources"),
    case("negative-limit", "GET", "/api/v1/rooms?limit=-1", "staff", 422, "limit"),
    case("huge-limit", "GET", "/api/v1/rooms?limit=" + "9" * 30, "staff", 422, "limit"),
    # --- wrong types
    case("capacity-as-text", "POST", "/api/v1/rooms", "staff", 422, "capacity", json={**ROOM, "capacity": "12"}),
    case("capacity-as-list", "POST", "/api/v1/rooms", "staff", 422, "capacity", json={**ROOM, "capacity": [12]}),
    case("name-as-object", "POST", "/api/v1/rooms", "staff", 422, "name", json={**ROOM, "name": {"a": 1}}),
    case(
        "guardians-as-text",
        "POST",
        "/api/v1/families",
        status=422,
        field="guardians",
        json={**FAMILY, "guardians": "x"},
    ),
    case("body-as-list", "POST", "/api/v1/rooms", "staff", 422, json=[ROOM]),
    case("body-as-text", "POST", "/api/v1/volunteers", status=422, json="bonjour"),
    case("body-as-null", "POST", "/api/v1/auth/token", status=422, data="null", **JSON),
    case("body-not-json", "POST", "/api/v1/auth/token", status=400, data="{email:", **JSON),
    case("body-empty", "POST", "/api/v1/rooms", "staff", 400, data="", **JSON),
    case("unknown-field", "POST", "/api/v1/rooms", "staff", 422, "admin", json={**ROOM, "admin": True}),
    # --- dates whose time-zone conversion would overflow, in filters and bodies
    case("year-1-in-quote", "GET", QUOTE + "&on=0001-01-01", status=422, field="on"),
    case("year-9999-in-quote", "GET", QUOTE + "&on=9999-12-31", status=422, field="on"),
    case("year-9999-slots-filter", "GET", "/api/v1/childcare-slots?date=9999-12-31", "staff", 422, "date"),
    case("year-1-bookings-filter", "GET", "/api/v1/bookings?date=0001-01-01", "family", 422, "date"),
    case(
        "year-1-activities-filter",
        "GET",
        "/api/v1/activities?from=0001-01-01T00:00:00%2B01:00",
        "volunteer",
        422,
        "from",
    ),
    case(
        "year-9999-activities-filter",
        "GET",
        "/api/v1/activities?to=9999-12-31T23:59:59-05:00",
        "staff",
        422,
        "to",
    ),
    case(
        "year-9999-slot",
        "POST",
        "/api/v1/childcare-slots",
        "staff",
        422,
        "ends_at",
        json={**SLOT, "ends_at": "9999-12-31T23:59:59-12:00"},
    ),
    case(
        "year-1-hours",
        "POST",
        "/api/v1/placements/p-1/hours",
        "trainee",
        422,
        "starts_at",
        json={**HOURS, "starts_at": "0001-01-01T00:00:00+14:00"},
    ),
    case(
        "year-1-birth-date",
        "POST",
        "/api/v1/volunteers",
        status=422,
        field="birth_date",
        json={**VOLUNTEER, "birth_date": "0001-01-01"},
    ),
    case("year-9999-statement", "GET", "/api/v1/families/me/statements/9999-12", "family", 422, "month"),
    case("year-0-statement-pdf", "GET", "/api/v1/families/f-1/statements/0000-01.pdf", "staff", 422, "month"),
    case("not-a-date", "GET", "/api/v1/childcare-slots?date=31/12/2030", "staff", 422, "date"),
    # --- over-long strings
    case(
        "long-first-name",
        "POST",
        "/api/v1/volunteers",
        status=422,
        field="first_name",
        json={**VOLUNTEER, "first_name": "J" * 100_000},
    ),
    case("long-room-name", "POST", "/api/v1/rooms", "staff", 422, "name", json={**ROOM, "name": "S" * 10_000}),
    case(
        "long-password",
        "POST",
        "/api/v1/staff",
        "staff",
        422,
        "password",
        json={"email": "e@example.fr", "password": "p" * 10_000, "first_name": "A", "last_name": "B"},
    ),
    case(
        "long-email",
        "POST",
        "/api/v1/auth/token",
        status=401,  # no such account
        json={"email": "a" * 100_000 + "@example.fr", "password": "x"},
    ),
    # --- headers: Content-Type, Idempotency-Key
    case(
        "text-plain-body", "POST", "/api/v1/auth/token", status=415, data=json.dumps(STAFF), content_type="text/plain"
    ),
    case("form-body", "POST", "/api/v1/rooms", "staff", 415, data=ROOM),
    case("no-content-type", "POST", "/api/v1/volunteers", status=415, data=json.dumps(VOLUNTEER)),
    case("xml-body", "POST", "/api/v1/families", status=415, data="<famille/>", content_type="application/xml"),
    case(
        "idempotency-key-too-long",
        "POST",
        "/api/v1/rooms",
        "staff",
        422,
        "Idempotency-Key",
        json=ROOM,
        headers={"Idempotency-Key": "k" * 65},
    ),
    case(
        "idempotency-key-with-space",
        "POST",
        "/api/v1/rooms",
        "staff",
        422,
        "Idempotency-Key",
        json=ROOM,
        headers={"Idempotency-Key": "a b"},
    ),
    # --- methods
    case("put-on-rooms", "PUT", "/api/v1/rooms", "staff", 405, json=ROOM),
    case("delete-on-families", "DELETE", "/api/v1/families", "staff", 405),
    case("propfind-on-token", "PROPFIND", "/api/v1/auth/token", status=405),
    case("patch-on-openapi", "PATCH", "/api/openapi.json", status=405, json={}),
    # --- unknown addresses
    case("unknown-api-path", "GET", "/api/v1/nope", "staff", 404),
]


def headers_of(role, role_headers, extra):
    return {**(role_headers[role] if role else {}), **extra}


@pytest.mark.parametrize("method, path, role, status, field, options", CASES)
def test_a_bad_request_to_the_api_is_refused_with_a_4xx(
    client, role_headers, services, method, path, role, status, field, options
):  # noqa: E501
    options = dict(options)
    headers = headers_of(role, role_headers, options.pop("headers", {}))
    response = client.open(path, method=method, headers=headers, **options)
    assert 400 <= response.status_code < 500, (response.status_code, response.get_data(as_text=True)[:300])
    if status:
        assert response.status_code == status, response.get_data(as_text=True)[:300]
    error = response.json["error"]
    assert set(error) == {"code", "message", "fields"}
    if field:
        assert field in error["fields"], error
    if response.status_code == 405:
        assert method not in response.headers["Allow"] and response.headers["Allow"]


PAGES = [
    pytest.param("GET", "/famille/nope", 404, {}, id="unknown-page"),
    pytest.param("GET", "/nulle-part/%00", 404, {}, id="unknown-page-with-nul"),
    pytest.param("DELETE", "/connexion", 405, {}, id="delete-on-sign-in"),
    pytest.param("GET", "/connexion?suite=/famille%0d%0aSet-Cookie:%20x=1", 400, {}, id="crlf-in-suite-get"),
    pytest.param("GET", "/connexion?suite=/famille%0a", 400, {}, id="lf-in-suite-get"),
    pytest.param("GET", "/connexion?suite=/famille%09x", 400, {}, id="tab-in-suite-get"),
]


@pytest.mark.parametrize("method, path, status, options", PAGES)
def test_a_bad_request_to_a_page_is_refused_with_a_french_html_page(client, method, path, status, options):
    response = client.open(path, method=method, **options)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert '<html lang="fr">' in page and "Revenir à l&#39;accueil" in page


@pytest.mark.parametrize("suite", ["/famille\r\nSet-Cookie: x=1", "/famille\rx", "/staff\nx"])
def test_a_sign_in_with_a_control_character_in_its_return_address_signs_nobody_in(app, suite):
    browser = app.test_client()
    form = browser.get("/connexion").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    credentials = {"email": STAFF["email"], "password": STAFF["password"], "csrf_token": token}
    response = browser.post("/connexion", data={**credentials, "suite": suite})
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert browser.get("/mot-de-passe").status_code == 302  # still signed out: sent to sign in


@pytest.mark.parametrize("digits", ["³", "²¹"])
def test_a_page_given_digits_python_cannot_read_as_a_number_answers_a_form_not_a_500(app, accounts, services, digits):
    """ "³".isdigit() is true but int("³") fails: the pages read whole numbers with isdecimal()."""
    staff = accounts["staff"]
    browser = app.test_client()
    with browser.session_transaction() as session:
        session[SESSION_ACCOUNT], session[SESSION_VERSION] = staff.id, staff.session_version
    response = browser.get(f"/equipe/benevoles/heures?annee={digits}")
    assert response.status_code == 422
    assert "Indiquez une année en chiffres" in response.get_data(as_text=True)
