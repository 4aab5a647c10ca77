"""The notifications service's published interface: its marshmallow Out (what it answers) and Query
(a list's filters) schemas. The gateway may import this module, and no other of this service.
Its calls take the recipient as the gateway's account names it: (role, subject_id)."""

from marshmallow import Schema, fields

from shared.pagination import PageQuery
from shared.timeutil import from_db


class VenueTime(fields.DateTime):
    """A stored time (naive UTC) shown in the venue's zone, with its offset."""

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(from_db(value), attr, obj, **kwargs)


class NotificationQuery(PageQuery):
    """A page of a person's notifications, newest first (shared/pagination.py)."""


class NotificationOut(Schema):
    id = fields.String()
    kind = fields.String(metadata={"description": "Ce qui l'a causée, p. ex. booking_confirmed."})
    text = fields.String(metadata={"description": "Le texte, en français, tel qu'il est montré."})
    created_at = VenueTime()
    read = fields.Boolean(metadata={"description": "Vraie une fois marquée comme lue."})


class UnreadOut(Schema):
    unread = fields.Integer()


class ReadAllOut(Schema):
    marked = fields.Integer(metadata={"description": "Notifications marquées comme lues."})


class PasswordResetIn(Schema):
    """What the gateway asks of `send_password_reset`: the email of a password reset link."""

    reset_id = fields.UUID(required=True, metadata={"description": "Une fois par lien (un nouvel essai : rien)."})
    role = fields.String(required=True)
    subject_id = fields.String(required=True)
    email = fields.Email(required=True)
    link = fields.Url(required=True, require_tld=False)
    valid_minutes = fields.Integer(required=True)
    by_staff = fields.Boolean(load_default=False)


class AcceptedOut(Schema):
    accepted = fields.Boolean()


class FailedEmailOut(Schema):
    """An email given up after its last attempt: what staff see before sending it again."""

    id = fields.String()
    to = fields.String()
    subject = fields.String()
    attempts = fields.Integer()
    last_error = fields.String(allow_none=True)
    given_up_at = VenueTime(attribute="next_attempt_at", metadata={"description": "Sa dernière tentative."})
    created_at = VenueTime()


class EmailChoicesIn(Schema):
    """A person's choice of optional emails (domain/choices.py): a category not named keeps its choice."""

    reminders = fields.Boolean()
    confirmations = fields.Boolean()
    renewals = fields.Boolean()


class EmailChoicesOut(Schema):
    """`optional`: the categories the person may choose, in the page's order, each received or
    not; `always`: the categories they always receive (legally necessary, or a change to what was
    agreed)."""

    optional = fields.List(fields.Dict(), metadata={"description": "[{category, wanted}]"})
    always = fields.List(fields.String())
