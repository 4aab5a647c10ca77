"""A self-funded learner's contrat de formation in a real browser, on the whole venue: a trainee
enrols from /formations, reads what the contract says in plain French, accepts it (the box
unticked is an error, summarised), sees until when she may withdraw and retracts with « Je me
rétracte »; staff open an external person's enrolment, record the contract accepted on her
behalf and see a payment refused during the withdrawal period. Each page checked with axe-core
on a desktop, a phone and at 200 %."""

from datetime import date

from tests.browser.conftest import axe_at_every_viewport, main_text, shoot
from tests.browser.test_training_pages import confirmed_session, new_room, new_trainee, sign_in, unique
from tests.dates import at


def self_funded_course(staff_api):
    body = {
        "title": unique("Gestes d'urgence"),
        "objectives": "Réagir face à un enfant qui s'étouffe",
        "audience": "Parents et professionnels",
        "prerequisites": "",
        "duration_hours": "3",
        "trainer": "Claire Martin",
        "price": "120.00",
        "funding": ["self_funded", "employer"],
    }
    return staff_api.created("/api/v1/courses", body)


def test_a_trainee_accepts_her_contract_then_retracts_within_the_ten_days(page, staff_api, browser, stack):
    course = self_funded_course(staff_api)
    session = confirmed_session(staff_api, course, new_room(staff_api), [{"starts_at": at(14), "ends_at": at(17)}])
    email, _name = new_trainee(staff_api)
    sign_in(page, email)
    page.goto("/formations/")
    card = page.locator(f"#session-{session['id']}")
    card.get_by_label("Qui finance ma formation").select_option("self_funded")
    card.get_by_role("button", name=f"M'inscrire à « {course['title']} »").click()
    page.get_by_role("heading", name="Vous êtes inscrit·e").wait_for()
    assert "Dernière étape" in main_text(page)
    page.get_by_role("link", name="Lire et accepter mon contrat").click()
    page.get_by_role("heading", name="Mon contrat de formation").wait_for()
    contract = page.url.removeprefix(stack)
    text = " ".join(main_text(page).split())  # no-break spaces as spaces
    assert "120,00 €" in text and "36,00 €" in text and "sans frais et sans donner de raison" in text
    shoot(page, "contrat-a-accepter")

    page.get_by_role("button", name="J'accepte le contrat").click()  # the box not ticked
    page.locator(".error-summary").wait_for()
    assert page.get_by_label("J'ai lu le contrat de formation et je l'accepte").get_attribute("aria-invalid") == "true"
    shoot(page, "contrat-case-non-cochee")
    unchecked = axe_at_every_viewport(
        browser,
        stack,
        {"contrat-a-accepter": contract},
        sign_in=lambda p: sign_in(p, email),
        forms={"contrat-erreur": lambda p: p.get_by_role("button", name="J'accepte le contrat").click()},
    )
    assert unchecked == {}

    page.get_by_label("J'ai lu le contrat de formation et je l'accepte").check()
    page.get_by_role("button", name="J'accepte le contrat").click()
    page.get_by_text("Vous pouvez vous rétracter jusqu'au").wait_for()
    assert page.get_by_role("link", name="Mon contrat (PDF)").count() == 1
    shoot(page, "contrat-accepte")
    accepted = axe_at_every_viewport(
        browser,
        stack,
        {"contrat-accepte": contract, "retractation": contract.replace("/contrat", "/retractation")},
        sign_in=lambda p: sign_in(p, email),
    )
    assert accepted == {}

    page.get_by_role("link", name="Je me rétracte").click()
    assert "sans frais" in main_text(page)
    shoot(page, "retractation")
    page.get_by_role("button", name="Oui, je me rétracte").click()
    page.get_by_role("heading", name="Vous vous êtes rétracté·e").wait_for()
    enrolments = staff_api.get(f"/api/v1/sessions/{session['id']}/enrolments").json()
    items = enrolments["items"] if isinstance(enrolments, dict) else enrolments
    assert [(e["status"], e["contract_status"]) for e in items] == [("retracted", "retracted")]
    page.goto("/formations/")
    assert page.locator(f"#session-{session['id']}").count() == 1  # offered again


def test_staff_record_a_contract_accepted_for_a_person_without_an_account_and_no_payment_before_ten_days(
    staff_page, staff_api, browser, stack, staff_state
):
    page = staff_page
    course = self_funded_course(staff_api)
    session = confirmed_session(staff_api, course, new_room(staff_api), [{"starts_at": at(9), "ends_at": at(12)}])
    person = staff_api.created(
        f"/api/v1/sessions/{session['id']}/enrolments",
        {"participant_kind": "external", "name": "Nadia Benali", "email": "nadia@example.fr", "funding": "self_funded"},
    )
    page.goto(f"/equipe/formations/sessions/{session['id']}")
    page.get_by_role("link", name="Contrat, convention et paiements de Nadia Benali").click()
    page.get_by_role("heading", name="Inscription de Nadia Benali").wait_for()
    assert page.locator("#etat-contrat").inner_text() == "Contrat à accepter"
    page.get_by_role("button", name="Enregistrer le contrat accepté").click()
    page.get_by_text("le délai de rétractation de 10 jours commence").wait_for()
    assert "Contrat accepté, délai de rétractation en cours" in page.locator("#etat-contrat").inner_text()
    assert "à minuit" in page.locator("#fin-retractation").inner_text()

    page.get_by_label("Montant payé, en euros").fill("10")
    page.get_by_label("Date du paiement").fill(date.today().isoformat())
    page.get_by_role("button", name="Enregistrer le paiement").click()
    page.locator(".error-summary").wait_for()
    assert "délai de rétractation court encore" in page.locator(".error-summary").inner_text()
    shoot(page, "inscription-paiement-refuse")

    path = f"/equipe/formations/inscriptions/{person['id']}"

    def pay_too_early(p):
        p.get_by_label("Montant payé, en euros").fill("10")
        p.get_by_label("Date du paiement").fill(date.today().isoformat())
        p.get_by_role("button", name="Enregistrer le paiement").click()

    found = axe_at_every_viewport(
        browser,
        stack,
        {"inscription-contrat": path},
        storage_state=staff_state,
        forms={"inscription-paiement-refuse": lambda p: (p.goto(path), pay_too_early(p))},
    )
    assert found == {}
