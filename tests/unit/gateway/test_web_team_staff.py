"""The staff's pages about the venue's staff, with a stand-in for the team service (and the two
others for the renewal list): clearance in words, the profile's and the attestation's refusals
next to their fields, a missing part of the renewal list named, and the menu items."""

from contextlib import contextmanager

from nameko.exceptions import RpcTimeout

from shared.errors import Invalid
from tests.unit.gateway.conftest import served_by

MEMBER = {
    "id": "s-1",
    "email": "claire@example.fr",
    "first_name": "Claire",
    "last_name": "Roy",
    "job_title": "Auxiliaire de puériculture",
    "diplomas": ["auxiliaire_puericulture"],
    "counts_in_ratio": True,
    "state_diploma": True,
    "health_referent": True,
    "active": True,
    "left_on": None,
    "honorability_issued_on": "2026-02-01",
    "honorability_verified_on": "2026-03-04",
    "honorability_expires_on": "2029-03-03",
    "cleared": True,
    "clearance_gap": None,
    "clearance_refusal": None,
}
UNCLEARED = dict(
    MEMBER,
    id="s-2",
    first_name="Paul",
    health_referent=False,
    honorability_issued_on=None,
    honorability_verified_on=None,
    honorability_expires_on=None,
    cleared=False,
    clearance_gap="honorability_missing",
)


class Team:
    """The services as the pages call them: what each answers, or raises; the writes sent."""

    def __init__(self, refuse=None, volunteers_down=False):
        self.sent, self.refuse, self.volunteers_down = [], refuse, volunteers_down

    @contextmanager
    def cluster(self, correlation_id=None, context=None):
        yield self

    def close(self):
        pass

    @property
    def team(self):
        return self

    @property
    def placements(self):
        return self

    @property
    def notifications(self):
        return self

    @property
    def volunteers(self):
        if self.volunteers_down:
            raise RpcTimeout("volunteers")
        return self

    def unread_count(self, role, subject_id):
        return {"unread": 0}

    def list_staff(self, query):
        return {"items": [MEMBER, UNCLEARED], "next_cursor": None}

    def referent_missing(self):
        return False

    def get_staff(self, staff_id):
        return MEMBER

    def update_staff(self, staff_id, data):
        self.sent.append(("update_staff", staff_id, data))
        if self.refuse:
            raise self.refuse
        return MEMBER

    def record_honorability(self, staff_id, data, verified_by):
        self.sent.append(("record_honorability", staff_id, data))
        if self.refuse:
            raise self.refuse
        return {"id": "h-1"}

    def honorability_renewals(self, notice_days):
        return [
            {
                "kind": "staff",
                "person_id": "s-2",
                "name": "Paul Roy",
                "issued_on": None,
                "verified_on": None,
                "expires_on": None,
                "status": "missing",
            }
        ]


def test_the_list_says_each_clearance_in_words_and_who_is_the_referent(app, staff):
    served_by(app, Team())
    page = staff.get("/equipe/personnel/").get_data(as_text=True)
    assert "Attestation valable jusqu&#39;au samedi 3 mars 2029" in page
    assert "Pas d&#39;attestation vérifiée : ne peut pas être avec les enfants" in page
    assert "Référent santé et accueil inclusif" in page
    assert "Auxiliaire de puériculture" in page
    assert "2029-03-03" not in page  # no ISO date shown


def test_the_bootstrap_account_without_a_profile_is_listed_with_a_button(app, staff):
    served_by(app, Team())
    page = staff.get("/equipe/personnel/").get_data(as_text=True)
    assert "Comptes de l&#39;équipe sans fiche" in page
    assert "Créer sa fiche" in page


def test_the_profile_form_sends_the_diplomas_ticked_and_the_checkboxes(app, staff):
    team = served_by(app, Team())
    form = {"job_title": " EJE ", "diplomas": ["eje", "cap_aepe"], "active": "oui", "staff_roles": ["educator"]}
    answer = staff.post("/equipe/personnel/s-1/profil", data=form)
    assert answer.status_code == 302
    assert team.sent == [
        (
            "update_staff",
            "s-1",
            {
                "job_title": "EJE",
                "diplomas": ["eje", "cap_aepe"],
                "health_referent": False,
                "active": True,
                "staff_roles": ["educator"],
            },
        )
    ]


def test_a_refused_attestation_shows_the_sentence_next_to_its_field(app, staff):
    refusal = Invalid(
        "L'attestation n'a pas été enregistrée.", {"verified_on": ["L'attestation doit dater de moins de 6 mois."]}
    )
    served_by(app, Team(refuse=refusal))
    answer = staff.post(
        "/equipe/personnel/s-1/attestation", data={"issued_on": "2025-01-01", "verified_on": "2026-01-01"}
    )
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert 'id="verified_on-erreur"' in page
    assert "moins de 6 mois" in page


def test_an_attestation_without_its_dates_is_not_sent(app, staff):
    team = served_by(app, Team())
    answer = staff.post("/equipe/personnel/s-1/attestation", data={"issued_on": ""})
    assert answer.status_code == 422
    assert team.sent == []


def test_the_renewal_list_names_the_part_that_did_not_answer(app, staff):
    served_by(app, Team(volunteers_down=True))
    page = staff.get("/equipe/personnel/attestations-a-renouveler").get_data(as_text=True)
    assert "Paul Roy" in page
    assert "Liste incomplète" in page
    assert "<li>les bénévoles</li>" in page


def test_the_staff_menu_links_both_pages(app, staff):
    served_by(app, Team())
    page = staff.get("/equipe/personnel/").get_data(as_text=True)
    assert 'href="/equipe/personnel/"' in page
    assert 'href="/equipe/personnel/attestations-a-renouveler"' in page
