"""One client for the gateway's JSON API in tests: signed in as someone or not, JSON bodies, an
optional Idempotency-Key.

    staff = api.signed_in(STAFF)
    staff.post("/api/v1/rooms", json=room_fields())
    family.post("/api/v1/families/me/children", json=child, key="form-child-1")

It drives Flask's test client (integration tests) or a running gateway over HTTP (`Http`, for
end-to-end tests). Responses are the transport's own (`.json` for Flask's, `.json()` for
requests'), so tests read them as they always did.
"""

import requests

# The staff account the gateway creates at start from these two settings (services/gateway/app.py):
# a director, who passes wherever any staff role does (docs/accounts-rules.md, "Staff roles").
STAFF = {"email": "direction@cocoonage.fr", "password": "mot-de-passe-long"}
STAFF_ENV = {"COCOON_BOOTSTRAP_STAFF_EMAIL": STAFF["email"], "COCOON_BOOTSTRAP_STAFF_PASSWORD": STAFF["password"]}


class Api:
    """The API as one account sees it (or nobody, before `signed_in`)."""

    def __init__(self, transport, headers=None):
        self.transport = transport
        self.headers = dict(headers or {})

    def signed_in(self, credentials):
        """The same API with the bearer token of this account (email, password) on every request."""
        response = self.post(
            "/api/v1/auth/token", json={"email": credentials["email"], "password": credentials["password"]}
        )
        assert response.status_code == 200, body_of(response)
        return Api(self.transport, dict(self.headers, Authorization=f"Bearer {body_of(response)['token']}"))

    def on(self, transport):
        """The same account on another transport (e.g. a second test client for a concurrent request)."""
        return Api(transport, self.headers)

    def request(self, method, path, key=None, headers=None, **options):
        """`options` go to the transport as they are (json=, data=, query_string= or params=)."""
        headers = dict(self.headers, **(headers or {}))
        if key is not None:
            headers["Idempotency-Key"] = key
        return self.transport.open(path, method=method, headers=headers, **options)

    def get(self, path, **options):
        return self.request("GET", path, **options)

    def post(self, path, **options):
        return self.request("POST", path, **options)

    def patch(self, path, **options):
        return self.request("PATCH", path, **options)

    def created(self, path, json, **options):
        """POST that must create (201): the created thing as the API returns it."""
        response = self.post(path, json=json, **options)
        assert response.status_code == 201, body_of(response)
        return body_of(response)


def staff_member(director, *staff_roles, email=None, password="un-role-bien-defini"):
    """A staff member the director creates with these staff roles (POST /api/v1/staff; the team
    service must run), then signed in: (their account, the Api as them)."""
    credentials = {"email": email or f"{'-'.join(staff_roles) or 'sans-role'}@cocoonage.fr", "password": password}
    made = director.created(
        "/api/v1/staff",
        dict(credentials, first_name="Camille", last_name="Roy", staff_roles=list(staff_roles)),
    )
    return made, Api(director.transport).signed_in(credentials)


class Http:
    """A running gateway over HTTP, opened the way Flask's test client is: `open(path, method=…)`."""

    def __init__(self, base_url, timeout=10):
        self.base_url, self.timeout = base_url, timeout
        self.session = requests.Session()

    def open(self, path, method="GET", **options):
        return self.session.request(method, self.base_url + path, timeout=self.timeout, **options)


def body_of(response):
    """The JSON body of a Flask test response or of a requests response."""
    return response.get_json() if hasattr(response, "get_json") else response.json()
