"""The notifications service's part of the RGPD export (shared/personal_data.py): the person's
notifications, the emails recorded for them (to, subject, status and
dates: the bodies repeat the notifications), their reminders and their choice of emails. Read-only."""

from marshmallow import Schema, fields

from services.notifications import presenters
from services.notifications.models import Delivery, EmailChoice, Notification, Reminder
from services.notifications.schemas import VenueTime
from shared import personal_data
from shared.broker_loss import rpc


class DeliveryOut(Schema):
    notification_id = fields.String(attribute="notification_id")
    to = fields.String()
    subject = fields.String()
    status = fields.String()
    attempts = fields.Integer()
    created_at = VenueTime()
    sent_at = VenueTime(allow_none=True)
    with_calendar = fields.Function(lambda row: row.calendar is not None)


class ReminderOut(Schema):
    kind = fields.String()
    thing_id = fields.String()
    title = fields.String(allow_none=True)
    location = fields.String(allow_none=True)
    starts_at = VenueTime(allow_none=True)
    status = fields.String()
    due_at = VenueTime(allow_none=True)
    sent_at = VenueTime(allow_none=True)


class EmailChoiceOut(Schema):
    reminders = fields.Boolean()
    confirmations = fields.Boolean()
    renewals = fields.Boolean()


class PersonalDataExport:
    @rpc
    def export_person(self, person):
        """{"notifications", "deliveries", "reminders", "email_choices"}, oldest first."""
        who = personal_data.person(person)

        def mine(model):
            query = model.select().where(model.role == who["role"], model.subject_id.in_(personal_data.ids_of(who)))
            return list(query.order_by(model.created_at, model.id))

        notes = mine(Notification)
        deliveries = Delivery.select().where(Delivery.notification.in_([n.id for n in notes])) if notes else []
        return {
            "notifications": presenters.notifications(notes),
            "deliveries": DeliveryOut(many=True).dump(sorted(deliveries, key=lambda d: (d.created_at, d.id))),
            "reminders": ReminderOut(many=True).dump(mine(Reminder)),
            "email_choices": EmailChoiceOut(many=True).dump(mine(EmailChoice)),
        }
