"""The notifications service's queries and locks: the only module, with models.py, that speaks peewee.
A missing thing raises NotFound with a French message."""

from datetime import datetime, time, timezone

from services.notifications.domain import calendar_changes, choices, reminders
from services.notifications.domain.delivery import FAILED, PENDING, SENDING, SENT
from services.notifications.models import Delivery, EmailChoice, Notification, Reminder
from shared import pagination
from shared.db import get_locked, is_postgres
from shared.errors import NotFound, found
from shared.timeutil import from_db, to_db

NOT_FOUND = "Notification introuvable."


def add_notification(notice, event_id, created_at):
    """`created_at` naive UTC (db_now): its rank sorts the newest first."""
    moment = created_at.replace(tzinfo=timezone.utc)
    return Notification.create(
        role=notice.role,
        subject_id=notice.subject_id,
        kind=notice.kind,
        text=notice.text,
        event_id=event_id,
        created_at=created_at,
        rank=-int(moment.timestamp() * 1_000_000),
    )


def event_noticed(event_id):
    """True when something (an event, a reset link) already gave a notification."""
    return Notification.select().where(Notification.event_id == event_id).exists()


def add_delivery(notification, to, subject, body, source=None, facts=None, invitation=None):
    """`to` "" (and an event's `body` ""): written when it leaves (recipients.py), from `source`
    (the event's name), `facts` (its payload, JSON) and `invitation` (its calendar file's facts)."""
    return Delivery.create(
        notification=notification,
        to=to,
        subject=subject,
        body=body,
        status=PENDING,
        source=source,
        facts=facts,
        invitation=invitation,
    )


def addressed(delivery, to, body, calendar=None, calendar_method=None, text=None):
    """The delivery (locked) with the address and the text its person's service gave; `text`: the
    notification's own, with the same names, on the person's page."""
    delivery.to, delivery.body = to[:254], body
    delivery.calendar, delivery.calendar_method = calendar, calendar_method
    delivery.save()
    if text:
        Notification.update(text=text).where(Notification.id == delivery.notification_id).execute()


def drop_delivery(delivery):
    """An email with nobody to send it to (their service knows no address): the notification stays."""
    delivery.delete_instance()


def _of(role, subject_id):
    return Notification.select().where(Notification.role == role, Notification.subject_id == str(subject_id))


def page_of(role, subject_id, query):
    """A page of a person's notifications, newest first (rank ascending, then id)."""
    return pagination.page(_of(role, subject_id), [Notification.rank, Notification.id], query)


def unread_count(role, subject_id):
    return _of(role, subject_id).where(Notification.read_at.is_null()).count()


def locked_notification(role, subject_id, notification_id):
    """The person's own notification, locked; another person's is as missing as an unknown one (404)."""
    row = get_locked(_of(role, subject_id).where(Notification.id == str(notification_id)))
    if row is None:
        raise NotFound(NOT_FOUND)
    return row


def mark_all_read(role, subject_id, at):
    """Inside `uow.atomic(exclusive=True)`: the UPDATE locks the rows it changes (PostgreSQL)."""
    return (
        Notification.update(read_at=at)
        .where(Notification.role == role, Notification.subject_id == str(subject_id), Notification.read_at.is_null())
        .execute()
    )


def claim_due_deliveries(now, lease_until, limit):
    """Deliveries due now (pending, or sending whose lease ran out: a sender that stopped), marked
    `sending` until `lease_until` with one more attempt counted; inside `uow.atomic(exclusive=True)`.
    On PostgreSQL `FOR UPDATE SKIP LOCKED`: two instances never claim the same email."""
    due = (
        Delivery.select()
        .where(Delivery.status.in_([PENDING, SENDING]), Delivery.next_attempt_at <= now)
        .order_by(Delivery.next_attempt_at, Delivery.id)
        .limit(limit)
    )
    if is_postgres(Delivery._meta.database):
        due = due.for_update(of=Delivery, skip_locked=True)
    rows = list(due)
    for row in rows:
        row.status, row.attempts, row.next_attempt_at = SENDING, row.attempts + 1, lease_until
        row.save()
    return rows


def delivery(delivery_id):
    return found(Delivery.get_or_none(Delivery.id == delivery_id), "Envoi introuvable.")


def locked_delivery(delivery_id):
    return found(get_locked(Delivery.select().where(Delivery.id == delivery_id)), "Envoi introuvable.")


def mark_sent(delivery, at, destination=None):
    delivery.status, delivery.sent_at, delivery.last_error = SENT, at, None
    delivery.destination = destination
    delivery.save()


def failed_deliveries(limit=200):
    """Emails given up after their last attempt, newest first (what staff may send again)."""
    return list(
        Delivery.select()
        .where(Delivery.status == FAILED)
        .order_by(Delivery.next_attempt_at.desc(), Delivery.id)
        .limit(limit)
    )


def requeue_failed(now, delivery_ids=None):
    """Failed emails pending again from `now` with their attempts counted afresh; only failed ones
    (a conditional UPDATE: one already sent or queued again is left alone). `delivery_ids` None:
    all of them. Answers how many were queued again."""
    query = Delivery.update(status=PENDING, attempts=0, next_attempt_at=now).where(Delivery.status == FAILED)
    if delivery_ids is not None:
        query = query.where(Delivery.id.in_([str(i) for i in delivery_ids]))
    return query.execute()


def mark_failed_attempt(delivery, status, next_attempt_at, error):
    """`status`: pending again (with its next attempt) or failed (given up)."""
    delivery.status, delivery.last_error = status, error[:2000]
    if next_attempt_at is not None:
        delivery.next_attempt_at = next_attempt_at
    delivery.save()
    return status == FAILED


# --- the things in a person's calendar, and their reminders ---
def apply_calendar_change(change, now, hours):
    """Inside the handler's transaction: the Reminder rows a domain.calendar_changes.Change
    confirms, moves or cancels, each with the calendar METHOD its email carries (REQUEST or
    CANCEL); none when there is nothing to tell (a cancelled thing confirmed late, a thing
    cancelled twice, a move of a sign-up this service never saw)."""
    if change.action == calendar_changes.CONFIRM:
        row = Reminder.get_or_none(Reminder.kind == change.kind, Reminder.thing_id == change.thing_id)
        if row is not None:  # cancelled first (out of order): stays cancelled; else already told
            return [] if row.status == reminders.CANCELLED else [(row, "REQUEST")]
        row = Reminder(kind=change.kind, thing_id=change.thing_id, sequence=0)
        _fill(row, change, now, hours, insert=True)
        return [(row, "REQUEST")]
    rows = _rows_of(change)
    if change.action == calendar_changes.MOVE:
        for row in rows:
            row.sequence += 1
            _fill(row, change, now, hours)
        return [(row, "REQUEST") for row in rows]
    if not rows and change.thing_id is not None and not _exists(change):
        Reminder.create(  # the cancellation came first: a late confirmation schedules nothing
            kind=change.kind,
            thing_id=change.thing_id,
            activity_id=change.activity_id,
            role=change.role,
            subject_id=change.subject_id,
            status=reminders.CANCELLED,
        )
        return []
    for row in rows:
        row.sequence, row.status, row.due_at = row.sequence + 1, reminders.CANCELLED, None
        row.save()
    return [(row, "CANCEL") for row in rows]


def _exists(change):
    return Reminder.select().where(Reminder.kind == change.kind, Reminder.thing_id == change.thing_id).exists()


def _rows_of(change):
    """The live (not cancelled) rows a move or a cancellation is about: the thing's, or every
    sign-up of the activity for that volunteer."""
    query = Reminder.select().where(Reminder.kind == change.kind, Reminder.status != reminders.CANCELLED)
    if change.thing_id is not None:
        query = query.where(Reminder.thing_id == change.thing_id)
    else:
        query = query.where(Reminder.activity_id == change.activity_id, Reminder.subject_id == change.subject_id)
    return list(query)


def _fill(row, change, now, hours, insert=False):
    starts_at = to_db(change.starts_at)
    row.role, row.subject_id = change.role, change.subject_id
    row.activity_id = change.activity_id or row.activity_id
    row.title = (change.title or row.title or "")[:250]
    row.location = change.location if change.location is not None else row.location
    row.starts_at = starts_at
    row.ends_at = to_db(change.ends_at) if change.ends_at else None
    row.status, row.due_at = reminders.on_schedule(starts_at, now, hours)
    row.save(force_insert=insert)  # its id is set by default: a plain save() would UPDATE nothing


def drop_started_reminders(now):
    """Reminders the sweep reaches only once their thing started (the service was stopped): not
    sent late. A conditional UPDATE, harmless when two instances run it."""
    return (
        Reminder.update(status=reminders.NOT_OWED, due_at=None)
        .where(Reminder.status == reminders.SCHEDULED, Reminder.starts_at <= now)
        .execute()
    )


def due_reminder_ids(now, limit):
    return [
        row.id
        for row in Reminder.select(Reminder.id)
        .where(Reminder.status == reminders.SCHEDULED, Reminder.due_at <= now)
        .order_by(Reminder.due_at, Reminder.id)
        .limit(limit)
    ]


def claim_reminder(reminder_id, now):
    """The reminder, marked sent, when this caller is the one that sends it: a conditional UPDATE
    (still scheduled, due, not started), so of two instances only one gets a row back; on
    PostgreSQL the second waits for the first's row lock, then finds it sent. None otherwise."""
    claimed = (
        Reminder.update(status=reminders.SENT, sent_at=now)
        .where(
            Reminder.id == reminder_id,
            Reminder.status == reminders.SCHEDULED,
            Reminder.due_at <= now,
            Reminder.starts_at > now,
        )
        .execute()
    )
    return Reminder.get_by_id(reminder_id) if claimed == 1 else None


def declined(role, subject_id):
    """The optional categories (domain/choices.OPTIONAL) the person turned off."""
    row = EmailChoice.get_or_none(EmailChoice.role == role, EmailChoice.subject_id == str(subject_id))
    return frozenset(c for c in choices.OPTIONAL if row is not None and not getattr(row, c))


def choose(role, subject_id, wanted):
    """`wanted`: {optional category: received or not}; a category not named keeps its choice."""
    values = {getattr(EmailChoice, c): bool(v) for c, v in wanted.items() if c in choices.OPTIONAL}
    query = EmailChoice.insert({EmailChoice.role: role, EmailChoice.subject_id: str(subject_id), **values})
    if values:
        query = query.on_conflict(conflict_target=[EmailChoice.role, EmailChoice.subject_id], update=values)
    else:
        query = query.on_conflict_ignore()
    query.execute()


# --- the attestation d'honorabilité's renewal reminders ---
def schedule_renewals(role, subject_id, expires_on, now, zone):
    """Inside the handler's transaction: the two renewal reminders (domain/reminders.py) of the
    person's attestation whose last valid day is `expires_on`, one row per (kind, person). A later
    last day than the row's schedules it again (even if sent for the old attestation); the same or
    an earlier one (a repeat, an older attestation told late) changes nothing. `now`: naive UTC."""
    moment = now.replace(tzinfo=timezone.utc)
    last_day = to_db(datetime.combine(expires_on, time(0), zone))
    for kind in (reminders.RENEWAL_60, reminders.RENEWAL_15):
        row = Reminder.get_or_none(Reminder.kind == kind, Reminder.thing_id == str(subject_id))
        if row is not None and row.ends_at is not None and row.ends_at >= last_day:
            continue
        status, due, until = reminders.renewal_on_schedule(expires_on, kind, moment, zone)
        fresh = row is None
        row = row or Reminder(kind=kind, thing_id=str(subject_id), sequence=0)
        row.role, row.subject_id = role, str(subject_id)
        row.starts_at, row.ends_at = to_db(until), last_day  # owed until; the attestation's last day
        row.status, row.due_at, row.sent_at = status, to_db(due) if due else None, None
        row.save(force_insert=fresh)


def renewal_expires_on(reminder, zone):
    """The attestation's last valid day a renewal reminder row keeps."""
    return from_db(reminder.ends_at).astimezone(zone).date()
