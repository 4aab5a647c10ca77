"""The erasure of a person in notifications (shared/erasure.py, docs/privacy.md).

Nothing here is needed by accounting or the CAF: the person's notifications, emails
(sent or not), reminders and choices are deleted; the emails kept in the development mailboxes
(the mbox without SMTP server, the local catcher's) that were sent to them or mention them too.
The person is found by the ids the event gives (as notifications names people: role and subject
id, an account id for staff) and by the addresses its emails were sent to."""

import logging
import mailbox

from services.notifications import catcher
from services.notifications import models as M
from services.notifications.retention import NotificationsRetention
from shared import erasure
from shared.handlers import on_event
from shared.retention import RetentionPurge

log = logging.getLogger(__name__)

# The role a service's id stands for, as notifications names recipients.
ROLE_OF_ID = {"family_id": "family", "volunteer_id": "volunteer", "trainee_id": "trainee", "staff_id": "staff"}


def recipients(payload):
    """[(role, subject_id)] the person may be notified as: each id the event gives, and the account
    itself in its role (an account without a subject is named by its own id)."""
    found = [(role, payload[key]) for key, role in ROLE_OF_ID.items() if payload.get(key)]
    found.append((payload["role"], payload["account_id"]))
    return list(dict.fromkeys(found))


def _of(model, people):
    clauses = [(model.role == role) & (model.subject_id == subject) for role, subject in people]
    condition = clauses[0]
    for clause in clauses[1:]:
        condition |= clause
    return condition


def erase_rows(people, who):
    """Delete the person's rows; returns how many deliveries went."""
    notifications = M.Notification.select(M.Notification.id).where(_of(M.Notification, people))
    emails = [e for e in who.texts if "@" in e]
    to_them = M.Delivery.notification.in_(notifications)
    if emails:
        to_them |= M.Delivery.to.in_(emails)
    deliveries = M.Delivery.delete().where(to_them).execute()
    M.Notification.delete().where(_of(M.Notification, people)).execute()
    M.Reminder.delete().where(_of(M.Reminder, people)).execute()
    M.EmailChoice.delete().where(_of(M.EmailChoice, people)).execute()
    return deliveries


def purge_mbox(path, found):
    """Remove from a local mbox the emails that mention the person; returns how many."""
    if not found or path is None or not path.exists():
        return 0
    box = mailbox.mbox(path, create=False)
    removed = 0
    try:
        box.lock()
        for key in list(box.keys()):
            if erasure.mentions(box.get_bytes(key), found):
                box.remove(key)
                removed += 1
        if removed:
            box.flush()
    finally:
        box.unlock()
        box.close()
    return removed


class ErasureHandlers(RetentionPurge, NotificationsRetention):
    """Mixed into NotificationsService."""

    dead_letters = erasure.DeadLetters()

    @on_event("team.account_erasure_requested", exclusive=True)
    def erase_recipient(self, event):
        payload = event["payload"]
        people = recipients(payload)
        sent = M.Delivery.select(M.Delivery.to).join(M.Notification).where(_of(M.Notification, people))
        addresses = [d.to for d in sent if d.to]
        who = erasure.person(payload["account_id"], ids=[subject for _, subject in people], emails=addresses)
        self.dead_letters(who.texts)
        for path in (self.settings.mailbox_path, catcher.mbox_path()):
            try:
                purge_mbox(path, who.texts)
            except OSError as exc:  # a development file: never block the erasure for it
                log.warning("mbox not purged", extra={"path": str(path), "error": str(exc)})
        erase_rows(people, who)
        erasure.purge_spine(M, who)
        self.uow.emit("notifications.personal_data_erased", erasure.answer("notifications", payload["erasure_id"]))
