"""The evacuation register lists the adults the schedule puts in the building (trainees and
volunteers of the activities under way, the trainer and participants of the sessions under way)
by their names, and still shows the children when the education service does not answer."""

from contextlib import contextmanager

import pytest
from nameko.exceptions import RpcTimeout

from services.gateway import auth
from services.gateway.models import database
from tests.unit.gateway.conftest import served_by

PASSWORD = "registre-du-jour"
UNTIL = "2030-12-03T10:00:00+01:00"


class Venue:
    """Stands in for the RPC pools: bookings' register and schedule, education's session."""

    def __init__(self, education_down=False):
        self.education_down = education_down

    @contextmanager
    def cluster(self, correlation_id=None, context=None):
        yield self

    @property
    def bookings(self):
        return self

    @property
    def education(self):
        if self.education_down:
            raise RpcTimeout("education")
        return self

    def unread_count(self, role, subject_id):
        return {"unread": 0}

    @property
    def notifications(self):
        return self

    def building_register(self, query):
        child = {"first_name": "Léa", "family_name": "Martin", "walks": True, "room_name": "Les Lucioles"}
        return {"at": "2030-12-03T09:30:00+01:00", "count": 1, "children": [dict(child, arrived_at=UNTIL)]}

    def on_site_now(self):
        activity = {"title": "Conte", "room_name": "L'Atelier", "ends_at": UNTIL}
        session = {"session_id": "s-1", "title": "Premiers secours", "room_name": "Salle de formation"}
        return {
            "at": "2030-12-03T09:30:00+01:00",
            "activities": [dict(activity, trainee_ids=["trainee-1"], volunteer_ids=["volunteer-1"])],
            "sessions": [dict(session, ends_at=UNTIL)],
        }

    def get_session(self, session_id):
        return {"id": session_id, "trainer": "Claire Roux"}

    def list_enrolments(self, session_id, query):
        assert query["status"] == "confirmed"
        return {"items": [{"name": "Paul Durand"}], "next_cursor": None}

    def close(self):
        pass


@pytest.fixture
def staff(app):
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context(), database.connection_context():
        auth.create_account(
            "equipe@example.fr", PASSWORD, "staff", first_name="Sophie", last_name="Bernard", staff_roles=["educator"]
        )
        auth.create_account(
            "ines@example.fr", PASSWORD, "trainee", subject_id="trainee-1", first_name="Inès", last_name="Petit"
        )
        auth.create_account(
            "jeanne@example.fr",
            PASSWORD,
            "volunteer",
            subject_id="volunteer-1",
            first_name="Jeanne",
            last_name="Moreau",
        )
    client = app.test_client()
    client.post("/connexion", data={"email": "equipe@example.fr", "password": PASSWORD})
    return client


def rows(html):
    table = html.split('id="registre-adultes"', 1)[1].split("</table>", 1)[0]
    return [row for row in table.split("<tr>")[2:]]


def test_the_register_names_the_trainees_volunteers_trainer_and_participants_under_way(app, staff):
    served_by(app, Venue())
    html = staff.get("/equipe/registre").get_data(as_text=True)
    found = rows(html)
    assert len(found) == 4
    assert "Inès Petit" in found[0] and "Stagiaire" in found[0] and "Conte (L&#39;Atelier)" in found[0]
    assert "Jeanne Moreau" in found[1] and "Bénévole" in found[1]
    assert "Claire Roux" in found[2] and "Formateur ou formatrice" in found[2]
    assert "Paul Durand" in found[3] and "En formation" in found[3] and "Premiers secours" in found[3]
    assert "Léa" in html.split('id="registre"', 1)[1]  # the children first, as before


def test_with_the_education_service_down_the_register_still_lists_everyone_else_and_says_what_is_missing(app, staff):
    served_by(app, Venue(education_down=True))
    response = staff.get("/equipe/registre")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert len(rows(html)) == 2  # the trainee and the volunteer
    assert "Non disponible pour le moment : les participants de la formation « Premiers secours »" in html
    assert "Léa" in html


class VenueWithHealthNotes(Venue):
    def building_register(self, query):
        register = super().building_register(query)
        register["children"][0].update(allergies=["arachide"], pai="Stylo d'adrénaline dans la boîte rouge.")
        return register


def test_the_register_shows_each_childs_allergies_and_pai(app, staff):
    served_by(app, VenueWithHealthNotes())
    children = staff.get("/equipe/registre").get_data(as_text=True).split('id="registre"', 1)[1]
    children = children.split("</table>", 1)[0]
    assert "Allergies et PAI" in children and "arachide" in children and "boîte rouge" in children
