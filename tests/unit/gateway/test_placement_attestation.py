"""The attestation de stage (services/gateway/attestation.py render), read back as text: the
fields of the arrêté of 29 December 2014's model (the host and its SIRET, the trainee and the
birth date, the programme, the school, the dates, the total effective duration, the total
gratification ACTUALLY PAID, never the computed minimum), an interruption's reason, an observation
stage, and the staff's download with the venue named by its COCOON_ORGANISATION_* settings. No
broker: the dicts are the placements service's answers (PlacementOut)."""

from datetime import date

import pytest

from services.gateway import attestation
from services.gateway.training_documents import Organisation
from tests.pdf import pdf_fonts, pdf_text
from tests.unit.gateway.conftest import BookingsStandIn, served_by

VENUE = Organisation(
    address="3 place du Marché, 69001 Lyon",
    town="Lyon",
    representative="Claire Martin, directrice",
    siret="123 456 789 00011",
)
SIGNED = date(2026, 7, 3)
PAYMENTS = [
    {"month": "2026-03", "amount": "472.50", "recorded_by": "staff-1", "recorded_at": "2026-04-02T10:00:00+02:00"},
    {"month": "2026-04", "amount": "472.50", "recorded_by": "staff-1", "recorded_at": "2026-05-04T10:00:00+02:00"},
]


def placement(**overrides):
    """An ended CAP AEPE placement whose gratification was due: two months paid, 945 €."""
    return {
        "id": "p-1",
        "trainee_id": "t-1",
        "trainee_name": "Léa Martin",
        "trainee_birth_date": "2008-05-04",
        "programme": "cap_aepe",
        "programme_label": "CAP accompagnant éducatif petite enfance",
        "school": "Lycée Jean Moulin, Lyon",
        "tutor_id": "tutor-1",
        "starts_on": "2026-03-02",
        "ends_on": "2026-06-26",
        "hours_to_validate": True,
        "required_hours": "490.00",
        "planned_hours": "420.00",
        "validated_hours": "329.50",
        "training_hours": "0.00",
        "under_convention": True,
        "status": "completed",
        "interruption_reason": None,
        "ended_at": "2026-06-26T17:00:00+02:00",
        "gratification_due": True,
        "gratification_total": "1482.75",
        "gratification_payments": PAYMENTS,
        "gratification_paid": "945.00",
        "evaluation": [{"competence": "Accueillir l'enfant", "rating": "acquired", "comment": "Très attentive"}],
        **overrides,
    }


def read(shown=None, tutor="Inès Roy", organisation=VENUE):
    return pdf_text(attestation.render(shown or placement(), tutor, organisation, SIGNED))


def test_the_host_is_named_with_its_address_siret_and_representative():
    text = read()
    assert "Attestation de stage" in text and "Organisme d'accueil" in text
    assert "Nom ou dénomination sociale Cocoon'Age" in text
    assert "Adresse 3 place du Marché, 69001 Lyon" in text
    assert "SIRET 123 456 789 00011" in text
    assert "Représenté par Claire Martin, directrice" in text


def test_without_the_venues_identity_its_lines_are_left_to_complete_by_hand():
    text = read(organisation=Organisation())
    assert "Adresse à compléter" in text and "SIRET à compléter" in text and "Représenté par à compléter" in text
    assert "Fait à ……" in text


def test_the_trainee_is_named_with_the_birth_date_the_programme_and_the_school():
    text = read()
    assert "Nom et prénom Léa Martin" in text
    assert "Né·e le 4 mai 2008" in text
    assert "Formation suivie CAP accompagnant éducatif petite enfance" in text
    assert "Établissement d'enseignement Lycée Jean Moulin, Lyon" in text
    assert "a effectué un stage prévu dans le cadre de ses études." in text


def test_the_dates_and_the_total_effective_duration_are_the_validated_hours_of_presence():
    text = read()
    assert "Dates du stage du lundi 2 mars 2026 au vendredi 26 juin 2026" in text
    # 329,5 h: 47 days of 7 h, and 22 days make a month
    assert "Durée totale 329,5 h de présence effective validées, soit 2 mois et 3 jours de stage" in text
    assert "420 h" not in text and "490 h" not in text  # neither the planned nor the course's hours


def test_the_total_paid_is_the_sum_of_the_payments_recorded():
    text = read()
    assert "Montant de la gratification versée au ou à la stagiaire" in text
    assert "a perçu une gratification de stage pour un montant total de 945,00 €." in text


def test_the_computed_minimum_is_never_printed_as_paid():
    text = read()
    assert "1 482,75" not in text and "1482" not in text


def test_a_due_gratification_nothing_was_paid_of_reads_zero_and_not_the_minimum():
    text = read(placement(gratification_payments=[], gratification_paid="0.00"))
    assert "Montant total de la gratification versée : 0,00 €." in text
    assert "1 482,75" not in text and "a perçu" not in text


def test_a_placement_with_no_gratification_due_says_so_with_zero_paid():
    text = read(
        placement(
            gratification_due=False, gratification_total=None, gratification_payments=[], gratification_paid="0.00"
        )
    )
    assert "Aucune gratification n'était due pour ce stage : montant total versé 0,00 €." in text


def test_an_interrupted_placement_states_its_reason_and_the_day_it_ended():
    text = read(
        placement(
            status="interrupted",
            interruption_reason="Déménagement de la famille",
            ended_at="2026-05-15T17:00:00+02:00",
            validated_hours="210.00",
        )
    )
    assert "Stage interrompu Motif : Déménagement de la famille" in text
    assert (
        "du lundi 2 mars 2026 au vendredi 15 mai 2026 (stage interrompu ; fin prévue le vendredi 26 juin 2026)" in text
    )
    assert "210 h de présence effective validées, soit 1 mois et 8 jours de stage" in text


def test_a_completed_placement_states_no_interruption():
    assert "interrompu" not in read()


def test_an_observation_stage_states_its_dates_and_planned_hours_and_no_gratification():
    observation = placement(
        programme="college_3e",
        programme_label="Séquence d'observation en milieu professionnel (3e)",
        school="Collège Victor Hugo",
        starts_on="2026-12-07",
        ends_on="2026-12-11",
        hours_to_validate=False,
        planned_hours="30.00",
        required_hours="30.00",
        validated_hours="0.00",
        under_convention=False,
        gratification_due=False,
        gratification_total=None,
        gratification_payments=[],
        gratification_paid="0.00",
        evaluation=None,
    )
    text = read(observation)
    assert "a effectué un stage d'observation en milieu professionnel prévu dans le cadre de sa scolarité." in text
    assert "Dates du stage du lundi 7 décembre 2026 au vendredi 11 décembre 2026" in text
    assert "Durée totale 30 h de présence prévues par la convention, soit 4 jours de stage" in text
    assert "stage d'observation : les heures ne sont pas relevées" in text
    assert "Durée totale 0 h" not in text and "validées" not in text
    assert "Aucune gratification n'était due pour ce stage : montant total versé 0,00 €." in text
    assert "Évaluation du tuteur" not in text


def test_the_tutor_the_evaluation_and_the_signature_follow():
    text = read()
    assert "Tuteur ou tutrice de stage Inès Roy" in text
    assert "Évaluation du tuteur ou de la tutrice" in text and "Accueillir l'enfant acquis Très attentive" in text
    assert "Fait à Lyon, le vendredi 3 juillet 2026." in text
    assert "Nom, fonction et signature du représentant ou de la représentante de l'organisme d'accueil : " in text
    assert text.rstrip().endswith("Claire Martin, directrice")


def test_training_hours_are_named_apart_from_the_placements_duration():
    text = read(placement(training_hours="7.00"))
    assert "Heures de formation suivies 7 h (en plus du stage)" in text
    assert "329,5 h de présence effective validées" in text


def test_the_same_inputs_give_the_same_bytes_and_the_font_is_embedded():
    first = attestation.render(placement(), "Inès Roy", VENUE, SIGNED)
    assert attestation.render(placement(), "Inès Roy", VENUE, SIGNED) == first
    assert any(embedded and "Vera" in name for name, embedded in pdf_fonts(first).items())


# --- the staff's download: the venue as its settings name it ---------------------------------------
SETTINGS = {
    "COCOON_ORGANISATION_ADDRESS": "12 rue des Lilas, 69003 Lyon",
    "COCOON_ORGANISATION_TOWN": "Villeurbanne",
    "COCOON_ORGANISATION_REPRESENTATIVE": "Marie Dubois, directrice",
    "COCOON_ORGANISATION_SIRET": "98765432100017",
}


@pytest.fixture
def venue_settings(monkeypatch):
    for name, value in SETTINGS.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def app(venue_settings, app):
    """The gateway's app (conftest), built once the venue's settings are in the environment."""
    return app


class Placements(BookingsStandIn):
    def __init__(self, answer):
        super().__init__()
        self.answer = answer

    @property
    def placements(self):
        return self

    def get_placement(self, placement_id, trainee_id=None):
        self.calls.append(("get_placement", placement_id, trainee_id))
        return self.answer


def test_the_staffs_download_names_the_venue_from_its_settings(app, staff):
    served_by(app, Placements(placement(tutor_id=staff.staff_id)))
    answer = staff.get("/equipe/stages/p-1/attestation.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    text = pdf_text(answer.data)
    assert "Adresse 12 rue des Lilas, 69003 Lyon" in text and "SIRET 98765432100017" in text
    assert "Représenté par Marie Dubois, directrice" in text and "Fait à Villeurbanne, le" in text
    assert "945,00 €" in text and "1 482,75" not in text


def test_a_placement_not_ended_has_no_attestation_yet(app, staff):
    served_by(app, Placements(placement(status="active")))
    assert staff.get("/equipe/stages/p-1/attestation.pdf").status_code == 409
