"""The evaluation of what was learned in a real browser, on the whole venue: staff enrol someone with
their employer, open « Évaluation des acquis » from the session's page, send the form with a choice
missing (the error by the objective and in the summary), then record a result per objective;
the certificate's PDF prints the evaluation method, the results, the employer and the assiduity
mention; once issued, the page shows the results fixed. The page checked with axe-core at three
sizes, with its errors and once the certificate is issued."""

from tests.browser.conftest import axe_at_every_viewport, main_text, shoot
from tests.browser.test_training_pages import _today_part, confirmed_session, new_room, unique
from tests.pdf import pdf_text

OBJECTIVES = ["Alerter les secours", "Protéger l'enfant", "Faire les gestes qui sauvent"]


def evaluated_course(staff_api):
    body = {
        "title": unique("Gestes d'urgence"),
        "objectives": "\n".join(OBJECTIVES),
        "audience": "Professionnels de la petite enfance",
        "duration_hours": "1",
        "trainer": "Claire Martin",
        "price": "80.00",
        "funding": ["employer", "opco"],
        "evaluation_method": "Mise en situation observée",
    }
    return staff_api.created("/api/v1/courses", body)


def test_staff_record_a_result_per_objective_and_the_certificate_prints_them_with_the_employer(
    staff_page, staff_api, browser, stack, staff_state
):
    page = staff_page
    course = evaluated_course(staff_api)
    session = confirmed_session(staff_api, course, new_room(staff_api), [_today_part()])
    page.goto(f"/equipe/formations/sessions/{session['id']}")
    page.get_by_label("Qualité du participant").select_option("external")
    page.get_by_label("Nom et prénom").fill("Nadia Benali")
    page.get_by_label("Adresse e-mail").fill("nadia.benali@example.fr")
    page.get_by_label("Financement", exact=True).select_option("employer")
    page.get_by_label("Employeur (facultatif)").fill("Crèche Les Lutins")
    page.get_by_role("button", name="Inscrire", exact=True).click()
    page.get_by_text("Nadia Benali est inscrit·e.").wait_for()
    assert "Employeur : Crèche Les Lutins" in page.locator("#liste-inscrits").inner_text()

    page.get_by_role("link", name="Évaluation des acquis").click()
    page.get_by_role("heading", name=f"Évaluation des acquis — {course['title']}").wait_for()
    assert "Modalité d'évaluation : Mise en situation observée" in main_text(page)
    form = page.get_by_role("group", name="Nadia Benali", exact=False).first
    form.get_by_role("group", name="Alerter les secours").get_by_label("Acquis", exact=True).check()
    form.get_by_role("group", name="Protéger l'enfant").get_by_label("En cours d'acquisition").check()
    page.get_by_role("button", name="Enregistrer l'évaluation de Nadia Benali").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert "Choisissez un résultat pour « Faire les gestes qui sauvent »." in summary.inner_text()
    assert page.locator("#p0-2-erreur").count() == 1
    assert page.get_by_label("Acquis", exact=True).first.is_checked()  # what was chosen is kept
    shoot(page, "formations-evaluation-erreurs")
    page.get_by_role("group", name="Faire les gestes qui sauvent").get_by_label("Non acquis").check()
    page.get_by_role("button", name="Enregistrer l'évaluation de Nadia Benali").click()
    page.get_by_text("L'évaluation de Nadia Benali est enregistrée.").wait_for()
    assert "évaluation enregistrée" in main_text(page)
    shoot(page, "formations-evaluation")

    sheet = staff_api.get(f"/api/v1/sessions/{session['id']}/evaluations").json()
    (row,) = sheet["rows"]
    assert [r["result"] for r in row["evaluation"]["results"]] == ["acquis", "en_cours", "non_acquis"]
    participant = row["participant_id"]
    marked = staff_api.post(
        f"/api/v1/sessions/{session['id']}/attendance",
        json={"part_index": 0, "participant_id": participant, "present": True},
    )
    assert marked.status_code == 200, marked.text
    pdf = staff_api.get(f"/api/v1/sessions/{session['id']}/certificates/{participant}.pdf")
    assert pdf.status_code == 200, pdf.text
    text = pdf_text(pdf.content)
    assert "Modalité d'évaluation Mise en situation observée" in text
    assert "Alerter les secours : acquis" in text and "Faire les gestes qui sauvent : non acquis" in text
    assert "Employeur Crèche Les Lutins" in text and "salarié·e de l'entreprise : Crèche Les Lutins" in text
    assert "Assiduité : 100 % des heures — assidu·e" in text

    page.reload()
    assert "Certificat délivré : l'évaluation ne peut plus changer." in main_text(page)
    assert page.get_by_role("button", name="Enregistrer l'évaluation de Nadia Benali").count() == 0


def test_the_evaluation_page_passes_axe_to_fill_with_its_errors_and_once_issued(browser, stack, staff_api, staff_state):
    course = evaluated_course(staff_api)
    to_fill, issued = (confirmed_session(staff_api, course, new_room(staff_api), [_today_part()]) for _ in range(2))
    for session, name in ((to_fill, "Léo Petit"), (issued, "Inès Moreau")):
        email = name.lower().replace(" ", ".") + "@example.fr"
        staff_api.created(
            f"/api/v1/sessions/{session['id']}/enrolments",
            {"participant_kind": "external", "name": name, "email": email, "funding": "opco"},
        )
    participant = staff_api.get(f"/api/v1/sessions/{issued['id']}/evaluations").json()["rows"][0]["participant_id"]
    results = [{"objective": o, "result": "acquis"} for o in OBJECTIVES]
    for path, body in (
        ("evaluations", {"participant_id": participant, "results": results}),
        ("attendance", {"part_index": 0, "participant_id": participant, "present": True}),
    ):
        answer = staff_api.post(f"/api/v1/sessions/{issued['id']}/{path}", json=body)
        assert answer.status_code == 200, answer.text
    staff_api.created(f"/api/v1/sessions/{issued['id']}/certificates/{participant}", None)

    def send_empty(page):
        page.goto(f"/equipe/formations/sessions/{to_fill['id']}/evaluations")
        page.get_by_role("button", name="Enregistrer l'évaluation de Léo Petit").click()

    pages = {
        "formations-evaluation-a-remplir": f"/equipe/formations/sessions/{to_fill['id']}/evaluations",
        "formations-evaluation-delivree": f"/equipe/formations/sessions/{issued['id']}/evaluations",
    }
    violations = axe_at_every_viewport(
        browser, stack, pages, storage_state=staff_state, forms={"formations-evaluation-vide": send_empty}
    )
    assert violations == {}
