"""An email says the time at the venue, COCOON_TIMEZONE (the handler reads the setting): in
Martinique a slot at 08:00 there reads « 8 h 00 », whatever offset the event carries."""

import pytest
from nameko.testing.services import worker_factory

from services.notifications import models
from services.notifications import settings as notifications_settings
from services.notifications.service import NotificationsService
from shared import migrate, timeutil
from shared.db import write_transaction


@pytest.fixture
def service(tmp_path, monkeypatch):
    monkeypatch.setenv("COCOON_TIMEZONE", "America/Martinique")
    monkeypatch.setenv("COCOON_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("COCOON_SMTP_HOST", raising=False)
    timeutil.venue_zone.cache_clear()
    migrate.migrate("notifications", f"sqlite:///{tmp_path / 'notifications.db'}")
    models.database.connect()
    worker = worker_factory(NotificationsService)
    worker.settings = notifications_settings.load()
    worker.bookings.contact.return_value = {"email": "camille@example.fr", "children": {"c1": "Léa"}}
    worker.uow.atomic = lambda exclusive=False: (
        write_transaction(models.database) if exclusive else models.database.atomic()
    )
    yield worker
    models.database.close()
    timeutil.venue_zone.cache_clear()


def test_the_email_of_a_confirmed_booking_says_the_venues_time(service):
    payload = {
        "booking_id": "b1",
        "slot_id": "s1",
        "child_id": "c1",
        "family_id": "f1",
        "starts_at": "2030-12-03T12:00:00+00:00",  # 8 h 00 in Martinique, 13 h 00 in Paris
        "ends_at": "2030-12-03T16:30:00+00:00",
        "avip": False,
        "room_name": "Les Lucioles",
    }
    with models.database.atomic():
        service._notify("bookings.booking_confirmed", {"event_id": "e1", "payload": payload})
    service.send_due_emails()  # the address and the child's first name are asked when it leaves
    [email] = models.Delivery.select()
    assert email.to == "camille@example.fr"
    assert "mardi 3 décembre, 8\u00a0h\u00a000 – 12\u00a0h\u00a030" in email.body
