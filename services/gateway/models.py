"""The gateway's own small database: accounts with roles, their API tokens, their password reset
links, the attempts the sign-in and registration limits count, and the audit trail."""

from peewee import CharField, DatabaseProxy, DateTimeField, ForeignKeyField, IntegerField

from shared.idempotency import idempotency_model
from shared.models import JsonField, base_model

database = DatabaseProxy()
BaseModel = base_model(database)


class Account(BaseModel):
    email = CharField(max_length=254, unique=True)
    password_hash = CharField(max_length=255)
    role = CharField(max_length=20, index=True)
    # The id of this person in the service that owns their record (volunteer, family, trainee…).
    subject_id = CharField(max_length=36, null=True)
    first_name = CharField(max_length=100, default="")
    last_name = CharField(max_length=100, default="")
    # The personal calendar link's generation (services/gateway/calendar_link.py): the link is
    # derived from it, a reset adds one, and every earlier link stops answering.
    calendar_generation = IntegerField(default=0)
    # The page sessions' generation: a session cookie carries the value it began with, and a
    # sign-out or a password change adds one, which ends every session begun before.
    session_version = IntegerField(default=0)
    # Set by staff (services/gateway/accounts_admin.py): the account cannot sign in; nothing of it is deleted.
    deactivated_at = DateTimeField(null=True)
    # A staff member's staff roles (shared/vocabulary.py STAFF_ROLES) as the team service keeps
    # them: read from team at each sign-in, written here at once when they change through the
    # gateway (services/gateway/staff_roles.py); `staff_roles_version` is team's count of changes,
    # so an older answer never overwrites a newer one. Empty for other accounts.
    staff_roles = JsonField(default=list)
    staff_roles_version = IntegerField(default=0)

    @property
    def roles(self):
        """Every role the account holds, its primary one (`role`) first: read once per loaded account
        from AccountRole (services/gateway/account_roles.py); an account with no row yet (made
        before several roles existed and not migrated, or built in memory) holds its `role` alone."""
        return [role for role, _ in self.role_subjects()]

    def role_subjects(self):
        """[(role, subject id)] of the account, the primary role first (AccountRole's rows, cached on
        this object: a grant through account_roles clears it)."""
        cached = self.__dict__.get("_role_subjects")
        if cached is None:
            rows = []
            if self.id is not None and "id" not in self._dirty:  # stored, not an Account(id=…) built in memory
                rows = [(r.role, r.subject_id) for r in AccountRole.select().where(AccountRole.account == self.id)]
            primary = [(self.role, self.subject_id)]
            cached = primary + sorted(row for row in rows if row[0] != self.role)
            self.__dict__["_role_subjects"] = cached
        return cached

    def forget_roles(self):
        self.__dict__.pop("_role_subjects", None)

    @property
    def active(self):
        return self.deactivated_at is None

    @property
    def display_name(self):
        """« First Last » as the person gave it, or their email when they gave no name."""
        return f"{self.first_name} {self.last_name}".strip() or self.email


class AccountRole(BaseModel):
    """One role an account holds, with the person's record id in the service that owns it (a parent
    also in training, a volunteer also in immersion): services/gateway/account_roles.py. The
    account's `role` and `subject_id` stay its primary role, which has its row here too."""

    account = ForeignKeyField(Account, backref="role_rows", on_delete="CASCADE")
    role = CharField(max_length=20)
    subject_id = CharField(max_length=36, null=True)

    class Meta:
        table_name = "account_roles"  # "account_role" is the name of the index of Account.role
        indexes = ((("account", "role"), True),)


class Token(BaseModel):
    """A token's row is found by its hash, so the hash is the primary key. peewee lets a model that
    declares its own primary key drop the base's `id` (inherited fields are copied except primary
    keys): the table keeps the columns it always had, token_hash, created_at, account_id and
    expires_at, and `make migrate` has nothing to change. Do not read Token.id: there is none."""

    # sha256 of the bearer token: a leak of the table gives no token.
    token_hash = CharField(primary_key=True, max_length=64)
    account = ForeignKeyField(Account, backref="tokens", on_delete="CASCADE")
    expires_at = DateTimeField(index=True)


class PasswordReset(BaseModel):
    """A password reset link (services/gateway/password_resets.py): found by the sha256 of its secret,
    like a Token; valid one hour from created_at (services/gateway/account_rules.py), used once."""

    token_hash = CharField(primary_key=True, max_length=64)
    account = ForeignKeyField(Account, backref="password_resets", on_delete="CASCADE")
    used_at = DateTimeField(null=True)


class Attempt(BaseModel):
    """One failed sign-in, or one registration, counted against its key ("account:<email>",
    "address:<ip>", "registration:<ip>") by services/gateway/attempt_limits.py. Kept here, not in a
    worker's memory, so every gunicorn worker and every replica counts the same attempts; rows
    older than the longest limit's window are deleted as new ones come."""

    key = CharField(max_length=300)

    class Meta:
        indexes = ((("key", "created_at"), False), (("created_at",), False))


class AuditEntry(BaseModel):
    """One line of the audit trail (services/gateway/audit.py, docs/audit-rules.md): appended, never
    updated, deleted only by the retention purge. Ids, never request bodies; created_at is when."""

    action = CharField(max_length=40)
    actor_id = CharField(max_length=36, null=True, index=True)  # None: nobody signed in (a failed sign-in)
    actor_role = CharField(max_length=20, default="")
    # The route's parameters (ids), space separated with a space at each end, so " id " finds one.
    subjects = CharField(max_length=400, default="")
    method = CharField(max_length=10, default="")
    route = CharField(max_length=300, default="")  # the route's pattern, never the URL as typed
    status = IntegerField(null=True)
    address = CharField(max_length=64, default="")
    email_tried = CharField(max_length=254, default="")  # a failed sign-in's email only
    correlation_id = CharField(max_length=100, default="")

    class Meta:
        table_name = "audit_entry"
        indexes = ((("created_at", "id"), False),)


class ErasureRecord(BaseModel):
    """The register of erasures (services/gateway/erasures.py, docs/privacy.md): which account was
    erased, under which erasure id, when and by whom; ids only. Kept apart from the accounts, so that
    an erasure done after a backup can be applied again to a restored copy."""

    account_id = CharField(max_length=36, unique=True)
    role = CharField(max_length=20)
    subject_id = CharField(max_length=36, null=True)
    # Every role's record id of the account at the request ([{"role", "id"}], account_roles.subjects):
    # a restored copy is erased again for each of them. Empty for a record made before several roles.
    subjects = JsonField(default=list)
    requested_by = CharField(max_length=36)
    completed_at = DateTimeField(null=True)  # when every service had answered (seen by the gateway)

    class Meta:
        table_name = "erasure_register"


Idempotency = idempotency_model(database)  # Idempotency-Key of commands (shared/idempotency.py)

MODELS = [Account, AccountRole, Token, PasswordReset, Attempt, AuditEntry, ErasureRecord, Idempotency]


def after_migrate():
    """Written step, safe to run again: an account made before several roles existed gets its one
    role (and record id) as its first AccountRole row."""
    held = AccountRole.select(AccountRole.account)
    for account in Account.select().where(Account.id.not_in(held)):
        AccountRole.create(account=account.id, role=account.role, subject_id=account.subject_id)
