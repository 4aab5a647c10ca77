"""Every link that leaves the venue (a password reset email, the personal calendar link, a
half-day's QR code, a satisfaction questionnaire's link) is built on COCOON_PUBLIC_URL, never on
the request's Host header, which the caller chooses: a forged Host would otherwise put the venue's
secrets in a link to someone else's site."""

import pytest
from flask import url_for

from services.gateway import calendar_link, half_day_codes, password_resets, satisfaction_link
from services.gateway.models import Account, database
from services.notifications.domain.messages import INVOICE_PDF_PATH

PUBLIC_URL = "https://creche.example.fr"
FORGED = "piege.example.com"


@pytest.fixture
def forged_request(app):
    app.config["PUBLIC_URL"] = PUBLIC_URL
    with app.test_request_context("/", headers={"Host": FORGED}), database.connection_context():
        yield


def built_links():
    account = Account.select().first()  # the bootstrap staff account
    return {
        "reset": password_resets.link("secret"),
        "calendar": calendar_link.url_of(account),
        "qr": half_day_codes.signing_url("session-1", 0, "morning"),
        "satisfaction": satisfaction_link.url_of("session-1", "participant-1"),
    }


def test_every_link_that_leaves_the_venue_starts_with_the_configured_address_whatever_the_host(forged_request):
    for name, url in built_links().items():
        assert url.startswith(PUBLIC_URL + "/"), name
        assert FORGED not in url, name


def test_the_invoice_email_links_to_the_familys_own_invoice_page(app):
    """The notifications service writes the path itself (it cannot ask the gateway's url_for):
    it must be the page a signed-in family opens its invoice's PDF at."""
    with app.test_request_context("/"):
        assert url_for("family.invoice_pdf_of_family", invoice_id="inv-1") == INVOICE_PDF_PATH.format(
            invoice_id="inv-1"
        )
