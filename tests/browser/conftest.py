"""Browser tests: a real headless Chromium (Debian's, /usr/bin/chromium) driven by Playwright,
against the processes `make run` starts (the Procfile: gunicorn gateway + the nameko services)
on the real RabbitMQ, a vhost of their own and a free port (`stack`, tests/venue.py).

Run in their own plain pytest process with `--confcutdir=tests/browser` (Makefile `test-browser`):
tests/conftest.py, which monkey-patches eventlet, is not loaded, as Playwright's sync API hangs
at shutdown under eventlet. Screenshots go to test-artifacts/ (git-ignored).
"""

import uuid
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.api import STAFF
from tests.staff_on_duty import tell_venue
from tests.support import REPO
from tests.venue import amqp_uri, rabbit_vhost, shared_venue, staff_of

ARTIFACTS = REPO / "test-artifacts"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


@pytest.fixture(scope="session")
def vhost():
    """The venue's vhost (some tests publish a service's event there)."""
    with rabbit_vhost("cocoon-browser") as name:
        yield name


@pytest.fixture(scope="session")
def stack(vhost, tmp_path_factory):
    """The base URL of the whole venue, as `make run` starts it, for the whole session."""
    with shared_venue(tmp_path_factory.mktemp("var"), vhost) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def staff_api(stack, vhost):
    """The API as the bootstrap staff account, once bookings knows two cleared professionals (the
    team service's events published on the venue's broker: tests/staff_on_duty.py `LEADS`), so
    an activity with children may name its lead."""
    api = staff_of(stack)
    tell_venue(amqp_uri(vhost), api)
    return api


@pytest.fixture(autouse=True)
def own_leads(request):
    """A test of a module that names `LEAD` and `SECOND` (tests/staff_on_duty.py) gets two cleared
    professionals of its own, told to the venue: the venue is shared by the whole session, and a
    staff member is on one slot, and on one activity, at a time (services/bookings/domain/
    double_duty.py), so two tests naming the same two people at the same hour would refuse each
    other. The module's globals are rebound for the test (its functions read them when they run),
    then restored."""
    module = request.module
    if not (hasattr(module, "LEAD") and hasattr(module, "SECOND")):
        yield
        return
    staff_api, vhost = request.getfixturevalue("staff_api"), request.getfixturevalue("vhost")
    suffix = uuid.uuid4().hex[:8]
    before = module.LEAD, module.SECOND
    module.LEAD, module.SECOND = tell_venue(amqp_uri(vhost), staff_api, f"lead-{suffix}", f"second-{suffix}")
    yield
    module.LEAD, module.SECOND = before


class AxeReadyBrowser:
    """The browser, whose new contexts bypass the pages' Content-Security-Policy unless a test asks
    for it (`bypass_csp=False`): `serious_violations` injects axe-core as an inline script, which the
    CSP (`script-src 'self'`, rightly) refuses to run. The policy stays as shipped; the pages' own
    scripts are checked under it by test_pages_run_under_the_content_security_policy."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options):
        return self._browser.new_context(**{"bypass_csp": True, **options})

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        yield AxeReadyBrowser(browser)
        browser.close()


@pytest.fixture
def page(browser, stack):
    context = browser.new_context(base_url=stack, locale="fr-FR", viewport={"width": 1024, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


# The three sizes every page is checked at: a desktop, a phone, and 200 % zoom.
VIEWPORTS = [("", (1024, 800), 1), ("-360px", (360, 740), 1), ("-zoom200", (640, 400), 2)]


def sign_in_as(page, email, password, lands_on, start="/connexion"):
    """Sign in through the form and wait for the page the person lands on."""
    page.goto(start)
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").last.click()
    page.wait_for_url(f"**{lands_on}")


def main_text(page):
    return page.locator("main").inner_text()


@pytest.fixture(scope="module")
def staff_state(browser, stack):
    """The signed-in staff session, signed in once per module (each sign-in costs an argon2 check)."""
    context = browser.new_context(base_url=stack)
    sign_in_as(context.new_page(), STAFF["email"], STAFF["password"], "/equipe/")  # today's page
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture
def staff_page(browser, stack, staff_state):
    context = browser.new_context(
        base_url=stack, locale="fr-FR", viewport={"width": 1024, "height": 800}, storage_state=staff_state
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def shoot(page, name):
    """A full-page screenshot under test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def axe_at_every_viewport(browser, stack, pages, storage_state=None, sign_in=None, forms=None):
    """axe on each page of `pages` ({name: path}) on a desktop, a phone and at 200 %, plus each
    form of `forms` ({name: send(page)}: sends it empty, waits for its errors); each page has one
    h1 and nothing wider than the phone. Returns the serious violations by page, {} when none."""
    found = {}
    for label, size, scale in VIEWPORTS:
        context = browser.new_context(
            base_url=stack,
            locale="fr-FR",
            viewport={"width": size[0], "height": size[1]},
            device_scale_factor=scale,
            storage_state=storage_state,
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        if sign_in:
            sign_in(page)
        for name, path in pages.items():
            page.goto(path)
            shoot(page, f"axe-{name}{label}")
            found[f"{name}{label}"] = serious_violations(page)
            assert page.locator("h1").count() == 1, path
            if label == "-360px":  # nothing wider than the phone
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
        for name, send in (forms or {}).items():
            send(page)
            page.locator(".error-summary").wait_for()
            shoot(page, f"axe-{name}{label}")
            found[f"{name}{label}"] = serious_violations(page)
        context.close()
    return {name: v for name, v in found.items() if v}


def serious_violations(page):
    """axe-core (vendored) on the page: the serious or critical WCAG 2 A/AA violations."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})")
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def draw_signature(page, canvas, strokes=((0.1, 0.6), (0.3, 0.3), (0.5, 0.7), (0.8, 0.35))):
    """A signature drawn with the mouse (pointer events) across a signature pad's canvas."""
    canvas.scroll_into_view_if_needed()  # the mouse reaches only what the viewport shows (a phone's)
    box = canvas.bounding_box()
    points = [(box["x"] + box["width"] * x, box["y"] + box["height"] * y) for x, y in strokes]
    page.mouse.move(*points[0])
    page.mouse.down()
    for point in points[1:]:
        page.mouse.move(*point, steps=6)
    page.mouse.up()
