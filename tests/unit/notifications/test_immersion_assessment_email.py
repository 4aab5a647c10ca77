"""The assessment of an immersion is emailed to the prescriber's adviser: the event names the
immersion only; placements' contact("prescriber", id) gives the address, the beneficiary's name
and the tutor's texts when the email leaves."""

from dataclasses import replace
from datetime import datetime, timezone

import pytest
from nameko.testing.services import worker_factory

from services.notifications import models
from services.notifications import service as service_module
from services.notifications import settings as notifications_settings
from services.notifications.domain import delivery, messages
from services.notifications.service import NotificationsService
from shared import migrate
from shared.db import write_transaction
from shared.events import new_event, validate_event

NOW = datetime(2027, 2, 8, 9, 0, tzinfo=timezone.utc)
ASSESSED = {
    "person_id": "account-9",
    "subjects": [{"role": "beneficiary", "id": "beneficiary-1"}],
    "immersion_id": "immersion-1",
    "beneficiary_id": "beneficiary-1",
    "object": "discover",
    "prescriber_organisation": "france_travail",
    "starts_on": "2027-01-11",
    "ends_on": "2027-02-05",
    "tutor_id": "tutor-1",
    "assessed_on": "2027-02-08",
    "days_present": 18,
}
ADVISER = {
    "email": "claire.petit@francetravail.example",
    "first_name": "Claire Petit",
    "beneficiary_name": "Sam Durand",
    "skills_observed": "Écoute des enfants, soins d'hygiène.",
    "next_steps": "Entrée en formation d'auxiliaire de puériculture.",
    "comment": "",
}


@pytest.fixture
def service(tmp_path, monkeypatch):
    monkeypatch.setattr(service_module, "db_now", lambda: NOW.replace(tzinfo=None))
    monkeypatch.setenv("COCOON_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("COCOON_SMTP_HOST", raising=False)
    migrate.migrate("notifications", f"sqlite:///{tmp_path / 'notifications.db'}")
    models.database.connect(reuse_if_open=True)
    worker = worker_factory(NotificationsService)
    worker.settings = replace(notifications_settings.load(), retry_seconds=30, max_attempts=3)
    worker.uow.atomic = lambda exclusive=False: (
        write_transaction(models.database) if exclusive else models.database.atomic()
    )
    worker.placements.contact.return_value = ADVISER
    yield worker
    models.database.close()


def test_the_payload_is_a_valid_event_of_ids_only():
    validate_event(new_event("placements.immersion_assessed", ASSESSED, "placements"))


def test_the_recorded_email_has_no_address_and_the_sweep_sends_it_to_the_adviser_with_the_texts(service):
    event = validate_event(new_event("placements.immersion_assessed", ASSESSED, "placements"))
    with models.database.atomic():
        service.send_immersion_assessment(event)
    [email] = models.Delivery.select()
    assert email.to == "" and "Sam" not in str(email.facts)
    service.send_due_emails()
    service.placements.contact.assert_called_once_with("prescriber", "immersion-1")
    [email] = models.Delivery.select()
    assert (email.to, email.status) == ("claire.petit@francetravail.example", delivery.SENT)
    assert "Bilan de l'immersion (PMSMP) de Sam Durand du 11 janvier 2027 au 5 février 2027" in email.body
    assert "18 jour(s) de présence" in email.body
    assert "Compétences observées : Écoute des enfants" in email.body
    assert "Suites proposées : Entrée en formation" in email.body
    assert "Commentaire" not in email.body  # no comment written, no line


def test_without_the_names_the_text_says_the_dates_and_the_days():
    [notice] = messages.immersion_assessed(ASSESSED, timezone.utc)
    assert notice.text == "Bilan de l'immersion (PMSMP) du 11 janvier 2027 au 5 février 2027 : 18 jour(s) de présence."
    assert (notice.role, notice.subject_id) == ("prescriber", "immersion-1")
