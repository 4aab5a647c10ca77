"""The gateway's tables stand on shared.models.base_model and keep the columns they had, so
`make migrate` on an existing gateway database has nothing to change."""

from peewee import SqliteDatabase

from services.gateway.models import Account, Token
from shared import migrate

# The account and token tables as the gateway created them before it used the shared base model.
EXISTING_TABLES = [
    'CREATE TABLE "account" ("id" VARCHAR(36) NOT NULL PRIMARY KEY, "created_at" DATETIME NOT NULL, '
    '"email" VARCHAR(254) NOT NULL, "password_hash" VARCHAR(255) NOT NULL, "role" VARCHAR(20) NOT NULL, '
    '"subject_id" VARCHAR(36), "first_name" VARCHAR(100) NOT NULL, "last_name" VARCHAR(100) NOT NULL)',
    'CREATE TABLE "token" ("token_hash" VARCHAR(64) NOT NULL PRIMARY KEY, "created_at" DATETIME NOT NULL, '
    '"account_id" VARCHAR(36) NOT NULL, "expires_at" DATETIME NOT NULL, '
    'FOREIGN KEY ("account_id") REFERENCES "account" ("id") ON DELETE CASCADE)',
]


def test_a_token_is_found_by_its_hash_and_has_no_id_column():
    assert Token._meta.primary_key.name == "token_hash"
    assert "id" not in Token._meta.fields
    assert Account._meta.primary_key.name == "id" and "created_at" in Account._meta.fields


def test_migrating_an_old_gateway_database_adds_the_generations_deactivation_and_staff_roles(tmp_path, capsys):
    path = tmp_path / "gateway.db"
    existing = SqliteDatabase(str(path))
    for statement in EXISTING_TABLES:
        existing.execute_sql(statement)
    existing.execute_sql(
        "INSERT INTO account VALUES ('a-1', '2026-01-01', 'a@example.fr', 'h', 'family', NULL, '', '')"
    )
    existing.close()
    migrate.migrate("gateway", f"sqlite:///{path}")
    # the columns added since: the calendar link's generation (services/gateway/calendar_link.py) and
    # the page sessions' version (a sign-out or a password change ends every session); the table
    # of counted sign-in attempts is new, created whole; when staff deactivated the account (none yet),
    # with the table of password reset links, new too
    added = [line for line in capsys.readouterr().out.splitlines() if "added column" in line]
    assert added == [
        "  added column account.calendar_generation",
        "  added column account.session_version",
        "  added column account.deactivated_at",
        "  added column account.staff_roles",
        "  added column account.staff_roles_version",
    ]
    after = SqliteDatabase(str(path))
    assert after.execute_sql("SELECT calendar_generation, session_version FROM account").fetchall() == [(0, 0)]
    assert after.execute_sql("SELECT count(*) FROM attempt").fetchall() == [(0,)]
    assert after.execute_sql("SELECT deactivated_at FROM account").fetchall() == [(None,)]
    # a staff member's staff roles, none until team tells them (staff_roles.py), none for the others
    assert after.execute_sql("SELECT staff_roles, staff_roles_version FROM account").fetchall() == [("[]", 0)]
    assert after.execute_sql("SELECT count(*) FROM passwordreset").fetchall() == [(0,)]
    tables = dict(after.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall())
    assert tables["token"] == EXISTING_TABLES[1]
    assert tables["account"].startswith(EXISTING_TABLES[0][:-1])
