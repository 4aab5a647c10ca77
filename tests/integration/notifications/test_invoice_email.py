"""A month closed by staff on the real broker: bookings issues the family's invoice
(`bookings.invoice_issued`, through its outbox) and the notifications service emails it to the
family, with its number, amount, due date and the link to its PDF, to a real local SMTP server
(aiosmtpd)."""

import email
from datetime import date, datetime, timezone
from email.policy import default as default_policy

from services.bookings.service import BookingsService
from services.notifications.service import NotificationsService
from shared import timeutil
from tests.factories import contract_fields, create_child, create_family, weekly
from tests.support import call, wait_for


def test_a_closed_month_emails_each_family_its_invoice_with_the_link_to_its_pdf(
    container_factory, service_config, mail_env, smtp, monkeypatch
):
    monkeypatch.setenv("COCOON_PUBLIC_URL", "https://creche.example.fr")
    smtp.start()
    bookings = container_factory(BookingsService, service_config)
    notifications = container_factory(NotificationsService, service_config)
    bookings.start()
    notifications.start()
    family = create_family(bookings, email="camille.durand@example.fr")
    child = create_child(bookings, family, first_name="Léa")
    fields = contract_fields(
        child["id"], date(2027, 1, 4), date(2027, 6, 30), pattern=weekly(range(2), "09:00", "12:00")
    )
    call(bookings, "accept_contract", call(bookings, "request_contract", fields, family["id"])["id"])
    now = datetime(2027, 4, 1, 9, tzinfo=timezone.utc)
    monkeypatch.setattr(timeutil, "now_utc", lambda: now)

    [invoice] = call(bookings, "close_month", "2027-03", {})["invoices"]

    wait_for(lambda: smtp.messages, timeout=20, message="the invoice email")
    [(to, raw)] = smtp.messages
    assert to == ["camille.durand@example.fr"]
    message = email.message_from_bytes(raw, policy=default_policy)
    assert message["Subject"] == f"Facture {invoice['number']} de mars 2027"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert f"Votre facture {invoice['number']} de mars 2027 est disponible" in body
    assert "\u00a0€, à régler au plus tard le" in body
    assert f"https://creche.example.fr/famille/factures/{invoice['id']}.pdf" in body
