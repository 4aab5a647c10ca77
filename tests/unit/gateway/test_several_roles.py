"""One person, several roles (services/gateway/account_roles.py, docs/accounts-rules.md "Several
roles"): an account holding two roles reaches both spaces, each space reads its own role's
record and nothing more, and a third role's space stays closed."""

import io
import json
import zipfile
from itertools import combinations

import pytest

from services.gateway import access, account_roles, audit, auth, erasures, people
from services.gateway.models import Account, AccountRole, AuditEntry, database
from shared import migrate
from shared.errors import Conflict
from tests.api import STAFF
from tests.unit.gateway.conftest import bearer_of, create_people
from tests.unit.gateway.test_personal_export import ExportingServices

PERSONS = ("family", "trainee", "volunteer", "beneficiary")  # the non-staff roles
PAIRS = [*combinations(PERSONS, 2), ("staff", "trainee")]
# A route of each space that reads the person's own record, and the call it makes with it.
OWN_ROUTE = {
    "family": ("/api/v1/families/me", "bookings", "get_family"),
    "trainee": ("/api/v1/trainees/me", "placements", "get_trainee"),
    "volunteer": ("/api/v1/volunteers/me", "volunteers", "my_record"),
}
EMAIL = "deux-roles@example.fr"


def record_of(role):
    return f"{role}-of-two"


def two_roles(app, first, second):
    """An account whose primary role is `first` and which also holds `second`, each with its record."""
    with app.app_context(), database.connection_context():
        staff = {"staff_roles": ["coordinator"], "staff_roles_version": 1} if first == "staff" else {}
        subject = None if first == "staff" else record_of(first)
        auth.create_account(EMAIL, STAFF["password"], first, subject_id=subject, **staff)
        account, created = account_roles.grant_role(EMAIL, second, record_of(second))
        assert not created
        return account.id


def headers_of(client):
    token = client.post("/api/v1/auth/token", json={"email": EMAIL, "password": STAFF["password"]}).json["token"]
    return {"Authorization": f"Bearer {token}"}


def reached_with(client, recorded_rpc, role, headers):
    """The record the space of `role` asked its service about, for the signed-in account."""
    path, service, method = OWN_ROUTE[role]
    recorded_rpc.calls.clear()
    answer = client.get(path, headers=headers)
    assert answer.status_code == 200, (role, answer.json)
    [(called_service, called_method, args)] = recorded_rpc.calls
    assert (called_service, called_method) == (service, method)
    return args[0]


def own_in_request(app, headers, role):
    """people.own(role) and the access check, as a request of this account sees them."""
    with app.test_request_context(headers=headers), database.connection_context():
        account = auth.current_account()
        return people.own(role), access.refusal(account, (role,))


@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_an_account_with_two_roles_reaches_both_spaces_each_with_its_own_record(
    app, client, recorded_rpc, first, second
):
    two_roles(app, first, second)
    headers = headers_of(client)
    for role in (first, second):
        if role in OWN_ROUTE:
            assert reached_with(client, recorded_rpc, role, headers) == record_of(role)
        else:  # beneficiary (its pages are another module's) and staff: the check and the record read
            expected = None if role == "staff" else record_of(role)
            own, refused = own_in_request(app, headers, role)
            assert refused is None
            if expected is not None:
                assert own == expected


@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_an_account_with_two_roles_is_refused_a_third_role_space(app, client, recorded_rpc, first, second):
    two_roles(app, first, second)
    headers = headers_of(client)
    for third in [role for role in OWN_ROUTE if role not in (first, second)]:
        path, _, _ = OWN_ROUTE[third]
        recorded_rpc.calls.clear()
        answer = client.get(path, headers=headers)
        assert (answer.status_code, answer.json["error"]["code"]) == (403, "forbidden"), third
        assert recorded_rpc.calls == []
        own, refused = own_in_request(app, headers, third)
        assert (own, refused) == (None, access.WRONG_ROLE)


def test_a_family_that_is_also_a_trainee_sees_only_its_own_invoices_not_everyone(app, client, recorded_rpc):
    two_roles(app, "family", "trainee")
    client.get("/api/v1/invoices/x-1", headers=headers_of(client))
    [(service, method, args)] = recorded_rpc.calls
    assert (service, method) == ("bookings", "get_invoice")
    assert record_of("family") in args  # scoped to the family, never the staff's unscoped read


def test_a_trainee_hired_as_staff_acts_as_staff_where_their_staff_role_opens_and_as_trainee_elsewhere(
    app, client, recorded_rpc
):
    two_roles(app, "staff", "trainee")
    headers = headers_of(client)
    client.get("/api/v1/placements", headers=headers)  # coordinator: every placement
    [(_, _, (query,))] = recorded_rpc.calls
    assert "trainee_id" not in query or query["trainee_id"] is None
    assert reached_with(client, recorded_rpc, "trainee", headers) == record_of("trainee")


def test_a_staff_member_with_a_trainee_role_but_no_staff_role_for_placements_sees_only_their_own(
    app, client, recorded_rpc
):
    with app.app_context(), database.connection_context():
        auth.create_account(EMAIL, STAFF["password"], "staff", staff_roles=["accounting"], staff_roles_version=1)
        account_roles.grant_role(EMAIL, "trainee", record_of("trainee"))
    client.get("/api/v1/placements", headers=headers_of(client))
    [(_, _, (query,))] = recorded_rpc.calls
    assert query["trainee_id"] == record_of("trainee")


def test_the_token_answer_names_every_role_the_primary_first(app, client):
    two_roles(app, "volunteer", "family")
    answer = client.post("/api/v1/auth/token", json={"email": EMAIL, "password": STAFF["password"]}).json
    assert answer["role"] == "volunteer"
    assert answer["roles"] == ["volunteer", "family"]


def test_the_director_reads_every_role_of_an_account_with_its_record(app, client, recorded_rpc):
    account_id = two_roles(app, "family", "beneficiary")
    answer = client.get(f"/api/v1/accounts/{account_id}", headers=bearer_of(client, "staff"))
    assert answer.status_code == 200
    assert answer.json["roles"] == ["family", "beneficiary"]
    assert answer.json["subjects"] == [
        {"role": "family", "id": record_of("family")},
        {"role": "beneficiary", "id": record_of("beneficiary")},
    ]


def test_only_the_director_reads_an_account(app, client, recorded_rpc):
    create_people(app)
    account_id = two_roles(app, "family", "trainee")
    for role in ("educator", "family"):
        assert client.get(f"/api/v1/accounts/{account_id}", headers=bearer_of(client, role)).status_code == 403


# --- grant_role --------------------------------------------------------------------------------------
def test_granting_the_same_role_with_the_same_record_again_changes_nothing(app):
    two_roles(app, "family", "trainee")
    with app.app_context(), database.connection_context():
        account, created = account_roles.grant_role(EMAIL, "trainee", record_of("trainee"))
        assert not created
        assert AccountRole.select().where(AccountRole.account == account.id).count() == 2
        assert audit_lines(audit.ROLE_GRANTED) == 1


def test_granting_a_role_the_account_holds_for_another_record_is_a_conflict_in_french(app):
    two_roles(app, "family", "trainee")
    with app.app_context(), database.connection_context():
        with pytest.raises(Conflict, match="déjà ce rôle"):
            account_roles.grant_role(EMAIL, "trainee", "another-trainee")
        with pytest.raises(Conflict):
            account_roles.grant_role(EMAIL, "family", "another-family")


def test_granting_a_role_to_a_new_email_makes_an_account_nobody_can_sign_in_to_until_the_link(app, monkeypatch):
    sent = []
    monkeypatch.setattr(account_roles.password_resets, "send_link", sent.append)
    with app.app_context(), database.connection_context():
        account, created = account_roles.grant_role("Nouvelle@Example.fr", "beneficiary", "b-9", "Inès", "Roy")
        assert created and sent == [account]
        assert (account.email, account.role, account.subject_id, account.display_name) == (
            "nouvelle@example.fr",
            "beneficiary",
            "b-9",
            "Inès Roy",
        )
        assert account_roles.subjects(account) == [{"role": "beneficiary", "id": "b-9"}]
        assert audit_lines(audit.ACCOUNT_CREATED, "b-9") == 1
    for password in ("", STAFF["password"]):
        tried = {"email": "nouvelle@example.fr", "password": password}
        answer = app.test_client().post("/api/v1/auth/token", json=tried)
        assert answer.status_code in (401, 422)


def test_an_existing_account_gains_a_role_with_an_audit_line_naming_the_account_and_the_record(app):
    account_id = two_roles(app, "family", "volunteer")
    with app.app_context(), database.connection_context():
        line = AuditEntry.get(AuditEntry.action == audit.ROLE_GRANTED)
        assert f" {account_id} " in line.subjects and f" {record_of('volunteer')} " in line.subjects


def test_an_unknown_role_is_never_granted(app):
    with app.app_context(), database.connection_context(), pytest.raises(ValueError):
        account_roles.grant_role(EMAIL, "admin", "x-1")


def test_subjects_give_a_staff_role_the_account_id_and_subject_for_none_for_a_role_not_held(app):
    account_id = two_roles(app, "staff", "trainee")
    with app.app_context(), database.connection_context():
        account = Account.get_by_id(account_id)
        assert account_roles.subjects(account) == [
            {"role": "staff", "id": account_id},
            {"role": "trainee", "id": record_of("trainee")},
        ]
        assert account_roles.subject_for(account, "staff") == account_id
        assert account_roles.subject_for(account, "family") is None
        assert account_roles.roles_of(account) == ["staff", "trainee"]
        assert account_roles.roles_of(None) == []


def test_the_migration_gives_an_account_made_before_several_roles_its_one_role_as_first_row(app, tmp_path):
    with app.app_context(), database.connection_context():
        account = auth.create_account("ancien@example.fr", STAFF["password"], "volunteer", subject_id="v-old")
        # as a database made before the table, and before migrations were versioned: its first
        # migrate runs the baseline, whose after_migrate gives every account its first row
        AccountRole.delete().where(AccountRole.account == account.id).execute()
        database.execute_sql('DROP TABLE "schema_migrations"')
        url = app.config["GATEWAY_DATABASE_URL"]
    migrate.migrate("gateway", url)
    migrate.migrate("gateway", url)  # safe to run again
    with app.app_context(), database.connection_context():
        rows = list(AccountRole.select().where(AccountRole.account == account.id))
        assert [(row.role, row.subject_id) for row in rows] == [("volunteer", "v-old")]


def audit_lines(action, subject=None):
    query = AuditEntry.select().where(AuditEntry.action == action)
    if subject:
        query = query.where(AuditEntry.subjects.contains(f" {subject} "))
    return query.count()


# --- the RGPD export and the erasure cover every role --------------------------------------------------
def test_the_export_of_a_two_role_account_asks_every_service_under_each_role(app, client):
    account_id = two_roles(app, "family", "trainee")
    app.extensions["rpc_pool"] = pool = ExportingServices()
    archive = zipfile.ZipFile(io.BytesIO(client.get("/api/v1/me/export", headers=headers_of(client)).data))
    bookings = json.loads(archive.read("bookings.json"))
    assert sorted(bookings["roles"]) == ["family", "trainee"]
    asked = {(name, person["role"], person["subject_id"]) for name, person in pool.asked}
    assert ("placements", "trainee", record_of("trainee")) in asked
    assert ("bookings", "family", record_of("family")) in asked
    gateway = json.loads(archive.read("gateway.json"))
    assert gateway["account"]["roles"] == [
        {"role": "family", "id": record_of("family")},
        {"role": "trainee", "id": record_of("trainee")},
    ]
    assert any(f" {record_of('trainee')} " in f" {' '.join(line['subjects'])} " for line in gateway["audit"])
    assert account_id


def test_an_erasure_names_every_role_s_record_and_the_register_keeps_them(app):
    account_id = two_roles(app, "volunteer", "beneficiary")
    with app.app_context(), database.connection_context():
        account = Account.get_by_id(account_id)
        ids = erasures.ids_of(account)
        assert ids["volunteer_id"] == record_of("volunteer")
        held = account_roles.subjects(account)
    staff_and_trainee = two_roles_again(app, "staff", "trainee")
    with app.app_context(), database.connection_context():
        ids = erasures.ids_of(Account.get_by_id(staff_and_trainee))
        assert (ids["staff_id"], ids["trainee_id"]) == (staff_and_trainee, record_of("trainee"))
    recorded = Account(id=account_id, role="volunteer", subject_id=record_of("volunteer"))
    assert erasures.ids_of(recorded, held)["volunteer_id"] == record_of("volunteer")


def two_roles_again(app, first, second):
    with app.app_context(), database.connection_context():
        auth.create_account("autre@example.fr", STAFF["password"], first, staff_roles=["trainer"])
        account, _ = account_roles.grant_role("autre@example.fr", second, record_of(second))
        return account.id
