"""The immersions' pages alone (placements stood in for): the coordination's list and form, a
refusal shown next to its field before any account is made, one immersion with its forms, and
the beneficiary's own page."""

from contextlib import contextmanager

from services.gateway import auth
from services.gateway.models import Account, database
from tests.unit.gateway.conftest import served_by
from tests.unit.gateway.test_immersions_api import IMMERSION


class Placements:
    def __init__(self):
        self.calls = []

    @contextmanager
    def cluster(self, correlation_id=None, context=None):
        yield self

    def close(self):
        pass

    @property
    def placements(self):
        return self

    @property
    def notifications(self):
        return self

    def unread_count(self, role, subject_id):
        return {"unread": 0}

    def list_immersions(self, query, beneficiary_id=None):
        self.calls.append(("list_immersions", beneficiary_id))
        return {"items": [IMMERSION], "next_cursor": None}

    def get_immersion(self, immersion_id, beneficiary_id=None):
        self.calls.append(("get_immersion", immersion_id, beneficiary_id))
        return IMMERSION


def test_the_list_shows_each_immersion_and_the_creation_form(app, staff):
    served_by(app, Placements())
    page = staff.get("/equipe/immersions")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Sam Durand" in text and "Convention à signer" not in text  # IMMERSION is signed
    assert 'name="beneficiary_email"' in text and 'name="object"' in text


def test_more_than_a_month_is_said_next_to_the_last_day_and_makes_no_account(app, staff):
    served_by(app, Placements())
    with app.app_context(), database.connection_context():
        tutor = Account.get(Account.role == "staff").id
    form = {
        "first_name": "Sam",
        "last_name": "Durand",
        "beneficiary_email": "sam@example.org",
        "birth_date": "1990-04-02",
        "organisation": "cap_emploi",
        "adviser_name": "Claire Petit",
        "adviser_email": "c@ce.fr",
        "object": "discover",
        "objectives": "Découvrir.",
        "starts_on": "2027-01-05",
        "ends_on": "2027-02-05",
        "tutor_id": tutor,
        "start_0": "09:00",
        "end_0": "12:00",
    }
    page = staff.post("/equipe/immersions", data=form)
    assert page.status_code == 422
    assert "jusqu&#39;au 04/02/2027 au plus tard" in page.get_data(as_text=True)
    with app.app_context(), database.connection_context():
        assert Account.get_or_none(Account.email == "sam@example.org") is None


def test_one_immersion_shows_its_signatures_and_the_convention_link(app, staff):
    served_by(app, Placements())
    text = staff.get("/equipe/immersions/immersion-1").get_data(as_text=True)
    assert "Le ou la bénéficiaire : signée le" in text
    assert "La structure prescriptrice : à signer" in text
    assert "/equipe/immersions/immersion-1/convention.pdf" in text


def test_the_beneficiary_sees_their_own_immersions(app, client):
    stand_in = served_by(app, Placements())
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context(), database.connection_context():
        auth.create_account("sam@example.org", "un-long-mot-de-passe", "beneficiary", subject_id="beneficiary-1")
    client.post("/connexion", data={"email": "sam@example.org", "password": "un-long-mot-de-passe"})
    page = client.get("/mon-immersion")
    assert page.status_code == 200
    assert "Télécharger ma convention" in page.get_data(as_text=True)
    assert ("list_immersions", "beneficiary-1") in stand_in.calls
