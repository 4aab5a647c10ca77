"""A PMSMP immersion on the real broker, from the API to the prescriber's mailbox: the
coordination records it (the beneficiary's account is made, with a reset link), the attestation
d'honorabilité and the three signatures; the tutor records the assessment; placements emits
placements.immersion_assessed and the notifications service emails it to the prescriber's adviser,
at the address placements' contact gives, through a real local SMTP server (aiosmtpd)."""

import email
from datetime import timedelta
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller

from services.gateway.models import Account, database
from services.notifications.service import NotificationsService
from tests.dates import DAY
from tests.integration.placements.conftest import TUTOR
from tests.support import free_port, wait_for

ADVISER = "claire.petit@francetravail.example"
BENEFICIARY = "sam.durand@example.org"


class Received:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(monkeypatch, tmp_path):
    handler, port = Received(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    for name, value in {
        "COCOON_SMTP_HOST": "127.0.0.1",
        "COCOON_SMTP_PORT": str(port),
        "COCOON_SMTP_STARTTLS": "false",
        "COCOON_SMTP_TIMEOUT_SECONDS": "2",
        "COCOON_MAIL_SWEEP_SECONDS": "0.1",
        "COCOON_MAIL_RETRY_SECONDS": "0.2",
        "COCOON_MAIL_RETRY_MAX_SECONDS": "0.5",
        "COCOON_VAR_DIR": str(tmp_path),
    }.items():
        monkeypatch.setenv(name, value)
    yield handler
    controller.stop()


@pytest.fixture
def notifications(container_factory, service_config, smtp, placements):
    container = container_factory(NotificationsService, service_config)
    container.start()
    return container


def body_of(raw):
    message = email.message_from_bytes(raw, policy=default_policy)
    return message.get_body(preferencelist=("plain",)).get_content()


def immersion_request(tutor_id):
    return {
        "beneficiary_email": BENEFICIARY,
        "first_name": "Sam",
        "last_name": "Durand",
        "birth_date": "1990-04-02",
        "prescriber": {"organisation": "france_travail", "adviser_name": "Claire Petit", "adviser_email": ADVISER},
        "object": "discover",
        "objectives": "Découvrir le métier d'auxiliaire de puériculture.",
        "starts_on": (DAY - timedelta(days=7)).isoformat(),
        "ends_on": (DAY + timedelta(days=7)).isoformat(),
        "tutor_id": tutor_id,
        "schedule": [{"weekday": d, "start": "09:00", "end": "16:00", "break_minutes": 45} for d in range(5)],
    }


def test_create_sign_three_times_assess_and_the_prescriber_gets_the_assessment(
    api, client, staff, tutor_account, notifications, smtp
):
    immersion = staff.created("/api/v1/immersions", immersion_request(tutor_account["id"]))
    assert immersion["status"] == "agreed"
    with client.application.app_context(), database.connection_context():
        account = Account.get(Account.email == BENEFICIARY)
    assert (account.role, account.subject_id, account.id) == (
        "beneficiary",
        immersion["beneficiary_id"],
        immersion["person_id"],
    )

    path = f"/api/v1/immersions/{immersion['id']}"
    signed_on = (DAY - timedelta(days=8)).isoformat()
    staff.created(f"{path}/signatures", {"signer": "beneficiary", "signed_on": signed_on, "name": "Sam Durand"})
    staff.created(f"{path}/signatures", {"signer": "venue", "signed_on": signed_on, "name": "Claire Martin"})
    refused = staff.post(
        f"{path}/signatures", json={"signer": "prescriber", "signed_on": signed_on, "name": "C. Petit"}
    )
    assert refused.status_code == 409  # no attestation d'honorabilité yet
    honorability = {
        "issued_on": (DAY - timedelta(days=30)).isoformat(),
        "verified_on": (DAY - timedelta(days=10)).isoformat(),
    }
    staff.created(f"{path}/honorability", honorability)
    signed = staff.created(f"{path}/signatures", {"signer": "prescriber", "signed_on": signed_on, "name": "C. Petit"})
    assert (signed["status"], signed["signed_on"]) == ("signed", signed_on)

    tutor = api.signed_in(TUTOR)
    assessment = {
        "days_present": 6,
        "skills_observed": "Accueil bienveillant des enfants, soins d'hygiène.",
        "next_steps": "Entrée en formation d'auxiliaire de puériculture.",
    }
    assert tutor.created(f"{path}/assessment", assessment)["status"] == "assessed"

    wait_for(lambda: any(to == [ADVISER] for to, _ in smtp.messages), timeout=20, message="the prescriber's email")
    [raw] = [raw for to, raw in smtp.messages if to == [ADVISER]]
    text = body_of(raw)
    assert "Bilan de l'immersion (PMSMP) de Sam Durand" in text
    assert "6 jour(s) de présence" in text
    assert "Compétences observées : Accueil bienveillant des enfants" in text
    assert "Suites proposées : Entrée en formation" in text
    wait_for(lambda: any(to == [BENEFICIARY] for to, _ in smtp.messages), timeout=20, message="the reset link")

    pdf = staff.get(f"{path}/convention.pdf")
    assert pdf.status_code == 200 and pdf.content_type == "application/pdf"
