"""The insights service's tables (nobody else reads them), on the shared id-carrying base model.
Times are stored naive UTC (shared.timeutil).

`LoggedEvent` is the append-only log of what insights consumed (reduced payloads: ids, enums,
dates, numbers, never a name or a text); `Fact` and `Link` are its projection, which
`cocoon insights rebuild` drops and replays from the log (docs/insights-rules.md)."""

from peewee import CharField, DatabaseProxy, DateField, DateTimeField, IntegerField

from shared.models import JsonField, base_model, spine_models

database = DatabaseProxy()  # bound by the UnitOfWork at start, by shared/migrate.py for `make migrate`
BaseModel = base_model(database)  # the service's own tables derive from it

Outbox, Inbox, Tombstone, Idempotency = SPINE = spine_models(database)

LIVE, BACKFILL = "live", "backfill"  # how an event reached the log


class LoggedEvent(BaseModel):
    """One consumed fact, once: `dedupe_key` is derived from the record (domain/reduction.py), so
    a redelivery, a replay or the backfill's copy of the same fact adds nothing."""

    dedupe_key = CharField(max_length=255, unique=True)
    event_id = CharField(max_length=64)
    name = CharField(max_length=80)
    occurred_at = DateTimeField(index=True)
    payload = JsonField()  # the reduced payload
    origin = CharField(max_length=10, default=LIVE)


class Fact(BaseModel):
    """A projected fact (domain/projection.py `Fact`); `revision`: a higher one replaces it."""

    key = CharField(max_length=255, unique=True)
    kind = CharField(max_length=40)
    on = DateField()
    source = CharField(max_length=20)
    subject = CharField(max_length=100, null=True, index=True)
    ref = CharField(max_length=64, null=True)
    detail = CharField(max_length=64, null=True)
    value = CharField(max_length=32, null=True)
    revision = IntegerField(default=0)

    class Meta:
        indexes = ((("kind", "on"), False),)


class Link(BaseModel):
    """A subject (`<role>:<id>`) is this person; the earliest learnt link wins, whatever the order."""

    subject = CharField(max_length=100, unique=True)
    person_id = CharField(max_length=64, index=True)
    learnt_at = DateTimeField()


class BackfillDone(BaseModel):
    """The backfill from one producing service ran (once)."""

    source = CharField(max_length=20, unique=True)
    events = IntegerField(default=0)


PROJECTION = [Fact, Link]
MODELS = [*SPINE, LoggedEvent, *PROJECTION, BackfillDone]
