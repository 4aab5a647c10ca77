"""The bilan's pages with a stand-in for the insights service: /equipe/bilan (exact figures, each
indicator with its definition, four charts each followed by its table), the chart files (SVG with
no script and nothing from elsewhere), the CSV and PDF for the funders (counts from 1 to 4
masked, no name), a person's path, and the links that lead there."""

import base64
import hashlib
import re
from html import unescape

import pytest

from services.gateway import auth
from services.gateway.models import database
from tests.api import STAFF
from tests.pdf import pdf_text
from tests.unit.gateway.conftest import served_by
from tests.unit.gateway.insights_example import InsightsStandIn
from tests.unit.gateway.test_page_access import signed_in_as

PERIOD = "du=2026-09-01&au=2026-11-30"


@pytest.fixture
def insights(app):
    return served_by(app, InsightsStandIn())


def as_role(app, staff_role, first_name="Camille", last_name="Durand"):
    """A client signed in as a staff member holding `staff_role` (and the account)."""
    with app.app_context(), database.connection_context():
        account = auth.create_account(
            f"{staff_role}@example.fr",
            STAFF["password"],
            "staff",
            staff_roles=[staff_role],
            staff_roles_version=1,
            first_name=first_name,
            last_name=last_name,
        )
    return signed_in_as(app, account), account


def between(html, start, end):
    return html[html.index(start) : html.index(end, html.index(start))]


def test_the_page_shows_each_indicator_exact_with_its_definition(staff, insights):
    html = staff.get(f"/equipe/bilan?{PERIOD}").get_data(as_text=True)
    assert insights.calls == [("summary", "2026-09-01", "2026-11-30"), ("monthly", "2026-09-01", "2026-11-30")]
    row = between(html, 'id="indicateur-back_to_work_3_months"', "</tr>")
    assert "En emploi 3 mois après" in row and '<td data-label="Valeur">1</td>' in row  # exact: the staff's page
    assert "Personnes en emploi trois mois après leur sortie." in row
    assert "126,5\u00a0h" in between(html, 'id="indicateur-training_hours"', "</tr>")
    assert "85,3\u00a0%" in between(html, 'id="indicateur-occupancy_rate"', "</tr>")
    assert 'value="2026-09-01"' in html and 'value="2026-11-30"' in html
    assert "Période affichée : du 1 septembre 2026 au 30 novembre 2026." in html


def test_each_chart_is_an_image_with_its_text_and_is_followed_by_the_table_of_its_figures(staff, insights):
    html = staff.get(f"/equipe/bilan?{PERIOD}").get_data(as_text=True)
    for name in ("entonnoir", "immersions-embauches", "heures-benevoles", "occupation"):
        section = between(html, f'id="graphique-{name}"', "</section>")
        assert re.search(
            rf'<img src="/equipe/bilan/graphiques/{name}\.svg\?du=2026-09-01&amp;au=2026-11-30" alt="[^"]+', section
        )
        image_at, table_at = section.index("<img"), section.index("<table")
        assert image_at < table_at
        assert "<caption>" in section and '<th scope="col">' in section and '<th scope="row"' in section
    funnel = between(html, 'id="tableau-entonnoir"', "</table>")
    assert re.search(r'<th scope="row"[^>]*>Stage</th>\s*<td[^>]*>5</td>\s*<td[^>]*>83,0\u00a0%</td>', funnel)
    months = between(html, 'id="tableau-immersions-embauches"', "</table>")
    assert re.search(r"novembre 2026</th>\s*<td[^>]*>7</td>\s*<td[^>]*>3</td>", months)
    assert "90,0\u00a0%" in between(html, 'id="tableau-occupation"', "</table>")


def test_a_period_that_ends_before_it_starts_is_said_next_to_its_end_and_nothing_is_asked(staff, insights):
    answer = staff.get("/equipe/bilan?du=2026-12-01&au=2026-11-30")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert 'id="au-erreur">La fin de la période doit être le jour de son début ou après.' in html
    assert 'aria-invalid="true"' in html and insights.calls == []
    assert staff.get("/equipe/bilan?du=demain").status_code == 422


def test_a_chart_file_is_svg_with_no_script_and_nothing_from_another_site(staff, insights):
    answer = staff.get(f"/equipe/bilan/graphiques/entonnoir.svg?{PERIOD}")
    svg = answer.get_data(as_text=True)
    assert answer.status_code == 200 and answer.mimetype == "image/svg+xml"
    assert svg.startswith("<svg") and "<script" not in svg.lower()
    assert re.findall(r"(?:https?:)?//[^\"'\s)<]+", svg) == ["http://www.w3.org/2000/svg"]  # its namespace only
    assert "@import" not in svg and "href=" not in svg
    assert "Immersion" in svg and "Embauche" in svg
    style = unescape(re.search(r"<style[^>]*>(.*?)</style>", svg, re.S).group(1))  # as the browser reads it
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'self' 'sha256-{digest}'" in answer.headers["Content-Security-Policy"]
    assert "script-src 'self';" in answer.headers["Content-Security-Policy"]


def test_each_monthly_chart_reads_the_months_and_an_unknown_chart_is_404(staff, insights):
    for name in ("immersions-embauches", "heures-benevoles", "occupation"):
        svg = staff.get(f"/equipe/bilan/graphiques/{name}.svg?{PERIOD}").get_data(as_text=True)
        assert "novembre 2026" in svg and "<script" not in svg
    assert ("monthly", "2026-09-01", "2026-11-30") in insights.calls
    assert staff.get("/equipe/bilan/graphiques/camembert.svg").status_code == 404
    assert staff.get("/equipe/bilan/graphiques/entonnoir.svg?au=hier").status_code == 422


def test_a_chart_without_figures_says_so(app, staff):
    served_by(app, InsightsStandIn(summary={"from": "2026-09-01", "to": "2026-09-30", "funnel": []}, months=[]))
    svg = staff.get("/equipe/bilan/graphiques/entonnoir.svg").get_data(as_text=True)
    assert "Aucune donnée sur la période" in svg
    html = staff.get("/equipe/bilan").get_data(as_text=True)
    assert "Aucune donnée sur la période." in between(html, 'id="tableau-occupation"', "</table>")


def csv_rows(text):
    assert text.startswith("\ufeff")
    return [line.split(";") for line in text[1:].split("\r\n")]


def test_the_csv_masks_every_count_from_1_to_4_and_keeps_0_and_5(app, staff, insights):
    app.config["VENUE_NAME"] = "Les Petits Cocons"
    answer = staff.get(f"/equipe/bilan.csv?{PERIOD}")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert 'filename="bilan-2026-09-01-2026-11-30.csv"' in answer.headers["Content-Disposition"]
    rows = csv_rows(answer.get_data(as_text=True))
    assert rows[0] == ["Bilan de l'expérimentation", "Les Petits Cocons"]
    values = {row[0]: row[1] for row in rows if len(row) == 3}
    assert values["Embauches dans la structure"] == "< 5"  # 4
    assert values["En emploi 3 mois après"] == "< 5"  # 1
    assert values["Retours à l'emploi"] == "5"
    assert values["En emploi 6 mois après"] == "0"
    assert values["Immersions (PMSMP)"] == "12"
    assert values["Heures de formation"] == "126,5\u00a0h"  # hours are not counts of people
    assert [
        "Immersions (PMSMP)",
        "12",
        "Immersions (PMSMP) dont la convention a été signée pendant la période.",
    ] in rows


def test_the_csv_masks_a_conversion_computed_on_a_masked_count(staff, insights):
    rows = csv_rows(staff.get(f"/equipe/bilan.csv?{PERIOD}").get_data(as_text=True))
    funnel = rows[rows.index(["Étape du parcours", "Personnes", "Passage depuis l'étape précédente"]) + 1 :][:4]
    assert funnel == [
        ["Immersion", "12", ""],
        ["Formation", "6", "50,0\u00a0%"],
        ["Stage", "5", "83,0\u00a0%"],
        ["Embauche", "< 5", "secret (< 5)"],  # 4 hired: the count and its conversion
    ]
    objects = rows[rows.index(["Objet de l'immersion", "Immersions"]) + 1 :][:3]
    assert objects == [
        ["Découvrir un métier ou un secteur d'activité", "7"],
        ["Confirmer un projet professionnel", "< 5"],
        ["Initier une démarche de recrutement", "< 5"],
    ]
    months = rows[[row[0] for row in rows].index("Mois") :]
    assert months[0][:3] == ["Mois", "Immersions (PMSMP)", "Embauches dans la structure"]
    assert months[1][:3] == ["2026-10", "5", "< 5"] and months[2][:3] == ["2026-11", "7", "< 5"]


def test_the_pdf_gives_the_venue_the_period_each_definition_and_the_funnel_masked(app, staff, insights):
    app.config["VENUE_NAME"] = "Les Petits Cocons"
    answer = staff.get(f"/equipe/bilan.pdf?{PERIOD}")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    text = pdf_text(answer.get_data())
    assert "Les Petits Cocons" in text and "Bilan de l'expérimentation" in text
    assert "Du 1er septembre 2026 au 30 novembre 2026" in text
    assert "Embauches dans la structure < 5 Personnes embauchées par la structure après leur parcours." in text
    assert "Retours à l'emploi 5 " in text and "En emploi 6 mois après 0 " in text
    assert "Stage 5 83,0 %" in text and "Embauche < 5 secret (< 5)" in text
    assert "Places AVIP occupées < 5" in text
    assert "France Travail 84 h" in text


def test_the_files_for_the_funders_hold_no_name(app, staff, insights):
    staff.get(f"/equipe/bilan.csv?{PERIOD}")
    staff.get(f"/equipe/bilan.pdf?{PERIOD}")
    assert {call[0] for call in insights.calls} == {"summary", "monthly"}  # never a person's path
    csv = staff.get(f"/equipe/bilan.csv?{PERIOD}").get_data(as_text=True)
    assert "Lou" not in csv and "Équipe Cocoon" not in csv


def test_the_person_path_names_the_account_and_lists_its_steps_oldest_first(app, insights):
    client, _ = as_role(app, "coordinator")
    with app.app_context(), database.connection_context():
        person = auth.create_account(
            "lea@example.fr", STAFF["password"], "trainee", first_name="Léa", last_name="Martin"
        )
    answer = client.get(f"/equipe/personnes/{person.id}/parcours")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "<h1>Étapes du parcours de Léa Martin</h1>" in html
    assert insights.calls == [("person_path", person.id)]
    steps = between(html, 'id="parcours"', "</ol>")
    assert steps.index("Place en crèche pour son enfant") < steps.index("Immersion convenue (PMSMP)")
    assert steps.index("Immersion convenue (PMSMP)") < steps.index("Sortie du parcours")
    assert "14 septembre 2026" in steps and "Source : Crèche" in steps and "Source : Stages" in steps


def test_an_unknown_account_has_no_path_and_an_educator_may_not_open_one(app, staff, insights):
    assert staff.get("/equipe/personnes/inconnu/parcours").status_code == 404
    educator, _ = as_role(app, "educator")
    assert educator.get(f"/equipe/personnes/{staff.staff_id}/parcours").status_code == 403
    assert educator.get("/equipe/bilan").status_code == 403
    assert insights.calls == []


def test_a_path_with_no_step_says_so(app, staff):
    served_by(app, InsightsStandIn(path=[]))
    html = staff.get(f"/equipe/personnes/{staff.staff_id}/parcours").get_data(as_text=True)
    assert "Aucune étape enregistrée pour cette personne." in html


def test_the_staff_home_and_menu_lead_the_director_and_the_coordinator_to_the_bilan(app, staff, insights):
    coordinator, _ = as_role(app, "coordinator")
    home = coordinator.get("/equipe/").get_data(as_text=True)
    assert 'id="lien-bilan"><a href="/equipe/bilan">' in home
    assert coordinator.get("/equipe/bilan").status_code == 200
    trainer, _ = as_role(app, "trainer")
    assert 'href="/equipe/bilan"' not in trainer.get("/equipe/").get_data(as_text=True)


def test_the_accounts_page_leads_to_each_accounts_path(app, staff, insights):
    html = staff.get("/equipe/comptes/").get_data(as_text=True)
    assert f'href="/equipe/comptes/{staff.staff_id}/parcours"' in html


def test_a_chart_stays_unprefixed_svg_after_another_library_claims_the_default_namespace(staff, insights):
    import xml.etree.ElementTree as ET

    ET.register_namespace("", "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02")  # as sepaxml does
    svg = staff.get(f"/equipe/bilan/graphiques/entonnoir.svg?{PERIOD}").get_data(as_text=True)
    assert svg.startswith("<svg") and "ns0:" not in svg
