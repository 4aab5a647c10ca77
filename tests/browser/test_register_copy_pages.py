"""The register without the system, in a real browser: a gateway of its own (gunicorn, on the
session's broker and services) writes the register's copy when staff check a child in on the
check-in page; then the same gateway, started again with its broker unreachable, shows the
register's page as a clear message with the last copy, which still names the child, opens,
prints and downloads. Every page checked with axe-core on a desktop, a phone and at 200 %."""

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from shared import timeutil
from tests.api import STAFF, STAFF_ENV
from tests.browser.conftest import axe_at_every_viewport, main_text, shoot, sign_in_as
from tests.browser.test_staff_pages import _today_slot_times, new_family, new_room
from tests.dates import DAY
from tests.support import REPO, free_port, serving
from tests.venue import amqp_uri

UNREACHABLE_BROKER = "amqp://guest:guest@127.0.0.1:1/"


@contextmanager
def lone_gateway(amqp, directory, port):
    """The gateway alone (as the Procfile starts it) on `amqp`, its database and register's copy in `directory`."""
    base = f"http://127.0.0.1:{port}"
    env = dict(
        os.environ,
        AMQP_URI=amqp,
        COCOON_VAR_DIR=str(directory),
        GATEWAY_BIND=f"127.0.0.1:{port}",
        GATEWAY_WORKERS="1",
        COCOON_PUBLIC_URL=base,
        COCOON_LOGIN_LIMIT_PER_ADDRESS="600 per minute",
        PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"],
        **STAFF_ENV,
    )
    env.pop("GATEWAY_DATABASE_URL", None)
    command = ["gunicorn", "--config", "deploy/gunicorn.conf.py", "services.gateway.app:create_app()"]
    with serving(command, env, Path(directory) / f"gateway-{port}.log", f"{base}/healthz"):
        yield base


@pytest.fixture(scope="module")
def gateway_home(tmp_path_factory, vhost, stack):
    """The lone gateway's directory, migrated (its accounts: the bootstrap staff account only)."""
    directory = tmp_path_factory.mktemp("lone-gateway")
    env = dict(os.environ, COCOON_VAR_DIR=str(directory), AMQP_URI=amqp_uri(vhost))
    env.pop("GATEWAY_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "shared.migrate", "gateway"], cwd=REPO, env=env, check=True)
    return directory


def test_the_last_copy_opens_prints_and_downloads_when_the_broker_is_down(
    browser, stack, staff_api, vhost, gateway_home
):
    start, end = _today_slot_times()
    room = new_room(staff_api, kind="childcare", capacity=12)
    slot = staff_api.created(
        "/api/v1/childcare-slots",
        {
            "room_id": room["id"],
            "starts_at": start.isoformat(),
            "ends_at": end.isoformat(),
            "age_group": "walking",
            "staff_on_duty": 2,
        },
    )
    last_name = f"Copie{uuid.uuid4().hex[:6]}"
    _profile, family, (child,) = new_family(
        stack, last_name=last_name, children=1, birth_date=DAY - timedelta(days=700)
    )
    family.created("/api/v1/bookings", {"slot_id": slot["id"], "child_id": child["id"]})
    name = f"{child['first_name']} {last_name}"

    port = free_port()
    context = browser.new_context(  # the pages' Content-Security-Policy as shipped
        locale="fr-FR", viewport={"width": 1024, "height": 800}, accept_downloads=True, bypass_csp=False
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    refused = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    with lone_gateway(amqp_uri(vhost), gateway_home, port) as base:
        sign_in_as(page, STAFF["email"], STAFF["password"], "/equipe/", start=f"{base}/connexion")
        page.goto(f"{base}/equipe/pointage")
        page.get_by_role("button", name=f"Arrivée de {name}").click()
        page.get_by_text(f"Arrivée de {name} notée.").wait_for()
        page.goto(f"{base}/equipe/registre")
        assert "Dernière copie enregistrée : le " in main_text(page)
        shoot(page, "equipe-registre-avec-copie")

    with lone_gateway(UNREACHABLE_BROKER, gateway_home, port) as base:  # the same gateway, its broker gone
        answer = page.goto(f"{base}/equipe/registre")
        assert answer.status == 503
        text = main_text(page)
        assert "Le registre à jour ne peut pas être affiché : le service des réservations ne répond pas." in text
        assert "Dernière copie enregistrée : le " in text and "il y a" in text
        shoot(page, "equipe-registre-sans-systeme")

        with page.expect_download() as download:
            page.get_by_role("link", name="Télécharger la dernière copie").click()
        kept = download.value
        assert kept.suggested_filename.startswith(f"registre-evacuation-{datetime.now(timeutil.VENUE_TZ):%Y-%m-%d}")
        assert name in Path(kept.path()).read_text()

        page.get_by_role("link", name="Ouvrir la dernière copie").click()
        page.wait_for_url("**/equipe/registre/copie")
        assert page.get_by_role("row").filter(has_text=name).count() == 1
        assert "Copie du registre tel qu'il était le " in page.locator("main").inner_text()
        assert page.locator("#age").inner_text().startswith("(il y a")  # its inline script ran under the policy
        page.add_init_script("window.printed = 0; window.print = () => { window.printed += 1; };")
        page.reload()
        page.get_by_role("button", name="Imprimer").click()
        assert page.evaluate("window.printed") == 1
        shoot(page, "equipe-registre-copie")
        page.emulate_media(media="print")
        assert page.get_by_role("button", name="Imprimer").is_hidden()
        page.emulate_media(media="screen")

        found = axe_at_every_viewport(
            browser,
            base,
            {"equipe-registre-sans-systeme": "/equipe/registre", "equipe-registre-copie": "/equipe/registre/copie"},
            storage_state=context.storage_state(),
        )
    context.close()
    assert refused == []
    assert found == {}
