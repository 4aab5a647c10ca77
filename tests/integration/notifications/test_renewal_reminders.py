"""An attestation d'honorabilité recorded by staff on the real broker: the volunteers service tells
its last valid day (`volunteers.honorability_recorded`), the notifications service schedules the
renewal reminders, and, the attestation ending in 40 days (its 60-day reminder already due), two
notifications instances send it once to the address the volunteers service gives (its `contact`
RPC, asked when the email leaves: the event carries the volunteer's id only), through a real SMTP
server."""

import email
import time
from datetime import date, timedelta
from email.policy import default as default_policy

from services.notifications import models
from services.notifications.domain import reminders
from services.notifications.service import NotificationsService
from services.volunteers.service import VolunteersService
from shared.honorability import add_years
from tests.integration.volunteers.conftest import volunteer_fields
from tests.support import call, wait_for


def renewals():
    with models.database.connection_context():
        return {r.kind: r.status for r in models.Reminder.select()}


def test_an_attestation_ending_within_60_days_is_reminded_once_to_the_volunteer(
    container_factory, service_config, mail_env, smtp
):
    smtp.start()
    volunteers = container_factory(VolunteersService, service_config)
    first = container_factory(NotificationsService, service_config)
    second = container_factory(NotificationsService, service_config)
    for container in (volunteers, first, second):
        container.start()
    jeanne = call(volunteers, "register_volunteer", volunteer_fields())
    verified = add_years(date.today(), -3) + timedelta(days=41)  # its last valid day: in 40 days
    call(
        volunteers,
        "record_honorability",
        jeanne["id"],
        {"issued_on": verified.isoformat(), "verified_on": verified.isoformat()},
        "staff-1",
    )

    wait_for(lambda: smtp.messages, timeout=20, message="the renewal reminder")
    time.sleep(1.5)  # many more sweeps of both instances
    [(to, raw)] = smtp.messages
    assert to == ["benevole1@example.fr"]
    assert email.message_from_bytes(raw, policy=default_policy)["Subject"].startswith(
        "Attestation d'honorabilité à renouveler avant le "
    )
    assert renewals() == {reminders.RENEWAL_60: reminders.SENT, reminders.RENEWAL_15: reminders.SCHEDULED}
