"""The attendance sheet signed per half-day, in a real browser on the whole venue: on the trainer's
tablet a participant taps their name and signs on the canvas (drawn with the mouse, « Effacer »
first); a trainee scans the half-day's QR code and signs on her own phone, refused before the
half-day starts; the sheet then shows both signatures and the PDF draws them; each page passes axe
at three sizes."""

import re
import uuid
from datetime import datetime, timedelta

import pytest

from shared import timeutil
from tests.browser.conftest import axe_at_every_viewport, draw_signature, main_text, serious_violations, shoot
from tests.browser.test_training_pages import confirmed_session, new_course, new_room, new_trainee
from tests.dates import today as venue_today
from tests.support import wait_for

LEAD_SECONDS = 40  # the half-day starts this long after planning: enrolment is still open meanwhile


def _part_starting_soon():
    """A part of today starting in LEAD_SECONDS, an hour long (the QR code is valid from its start)."""
    now = datetime.now(timeutil.VENUE_TZ).replace(microsecond=0)
    start = now + timedelta(seconds=LEAD_SECONDS)
    end = start + timedelta(hours=1)
    if end.date() != venue_today():
        pytest.skip("too close to midnight in Paris for a training part of today")
    return {"starts_at": start.isoformat(), "ends_at": end.isoformat()}


def drawn_pixels(canvas):
    """How many of the canvas's pixels are not white (the drawing is there, or it was cleared)."""
    return canvas.evaluate(
        """c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
                  for (let i = 0; i < d.length; i += 4) { if (d[i] < 200) n++; } return n; }"""
    )


@pytest.fixture(scope="module")
def running_session(stack, staff_api):
    """A confirmed session whose only half-day starts in LEAD_SECONDS, with a trainee (an account)
    and an external participant: (session, half-day, trainee's email and name)."""
    part = _part_starting_soon()
    course = new_course(staff_api)
    session = confirmed_session(staff_api, course, new_room(staff_api), [part])
    email, name = new_trainee(staff_api, first_name="Inès")
    trainee = staff_api.signed_in({"email": email, "password": "une-formation-utile"})
    trainee.created(f"/api/v1/sessions/{session['id']}/enrolments", {"participant_kind": "trainee", "funding": "opco"})
    staff_api.created(
        f"/api/v1/sessions/{session['id']}/enrolments",
        {
            "participant_kind": "external",
            "name": "Nadia Benali",
            "email": f"nadia-{uuid.uuid4().hex[:6]}@example.fr",
            "funding": "self_funded",
        },
    )
    [half_day] = session["parts"][0]["half_days"]
    return session, half_day, email, name


def half_day_path(session, half_day):
    return f"/equipe/formations/sessions/{session['id']}/demi-journees/{half_day['part_index']}/{half_day['half_day']}"


def test_a_participant_signs_on_the_tablet_by_tapping_their_name_and_drawing(staff_page, running_session):
    page = staff_page
    session, half_day, _email, _name = running_session
    page.goto(f"/equipe/formations/sessions/{session['id']}/emargement")
    page.get_by_role("link", name=re.compile(r"^Émarger \(partie 1, ")).click()
    page.wait_for_url(f"**{half_day_path(session, half_day)}")
    assert page.locator(".qr svg[role=img]").count() == 1
    shoot(page, "emargement-demi-journee")

    page.get_by_role("link", name="Signer : Nadia Benali").click()
    page.get_by_role("heading", name="Signature de Nadia Benali").wait_for()
    canvas = page.get_by_role("img", name="Cadre de signature de Nadia Benali")
    help_text = page.locator("#signature-aide").inner_text()
    assert "Effacer" in help_text and "motif" in help_text  # what to do without drawing, read out with the pad
    page.get_by_role("button", name="Valider la signature").click()  # nothing drawn: not sent
    page.get_by_text("Signez dans le cadre avant de valider.").wait_for()
    draw_signature(page, canvas)
    assert drawn_pixels(canvas) > 0
    page.get_by_role("button", name="Effacer").click()
    assert drawn_pixels(canvas) == 0
    draw_signature(page, canvas)
    shoot(page, "emargement-signature-tablette")
    page.get_by_role("button", name="Valider la signature").click()
    page.get_by_text("Merci, Nadia Benali : la signature est enregistrée.").wait_for()
    assert "Signé sur la tablette" in page.locator("li.signer").filter(has_text="Nadia Benali").inner_text()


def test_a_trainee_signs_on_her_phone_with_the_qr_code_only_once_the_half_day_has_started(
    browser, stack, staff_page, running_session
):
    session, half_day, email, name = running_session
    staff_page.goto(half_day_path(session, half_day))
    address = re.search(r"https?://\S+/emargement/\S+", staff_page.locator(".qr-url").inner_text()).group(0)
    token_path = address[address.index("/emargement/") :]

    phone = browser.new_context(base_url=stack, locale="fr-FR", viewport={"width": 360, "height": 740})
    own = phone.new_page()
    own.set_default_timeout(10_000)
    own.goto(token_path)  # not signed in: the sign-in page, then back to the code's page
    own.get_by_label("Adresse e-mail").fill(email)
    own.get_by_label("Mot de passe").fill("une-formation-utile")
    own.get_by_role("button", name="Se connecter").last.click()
    started = datetime.fromisoformat(half_day["starts_at"])
    if datetime.now(timeutil.VENUE_TZ) < started - timedelta(seconds=3):
        own.get_by_text("Ce QR code n'est pas encore valable").wait_for()  # refused before its half-day
        shoot(own, "emargement-qr-trop-tot")

    def pad_shown():
        own.goto(token_path)
        return own.get_by_role("heading", name=f"Signature de {name}").count() == 1

    wait_for(pad_shown, timeout=LEAD_SECONDS + 30, interval=2, message="the half-day started")
    assert serious_violations(own) == []
    draw_signature(own, own.get_by_role("img", name=f"Cadre de signature de {name}"))
    own.get_by_role("button", name="Valider la signature").click()
    own.get_by_role("heading", name="Signature enregistrée").wait_for()
    assert f"Merci, {name} : votre présence est notée" in main_text(own)
    shoot(own, "emargement-signature-telephone")
    phone.close()

    staff_page.goto(f"/equipe/formations/sessions/{session['id']}/emargement")
    row = staff_page.locator("#emargement tr").filter(has_text=name)
    assert "signé" in row.inner_text() and "100 %" in row.inner_text()
    with staff_page.expect_download() as sheet:
        staff_page.get_by_role("link", name="Télécharger la feuille d'émargement (PDF)").click()
    assert open(sheet.value.path(), "rb").read().count(b"/Subtype /Image") >= 1  # the drawings are in it


def test_the_half_day_pages_pass_axe_on_a_desktop_a_phone_and_at_200_percent(
    browser, stack, staff_state, running_session
):
    session, half_day, _email, _name = running_session
    path = half_day_path(session, half_day)
    pages = {
        "emargement-demi-journee": path,
        "emargement-feuille": f"/equipe/formations/sessions/{session['id']}/emargement",
    }
    enrolments = browser.new_context(base_url=stack, storage_state=staff_state).new_page()
    enrolments.goto(path)
    pad = enrolments.get_by_role("link", name=re.compile(r"^Signer : ")).first.get_attribute("href")
    enrolments.context.close()
    pages["emargement-pad"] = pad

    def refused_without_reason(page):
        page.goto(path)
        page.locator("details summary").first.click()
        page.get_by_role("button", name=re.compile("signature refusée$")).first.click()

    assert (
        axe_at_every_viewport(
            browser,
            stack,
            pages,
            storage_state=staff_state,
            forms={"emargement-refus-sans-motif": refused_without_reason},
        )
        == {}
    )


def test_the_signature_pad_draws_under_the_content_security_policy(browser, stack, staff_state, running_session):
    session, half_day, _email, _name = running_session
    context = browser.new_context(base_url=stack, locale="fr-FR", storage_state=staff_state, bypass_csp=False)
    page = context.new_page()
    refused = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    page.goto(half_day_path(session, half_day) + "/signer/trainer")
    canvas = page.locator("canvas.signature-pad")
    draw_signature(page, canvas)
    assert drawn_pixels(canvas) > 0 and refused == []
    context.close()
