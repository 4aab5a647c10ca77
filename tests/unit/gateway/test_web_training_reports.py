"""The pages after a training session, with the education service stood in for: the session's
staff page lists its funders' invoices and the questionnaire's results with the personal links
of the participants without an account; such a link opens that participant's questionnaire and
a forged one does not; the BPF page and its CSV."""

from services.gateway import satisfaction_link
from tests.unit.gateway.conftest import ANSWERS, SESSION

INVOICE = ANSWERS["get_funder_invoice"]
QUESTIONS = [{"key": "objectives", "label": "Les objectifs de la formation ont-ils été atteints ?"}]
RESULTS = {
    "session_id": "x-1",
    "title": SESSION["title"],
    "open": True,
    "participants": 2,
    "respondents": 1,
    "questions": [
        {
            "key": "objectives",
            "label": QUESTIONS[0]["label"],
            "counts": {"1": 0, "2": 0, "3": 1, "4": 0},
            "answered": 1,
            "average": "3.00",
        }
    ],
    "comments": ["Très concret"],
    "people": [
        {"participant_id": "p-1", "participant_kind": "external", "name": "Ana Lopes", "answered": True},
        {"participant_id": "p-2", "participant_kind": "trainee", "name": "Léa Martin", "answered": False},
    ],
}
FORM = {
    "session_id": "x-1",
    "participant_id": "p-1",
    "name": "Ana Lopes",
    "title": SESSION["title"],
    "starts_at": SESSION["starts_at"],
    "ends_at": SESSION["ends_at"],
    "open": True,
    "answered": False,
    "questions": QUESTIONS,
    "scale": [{"value": n, "label": f"niveau {n}"} for n in (1, 2, 3, 4)],
}


def figures(trainees=0, hours="0.00", income="0.00"):
    return {"trainees": trainees, "hours": hours, "income": income}


BPF = {
    "year": 2026,
    "sessions": 1,
    "total": figures(1, "10.50", "315.00"),
    "by_funding": [{"key": "opco", **figures(1, "10.50", "315.00")}],
    "by_kind": [{"key": "external", **figures(1, "10.50", "315.00")}],
    "income_lines": [{"code": "2h", "label": "Plan de développement des compétences", **figures(1, "10.50", "315.00")}],
    "trainee_lines": [
        {"code": "a", "label": "Salariés d'employeurs privés hors apprentis", **figures(1, "10.50", "315.00")}
    ],
    "sessions_not_invoiced": [{"id": "x-2", "title": "Éveil musical", "ends_at": "2026-11-03T17:00:00+01:00"}],
}


def test_the_session_page_lists_its_funders_invoices_and_the_questionnaires_results_with_personal_links(
    app, staff, recorded_rpc
):
    recorded_rpc.answers.update(
        get_session=SESSION,
        get_course={"id": "course-1", "funding": ["opco"]},
        session_funder_invoices={"session_id": "x-1", "invoices": [INVOICE]},
        satisfaction_results=RESULTS,
    )
    html = staff.get("/equipe/formations/sessions/x-1").get_data(as_text=True)
    assert "FF-2026-000001" in html and 'href="/equipe/formations/factures-financeurs/x-1.pdf"' in html
    assert "1 réponse(s) sur 2 participant(s)." in html and "Très concret" in html
    with app.test_request_context():
        link = satisfaction_link.url_of("x-1", "p-1")
    assert f'value="{link}"' in html  # Ana has no account: her link to send
    assert "depuis son compte" in html  # Léa answers from her pages


def test_a_personal_link_opens_that_participants_questionnaire_and_a_forged_one_does_not(app, client, recorded_rpc):
    recorded_rpc.answers["satisfaction_form"] = FORM
    with app.test_request_context():
        code = satisfaction_link.code_of("x-1", "p-1")
    page = client.get(f"/formations/avis/x-1/p-1/{code}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Votre avis sur" in html and 'name="objectives"' in html
    assert recorded_rpc.calls[-1] == ("education", "satisfaction_form", ("x-1", "p-1"))
    assert client.get(f"/formations/avis/x-1/p-2/{code}").status_code == 404  # another participant
    assert client.get("/formations/avis/x-1/p-1/" + "0" * 32).status_code == 404


def test_the_funders_invoice_downloads_as_a_pdf(staff, recorded_rpc):
    answer = staff.get("/equipe/formations/factures-financeurs/x-1.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert "facture-financeur-FF-2026-000001.pdf" in answer.headers["Content-Disposition"]


def test_the_bpf_page_shows_the_cerfas_lines_and_the_sessions_still_to_invoice(staff, recorded_rpc):
    recorded_rpc.answers["bpf_report"] = BPF
    html = staff.get("/equipe/formations/bpf?annee=2026").get_data(as_text=True)
    assert "Bilan pédagogique et financier 2026" in html
    assert "2h. Plan de développement des compétences" in html and "a. Salariés d&#39;employeurs privés" in html
    assert "Éveil musical" in html and 'href="/equipe/formations/bpf/2026.csv"' in html
    assert recorded_rpc.calls[-1] == ("education", "bpf_report", (2026,))
    csv = staff.get("/equipe/formations/bpf/2026.csv")
    assert csv.mimetype == "text/csv" and "Total;;Total 2026;1;10,50;315,00" in csv.get_data(as_text=True)
