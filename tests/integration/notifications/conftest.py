"""Fixtures of the notifications integration tests: a real local SMTP server (aiosmtpd) and the
service started with it, on this test's vhost and databases; and, for the tests that publish
events by hand, stand-ins of the people's services answering `contact` over the real broker
(the emails' addresses are asked of them when they leave)."""

import pytest
from aiosmtpd.controller import Controller
from nameko.rpc import rpc

from services.notifications.service import NotificationsService
from tests.support import free_port


class Received:
    """An aiosmtpd handler keeping every message it accepted (raw bytes, envelope recipients)."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 Message accepted for delivery"


class SmtpServer:
    """A local SMTP server on a fixed free port, that can be stopped and started again (an outage)."""

    def __init__(self):
        self.port = free_port()  # aiosmtpd cannot take port 0 (its start() connects to .port)
        self.handler = Received()
        self.controller = None

    def start(self):
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        return self.handler.messages


@pytest.fixture
def smtp():
    """Not listening until `smtp.start()`: a refused connection, as an SMTP server down."""
    server = SmtpServer()
    yield server
    server.stop()


@pytest.fixture
def mail_env(monkeypatch, smtp, tmp_path):
    """The service's SMTP settings pointing at `smtp`, quick sweeps and retries."""
    for name, value in {
        "COCOON_SMTP_HOST": "127.0.0.1",
        "COCOON_SMTP_PORT": str(smtp.port),
        "COCOON_SMTP_STARTTLS": "false",
        "COCOON_SMTP_TIMEOUT_SECONDS": "2",
        "COCOON_MAIL_SWEEP_SECONDS": "0.1",
        "COCOON_MAIL_RETRY_SECONDS": "0.2",
        "COCOON_MAIL_RETRY_MAX_SECONDS": "0.5",
        "COCOON_VAR_DIR": str(tmp_path),
    }.items():
        monkeypatch.setenv(name, value)


# (kind, id) -> what the person's service answers: the stand-ins read it when asked
PEOPLE = {
    ("family", "f-1"): {"email": "camille.durand@example.fr", "first_name": "Camille", "children": {"c-1": "Léa"}},
    ("family", "f-2"): {"email": "dominique.roux@example.fr", "first_name": "Dominique", "children": {"c-2": "Noé"}},
    ("volunteer", "v-1"): {"email": "jeanne.martin@example.fr", "first_name": "Jeanne"},
}


def stand_in(service_name):
    """A service named like a people's owner that only answers `contact` (from `PEOPLE`)."""

    def contact(self, kind, subject_id):
        return PEOPLE.get((kind, subject_id))

    return type(f"StandIn{service_name.title()}", (), {"name": service_name, "contact": rpc(contact)})


@pytest.fixture
def owners(container_factory, service_config):
    """Starts stand-ins of the given owners (default: bookings, volunteers, placements)."""

    def start(*names):
        for name in names or ("bookings", "volunteers", "placements"):
            container_factory(stand_in(name), service_config).start()
        return PEOPLE

    return start


@pytest.fixture
def notifications(container_factory, service_config, mail_env, owners):
    owners()
    container = container_factory(NotificationsService, service_config)
    container.start()
    return container
