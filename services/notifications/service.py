"""Notifications service: what each person is told (read or not, on their pages) and its email.

It consumes the events that concern a person (domain/messages.py says which, to whom, with what
text), keeps one notification per event and person, and records its email as a pending delivery
in the same transaction; a timer sends the due emails after the commit, with retries and
back-off (domain/delivery.py). Thin entrypoints: load (store) -> check -> change -> present.
"""

import logging
from datetime import timedelta

from nameko.timer import Timer

from services.notifications import mailer, models, presenters, store
from services.notifications import settings as notifications_settings
from services.notifications.domain import account_emails, delivery, messages
from services.notifications.schemas import NotificationQuery, PasswordResetIn
from services.notifications.settings import Settings
from shared import timeutil
from shared.broker_loss import rpc
from shared.commands import command
from shared.errors import load
from shared.handlers import on_event
from shared.logs import CorrelationId
from shared.timeutil import db_now
from shared.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
BATCH = 20  # emails claimed per sweep


class MailTimer(Timer):
    """nameko's timer, its interval read from COCOON_MAIL_SWEEP_SECONDS when the service starts."""

    def setup(self):
        self.interval = notifications_settings.load().sweep_seconds


class NotificationsService:
    name = "notifications"

    correlation_id = CorrelationId()
    uow = UnitOfWork(models.database, "notifications", models.Outbox, models.Inbox)
    settings = Settings()

    @rpc
    def health(self):
        return self.uow.health(self.name)

    # --- a person's notifications (the gateway passes the signed-in account's role and subject) ---
    @rpc
    def list_notifications(self, role, subject_id, query=None):
        q = load(NotificationQuery(), query or {})
        found = store.page_of(role, subject_id, q)
        return found.answer(presenters.notifications(found.rows))

    @rpc
    def unread_count(self, role, subject_id):
        return presenters.unread(store.unread_count(role, subject_id))

    @command
    def mark_read(self, role, subject_id, notification_id):
        with self.uow.atomic(exclusive=True):
            row = store.locked_notification(role, subject_id, notification_id)  # another person's: 404
            if row.read_at is None:  # marking it again changes nothing
                row.read_at = db_now()
                row.save()
        return presenters.notification(row)

    @command
    def mark_all_read(self, role, subject_id):
        with self.uow.atomic(exclusive=True):
            marked = store.mark_all_read(role, subject_id, db_now())
        return presenters.read_all(marked)

    # --- emails about an account, asked for by the gateway ---
    @command
    def send_password_reset(self, request):
        """A password reset link's notification and email (sent by the timer, with its retries);
        once per reset_id, so a retry of the same request sends nothing more."""
        data = load(PasswordResetIn(), request)
        reset_id = str(data["reset_id"])
        with self.uow.atomic(exclusive=True):
            if not store.event_noticed(reset_id):
                notice, body = account_emails.password_reset(data)
                row = store.add_notification(notice, reset_id, db_now())
                store.add_delivery(row, data["email"], notice.subject, body)
        return presenters.accepted()

    # --- events that concern a person: one notification each, whatever the deliveries ---
    @on_event("bookings.booking_confirmed")
    def notify_booking_confirmed(self, event):
        self._notify("bookings.booking_confirmed", event)

    @on_event("bookings.booking_waitlisted")
    def notify_booking_waitlisted(self, event):
        self._notify("bookings.booking_waitlisted", event)

    @on_event("bookings.booking_promoted")
    def notify_booking_promoted(self, event):
        self._notify("bookings.booking_promoted", event)

    @on_event("bookings.booking_cancelled")
    def notify_booking_cancelled(self, event):
        self._notify("bookings.booking_cancelled", event)

    @on_event("bookings.activity_rescheduled")
    def notify_activity_rescheduled(self, event):
        self._notify("bookings.activity_rescheduled", event)

    @on_event("bookings.activity_cancelled")
    def notify_activity_cancelled(self, event):
        self._notify("bookings.activity_cancelled", event)

    @on_event("placements.hours_validated")
    def notify_hours_validated(self, event):
        self._notify("placements.hours_validated", event)

    @on_event("placements.hours_rejected")
    def notify_hours_rejected(self, event):
        self._notify("placements.hours_rejected", event)

    @on_event("volunteers.signup_cancelled")
    def notify_signup_cancelled(self, event):
        self._notify("volunteers.signup_cancelled", event)

    @on_event("volunteers.honorability_expiring")
    def notify_honorability_expiring(self, event):
        self._notify("volunteers.honorability_expiring", event)

    @on_event("education.enrolment_confirmed")
    def notify_enrolment_confirmed(self, event):
        self._notify("education.enrolment_confirmed", event)

    @on_event("education.enrolment_waitlisted")
    def notify_enrolment_waitlisted(self, event):
        self._notify("education.enrolment_waitlisted", event)

    @on_event("education.enrolment_cancelled")
    def notify_enrolment_cancelled(self, event):
        self._notify("education.enrolment_cancelled", event)

    @on_event("volunteers.volunteer_registered")
    def keep_volunteer_contact(self, event):
        self._notify("volunteers.volunteer_registered", event)

    def _notify(self, event_name, event):
        """Inside the handler's transaction (with its inbox mark): the addresses the event tells,
        then its notifications, each with its pending email when the person's address is known."""
        payload = event["payload"]
        for contact in messages.contacts(event_name, payload):
            store.keep_contact(contact)
        for notice in messages.notices(event_name, payload, timeutil.venue_zone()):
            row = store.add_notification(notice, event["event_id"], db_now())
            email = store.email_of(notice.role, notice.subject_id)
            if email:
                store.add_delivery(row, email, notice.subject, messages.email_body(notice))

    # --- emails, after the commit ---
    @MailTimer.decorator(interval=2)
    def send_due_emails(self):
        """Claims the due emails (one short transaction), sends each outside any transaction, then
        records what happened to it: sent, pending again after its back-off, or failed for good."""
        cfg = self.settings
        now = db_now()
        lease = timedelta(seconds=max(60.0, 4 * cfg.smtp_timeout_seconds))
        with self.uow.atomic(exclusive=True):
            claimed = [
                (d.id, d.attempts, mailer.message(cfg, d.to, d.subject, d.body, d.id))
                for d in store.claim_due_deliveries(now, now + lease, BATCH)
            ]
        for delivery_id, attempts, msg in claimed:
            try:
                mailer.send(cfg, msg)
            except mailer.SEND_ERRORS as exc:
                self._failed(delivery_id, attempts, f"{type(exc).__name__}: {exc}")
            else:
                with self.uow.atomic(exclusive=True):
                    store.mark_sent(store.locked_delivery(delivery_id), db_now())
                log.info("email sent", extra={"delivery_id": delivery_id, "attempt": attempts})

    def _failed(self, delivery_id, attempts, error):
        cfg = self.settings
        status, next_at = delivery.after_failure(
            attempts, cfg.max_attempts, db_now(), cfg.retry_seconds, cfg.retry_max_seconds
        )
        with self.uow.atomic(exclusive=True):
            store.mark_failed_attempt(store.locked_delivery(delivery_id), status, next_at, error)
        extra = {"delivery_id": delivery_id, "attempt": attempts, "error": error}
        if status == delivery.FAILED:
            log.error("email given up after its last attempt; the notification stays", extra=extra)
        else:
            log.warning("email not sent, will retry", extra=dict(extra, next_attempt_at=next_at.isoformat()))
