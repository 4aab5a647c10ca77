"""Who may open each page is declared once (`@requires(...)`, the API's role check): a visitor is
sent to sign in, a signed-in person with another role is told on a French 403 page."""

import re
from contextlib import contextmanager
from types import SimpleNamespace

import pytest

from services.gateway import access, auth
from services.gateway.models import database
from services.gateway.web import SESSION_ACCOUNT, SESSION_VERSION
from tests.api import STAFF
from tests.unit.gateway.conftest import PEOPLE, create_people
from tests.unit.gateway.test_route_access import person

# The pages anyone may open (the sign-up and sign-in forms, the fee simulator…).
OPEN_TO_ANYONE = {
    "public.home",
    "public.login",
    "public.logout",
    "public.register",
    "public.simulator",
    "password_reset.request_link",  # « Mot de passe oublié ? »
    "password_reset.choose",  # the emailed link is the credential (one hour, once)
    "training_reports.satisfaction_by_link",  # the signed link is the credential (no account)
    "volunteer.register",
}


class NothingUnread:
    @contextmanager
    def cluster(self, correlation_id=None, context=None):
        yield SimpleNamespace(notifications=SimpleNamespace(unread_count=lambda *who: {"unread": 0}))


def pages(app):
    """(endpoint, path with its parameters filled in, method, roles or None) of every page."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.rule.startswith(("/api/", "/calendar/")) or "." not in rule.endpoint:
            continue
        roles = getattr(app.view_functions[rule.endpoint], "roles", None)
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "2026" if m.group(1) == "year" else "x-1", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, path, method, roles


@pytest.fixture
def clients(app):
    """{role: a client signed in with an account of that role}."""
    app.config["WTF_CSRF_ENABLED"] = False
    app.extensions["ready_pool"] = NothingUnread()  # the menu's count, answered at once
    create_people(app)
    with app.app_context(), database.connection_context():
        accounts = {
            role: auth.Account.get(auth.Account.email == (STAFF["email"] if role == "staff" else f"{role}@example.fr"))
            for role in PEOPLE
        }
    return {role: signed_in_as(app, account) for role, account in accounts.items()}


def signed_in_as(app, account):
    client = app.test_client()
    with client.session_transaction() as session:
        session[SESSION_ACCOUNT], session[SESSION_VERSION] = account.id, account.session_version
    return client


def test_every_page_but_the_open_ones_declares_who_may_open_it(app):
    undeclared = {endpoint for endpoint, _path, _method, roles in pages(app) if roles is None}
    assert undeclared == OPEN_TO_ANYONE


def test_a_visitor_is_sent_to_sign_in_and_another_role_is_told_it_is_not_for_them(app, client, clients, recorded_rpc):
    checked = 0
    for _endpoint, path, method, roles in pages(app):
        if roles is None:
            continue
        visitor = client.open(path, method=method)
        assert (visitor.status_code, visitor.location) == (302, f"/connexion?suite={path}"), (method, path)
        for role in PEOPLE:
            if access.refusal(person(role), roles) is None:
                continue
            refused = clients[role].open(path, method=method)
            page = refused.get_data(as_text=True)
            assert refused.status_code == 403, (method, path, role)
            assert "pas autorisé·e à ouvrir cette page" in page, (method, path, role)
            assert '<html lang="fr">' in page
        checked += 1
    assert checked >= 60
    assert recorded_rpc.calls == []  # refused before any service is asked


def test_a_person_with_the_right_role_opens_the_page(clients, recorded_rpc):
    assert clients["staff"].get("/equipe/").status_code == 200
    assert clients["volunteer"].get("/agenda/").status_code == 200


def test_a_participant_page_needs_the_accounts_record_in_a_service(app, clients):
    with app.app_context(), database.connection_context():
        account = auth.create_account("sans-dossier@example.fr", STAFF["password"], "volunteer")
    assert signed_in_as(app, account).get("/formations/").status_code == 403


def test_each_staff_role_opens_its_pages_and_not_the_others(clients, recorded_rpc):
    assert clients["educator"].get("/equipe/facturation").status_code == 403
    assert clients["educator"].get("/equipe/pointage").status_code == 200
    assert clients["accounting"].get("/equipe/pointage").status_code == 403
    assert clients["accounting"].get("/equipe/facturation").status_code == 200
    assert clients["coordinator"].get("/equipe/journal/").status_code == 403
    assert clients["coordinator"].get("/equipe/benevoles/").status_code == 200
    assert clients["trainer"].get("/equipe/comptes/").status_code == 403
    assert clients["director"].get("/equipe/journal/").status_code == 200


def test_the_staff_menu_offers_only_what_the_persons_roles_open(clients, recorded_rpc):
    educator = clients["educator"].get("/equipe/").get_data(as_text=True)
    assert "Arrivées et départs" in educator and "Facturation" not in educator and "Journal des actions" not in educator
    accounting = clients["accounting"].get("/equipe/").get_data(as_text=True)
    assert "Facturation" in accounting and "Arrivées et départs" not in accounting
    director = clients["staff"].get("/equipe/").get_data(as_text=True)
    assert "Facturation" in director and "Journal des actions" in director


def test_a_staff_member_without_a_role_has_a_home_and_is_told_to_ask_for_one(clients, recorded_rpc):
    home = clients["staff_without_role"].get("/equipe/")
    assert home.status_code == 200
    assert "demandez à la direction" in home.get_data(as_text=True)
    assert recorded_rpc.calls == []  # the day's children are not even asked for
    assert clients["staff_without_role"].get("/equipe/familles").status_code == 403


def test_a_family_file_offers_each_role_only_what_it_may_do(clients, recorded_rpc):
    recorded_rpc.answers["get_family"] = {
        "id": "family-1",
        "guardians": [{"first_name": "Anne", "last_name": "Brun"}],
        "children": [{"id": "child-1", "first_name": "Lou", "birth_date": "2025-06-01", "walking": False}],
    }
    educator = clients["educator"].get("/equipe/familles/family-1").get_data(as_text=True)
    assert "Corriger le dossier" not in educator and "Relevés mensuels" not in educator
    assert 'name="walking"' in educator
    accounting = clients["accounting"].get("/equipe/familles/family-1").get_data(as_text=True)
    assert "Corriger le dossier" in accounting and "Relevés mensuels" in accounting
    assert 'name="walking"' not in accounting and "/equipe/enfants/child-1" not in accounting
