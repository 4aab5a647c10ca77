"""The gateway's own small database: accounts with roles, and their API tokens."""
import uuid

from peewee import CharField, DatabaseProxy, DateTimeField, ForeignKeyField, Model

from shared.timeutil import db_now
from shared.idempotency import idempotency_model

database = DatabaseProxy()


class BaseModel(Model):
    created_at = DateTimeField(default=db_now)

    class Meta:
        database = database


class Account(BaseModel):
    id = CharField(primary_key=True, max_length=36, default=lambda: str(uuid.uuid4()))
    email = CharField(max_length=254, unique=True)
    password_hash = CharField(max_length=255)
    role = CharField(max_length=20, index=True)
    # The id of this person in the service that owns their record (volunteer, family, trainee…).
    subject_id = CharField(max_length=36, null=True)
    first_name = CharField(max_length=100, default="")
    last_name = CharField(max_length=100, default="")


class Token(BaseModel):
    token_hash = CharField(primary_key=True, max_length=64)  # sha256 of the bearer token: a leak of the table gives no token
    account = ForeignKeyField(Account, backref="tokens", on_delete="CASCADE")
    expires_at = DateTimeField(index=True)


Idempotency = idempotency_model(database)  # Idempotency-Key of commands (shared/idempotency.py)

MODELS = [Account, Token, Idempotency]
