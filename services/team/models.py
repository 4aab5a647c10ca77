"""The team service's tables (nobody else reads them), on the shared id-carrying base model.
Times are stored naive UTC (shared.timeutil)."""

from peewee import BooleanField, CharField, DatabaseProxy, DateField, DateTimeField, IntegerField

from shared.models import JsonField, base_model, spine_models

database = DatabaseProxy()  # bound by the UnitOfWork at start, by shared/migrate.py for `make migrate`
BaseModel = base_model(database)  # the service's own tables derive from it


class StaffMember(BaseModel):
    """A member of the venue's staff. Its id is the gateway account's id (the gateway keeps the
    account: email, password, role); this row keeps what the other services need to know."""

    email = CharField(max_length=254, unique=True)
    first_name = CharField(max_length=100)
    last_name = CharField(max_length=100)
    job_title = CharField(max_length=100, default="")
    diplomas = JsonField(default=list)  # codes of shared/diplomas.py
    health_referent = BooleanField(default=False)  # référent santé et accueil inclusif (CSP R2324-39)
    active = BooleanField(default=True)  # false once they left the venue
    left_on = DateField(null=True)
    # What they may do (shared/vocabulary.py STAFF_ROLES); the gateway reads them at each sign-in.
    # Null only for a profile made before staff roles existed (after_migrate makes it director).
    staff_roles = JsonField(null=True, default=list)
    roles_version = IntegerField(default=0)  # one more at each change: the gateway keeps the newest

    class Meta:
        indexes = ((("last_name", "first_name", "id"), False),)


class Honorability(BaseModel):
    """An attestation d'honorabilité as staff checked it on the national platform; a renewal is a
    new row, the latest verification counts (store.current_attestation)."""

    staff_id = CharField(max_length=36, index=True)
    issued_on = DateField()
    verified_on = DateField()
    verified_by = CharField(max_length=36)  # the staff account who checked it
    expiry_announced_at = DateTimeField(null=True)  # team.staff_clearance_expired sent (once)


class ErasureRequest(BaseModel):
    """An erasure the team service owns (services/team/erasure.py, docs/privacy.md): the ids it
    was published with, never an email; id: the erasure id the gateway chose."""

    account_id = CharField(max_length=36, index=True)
    role = CharField(max_length=20)
    ids = JsonField(default=dict)  # {family_id, volunteer_id, trainee_id, staff_id} as published
    completed_at = DateTimeField(null=True)  # when the last service answered


class ErasureAnswer(BaseModel):
    """One service's answer to an erasure (`<service>.personal_data_erased`)."""

    erasure_id = CharField(max_length=36)
    service = CharField(max_length=30)

    class Meta:
        indexes = ((("erasure_id", "service"), True),)


Outbox, Inbox, Tombstone, Idempotency = SPINE = spine_models(database)

MODELS = [StaffMember, Honorability, ErasureRequest, ErasureAnswer, *SPINE]  # every table, for shared/migrate.py


def after_migrate():
    """Written step, safe to run again: a profile made when every staff account had every staff
    power keeps them (director) until the director narrows them (docs/accounts-rules.md)."""
    StaffMember.update(staff_roles=["director"], roles_version=1).where(StaffMember.staff_roles.is_null()).execute()
