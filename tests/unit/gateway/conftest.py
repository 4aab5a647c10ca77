"""The gateway app alone: its own SQLite database, a bootstrap staff account, a broker that is not there."""

from contextlib import contextmanager

import pytest
from flask import request

from services.gateway import auth, staff_roles
from services.gateway.app import create_app
from services.gateway.models import database
from shared import migrate
from shared.errors import Conflict, Unavailable
from shared.vocabulary import ROLES, STAFF_ROLES
from tests.api import STAFF, STAFF_ENV
from tests.unit.gateway.invoice_example import INVOICE


@pytest.fixture
def app(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    migrate.migrate("gateway", url)
    for name, value in STAFF_ENV.items():
        monkeypatch.setenv(name, value)
    return create_app(
        {
            "GATEWAY_DATABASE_URL": url,
            "AMQP_URI": "amqp://guest:guest@127.0.0.1:1/",
            "REGISTER_DIR": tmp_path / "registre",  # the evacuation register's copy
        }
    )


ASK_TEAM = staff_roles._ask_team  # the real one, for the tests of the sign-in's read itself


@pytest.fixture(autouse=True)
def team_keeps_the_roles_held_here(monkeypatch):
    """At a staff sign-in the gateway reads the staff roles from the team service: here team
    answers the roles the account already holds (the bootstrap account: director), one version on."""
    monkeypatch.setattr(
        staff_roles,
        "_ask_team",
        lambda account: {"staff_roles": list(account.staff_roles), "roles_version": account.staff_roles_version + 1},
    )


@pytest.fixture
def client(app):
    return app.test_client()


def served_by(app, stand_in):
    """The pages' service calls, and their menu's unread count, answered by `stand_in`."""
    app.extensions["rpc_pool"] = app.extensions["ready_pool"] = stand_in
    return stand_in


class BookingsStandIn:
    """Stands in for the RPC pool as one object answering for bookings (and the menu's unread
    count): a page test subclasses it with the methods its views call, recording them in `calls`."""

    def __init__(self):
        self.calls = []

    @contextmanager
    def cluster(self, correlation_id=None, context=None):
        yield self

    @property
    def bookings(self):
        return self

    @property
    def notifications(self):
        return self

    def unread_count(self, role, subject_id):
        return {"unread": 0}


@pytest.fixture
def staff(app):
    """A client signed in on the pages as the bootstrap staff account (`staff_id`: its id)."""
    app.config["WTF_CSRF_ENABLED"] = False  # the CSRF refusal has its own browser test
    client = app.test_client()
    client.post("/connexion", data=STAFF)
    with app.app_context(), database.connection_context():
        client.staff_id = auth.Account.get(auth.Account.email == STAFF["email"]).id
    return client


# What the education service answers for the reads whose views draw a document from the answer
# (the PDFs): the shapes of its SheetOut and CertificateOut, trimmed to what a document reads.
SESSION = {
    "id": "x-1",
    "course_id": "course-1",
    "title": "Premiers secours en crèche",
    "trainer": "Nadia Benali",
    "room_name": "Salle des Tilleuls",
    "status": "confirmed",
    "parts": [
        {"index": 0, "starts_at": "2026-12-01T09:00:00+01:00", "ends_at": "2026-12-01T12:30:00+01:00", "hours": "3.50"}
    ],
    "starts_at": "2026-12-01T09:00:00+01:00",
    "ends_at": "2026-12-01T12:30:00+01:00",
    "hours": "3.50",
}
SEPA_FILE = {
    "month": "2026-03",
    "collection_date": "2026-04-16",
    "filename": "prelevements-2026-03.xml",
    "xml": '<?xml version="1.0" encoding="UTF-8"?><Document/>',
    "debits": 1,
    "first": 1,
    "recurrent": 0,
    "total": "284.83",
    "without_mandate": 0,
}
TAX_CERTIFICATE = {
    "family_id": "family-1",
    "year": 2026,
    "complete": True,
    "paid_until": "2026-12-31",
    "family": {"name": "Anne Brun", "address": "3 rue des Lilas\n75011 Paris"},
    "children": [{"child_id": "child-1", "first_name": "Lou", "birth_date": "2025-06-01", "paid": "284.83"}],
    "total": "284.83",
    "unattributed": "0.00",
}
ANSWERS = {
    "get_invoice": INVOICE,
    # an absence's certificate (bookings AbsenceCertificateOut with its file): "%PDF-" in base64
    "get_certificate": {
        "absence_id": "x-1",
        "media_type": "application/pdf",
        "size": 5,
        "filename": "x.pdf",
        "content_base64": "JVBERi0=",
    },
    "attendance_sheet": {
        "session": SESSION,
        "half_days": [
            {
                "part_index": 0,
                "half_day": "morning",
                "starts_at": SESSION["starts_at"],
                "ends_at": SESSION["ends_at"],
                "hours": "3.50",
            }
        ],
        "trainer": [None],
        "rows": [],
    },
    "sheet_signatures": [],
    "issue_certificate": {
        "session_id": "x-1",
        "participant_id": "x-1",
        "participant_kind": "trainee",
        "name": "Léa Martin",
        "attestation_number": "AFF-2026-0001",
        "realisation_number": "CR-2026-0001",
        "hours_attended": "3.50",
        "session_hours": "3.50",
        "rate": "1.00",
        "issued_on": "2026-12-01",
        "course": {"id": "course-1", "title": SESSION["title"], "trainer": SESSION["trainer"]},
        "session": SESSION,
    },
    # a funder's invoice for a session (education FunderInvoiceOut)
    "get_funder_invoice": {
        "id": "x-1",
        "number": "FF-2026-000001",
        "session_id": "x-1",
        "funding": "opco",
        "funder_name": "",
        "issued_on": "2026-12-01",
        "hourly_price": "30.0000",
        "total": "105.00",
        "course": {
            "title": SESSION["title"],
            "price": "105.00",
            "duration_hours": "3.50",
            "trainer": SESSION["trainer"],
        },
        "session": SESSION,
        "lines": [
            {
                "enrolment_id": "e-1",
                "participant_id": "p-1",
                "participant_kind": "professional",
                "name": "Léa Martin",
                "hours": "3.50",
                "amount": "105.00",
            }
        ],
    },
    # a closed month's SEPA file (bookings SepaFileOut) and a family's tax certificate (TaxCertificateOut)
    "sepa_file": SEPA_FILE,
    "tax_certificate": TAX_CERTIFICATE,
}


class RecordingServices:
    """Stands in for the services' RPC pool: records each call a view makes (service, method,
    arguments); a read (GET) gets what `answers[method]` holds (ANSWERS, and what a test adds; an
    exception there is raised),
    else an empty answer (an empty page from `list_*`); a write a 503."""

    def __init__(self):
        self.calls = []
        self.answers = dict(ANSWERS)

    @contextmanager
    def cluster(self, correlation_id=None, context=None):
        yield _RecordingProxy(self.calls, self.answers)

    def close(self):
        pass


class _RecordingProxy:
    def __init__(self, calls, answers):
        self._calls, self._answers = calls, answers

    def __getattr__(self, service):
        calls, answers = self._calls, self._answers

        class Service:
            def __getattr__(self, method):
                def call(*args):
                    calls.append((service, method, args))
                    if request.method != "GET":
                        raise Unavailable(Unavailable.default_message)
                    if isinstance(answers.get(method), Exception):  # a refusal a test stands in for
                        raise answers[method]
                    if method in answers:
                        return answers[method]
                    return {"items": [], "next_cursor": None} if method.startswith("list_") else {}

                return call

        return Service()


class TeamStandIn:
    """Stands in for the team service's RPC pool when a test creates staff accounts
    (POST /api/v1/staff registers the profile first): each profile kept by id, as team's
    register_staff with its Idempotency-Key would answer a retry; another id with a taken email
    is team's 409."""

    def __init__(self):
        self.profiles = {}

    @contextmanager
    def cluster(self, correlation_id=None, context=None):
        yield self

    @property
    def team(self):
        return self

    def register_staff(self, profile):
        if profile["id"] in self.profiles:
            return {**self.profiles[profile["id"]], "roles_version": 1}
        if any(p["email"].lower() == profile["email"].lower() for p in self.profiles.values()):
            raise Conflict("Un membre de l'équipe est déjà enregistré avec cette adresse.", {"email": ["Déjà."]})
        self.profiles[profile["id"]] = dict(profile)
        return {**profile, "roles_version": 1}  # as team answers: with the roles' version

    def close(self):
        pass


@pytest.fixture
def team_profiles(app):
    """The team service stood in for (TeamStandIn): `team_profiles.profiles` by id."""
    app.extensions["rpc_pool"] = stand_in = TeamStandIn()
    return stand_in


@pytest.fixture
def recorded_rpc(app):
    app.extensions["rpc_pool"] = recording = RecordingServices()
    return recording


NO_STAFF_ROLE = "staff_without_role"  # a staff member given no staff role yet
PEOPLE = (*ROLES, *STAFF_ROLES, NO_STAFF_ROLE)  # "staff": the bootstrap account, a director


def create_people(app):
    """One account of each kind (ROLES) and one staff member per staff role (STAFF_ROLES), and one
    with none; "staff" is the bootstrap account (a director)."""
    with app.app_context(), database.connection_context():
        for role in ROLES:
            if role != "staff":
                auth.create_account(f"{role}@example.fr", STAFF["password"], role, subject_id=f"{role}-1")
        for staff_role in STAFF_ROLES:
            auth.create_account(
                f"{staff_role}@example.fr", STAFF["password"], "staff", staff_roles=[staff_role], staff_roles_version=1
            )
        auth.create_account(f"{NO_STAFF_ROLE}@example.fr", STAFF["password"], "staff")


@pytest.fixture
def role_headers(app, client):
    """{role: Authorization header} for one signed-in account of each of PEOPLE."""
    create_people(app)
    return {role: bearer_of(client, role) for role in PEOPLE}


def bearer_of(client, role):
    """The Authorization header of a new token of the role_headers account of `role`."""
    email = STAFF["email"] if role == "staff" else f"{role}@example.fr"
    token = client.post("/api/v1/auth/token", json={"email": email, "password": STAFF["password"]}).json["token"]
    return {"Authorization": f"Bearer {token}"}
