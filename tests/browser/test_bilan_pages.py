"""The bilan's pages in Chromium: /equipe/bilan (the period form, the indicators, four charts as
SVG images each followed by its table) and a person's path, checked with axe on a desktop, a
phone (360 px) and at 200 % zoom, and the charts drawn under the site's real CSP.

Unlike the other browser tests, these run the gateway alone (its app served from a thread) with
a stand-in for the insights service (tests/unit/gateway/insights_example.py): the figures are
the service's, the pages are what is checked here. The same pages against the real insights
service belong to the venue-wide tests (`stack`)."""

import threading

import pytest
from werkzeug.serving import make_server

from services.gateway import staff_roles
from services.gateway.app import create_app
from services.gateway.models import Account, database
from shared import migrate
from tests.api import STAFF, STAFF_ENV
from tests.browser.conftest import axe_at_every_viewport, shoot, sign_in_as
from tests.unit.gateway.insights_example import InsightsStandIn

PERIOD = "du=2026-09-01&au=2026-11-30"


class VenueStandIn(InsightsStandIn):
    """insights, and the director's home page's two reads of bookings (an empty day)."""

    @property
    def bookings(self):
        return self

    def day_board(self, query):
        return {}

    def count_absence_requests(self):
        return {"requested": 0}


@pytest.fixture(scope="module")
def bilan_site(tmp_path_factory):
    """The gateway alone on a free port, insights stood in for: (base URL, the stand-in, the
    bootstrap director's account id)."""
    directory = tmp_path_factory.mktemp("bilan")
    url = f"sqlite:///{directory / 'gateway.db'}"
    migrate.migrate("gateway", url)
    patch = pytest.MonkeyPatch()
    for name, value in STAFF_ENV.items():
        patch.setenv(name, value)
    # At a staff sign-in the gateway reads the roles from team: here team keeps those held here.
    patch.setattr(
        staff_roles,
        "_ask_team",
        lambda account: {"staff_roles": list(account.staff_roles), "roles_version": account.staff_roles_version + 1},
    )
    app = create_app({"GATEWAY_DATABASE_URL": url, "AMQP_URI": "amqp://guest:guest@127.0.0.1:1/"})
    app.config["REGISTER_DIR"] = directory
    stand_in = VenueStandIn()
    app.extensions["rpc_pool"] = app.extensions["ready_pool"] = stand_in
    with app.app_context(), database.connection_context():
        director_id = Account.get(Account.email == STAFF["email"]).id
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", stand_in, director_id
    server.shutdown()
    patch.undo()


@pytest.fixture(scope="module")
def director_state(browser, bilan_site):
    base_url = bilan_site[0]
    context = browser.new_context(base_url=base_url)
    sign_in_as(context.new_page(), STAFF["email"], STAFF["password"], "/equipe/")
    state = context.storage_state()
    context.close()
    return state


def send_reversed_period(page):
    page.goto("/equipe/bilan")
    page.get_by_label("Du (premier jour inclus)").fill("2026-12-01")
    page.get_by_label("Au (dernier jour inclus)").fill("2026-11-30")
    page.get_by_role("button", name="Afficher le bilan").click()


def test_the_bilan_and_a_path_have_no_serious_accessibility_violation_at_any_size(browser, bilan_site, director_state):
    base_url, _stand_in, director_id = bilan_site
    pages = {"bilan": f"/equipe/bilan?{PERIOD}", "parcours": f"/equipe/personnes/{director_id}/parcours"}
    found = axe_at_every_viewport(
        browser, base_url, pages, storage_state=director_state, forms={"bilan-periode": send_reversed_period}
    )
    assert found == {}


def test_the_charts_are_drawn_under_the_sites_content_security_policy(browser, bilan_site, director_state):
    base_url = bilan_site[0]
    context = browser.new_context(base_url=base_url, locale="fr-FR", storage_state=director_state, bypass_csp=False)
    page = context.new_page()
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    page.goto(f"/equipe/bilan?{PERIOD}")
    images = page.locator("section.chart img")
    assert images.count() == 4
    for index in range(4):
        image = images.nth(index)
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        assert image.get_attribute("alt")
    shoot(page, "bilan-charts")
    # The SVG file opened alone gets its own answer's CSP: its inline style allowed by its hash.
    page.goto(f"/equipe/bilan/graphiques/entonnoir.svg?{PERIOD}")
    fill = page.evaluate("getComputedStyle(document.querySelector('.background')).fill")
    context.close()
    assert refused == []
    assert fill == "rgb(255, 255, 255)"  # pygal's style applied: a white background, not the default black


def test_the_director_goes_from_the_staff_home_to_the_bilan_and_downloads_its_files(
    browser, bilan_site, director_state
):
    base_url = bilan_site[0]
    context = browser.new_context(base_url=base_url, locale="fr-FR", storage_state=director_state)
    page = context.new_page()
    page.goto("/equipe/")
    page.locator("#lien-bilan").get_by_role("link").click()
    page.get_by_role("heading", name="Bilan de l'expérimentation", level=1).wait_for()
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Télécharger le bilan (PDF)").click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    with page.expect_download() as csv:
        page.get_by_role("link", name="Télécharger les chiffres (CSV)").click()
    assert csv.value.suggested_filename.endswith(".csv")
    context.close()
