"""The notifications service's tables (nobody else reads them), on the shared id-carrying base model.
Times are stored naive UTC (shared.timeutil).

- Notification: what a person is told, read or not, on their page;
- Delivery: its email, recorded with it in the same transaction and sent after the commit; its
  address (and, for an event's email, its text with the person's names) asked of the person's
  service when it leaves (recipients.py): no table here copies an address from events;
- Reminder: a thing in a person's calendar (a booking, a sign-up, an enrolment): when its
  reminder is due, and the SEQUENCE of its calendar file (domain/reminders.py, invitation.py);
  and the two renewal reminders of a person's attestation d'honorabilité;
- EmailChoice: which optional emails a person receives (domain/choices.py).
"""

from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    DatabaseProxy,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from shared.models import JsonField, base_model, spine_models
from shared.timeutil import db_now

database = DatabaseProxy()
BaseModel = base_model(database)


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
    """The email of a notification. `to` is "" until it leaves: the sweep asks the person's service
    for their address (recipients.py), then writes `to` and, for an event's email, the body with
    the names it needs; both are kept once written (the staff's list of failed emails, what was
    sent), and an erasure purges them with the person's notifications. A password reset's comes
    with its address and body (the person typed the address)."""

    notification = ForeignKeyField(Notification, backref="deliveries", on_delete="CASCADE")
    to = CharField(max_length=254)  # "" until looked up
    subject = CharField(max_length=200)
    body = TextField()  # an event's: "" until looked up
    status = CharField(max_length=20)  # domain.delivery: pending, sending, sent, failed
    attempts = IntegerField(default=0)
    next_attempt_at = DateTimeField(default=db_now)
    last_error = TextField(null=True)
    sent_at = DateTimeField(null=True)
    # Where it was handed over (mailer.destination): an SMTP server, or the development mbox,
    # so that "sent" never hides an email that stayed on this machine.
    destination = CharField(max_length=300, null=True)
    calendar = TextField(null=True)  # the .ics attached (domain/invitation.py), when there is one
    calendar_method = CharField(max_length=10, null=True)  # REQUEST or CANCEL
    # what composes it when it leaves: the event's name and payload (ids, no names nor address),
    # and its calendar file's facts (recipients.py); null for an email written in full at once
    source = CharField(max_length=80, null=True)
    facts = JsonField(null=True)
    invitation = JsonField(null=True)

    class Meta:
        indexes = ((("status", "next_attempt_at"), False),)


class Reminder(BaseModel):
    """One per thing: `status` (domain.reminders) changes only through a conditional UPDATE, so two
    instances never both send it. A cancellation that arrives first leaves a cancelled row, so a
    late confirmation schedules nothing.

    An attestation's renewal reminder (kinds `renewal_60`, `renewal_15`, `thing_id` the holder's
    id) uses `starts_at` as the moment it is no longer owed (dropped, as a started thing's) and
    `ends_at` as the attestation's last valid day at 0:00 at the venue (domain/reminders.py)."""

    kind = CharField(max_length=20)
    thing_id = CharField(max_length=36)
    activity_id = CharField(max_length=36, null=True)  # a sign-up's: its activity's moves name it
    role = CharField(max_length=20)
    subject_id = CharField(max_length=36)
    title = CharField(max_length=250, null=True)
    location = CharField(max_length=200, null=True)
    starts_at = DateTimeField(null=True)  # naive UTC
    ends_at = DateTimeField(null=True)
    sequence = IntegerField(default=0)  # the calendar file's SEQUENCE: one more at each move or cancellation
    status = CharField(max_length=20)
    due_at = DateTimeField(null=True)
    sent_at = DateTimeField(null=True)

    class Meta:
        indexes = (
            (("kind", "thing_id"), True),
            (("status", "due_at"), False),
            (("activity_id", "subject_id"), False),
        )


class EmailChoice(BaseModel):
    """A person's choice of optional emails, a column per optional category of domain/choices.py
    (true: received); no row: every email."""

    role = CharField(max_length=20)
    subject_id = CharField(max_length=36)
    reminders = BooleanField(default=True)
    confirmations = BooleanField(default=True)
    renewals = BooleanField(default=True)

    class Meta:
        indexes = ((("role", "subject_id"), True),)


Outbox, Inbox, Tombstone, Idempotency = SPINE = spine_models(database)

MODELS = [Notification, Delivery, Reminder, EmailChoice, *SPINE]


def after_migrate():
    """The Contact table of before (the addresses events used to carry, copied here) is dropped:
    addresses are asked of their owners when an email leaves."""
    database.execute_sql('DROP TABLE IF EXISTS "contact"')
