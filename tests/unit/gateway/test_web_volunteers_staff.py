"""The staff's volunteer pages with a stand-in for the volunteers service: clearance in words,
the file, the attestation's errors next to their fields (and summarised), the CSV of the year,
the menu item, and who may open them."""

from contextlib import contextmanager

import pytest

from services.gateway.volunteer_hours import hours_csv
from shared.errors import Invalid
from tests.unit.gateway.conftest import served_by

PROFILE = {
    "id": "v-1",
    "email": "jeanne@example.fr",
    "first_name": "Jeanne",
    "last_name": "Martin",
    "birth_date": "1950-03-02",
    "phone": "0612345678",
    "interests": ["story_time"],
    "availability": [{"weekday": 1, "part": "morning"}],
    "emergency_name": "Paul Martin",
    "emergency_phone": "0698765432",
    "consent_version": "2025-01",
    "consented_at": "2026-11-30T10:00:00+01:00",
    "insurer": None,
    "insurance_policy": None,
    "honorability_issued_on": None,
    "honorability_expires_on": None,
    "cleared": False,
    "missing": ["Votre attestation d'honorabilité n'est pas encore enregistrée par l'équipe."],
    "clearance_gaps": ["honorability_missing", "insurance_missing"],
}
YEAR = {
    "year": 2026,
    "hours": "4.50",
    "activities": 2,
    "lines": [
        {
            "activity_id": "a-1",
            "title": "Heure du conte",
            "kind": "story_time",
            "starts_at": "2026-05-04T09:30:00+02:00",
            "ends_at": "2026-05-04T11:00:00+02:00",
            "hours": "1.50",
            "age_group": "walking",
            "volunteer_id": "v-1",
            "volunteer": "Jeanne Martin",
        },
        {
            "activity_id": "a-2",
            "title": "Jardinage",
            "kind": "gardening",
            "starts_at": "2026-05-05T14:00:00+02:00",
            "ends_at": "2026-05-05T17:00:00+02:00",
            "hours": "3.00",
            "age_group": None,
            "volunteer_id": "v-1",
            "volunteer": "Jeanne Martin",
        },
    ],
    "age_groups": [
        {"age_group": "unknown", "activities": 1, "hours": "3.00"},
        {"age_group": "walking", "activities": 1, "hours": "1.50"},
    ],
    "training_hours": "3.50",
    "training_parts": 1,
    "training_lines": [
        {
            "session_id": "s-1",
            "part_index": 0,
            "title": "Premiers secours",
            "starts_at": "2026-06-01T09:00:00+02:00",
            "ends_at": "2026-06-01T12:30:00+02:00",
            "hours": "3.50",
            "volunteer_id": "v-1",
            "volunteer": "Jeanne Martin",
        }
    ],
    "volunteers": [
        {
            "volunteer_id": "v-1",
            "volunteer": "Jeanne Martin",
            "hours": "4.50",
            "activities": 2,
            "age_groups": [
                {"age_group": "unknown", "activities": 1, "hours": "3.00"},
                {"age_group": "walking", "activities": 1, "hours": "1.50"},
            ],
            "training_hours": "3.50",
            "training_parts": 1,
        }
    ],
}


class Volunteers:
    """Answers as the volunteers service would, and records the writes."""

    def __init__(self, refuse=None):
        self.refuse, self.writes = refuse, []

    @contextmanager
    def cluster(self, correlation_id=None, context=None):
        yield self

    @property
    def volunteers(self):
        return self

    @property
    def notifications(self):
        return self

    def unread_count(self, role, subject_id):
        return {"unread": 0}

    def list_volunteers(self, query):
        cleared = dict(PROFILE, id="v-2", first_name="Paul", cleared=True, missing=[], clearance_gaps=[])
        expired = dict(PROFILE, id="v-3", first_name="Rose", clearance_gaps=["honorability_expired"])
        return {"items": [PROFILE, cleared, expired], "next_cursor": None}

    def volunteer_file(self, volunteer_id):
        year = {k: v for k, v in YEAR.items() if k != "volunteers"}
        return dict(PROFILE, signups=[], year_hours=year, honorability_verified_on=None, first_activity_on=None)

    def record_honorability(self, volunteer_id, data, staff_id):
        self.writes.append(("record_honorability", volunteer_id, data, staff_id))
        if self.refuse:
            raise self.refuse
        return PROFILE

    def record_insurance(self, volunteer_id, data, staff_id):
        self.writes.append(("record_insurance", volunteer_id, data, staff_id))
        if self.refuse:
            raise self.refuse
        return PROFILE

    def venue_hours(self, query):
        return dict(YEAR, year=query["year"])

    def close(self):
        pass


def test_the_list_says_each_volunteers_clearance_in_words(app, staff):
    served_by(app, Volunteers())
    html = staff.get("/equipe/benevoles/").get_data(as_text=True)
    assert html.count("<h1>") == 1
    assert "Attestation manquante" in html and "Assurance manquante" in html
    assert "Autorisé·e" in html and "Attestation expirée" in html
    assert '<th scope="col">Autorisation</th>' in html


def test_the_menu_has_volunteers_after_families_and_placements_for_staff(app, staff):
    served_by(app, Volunteers())
    nav = staff.get("/equipe/benevoles/").get_data(as_text=True)
    families, placements, volunteers = nav.index(">Familles</a>"), nav.index(">Stages</a>"), nav.index(">Bénévoles</a>")
    assert families < placements < volunteers
    # the people the venue welcomes, side by side: families, trainees, people in immersion, volunteers
    assert nav[families:volunteers].count("<li>") == 3 and placements < nav.index(">Immersions</a>") < volunteers


def test_the_file_shows_the_emergency_contact_availability_consent_and_the_years_hours(app, staff):
    served_by(app, Volunteers())
    html = staff.get("/equipe/benevoles/v-1").get_data(as_text=True)
    assert "Paul Martin (0698765432)" in html
    assert "Mardi matin" in html
    assert "texte version 2025-01" in html
    assert "4,5 h, 2 activité(s)" in html and "3,5 h, 1 partie(s) de formation" in html
    assert "Enfants qui marchent : 1" in html and "Âge non précisé : 1" in html


def test_the_file_names_an_interest_as_every_other_page_does(app, staff):
    served_by(app, Volunteers())
    html = staff.get("/equipe/benevoles/v-1").get_data(as_text=True)
    assert "Heure du conte" in html and "Lecture d'histoires" not in html


def test_an_empty_attestation_form_says_what_to_write_next_to_each_date(app, staff):
    stand_in = served_by(app, Volunteers())
    page = staff.post("/equipe/benevoles/v-1/attestation", data={"issued_on": "", "verified_on": ""})
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert 'id="issued_on-erreur"' in html and 'id="verified_on-erreur"' in html
    assert 'href="#issued_on"' in html  # the summary at the top links to the field
    assert stand_in.writes == []


def test_the_services_refusal_of_a_date_shows_next_to_that_field(app, staff):
    refusal = Invalid("L'attestation n'a pas été enregistrée.", {"verified_on": ["Pas dans le futur."]})
    stand_in = served_by(app, Volunteers(refuse=refusal))
    form = {"issued_on": "2026-01-05", "verified_on": "2099-01-01"}
    page = staff.post("/equipe/benevoles/v-1/attestation", data=form)
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert '<p class="field-error" id="verified_on-erreur">Pas dans le futur.</p>' in html
    assert 'value="2099-01-01"' in html  # what was typed stays
    [(_method, volunteer_id, data, staff_id)] = stand_in.writes
    assert (volunteer_id, data["verified_on"], bool(staff_id)) == ("v-1", "2099-01-01", True)


def test_a_recorded_attestation_goes_back_to_the_file(app, staff):
    served_by(app, Volunteers())
    response = staff.post(
        "/equipe/benevoles/v-1/attestation", data={"issued_on": "2026-01-05", "verified_on": "2026-01-06"}
    )
    assert (response.status_code, response.location) == (302, "/equipe/benevoles/v-1")


def test_the_insurance_form_asks_its_validity_dates_and_sends_them(app, staff):
    stand_in = served_by(app, Volunteers())
    form = staff.get("/equipe/benevoles/v-1/assurance").get_data(as_text=True)
    assert 'id="valid_from"' in form and 'id="valid_until"' in form and "Valable jusqu&#39;au" in form
    cover = {"insurer": "MAIF", "policy": "RC 42", "valid_from": "2026-01-01", "valid_until": "2026-12-31"}
    response = staff.post("/equipe/benevoles/v-1/assurance", data=cover)
    assert (response.status_code, response.location) == (302, "/equipe/benevoles/v-1")
    [(_method, volunteer_id, data, _staff_id)] = stand_in.writes
    assert (volunteer_id, data) == ("v-1", cover)


def test_an_insurance_without_its_end_date_is_not_sent_and_says_so_next_to_the_field(app, staff):
    stand_in = served_by(app, Volunteers())
    page = staff.post("/equipe/benevoles/v-1/assurance", data={"insurer": "MAIF", "policy": "RC 42"})
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert 'id="valid_until-erreur">Indiquez le dernier jour couvert' in html
    assert stand_in.writes == []


def test_the_file_says_an_expired_insurance_and_the_charte_not_accepted(app, staff):
    class Expired(Volunteers):
        def volunteer_file(self, volunteer_id):
            found = super().volunteer_file(volunteer_id)
            return dict(
                found,
                insurer="MAIF",
                insurance_policy="RC 42",
                clearance_gaps=["insurance_expired"],
                insurance_valid_from="2025-01-01",
                insurance_valid_until="2025-12-31",
                charter_version=None,
                charter_accepted=False,
                charter_current_version="2026-01",
            )

    served_by(app, Expired())
    html = staff.get("/equipe/benevoles/v-1").get_data(as_text=True)
    assert "Assurance expirée" in html
    assert "du 1 janvier 2025 au 31 décembre 2025" in html
    assert "pas encore acceptée" in html


def test_a_year_that_is_not_a_number_is_said_next_to_the_field(app, staff):
    served_by(app, Volunteers())
    page = staff.get("/equipe/benevoles/heures?annee=deux")
    assert page.status_code == 422
    assert 'id="annee-erreur"' in page.get_data(as_text=True)


def test_the_csv_has_the_age_groups_training_apart_decimal_commas_and_a_bom():
    text = hours_csv(YEAR)
    assert text.startswith("\ufeffBénévole;Activité;Type;Début;Fin;Heures;Âge des enfants")
    rows = text[1:].splitlines()
    assert (
        "Jeanne Martin;Heure du conte;Heure du conte;04/05/2026 09:30;04/05/2026 11:00;1,50;Enfants qui marchent"
        in rows
    )
    assert "Jeanne Martin;Jardinage;Jardinage;05/05/2026 14:00;05/05/2026 17:00;3,00;Âge non précisé" in rows
    assert "Jeanne Martin;Premiers secours;Formation;01/06/2026 09:00;01/06/2026 12:30;3,50;" in rows
    assert "Total;2 activités;;;;4,50;" in rows
    assert "Total;1 activité;;;;1,50;Enfants qui marchent" in rows
    assert "Total;1 partie de formation;Formation;;;3,50;" in rows
    assert "Jeanne Martin;2 activités;;;;4,50;Âge non précisé : 1, Enfants qui marchent : 1" in rows


def test_the_staff_download_is_the_csv_of_the_year_asked(app, staff):
    served_by(app, Volunteers())
    response = staff.get("/equipe/benevoles/heures/2026.csv")
    assert response.mimetype == "text/csv"
    assert 'filename="heures-benevoles-2026.csv"' in response.headers["Content-Disposition"]
    assert response.data.decode("utf-8").startswith("\ufeffBénévole;")


@pytest.mark.parametrize(
    "path",
    ["/equipe/benevoles/", "/equipe/benevoles/v-1", "/equipe/benevoles/heures", "/equipe/benevoles/heures/2026.csv"],
)
def test_a_visitor_is_sent_to_sign_in(client, path):
    response = client.get(path)
    assert (response.status_code, response.location.split("?")[0]) == (302, "/connexion")
