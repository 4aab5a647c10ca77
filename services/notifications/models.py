"""The notifications service's tables (nobody else reads them), on the shared id-carrying base model.
Times are stored naive UTC (shared.timeutil).

- Contact: the email address of a person, as the events told it (never read from another service);
- Notification: what a person is told, read or not, on their page;
- Delivery: its email, recorded with it in the same transaction and sent after the commit.
"""

from peewee import BigIntegerField, CharField, DatabaseProxy, DateTimeField, ForeignKeyField, IntegerField, TextField

from shared.models import base_model, spine_models
from shared.timeutil import db_now

database = DatabaseProxy()
BaseModel = base_model(database)


class Contact(BaseModel):
    """One address per person (role, subject_id): the newest an event told."""

    role = CharField(max_length=20)
    subject_id = CharField(max_length=36)
    email = CharField(max_length=254)
    told_at = DateTimeField(default=db_now)  # when the event that told it was applied

    class Meta:
        indexes = ((("role", "subject_id"), True),)


class Notification(BaseModel):
    """`rank`: minus the creation time in microseconds, so that the ascending keyset of
    shared/pagination.py gives the newest first (index: recipient, rank, id)."""

    role = CharField(max_length=20)
    subject_id = CharField(max_length=36)
    kind = CharField(max_length=60)
    text = TextField()
    event_id = CharField(max_length=36)  # the event it came from
    rank = BigIntegerField()
    read_at = DateTimeField(null=True)

    @property
    def read(self):
        return self.read_at is not None

    class Meta:
        indexes = (
            (("role", "subject_id", "rank", "id"), False),
            (("event_id", "role", "subject_id", "kind"), True),  # once per event and person, whatever the deliveries
        )


class Delivery(BaseModel):
    """The email of a notification: to, subject and body fixed when it was recorded."""

    notification = ForeignKeyField(Notification, backref="deliveries", on_delete="CASCADE")
    to = CharField(max_length=254)
    subject = CharField(max_length=200)
    body = TextField()
    status = CharField(max_length=20)  # domain.delivery: pending, sending, sent, failed
    attempts = IntegerField(default=0)
    next_attempt_at = DateTimeField(default=db_now)
    last_error = TextField(null=True)
    sent_at = DateTimeField(null=True)
    # Where it was handed over (mailer.destination): an SMTP server, or the development mbox,
    # so that "sent" never hides an email that stayed on this machine.
    destination = CharField(max_length=300, null=True)

    class Meta:
        indexes = ((("status", "next_attempt_at"), False),)


Outbox, Inbox, Tombstone, Idempotency = SPINE = spine_models(database)

MODELS = [Contact, Notification, Delivery, *SPINE]
