"""The immersions' API alone (the placements and notifications services stood in for): the
beneficiary's account made or found before the immersion is recorded, nothing made when the
rules refuse it, a beneficiary reading only their own, and the convention's mentions read back
from its PDF."""

from contextlib import contextmanager

import pytest

from services.gateway import immersion_convention
from services.gateway.models import Account, database
from services.gateway.training_documents import Organisation
from tests.pdf import pdf_text

WEEKDAYS = [{"weekday": d, "start": "09:00", "end": "17:00", "break_minutes": 60} for d in range(5)]


class PlacementsStandIn:
    """Answers placements' immersion calls with what they were given; records every call."""

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

    def send_password_reset(self, request):
        self.calls.append(("send_password_reset", request))

    def create_immersion(self, data, staff_id):
        self.calls.append(("create_immersion", data, staff_id))
        return {"id": "immersion-1", "beneficiary_id": data["beneficiary_id"], "person_id": data["person_id"]}

    def get_immersion(self, immersion_id, beneficiary_id=None):
        self.calls.append(("get_immersion", immersion_id, beneficiary_id))
        return IMMERSION

    def unread_count(self, role, subject_id):
        return {"unread": 0}


@pytest.fixture
def stand_in(app):
    app.extensions["rpc_pool"] = stand_in = PlacementsStandIn()
    return stand_in


def tutor_id(app):
    with app.app_context(), database.connection_context():
        return Account.get(Account.email == "educator@example.fr").id


def body(app, **overrides):
    return {
        "beneficiary_email": "sam.durand@example.org",
        "first_name": "Sam",
        "last_name": "Durand",
        "birth_date": "1990-04-02",
        "prescriber": {"organisation": "france_travail", "adviser_name": "Claire Petit", "adviser_email": "c@ft.fr"},
        "object": "discover",
        "objectives": "Découvrir le métier.",
        "starts_on": "2027-01-11",
        "ends_on": "2027-02-05",
        "tutor_id": tutor_id(app),
        "schedule": WEEKDAYS,
        **overrides,
    }


def account_of(app, email):
    with app.app_context(), database.connection_context():
        return Account.get_or_none(Account.email == email)


def test_a_new_beneficiary_gets_an_account_with_a_reset_link_and_its_record_id(app, client, role_headers, stand_in):
    answer = client.post("/api/v1/immersions", json=body(app), headers=role_headers["coordinator"])
    assert answer.status_code == 201, answer.json
    account = account_of(app, "sam.durand@example.org")
    assert (account.role, account.first_name) == ("beneficiary", "Sam")
    [(_, request, _staff)] = [c for c in stand_in.calls if c[0] == "create_immersion"]
    assert request["beneficiary_id"] == account.subject_id == answer.json["beneficiary_id"]
    assert request["person_id"] == account.id
    assert request["subjects"] == [{"role": "beneficiary", "id": account.subject_id}]
    [(_, reset)] = [c for c in stand_in.calls if c[0] == "send_password_reset"]
    assert reset["email"] == "sam.durand@example.org"


def test_an_existing_account_is_found_by_its_email_and_keeps_its_records(app, client, role_headers, stand_in):
    answer = client.post(
        "/api/v1/immersions", json=body(app, beneficiary_email="family@example.fr"), headers=role_headers["coordinator"]
    )
    assert answer.status_code == 201, answer.json
    [(_, request, _staff)] = [c for c in stand_in.calls if c[0] == "create_immersion"]
    parent = account_of(app, "family@example.fr")
    assert request["person_id"] == parent.id
    # the family's own account gains the beneficiary role, its family record kept
    assert request["subjects"] == [
        {"role": "family", "id": "family-1"},
        {"role": "beneficiary", "id": request["beneficiary_id"]},
    ]
    assert not [c for c in stand_in.calls if c[0] == "send_password_reset"]


def test_more_than_one_month_is_refused_before_any_account_is_made(app, client, role_headers, stand_in):
    answer = client.post(
        "/api/v1/immersions",
        json=body(app, starts_on="2027-01-05", ends_on="2027-02-05"),
        headers=role_headers["coordinator"],
    )
    assert answer.status_code == 422
    assert "ends_on" in answer.json["error"]["fields"]
    assert account_of(app, "sam.durand@example.org") is None
    assert stand_in.calls == []


def test_two_objects_are_refused(app, client, role_headers, stand_in):
    answer = client.post(
        "/api/v1/immersions", json=body(app, object=["discover", "recruit"]), headers=role_headers["coordinator"]
    )
    assert answer.status_code == 422
    assert "object" in answer.json["error"]["fields"]


def test_a_tutor_who_is_not_staff_is_refused(app, client, role_headers, stand_in):
    answer = client.post("/api/v1/immersions", json=body(app, tutor_id="someone"), headers=role_headers["coordinator"])
    assert answer.status_code == 422
    assert "tutor_id" in answer.json["error"]["fields"]


def test_a_beneficiary_reads_their_immersion_through_their_own_record(client, role_headers, stand_in):
    answer = client.get("/api/v1/immersions/immersion-1", headers=role_headers["beneficiary"])
    assert answer.status_code == 200
    assert stand_in.calls[-1] == ("get_immersion", "immersion-1", "beneficiary-1")


def test_staff_read_any_immersion(client, role_headers, stand_in):
    client.get("/api/v1/immersions/immersion-1", headers=role_headers["coordinator"])
    assert stand_in.calls[-1] == ("get_immersion", "immersion-1", None)


def test_the_convention_is_served_as_a_pdf(client, role_headers, stand_in):
    answer = client.get("/api/v1/immersions/immersion-1/convention.pdf", headers=role_headers["coordinator"])
    assert answer.status_code == 200
    assert answer.mimetype == "application/pdf"
    assert "Sam Durand" in pdf_text(answer.data)


IMMERSION = {
    "id": "immersion-1",
    "beneficiary_id": "beneficiary-1",
    "person_id": "account-9",
    "email": "sam.durand@example.org",
    "first_name": "Sam",
    "last_name": "Durand",
    "birth_date": "1990-04-02",
    "prescriber": {"organisation": "mission_locale", "adviser_name": "Claire Petit", "adviser_email": "c@ml.fr"},
    "object": "confirm",
    "objectives": "Confirmer le projet d'auxiliaire de puériculture.",
    "activities": "Accueil des enfants, repas, soins d'hygiène.",
    "starts_on": "2027-01-11",
    "ends_on": "2027-02-05",
    "tutor_id": "tutor-1",
    "schedule": WEEKDAYS,
    "planned_hours": "140.00",
    "gratification": None,
    "status": "signed",
    "signatures": {
        "beneficiary": {"signed_on": "2027-01-06", "name": "Sam Durand"},
        "venue": {"signed_on": "2027-01-08", "name": "Claire Martin"},
        "prescriber": None,
    },
    "signed_on": None,
}


def test_the_convention_holds_the_mentions_of_the_decree():
    organisation = Organisation(address="3 place du Marché, 69001 Lyon", siret="123 456 789 00011")
    text = pdf_text(immersion_convention.render(IMMERSION, "Nadia Benali", organisation))
    for mention in (
        "Convention de période de mise en situation en milieu professionnel (PMSMP)",
        "décret n° 2023-1304 du 27 décembre 2023",
        "Sam Durand",
        "2 avril 1990",
        "123 456 789 00011",
        "Mission locale",
        "Claire Petit",
        "Confirmer un projet professionnel",
        "Confirmer le projet d'auxiliaire de puériculture.",
        "Accueil des enfants, repas",
        "du 11 janvier 2027 au 5 février 2027",
        "lundi 09:00 – 17:00 (pause 60 min)",
        "140 h de présence",
        "Nadia Benali",
        "n'est pas rémunérée par la structure d'accueil",
        "Gratification : aucune.",
        "accidents du travail et les maladies professionnelles est assurée par la structure prescriptrice "
        "(Mission locale)",
        "Attestation d'honorabilité",
        "6 janvier 2027",
        "8 janvier 2027",
    ):
        assert mention in text, mention


def test_a_gratification_is_stated_with_its_amount():
    text = pdf_text(immersion_convention.render({**IMMERSION, "gratification": "150.00"}))
    assert "(facultative) : 150,00 €" in text


def test_a_missing_signature_leaves_a_line_to_fill():
    text = pdf_text(immersion_convention.render(IMMERSION, "", Organisation()))
    assert "La structure prescriptrice ……" in text
