"""The notifications service's part of the RGPD export: the person's notifications,
emails (without their bodies), reminders and email choice, and nothing of another person."""

import json

import pytest
from nameko.testing.services import worker_factory

from services.notifications import models
from services.notifications.service import NotificationsService
from shared import migrate


@pytest.fixture
def service(tmp_path):
    migrate.migrate("notifications", f"sqlite:///{tmp_path / 'notifications.db'}")
    models.database.connect()
    yield worker_factory(NotificationsService)
    models.database.close()


def person_with_an_email(role, subject_id, email, text):
    note = models.Notification.create(
        role=role, subject_id=subject_id, kind="booking_confirmed", text=text, event_id=f"e-{subject_id}", rank=1
    )
    models.Delivery.create(
        notification=note, to=email, subject="Réservation confirmée", body=f"Bonjour, {text}", status="sent"
    )
    models.EmailChoice.create(role=role, subject_id=subject_id, reminders=False)


def test_the_export_holds_the_notifications_and_the_emails_without_their_bodies(service):
    person_with_an_email("family", "f-1", "camille@example.fr", "Réservation de Léa confirmée.")
    person = {"account_id": "account-1", "subject_id": "f-1", "email": "camille@example.fr", "role": "family"}
    answer = json.loads(json.dumps(service.export_person(person)))
    assert [n["text"] for n in answer["notifications"]] == ["Réservation de Léa confirmée."]
    [email] = answer["deliveries"]
    assert (email["to"], email["subject"], email["status"]) == ("camille@example.fr", "Réservation confirmée", "sent")
    assert "body" not in email
    assert answer["email_choices"] == [{"reminders": False, "confirmations": True, "renewals": True}]


def test_the_export_holds_nothing_of_another_person_nor_of_the_same_id_in_another_role(service):
    person_with_an_email("family", "f-1", "camille@example.fr", "Réservation de Léa confirmée.")
    person_with_an_email("family", "f-2", "paul@example.fr", "Réservation de Tom confirmée.")
    person_with_an_email("volunteer", "f-1", "benevole@example.fr", "Inscription confirmée.")
    person = {"account_id": "account-1", "subject_id": "f-1", "email": "camille@example.fr", "role": "family"}
    text = json.dumps(service.export_person(person))
    assert "paul@example.fr" not in text and "benevole@example.fr" not in text


def test_staff_are_found_by_their_account_id(service):
    person_with_an_email("staff", "staff-1", "ana@cocoonage.fr", "Un email n'est pas parti.")
    answer = service.export_person({"account_id": "staff-1", "email": "ana@cocoonage.fr", "role": "staff"})
    [email] = answer["deliveries"]
    assert email["to"] == "ana@cocoonage.fr"
