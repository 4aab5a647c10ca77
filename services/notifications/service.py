"""Notifications service: what each person is told (read or not, on their pages) and its email.

It consumes the events that concern a person (domain/messages.py says which, to whom, with what
text), keeps one notification per event and person, and records its email as a pending delivery
in the same transaction; a timer sends the due emails after the commit, with retries and
back-off (domain/delivery.py), asking each person's service for their address and names when
the email leaves (recipients.py: events carry ids only). Thin entrypoints: load (store) -> check
-> change -> present.
"""

import logging
from datetime import date, timedelta
from email.utils import parseaddr

from nameko.timer import Timer

from services.notifications import catcher, caught, mailer, models, presenters, recipients, store
from services.notifications import settings as notifications_settings
from services.notifications.domain import (
    account_emails,
    calendar_changes,
    choices,
    delivery,
    invitation,
    messages,
    reminders,
)
from services.notifications.erasure import ErasureHandlers
from services.notifications.personal_data import PersonalDataExport
from services.notifications.schemas import EmailChoicesIn, NotificationQuery, PasswordResetIn
from services.notifications.settings import Settings
from shared import service_metrics, timeutil
from shared.broker_loss import rpc
from shared.commands import command
from shared.errors import Unavailable, load
from shared.handlers import on_event
from shared.logs import CorrelationId
from shared.models import new_id
from shared.service_rpc import BoundedRpcProxy
from shared.timeutil import db_now, from_db
from shared.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
BATCH = 20  # emails claimed per sweep
LOOKUP_SECONDS = 5.0  # the wait for a person's service to say who they are (then: retried later)


class MailTimer(Timer):
    """nameko's timer, its interval read from COCOON_MAIL_SWEEP_SECONDS when the service starts."""

    def setup(self):
        self.interval = notifications_settings.load().sweep_seconds


class NotificationsService(PersonalDataExport, ErasureHandlers):
    name = "notifications"

    correlation_id = CorrelationId()
    uow = UnitOfWork(models.database, "notifications", models.Outbox, models.Inbox)
    settings = Settings()
    # the people's own services, asked for an address and names when an email leaves (recipients.py)
    bookings = BoundedRpcProxy("bookings", seconds=LOOKUP_SECONDS)
    volunteers = BoundedRpcProxy("volunteers", seconds=LOOKUP_SECONDS)
    placements = BoundedRpcProxy("placements", seconds=LOOKUP_SECONDS)
    team = BoundedRpcProxy("team", seconds=LOOKUP_SECONDS)

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

    @rpc
    def email_choices(self, role, subject_id):
        """The optional categories of emails the person may choose, each received or not, and the
        categories they always receive (domain/choices.py)."""
        return presenters.email_choices(role, store.declined(role, subject_id))

    @command
    def choose_emails(self, role, subject_id, wanted):
        """The person's own choice of optional emails: `wanted` {category: received}, a category not
        named keeping its choice; the legally necessary emails always go."""
        if isinstance(wanted, bool):  # the first form of this call: the reminders alone
            wanted = {choices.REMINDERS: wanted}
        data = load(EmailChoicesIn(), wanted)
        with self.uow.atomic():
            store.choose(role, subject_id, data)
            declined = store.declined(role, subject_id)
        return presenters.email_choices(role, declined)

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

    @on_event("placements.immersion_assessed")
    def send_immersion_assessment(self, event):
        """The assessment goes to the prescriber's adviser (their address and the tutor's texts
        asked of placements' contact when the email leaves)."""
        self._notify("placements.immersion_assessed", event)

    @on_event("volunteers.signup_confirmed")
    def notify_signup_confirmed(self, event):
        self._notify("volunteers.signup_confirmed", event)

    @on_event("volunteers.signup_withdrawn")
    def forget_withdrawn_signup(self, event):
        self._notify("volunteers.signup_withdrawn", event)  # no notice: its reminder is cancelled

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

    @on_event("education.enrolment_retracted")
    def forget_retracted_enrolment(self, event):
        self._notify("education.enrolment_retracted", event)  # no notice: its reminder is cancelled

    # --- invoices of a closed month: always emailed (domain/choices.py), its address and link
    # written when it leaves (recipients.py asks bookings for the family's address) ---
    @on_event("bookings.invoice_issued")
    def send_invoice(self, event):
        self._notify("bookings.invoice_issued", event)

    # --- attestations d'honorabilité: their renewal reminders, 60 and 15 days before the last day ---
    @on_event("team.staff_cleared", exclusive=True)
    def schedule_staff_renewal(self, event):
        payload = event["payload"]
        self._schedule_renewals(messages.STAFF, payload["staff_id"], payload["expires_on"])

    @on_event("placements.trainee_cleared", exclusive=True)
    def schedule_trainee_renewal(self, event):
        payload = event["payload"]
        self._schedule_renewals(messages.TRAINEE, payload["trainee_id"], payload["expires_on"])

    @on_event("volunteers.honorability_recorded", exclusive=True)
    def schedule_volunteer_renewal(self, event):
        payload = event["payload"]
        self._schedule_renewals(messages.VOLUNTEER, payload["volunteer_id"], payload["expires_on"])

    def _schedule_renewals(self, role, subject_id, expires_on):
        if isinstance(expires_on, str):
            expires_on = date.fromisoformat(expires_on)
        store.schedule_renewals(role, subject_id, expires_on, db_now(), timeutil.venue_zone())

    def _notify(self, event_name, event):
        """Inside the handler's transaction (with its inbox mark): its notifications, each with its
        pending email, addressed and written with the person's names when it leaves (recipients.py)."""
        payload, now = event["payload"], db_now()
        calendars = {}  # (role, subject_id) -> the invitation its email carries
        for change in calendar_changes.changes(event_name, payload):
            for thing, method in store.apply_calendar_change(change, now, self.settings.reminder_hours):
                calendars[(thing.role, thing.subject_id)] = _invitation(thing, method)
        event_facts = recipients.facts(payload)
        for notice in messages.notices(event_name, payload, timeutil.venue_zone()):
            row = store.add_notification(notice, event["event_id"], now)
            if recipients.owner(notice.role) and choices.emailed(
                notice.kind, store.declined(notice.role, notice.subject_id)
            ):  # else nobody to ask for an address, or the person turned these emails off
                found = recipients.invitation_facts(calendars.get((notice.role, notice.subject_id)))
                store.add_delivery(row, "", notice.subject, "", event_name, event_facts, found)

    def _sender(self):
        return parseaddr(self.settings.smtp_from)[1]

    # --- reminders, a timer sending the due ones ---
    @MailTimer.decorator(interval=2)
    def send_due_reminders(self):
        """Each due reminder becomes a notification and its email in the transaction that claims it
        (store.claim_reminder: a conditional UPDATE), so it is sent once whatever the instances."""
        now = db_now()
        with self.uow.atomic(exclusive=True):
            store.drop_started_reminders(now)
            due = store.due_reminder_ids(now, BATCH)
        for reminder_id in due:
            with self.uow.atomic(exclusive=True):
                thing = store.claim_reminder(reminder_id, now)
                if thing is None:
                    continue  # another instance sent it, or it was moved or cancelled meanwhile
                notice = _reminder_notice(thing)
                row = store.add_notification(notice, new_id(), now)
                email = recipients.owner(thing.role) is not None and choices.emailed(
                    notice.kind, store.declined(thing.role, thing.subject_id)
                )  # else the person turned these emails off: the notification stays
                if email:  # its address is asked when it leaves
                    store.add_delivery(row, "", notice.subject, messages.email_body(notice), "reminder")
            log.info(
                "reminder recorded, its email goes with the next sweep" if email else "reminder recorded (no email)",
                extra={"reminder_id": reminder_id, "kind": thing.kind, "thing_id": thing.thing_id},
            )

    # --- emails, after the commit ---
    @MailTimer.decorator(interval=2)
    def send_due_emails(self):
        """Claims the due emails (one short transaction), sends each outside any transaction, then
        records what happened to it: sent, pending again after its back-off, or failed for good."""
        cfg = self.settings
        now = db_now()
        lease = timedelta(seconds=max(60.0, 4 * cfg.smtp_timeout_seconds + 2 * LOOKUP_SECONDS))
        with self.uow.atomic(exclusive=True):
            claimed = [(d.id, d.attempts) for d in store.claim_due_deliveries(now, now + lease, BATCH)]
        silent = set()  # owners that did not answer in this sweep: not asked again until the next
        for delivery_id, attempts in claimed:
            msg = self._addressed(delivery_id, attempts, silent)
            if msg is not None:
                self._send(delivery_id, attempts, msg)

    def _addressed(self, delivery_id, attempts, silent):
        """The email ready to send, its address and names asked of the person's service first when
        it has none yet (outside any transaction). None when it is not sent now: the owner did not
        answer (pending again after its back-off) or knows nobody to write to (dropped)."""
        with self.uow.atomic():
            d = store.delivery(delivery_id)
            role, subject_id, ready = d.notification.role, d.notification.subject_id, bool(d.to)
        if not ready and not self._look_up(delivery_id, attempts, role, subject_id, silent):
            return None
        with self.uow.atomic():
            d = store.delivery(delivery_id)
            return mailer.message(self.settings, d.to, d.subject, d.body, d.id, d.calendar, d.calendar_method)

    def _look_up(self, delivery_id, attempts, role, subject_id, silent):
        """True once the delivery holds the address and text its person's service gave; an owner
        that did not answer is not asked again in the same sweep (each wait would be 5 s)."""
        service = recipients.owner(role)
        try:
            if service in silent:
                raise Unavailable(f"{service} did not answer earlier in this sweep")
            contact = getattr(self, service).contact(role, subject_id)
        except recipients.LOOKUP_ERRORS as exc:  # not there, too slow: the emails' back-off
            silent.add(service)
            self._failed(delivery_id, attempts, f"{service} did not say where to send it ({type(exc).__name__})")
            return False
        with self.uow.atomic(exclusive=True):
            d = store.locked_delivery(delivery_id)
            if not (contact or {}).get("email"):
                store.drop_delivery(d)
            else:
                done = recipients.compose(
                    d, d.notification, contact, timeutil.venue_zone(), self._sender(), self.settings.public_url
                )
                store.addressed(d, done.to, done.body, done.calendar, done.calendar_method, done.text)
        if not (contact or {}).get("email"):
            log.info(f"email dropped: {service} knows no address for its person", extra={"delivery_id": delivery_id})
            return False
        return True

    def _send(self, delivery_id, attempts, msg):
        """Outside any transaction; then records what happened to it."""
        cfg = self.settings
        try:
            where = mailer.send(cfg, msg)
        except mailer.SEND_ERRORS as exc:
            self._failed(delivery_id, attempts, f"{type(exc).__name__}: {exc}")
            return
        with self.uow.atomic(exclusive=True):
            store.mark_sent(store.locked_delivery(delivery_id), db_now(), where)
        service_metrics.email("sent")
        extra = {"delivery_id": delivery_id, "attempt": attempts, "destination": where}
        if cfg.smtp_host and cfg.catcher:  # handed over, yet nothing left this machine
            log.info(
                f"email caught by {where}, not sent out (staff page « Emails de développement »)",
                extra=dict(extra, delivery_status="caught_locally"),
            )
        elif cfg.smtp_host:
            log.info(f"email sent to {where}", extra=dict(extra, delivery_status="sent"))
        else:  # the truth in development: nothing left this machine
            log.info(
                f"email written to {where}, not sent (COCOON_SMTP_HOST unset)",
                extra=dict(extra, delivery_status="written_to_mbox"),
            )

    # --- failed emails, for staff (the gateway's page; `cocoon emails` reads the database itself) ---
    @rpc
    def failed_emails(self):
        return presenters.failed_emails(store.failed_deliveries())

    @rpc
    def caught_emails(self, limit=50):
        """What the development catcher kept, newest first; `enabled` false when there is none
        (a real SMTP server, or the mbox without a server)."""
        if not self.settings.catcher:
            return {"enabled": False, "items": []}
        return {"enabled": True, "items": caught.newest(catcher.mbox_path(), limit)}

    @command
    def retry_emails(self, delivery_ids=None):
        """Failed emails queued again (all of them when `delivery_ids` is None); the timer sends them."""
        with self.uow.atomic(exclusive=True):
            queued = store.requeue_failed(db_now(), delivery_ids)
        log.info("failed emails queued again", extra={"queued": queued})
        return {"queued": queued}

    def _failed(self, delivery_id, attempts, error):
        cfg = self.settings
        now = db_now()
        status, next_at = delivery.after_failure(
            attempts, cfg.max_attempts, now, cfg.retry_seconds, cfg.retry_max_seconds
        )
        with self.uow.atomic(exclusive=True):  # given up: its time is kept as when (staff's list)
            store.mark_failed_attempt(store.locked_delivery(delivery_id), status, next_at or now, error)
        service_metrics.email("given_up" if status == delivery.FAILED else "attempt_failed")
        where = mailer.destination(cfg)
        extra = {"delivery_id": delivery_id, "attempt": attempts, "error": error, "destination": where}
        if status == delivery.FAILED:
            log.error(
                f"email not sent to {where}, given up after its last attempt (see `cocoon emails failed`)",
                extra=dict(extra, delivery_status="failed"),
            )
        else:
            log.warning(
                f"email not sent to {where}, will retry",
                extra=dict(extra, delivery_status="pending", next_attempt_at=next_at.isoformat()),
            )


def _reminder_notice(thing):
    """The notice of a due Reminder row: an attestation to renew, or a booking, sign-up or training."""
    zone = timeutil.venue_zone()
    if thing.kind in reminders.RENEWAL_DAYS:
        return messages.honorability_renewal(thing.role, thing.subject_id, store.renewal_expires_on(thing, zone))
    return messages.reminder(
        thing.kind,
        thing.role,
        thing.subject_id,
        thing.title,
        from_db(thing.starts_at),
        from_db(thing.ends_at),
        thing.location,
        zone,
    )


def _invitation(thing, method):
    return invitation.Invitation(
        kind=thing.kind,
        thing_id=thing.thing_id,
        sequence=thing.sequence,
        method=method,
        summary=thing.title or "",
        starts_at=from_db(thing.starts_at),
        ends_at=from_db(thing.ends_at),
        location=thing.location,
    )
