"""The attestation d'honorabilité's renewal reminders (60 and 15 days before its last valid day, to
the staff member, trainee or volunteer) and the invoice of a closed month, through the service's
handlers and timers (worker_factory, real SQLite, the clock moved by the test). Their addresses are
asked of each person's own service when the email leaves (`contact`, worker_factory's mock of its
RPC proxy): events and reminders carry ids only."""

from datetime import date, datetime, timedelta, timezone

import pytest
from nameko.testing.services import worker_factory

from services.notifications import models
from services.notifications import service as service_module
from services.notifications import settings as notifications_settings
from services.notifications.domain import reminders
from services.notifications.service import NotificationsService
from shared import migrate, timeutil
from shared.db import write_transaction

LAST_DAY = date(2030, 6, 30)  # the attestation's last valid day
OWNERS = {
    ("volunteer", "v1"): {"email": "ines@example.fr", "first_name": "Inès"},
    ("staff", "s1"): {"email": "sophie@example.fr", "first_name": "Sophie", "last_name": "Martin"},
    ("trainee", "t1"): {"email": "tom@example.fr", "first_name": "Tom"},
    ("family", "f1"): {"email": "camille@example.fr", "first_name": "Camille", "children": {}},
}


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
    for owner in (worker.bookings, worker.volunteers, worker.placements, worker.team):
        owner.contact.side_effect = lambda kind, subject_id: OWNERS.get((kind, subject_id))
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


def renewal_emails():
    return [d for d in models.Delivery.select() if d.notification.kind == "honorability_renewal"]


def sweep_at(service, clock, moment):
    clock.at = moment
    service.send_due_reminders()
    service.send_due_emails()  # each addressed as it leaves
    return renewal_emails()


def test_sixty_days_before_at_nine_the_first_reminder_is_due_not_a_minute_before(service, clock):
    cleared(service)
    sixty_before = LAST_DAY - timedelta(days=60)
    assert sweep_at(service, clock, venue(sixty_before, 8, 59)) == []
    [email] = sweep_at(service, clock, venue(sixty_before, 9))
    assert email.to == "ines@example.fr"
    assert email.subject == "Attestation d'honorabilité à renouveler avant le 30 juin 2030"
    assert "valable jusqu'au 30 juin 2030" in email.body


def test_fifteen_days_before_at_nine_the_second_reminder_is_due_and_each_is_sent_once(service, clock):
    cleared(service)
    sweep_at(service, clock, venue(LAST_DAY - timedelta(days=60), 9))
    fifteen_before = LAST_DAY - timedelta(days=15)
    assert len(sweep_at(service, clock, venue(fifteen_before, 8, 59))) == 1
    assert len(sweep_at(service, clock, venue(fifteen_before, 9))) == 2
    assert len(sweep_at(service, clock, venue(fifteen_before, 9, 5))) == 2  # claimed: never again
    assert {r.status for r in models.Reminder.select()} == {reminders.SENT}


def test_an_attestation_recorded_59_days_before_its_end_is_reminded_at_once_then_15_days_before(service, clock):
    clock.at = venue(LAST_DAY - timedelta(days=59), 10)
    cleared(service)
    assert len(sweep_at(service, clock, clock.at)) == 1
    assert len(sweep_at(service, clock, venue(LAST_DAY - timedelta(days=15), 9))) == 2


def test_recorded_within_the_last_15_days_only_the_second_reminder_is_owed(service, clock):
    clock.at = venue(LAST_DAY - timedelta(days=14), 10)
    cleared(service)
    kinds = {r.kind: r.status for r in models.Reminder.select()}
    assert kinds == {reminders.RENEWAL_60: reminders.NOT_OWED, reminders.RENEWAL_15: reminders.SCHEDULED}
    assert len(sweep_at(service, clock, clock.at)) == 1


def test_a_new_attestation_recorded_reschedules_both_even_after_they_were_sent(service, clock):
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


def test_staff_and_trainees_are_reminded_at_the_address_their_own_service_gives_when_it_leaves(service, clock):
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
    clock.at = venue(LAST_DAY - timedelta(days=60), 9)
    service.send_due_reminders()
    assert sorted(e.to for e in renewal_emails()) == ["", ""]  # recorded without an address
    service.team.contact.assert_not_called()
    emails = sweep_at(service, clock, clock.at)
    assert sorted(e.to for e in emails) == ["sophie@example.fr", "tom@example.fr"]
    service.team.contact.assert_called_once_with("staff", "s1")
    service.placements.contact.assert_called_once_with("trainee", "t1")


def test_a_person_who_turned_renewal_reminders_off_keeps_the_notification_without_the_email(service, clock):
    service.choose_emails("volunteer", "v1", {"renewals": False})
    cleared(service)
    assert sweep_at(service, clock, venue(LAST_DAY - timedelta(days=60), 9)) == []
    assert [n.kind for n in models.Notification.select()] == ["honorability_renewal"]


INVOICE = {
    "invoice_id": "inv-1",
    "number": "F-2027-000042",
    "family_id": "f1",
    "month": "2027-03",
    "total": "1234.5",
    "issued_on": "2027-04-01",
    "due_on": "2027-04-15",
}


def test_an_invoice_issued_is_recorded_without_address_and_keeps_only_the_events_ids(service):
    run(service.send_invoice, INVOICE, "e1")
    [email] = models.Delivery.select()
    assert (email.to, email.body, email.source) == ("", "", "bookings.invoice_issued")
    assert email.facts == INVOICE
    service.bookings.contact.assert_not_called()


def test_an_invoice_issued_is_emailed_to_its_family_with_the_link_to_its_pdf(service):
    run(service.send_invoice, INVOICE, "e1")
    service.send_due_emails()
    [email] = models.Delivery.select()
    service.bookings.contact.assert_called_once_with("family", "f1")
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
