"""After a training session of today, in a real browser on the whole venue: a trainee answers the
satisfaction questionnaire on her phone from « Mes formations » (sent empty first: the errors by
each question); an external participant answers through the personal link staff copy from the
session's page, without an account; staff see the results, issue the funders' invoices and
download one; the BPF page and its CSV. Each page checked with axe-core (the questionnaire on a
phone; the BPF page at three sizes)."""

import re
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import axe_at_every_viewport, main_text, serious_violations, shoot
from tests.browser.test_training_pages import (
    _today_part,
    confirmed_session,
    new_course,
    new_room,
    new_trainee,
    sign_in,
)
from tests.pdf import pdf_text

PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def ended_today(stack, staff_api):
    """A session of today (its last part's day has come) with a trainee (OPCO), an external person
    (self-funded) and a professional (OPCO), each marked present."""
    course = new_course(staff_api)
    session = confirmed_session(staff_api, course, new_room(staff_api), [_today_part()])
    email, name = new_trainee(staff_api, first_name="Maëlle")
    trainee = staff_api.signed_in({"email": email, "password": "une-formation-utile"})
    trainee.created(f"/api/v1/sessions/{session['id']}/enrolments", {"participant_kind": "trainee", "funding": "opco"})
    path = f"/api/v1/sessions/{session['id']}/enrolments"
    staff_api.created(
        path,
        {"participant_kind": "external", "name": "Nadia Benali", "email": "nadia@example.fr", "funding": "self_funded"},
    )
    staff_api.created(
        path, {"participant_kind": "professional", "name": "Rose Diallo", "email": "rose@example.fr", "funding": "opco"}
    )
    enrolled = staff_api.get(path).json()
    for person in enrolled["items"] if isinstance(enrolled, dict) else enrolled:
        marked = staff_api.post(
            f"/api/v1/sessions/{session['id']}/attendance",
            json={"part_index": 0, "participant_id": person["participant_id"], "present": True},
        )
        assert marked.status_code == 200, marked.text
    return {"session": session, "course": course, "email": email, "name": name}


def answer(page, choices, comment):
    for question, label in choices:
        page.get_by_role("group", name=re.compile(re.escape(question))).get_by_label(label, exact=True).check()
    page.get_by_label("Un commentaire, une suggestion (facultatif)").fill(comment)
    page.get_by_role("button", name="Envoyer mon avis").click()


CHOICES = [
    ("Les objectifs de la formation", "Très satisfait·e"),
    ("Le contenu répondait-il", "Satisfait·e"),
    ("Les explications et l'animation", "Très satisfait·e"),
    ("L'organisation (salle, horaires, documents)", "Peu satisfait·e"),
]


def test_a_trainee_answers_the_questionnaire_on_her_phone_once(browser, stack, ended_today):
    session, course = ended_today["session"], ended_today["course"]
    context = browser.new_context(base_url=stack, locale="fr-FR", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, ended_today["email"])
    page.goto("/formations/")
    page.get_by_role("link", name=f"Donner mon avis sur « {course['title']} »").click()
    page.wait_for_url(f"**/formations/sessions/{session['id']}/avis")
    shoot(page, "formations-avis-telephone")
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    page.get_by_role("button", name="Envoyer mon avis").click()  # empty: an error by each question
    page.locator(".error-summary").wait_for()
    assert page.locator(".field-error").count() == 4
    shoot(page, "formations-avis-erreurs-telephone")
    assert serious_violations(page) == []

    answer(page, CHOICES, "Des exemples très concrets")
    page.locator("#merci").wait_for()
    assert "votre avis est enregistré" in main_text(page)
    shoot(page, "formations-avis-merci-telephone")
    assert serious_violations(page) == []
    page.goto(f"/formations/sessions/{session['id']}/avis")
    assert "déjà répondu" in main_text(page) and page.get_by_role("button", name="Envoyer mon avis").count() == 0
    context.close()


def test_an_external_participant_answers_by_her_link_and_staff_see_the_results_and_invoice_the_funders(
    browser, stack, staff_page, ended_today
):
    session = ended_today["session"]
    page = staff_page
    page.goto(f"/equipe/formations/sessions/{session['id']}")
    link = page.get_by_label("Lien personnel à envoyer à Nadia Benali").input_value()
    assert f"/formations/avis/{session['id']}/" in link

    context = browser.new_context(base_url=stack, locale="fr-FR", viewport=PHONE)  # no account, no sign-in
    own = context.new_page()
    own.set_default_timeout(10_000)
    own.goto(urlparse(link).path)
    assert "Votre avis sur" in main_text(own)
    assert serious_violations(own) == []
    answer(own, CHOICES, "Salle un peu froide")
    own.locator("#merci").wait_for()
    forged = own.goto(re.sub(r"/[0-9a-f]{32}$", "/" + "0" * 32, urlparse(link).path))
    assert forged.status == 404
    context.close()

    page.reload()
    assert re.search(r"\d+ réponse\(s\) sur 3 participant\(s\)\.", main_text(page))
    comments = page.locator("#satisfaction-commentaires").inner_text()
    assert "Salle un peu froide" in comments
    shoot(page, "formations-session-satisfaction")

    page.get_by_role("button", name="Émettre les factures des financeurs").click()
    notice = page.get_by_text("Factures des financeurs : ").inner_text()
    number = re.search(r"FF-\d{4}-\d{6}", notice).group(0)
    row = page.locator("#factures-financeurs tr").filter(has_text=number)
    assert "Maëlle" in row.inner_text() and "Rose Diallo" in row.inner_text() and "Nadia" not in row.inner_text()
    shoot(page, "formations-session-factures")
    assert serious_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Télécharger la facture {number} (PDF)").click()
    text = pdf_text(open(download.value.path(), "rb").read())
    assert f"Facture n° {number}" in text and "Rose Diallo" in text and "OPCO" in text


def test_the_bpf_page_passes_axe_at_every_size_and_downloads_its_csv(
    browser, stack, staff_page, staff_state, ended_today
):
    page = staff_page
    page.goto("/equipe/formations/")
    page.get_by_role("link", name="Bilan pédagogique et financier").click()
    page.get_by_role("heading", name=re.compile("Bilan pédagogique et financier")).wait_for()
    assert "Cadre C — origine des produits" in main_text(page) and "Cadre F-1 — type de stagiaires" in main_text(page)
    year = re.search(r"financier (\d{4})", page.locator("h1").inner_text()).group(1)
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Télécharger le bilan {year} (CSV)").click()
    assert download.value.suggested_filename == f"bpf-{year}.csv"
    lines = open(download.value.path(), encoding="utf-8-sig").read().splitlines()
    assert lines[0] == "Partie;Ligne;Libellé;Stagiaires;Heures-stagiaires;Produits (€)"
    assert lines[-1].startswith(f"Total;;Total {year};")
    assert axe_at_every_viewport(browser, stack, {"formations-bpf": "/equipe/formations/bpf"}, staff_state) == {}
