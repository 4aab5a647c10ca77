"""The attestation d'honorabilité's renewal reminders (60 and 15 days before its last valid day, to
the staff member, trainee or volunteer) and the invoice of a closed month, through the service's
handlers and timers (worker_factory, real SQLite, the clock moved by the test)."""

from datetime import date, datetime, timedelta, timezone

import pytest
from nameko.testing.services import worker_factory

from services.notifications import models, recipients
from services.notifications import service as service_module
from services.notifications import settings as notifications_settings
from services.notifications.domain import reminders
from services.notifications.service import NotificationsService
from shared import migrate, timeutil
from shared.db import write_transaction

LAST_DAY = date(2030, 6, 30)  # the attestation's last valid day


def venue(day, hour=0, minute=0):
    """A moment at the venue's clock, as the service's clock gives it (aware)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=timeutil.venue_zone())


class Clock:
    def __init__(self, at):
        self.at = at

    def __call__(self):
        return self.at.astimezone(timezone.utc).replace(tzinfo=None)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(venue(date(2027, 7, 1), 10))
    monkeypatch.setattr(service_module, "db_now", clock)
    return clock


@pytest.fixture
def service(tmp_path, monkeypatch, clock):
    monkeypatch.setenv("COCOON_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("COCOON_PUBLIC_URL", "https://creche.example.fr/")
    monkeypatch.delenv("COCOON_SMTP_HOST", raising=False)
    migrate.migrate("notifications", f"sqlite:///{tmp_path / 'notifications.db'}")
    models.database.connect(reuse_if_open=True)
    worker = worker_factory(NotificationsService)
    worker.settings = notifications_settings.load()
    worker.uow.atomic = lambda exclusive=False: (
        write_transaction(models.database) if exclusive else models.database.atomic()
    )
    yield worker
    models.database.close()


def run(handler, payload, event_id):
    with models.database.atomic():
        handler({"event_id": event_id, "payload": payload})


def cleared(service, last_day=LAST_DAY, event_id="e1"):
    run(service.schedule_volunteer_renewal, {"volunteer_id": "v1", "expires_on": last_day.isoformat()}, event_id)


def volunteer_known(service):
    service._notify(
        "volunteers.volunteer_registered",
        {"event_id": "r1", "payload": {"volunteer_id": "v1", "first_name": "Inès", "email": "ines@example.fr"}},
    )


def renewal_emails():
    return [d for d in models.Delivery.select() if d.notification.kind == "honorability_renewal"]


def sweep_at(service, clock, moment):
    clock.at = moment
    service.send_due_reminders()
    return renewal_emails()


def test_sixty_days_before_at_nine_the_first_reminder_is_due_not_a_minute_before(service, clock):
    volunteer_known(service)
    cleared(service)
    sixty_before = LAST_DAY - timedelta(days=60)
    assert sweep_at(service, clock, venue(sixty_before, 8, 59)) == []
    [email] = sweep_at(service, clock, venue(sixty_before, 9))
    assert email.to == "ines@example.fr"
    assert email.subject == "Attestation d'honorabilité à renouveler avant le 30 juin 2030"
    assert "valable jusqu'au 30 juin 2030" in email.body


def test_fifteen_days_before_at_nine_the_second_reminder_is_due_and_each_is_sent_once(service, clock):
    volunteer_known(service)
    cleared(service)
    sweep_at(service, clock, venue(LAST_DAY - timedelta(days=60), 9))
    fifteen_before = LAST_DAY - timedelta(days=15)
    assert len(sweep_at(service, clock, venue(fifteen_before, 8, 59))) == 1
    assert len(sweep_at(service, clock, venue(fifteen_before, 9))) == 2
    assert len(sweep_at(service, clock, venue(fifteen_before, 9, 5))) == 2  # claimed: never again
    assert {r.status for r in models.Reminder.select()} == {reminders.SENT}


def test_an_attestation_recorded_59_days_before_its_end_is_reminded_at_once_then_15_days_before(service, clock):
    clock.at = venue(LAST_DAY - timedelta(days=59), 10)
    volunteer_known(service)
    cleared(service)
    assert len(sweep_at(service, clock, clock.at)) == 1
    assert len(sweep_at(service, clock, venue(LAST_DAY - timedelta(days=15), 9))) == 2


def test_recorded_within_the_last_15_days_only_the_second_reminder_is_owed(service, clock):
    clock.at = venue(LAST_DAY - timedelta(days=14), 10)
    volunteer_known(service)
    cleared(service)
    kinds = {r.kind: r.status for r in models.Reminder.select()}
    assert kinds == {reminders.RENEWAL_60: reminders.NOT_OWED, reminders.RENEWAL_15: reminders.SCHEDULED}
    assert len(sweep_at(service, clock, clock.at)) == 1


def test_a_new_attestation_recorded_reschedules_both_even_after_they_were_sent(service, clock):
    volunteer_known(service)
    cleared(service)
    sweep_at(service, clock, venue(LAST_DAY - timedelta(days=60), 9))
    renewed = date(2033, 6, 20)
    cleared(service, renewed, "e2")
    assert len(sweep_at(service, clock, venue(LAST_DAY - timedelta(days=15), 9))) == 1  # the old one's: gone
    assert len(sweep_at(service, clock, venue(renewed - timedelta(days=60), 9))) == 2
    assert "20 juin 2033" in renewal_emails()[-1].subject


def test_an_older_attestation_told_late_or_twice_changes_nothing(service, clock):
    cleared(service)
    cleared(service, date(2029, 1, 1), "e2")
    cleared(service, LAST_DAY, "e3")
    due = {r.kind: r.due_at for r in models.Reminder.select()}
    assert due[reminders.RENEWAL_15] == Clock(venue(LAST_DAY - timedelta(days=15), 9))()


def test_staff_and_trainees_are_reminded_through_the_one_recipient_lookup(service, clock, monkeypatch):
    asked = []
    monkeypatch.setattr(recipients, "recipient_for", lambda role, sid: asked.append((role, sid)) or f"{sid}@ex.fr")
    run(
        service.schedule_staff_renewal,
        {"staff_id": "s1", "verified_on": "2027-07-01", "expires_on": "2030-06-30"},
        "e1",
    )
    run(
        service.schedule_trainee_renewal,
        {"trainee_id": "t1", "verified_on": "2027-07-01", "expires_on": "2030-06-30"},
        "e2",
    )
    emails = sweep_at(service, clock, venue(LAST_DAY - timedelta(days=60), 9))
    assert sorted(e.to for e in emails) == ["s1@ex.fr", "t1@ex.fr"]
    assert sorted(asked) == [("staff", "s1"), ("trainee", "t1")]


def test_a_person_who_turned_renewal_reminders_off_keeps_the_notification_without_the_email(service, clock):
    volunteer_known(service)
    service.choose_emails("volunteer", "v1", {"renewals": False})
    cleared(service)
    assert sweep_at(service, clock, venue(LAST_DAY - timedelta(days=60), 9)) == []
    assert [n.kind for n in models.Notification.select()] == ["honorability_renewal"]


INVOICE = {
    "invoice_id": "inv-1",
    "number": "F-2027-000042",
    "family_id": "f1",
    "family_email": "camille@example.fr",
    "month": "2027-03",
    "total": "1234.5",
    "issued_on": "2027-04-01",
    "due_on": "2027-04-15",
}


def test_an_invoice_issued_is_emailed_to_its_family_with_the_link_to_its_pdf(service):
    run(service.send_invoice, INVOICE, "e1")
    [email] = models.Delivery.select()
    assert email.to == "camille@example.fr"
    assert email.subject == "Facture F-2027-000042 de mars 2027"
    assert "Votre facture F-2027-000042 de mars 2027 est disponible : 1\u202f234,50\u00a0€" in email.body
    assert "à régler au plus tard le 15 avril 2027" in email.body
    assert "https://creche.example.fr/famille/factures/inv-1.pdf" in email.body
    [notice] = models.Notification.select()
    assert notice.kind == "invoice_issued" and notice.role == "family" and notice.subject_id == "f1"


def test_an_invoice_goes_even_to_a_family_that_turned_every_optional_email_off(service):
    service.choose_emails("family", "f1", {"reminders": False, "confirmations": False})
    run(service.send_invoice, INVOICE, "e1")
    assert models.Delivery.select().count() == 1
