"""A training session's PDFs (services/gateway/training_documents.py), read back as text: the
feuille d'émargement (per participant and the trainer, for each half-day of each part: the
signature drawn, « absent·e », the refusal and its reason, or an empty box) and the two-page
certificate (its numbers, the hours attended, the Ministry model's wording). No broker: the
dicts are the education service's answers."""

import base64
from io import BytesIO

import pytest
from pypdf import PdfReader

from services.gateway import training_documents as documents
from tests.pdf import pdf_fonts, pdf_text
from tests.signature_png import png

COURSE = {
    "id": "course-1",
    "title": "Premiers secours en crèche",
    "objectives": "Savoir réagir face à un enfant qui s'étouffe ou se blesse.",
    "audience": "Professionnels de la petite enfance",
    "prerequisites": "",
    "duration_hours": "10.50",
    "trainer": "Nadia Benali",
    "price": "120.00",
    "funding": ["opco", "self_funded"],
}
MORNING = {
    "index": 0,
    "starts_at": "2026-12-01T09:00:00+01:00",
    "ends_at": "2026-12-01T12:30:00+01:00",
    "hours": "3.50",
}
DAY_LONG = {
    "index": 1,
    "starts_at": "2026-12-08T09:00:00+01:00",
    "ends_at": "2026-12-08T17:00:00+01:00",
    "hours": "7.00",
}
SESSION = {
    "id": "session-1",
    "course_id": "course-1",
    "title": "Premiers secours en crèche",
    "trainer": "Nadia Benali",
    "room_id": "room-1",
    "room_name": "Salle des Tilleuls",
    "capacity": 8,
    "min_participants": 2,
    "status": "confirmed",
    "refusal_reason": "",
    "parts": [MORNING, DAY_LONG],
    "starts_at": MORNING["starts_at"],
    "ends_at": DAY_LONG["ends_at"],
    "hours": "10.50",
}


HALF_DAYS = {  # the education service's half-days of each part (split at the lunch break)
    0: [{"part_index": 0, "half_day": "morning", "starts_at": MORNING["starts_at"], "ends_at": MORNING["ends_at"]}],
    1: [
        {
            "part_index": 1,
            "half_day": "morning",
            "starts_at": "2026-12-08T09:00:00+01:00",
            "ends_at": "2026-12-08T12:30:00+01:00",
        },
        {
            "part_index": 1,
            "half_day": "afternoon",
            "starts_at": "2026-12-08T13:30:00+01:00",
            "ends_at": "2026-12-08T17:00:00+01:00",
        },
    ],
}
PRESENT = {"present": True, "refusal_reason": "", "revision": 1, "signed": False, "method": None, "signed_at": None}
ABSENT = dict(PRESENT, present=False)
SIGNED = dict(PRESENT, signed=True, method="tablet", signed_at="2026-12-01T09:05:00+01:00")


def row(name, kind, marks, participant_id):
    return {
        "enrolment_id": f"e-{participant_id}",
        "participant_id": participant_id,
        "participant_kind": kind,
        "name": name,
        "marks": marks,
        "hours_attended": "3.50",
        "rate": "0.33",
        "eligible": False,
        "certificate": None,
    }


def sheet(parts=None, rows=None, trainer=None):
    """The sheet of `parts` (MORNING and DAY_LONG by default); `rows` and `trainer` give one mark
    per half-day of those parts (null: not recorded)."""
    parts = parts if parts is not None else SESSION["parts"]
    units = [
        unit
        for part in parts
        for unit in HALF_DAYS.get(part["index"], [dict(part, part_index=part["index"], half_day="afternoon")])
    ]
    blank = [None] * len(units)
    rows = (
        rows
        if rows is not None
        else [
            row("Léa Martin", "trainee", ([PRESENT] + blank)[: len(units)], "t-1"),
            row("Jeanne Dupuis", "volunteer", ([ABSENT] + blank)[: len(units)], "v-1"),
            row("Camille Roux", "external", blank, "x-1"),
        ]
    )
    return {
        "session": dict(SESSION, parts=parts),
        "half_days": units,
        "trainer": trainer if trainer is not None else blank,
        "rows": rows,
    }


def certificate(**overrides):
    return {
        "session_id": "session-1",
        "participant_id": "t-1",
        "participant_kind": "trainee",
        "name": "Léa Martin",
        "attestation_number": "AFF-2026-0001",
        "realisation_number": "CR-2026-0001",
        "hours_attended": "10.50",
        "session_hours": "10.50",
        "rate": "1.00",
        "issued_on": "2026-12-09",
        "course": COURSE,
        "session": SESSION,
        **overrides,
    }


def pages(data):
    return [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(data)).pages]


# --- the attendance sheet -----------------------------------------------------------------------
def test_the_sheet_names_the_venue_the_module_the_trainer_the_room_and_each_part_s_day_and_times():
    data = documents.attendance_sheet_pdf(sheet())
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert "Cocoon'Age" in text and "Feuille d'émargement" in text
    assert "Formation (module) : Premiers secours en crèche" in text
    assert "Formateur ou formatrice : Nadia Benali" in text
    assert "Salle : Salle des Tilleuls" in text
    assert "du mardi 1er décembre 2026 au mardi 8 décembre 2026 — durée 10,5 h" in text
    assert "Partie 1 — mardi 1er décembre 2026, 9 h – 12 h 30 (3,5 h)" in text
    assert "Partie 2 — mardi 8 décembre 2026, 9 h – 17 h (7 h)" in text
    assert "R6332-26" in text


def test_every_participant_and_the_trainer_get_one_box_for_a_half_day_part():
    text = pdf_text(
        documents.attendance_sheet_pdf(
            sheet(
                parts=[MORNING],
                rows=[
                    row(n, k, [None], i)
                    for n, k, i in (
                        ("Léa Martin", "trainee", "t-1"),
                        ("Jeanne Dupuis", "volunteer", "v-1"),
                        ("Camille Roux", "external", "x-1"),
                    )
                ],
            )
        )
    )
    assert text.count(documents.BOX) == 3 + 1  # three participants and the trainer
    for name in ("Léa Martin", "Jeanne Dupuis", "Camille Roux"):
        assert text.count(name) == 1
    assert "stagiaire" in text and "bénévole" in text and "externe" in text


def test_a_whole_day_part_has_a_morning_and_an_afternoon_box_for_each_signer():
    text = pdf_text(
        documents.attendance_sheet_pdf(
            sheet(parts=[DAY_LONG], rows=[row("Camille Roux", "external", [None, None], "x-1")])
        )
    )
    assert "Matin 9 h – 12 h 30" in text and "Après-midi 13 h 30 – 17 h" in text
    assert text.count(documents.BOX) == 2 * (1 + 1)  # two boxes a signer


def test_two_parts_give_each_participant_a_row_and_boxes_in_each():
    text = pdf_text(documents.attendance_sheet_pdf(sheet()))
    assert text.count("Léa Martin") == 2
    assert text.count("Nadia Benali") == 1 + 2  # the trainer's line, and her row in each part
    assert text.count(documents.BOX) == (3 + 1) * 3 - 2  # three half-days; Léa's and Jeanne's first marked


def test_a_box_shows_absent_the_refusal_and_its_reason_or_a_presence_without_signature():
    refused = dict(PRESENT, refusal_reason="Ne souhaite pas signer")
    rows = [
        row("Léa Martin", "trainee", [PRESENT], "t-1"),
        row("Jeanne Dupuis", "volunteer", [ABSENT], "v-1"),
        row("Camille Roux", "external", [refused], "x-1"),
    ]
    text = pdf_text(documents.attendance_sheet_pdf(sheet(parts=[MORNING], rows=rows, trainer=[None])))
    assert "Léa Martin stagiaire présent·e (signature à recueillir)" in text
    assert "Jeanne Dupuis bénévole absent·e" in text
    assert "Camille Roux externe signature refusée : Ne souhaite pas signer" in text
    assert "Nadia Benali formateur ou formatrice Signature" in text  # nothing recorded: a box to sign


def test_a_signature_is_drawn_in_its_half_day_s_box_instead_of_the_empty_box():
    rows = [row("Léa Martin", "trainee", [SIGNED], "t-1")]
    drawn = [
        {"participant_id": "t-1", "part_index": 0, "half_day": "morning", "image": base64.b64encode(png()).decode()},
        {
            "participant_id": "trainer",
            "part_index": 0,
            "half_day": "morning",
            "image": base64.b64encode(png(80)).decode(),
        },
    ]
    data = documents.attendance_sheet_pdf(sheet(parts=[MORNING], rows=rows, trainer=[SIGNED]), signatures=drawn)
    assert data.count(b"/Subtype /Image") == 2
    assert documents.BOX not in pdf_text(data)


def test_a_session_without_participants_still_has_the_trainer_s_box():
    text = pdf_text(documents.attendance_sheet_pdf(sheet(parts=[MORNING], rows=[], trainer=[None])))
    assert "Aucun·e participant·e inscrit·e." in text
    assert text.count(documents.BOX) == 1


def test_a_part_late_in_the_evening_utc_is_written_on_the_venue_s_day():
    evening = {"index": 0, "starts_at": "2026-12-01T17:00:00+00:00", "ends_at": "2026-12-01T20:00:00+00:00"}
    text = pdf_text(documents.attendance_sheet_pdf(sheet(parts=[dict(evening, hours="3.00")], rows=[])))
    assert "Partie 1 — mardi 1er décembre 2026, 18 h – 21 h (3 h)" in text


# --- the certificates ---------------------------------------------------------------------------
def test_the_certificate_has_two_pages_each_with_its_title_and_its_number():
    data = documents.certificate_pdf(certificate())
    attestation, realisation = pages(data)
    assert "Attestation de fin de formation" in attestation and "N° AFF-2026-0001" in attestation
    assert "Certificat de réalisation" in realisation and "N° CR-2026-0001" in realisation
    assert "CR-2026-0001" not in attestation and "AFF-2026-0001" not in realisation


BELOW = "Assiduité : 67\u00a0% des heures — en dessous du seuil de 80\u00a0% fixé par l'organisme"


def test_the_attestation_says_the_objectives_nature_duration_and_attendance_of_the_participant():
    attestation, realisation = pages(
        documents.certificate_pdf(certificate(hours_attended="7.00", rate="0.67", assiduity_mention=BELOW))
    )
    assert "atteste que Léa Martin a suivi l'action ci-dessous" in attestation
    assert "Savoir réagir face à un enfant qui s'étouffe ou se blesse." in attestation
    assert "Nature de l'action action de formation" in attestation
    assert "Durée de la formation 10,5 h" in attestation
    assert "Heures suivies 7 h sur 10,5 h" in attestation
    for page in (attestation, realisation):  # the service's mention, on both documents
        assert "Assiduité : 67 % des heures — en dessous du seuil de 80 % fixé par l'organisme" in page
    assert "Modalité d'évaluation non précisée" in attestation
    assert "Résultats de l'évaluation évaluation non renseignée" in attestation
    assert "L6353-1" in attestation
    assert "Fait le mercredi 9 décembre 2026." in attestation


def test_the_certificat_de_realisation_follows_the_ministry_model():
    _, realisation = pages(documents.certificate_pdf(certificate(hours_attended="9.25")))
    assert (
        "représentant·e légal·e du dispensateur de l'action concourant au développement des compétences" in realisation
    )
    assert "Léa Martin a suivi l'action « Premiers secours en crèche »." in realisation
    assert "[X] action de formation [ ] bilan de compétences" in realisation
    assert "qui s'est déroulée du mardi 1er décembre 2026 au mardi 8 décembre 2026" in realisation
    assert "pour une durée de 9,25 h réalisées." in realisation
    assert "pendant une durée de 3 ans à compter de la fin de l'année du dernier paiement" in realisation
    assert "Le : mercredi 9 décembre 2026" in realisation
    assert "salarié·e de l'entreprise" not in realisation  # a trainee of the venue


def test_a_professional_s_certificate_leaves_room_for_the_employer():
    _, realisation = pages(documents.certificate_pdf(certificate(participant_kind="professional")))
    assert "salarié·e de l'entreprise (nom et adresse)" in realisation


def test_the_employer_s_name_is_printed_on_both_documents():
    attestation, realisation = pages(
        documents.certificate_pdf(certificate(participant_kind="professional", employer_name="Crèche Les Lutins"))
    )
    assert "Employeur Crèche Les Lutins" in attestation
    assert "salarié·e de l'entreprise : Crèche Les Lutins" in realisation


def test_the_attestation_prints_the_evaluation_method_and_the_result_of_each_objective():
    course = dict(
        COURSE, objectives="Alerter les secours\n\nProtéger l'enfant", evaluation_method="Quiz et mise en situation"
    )
    evaluation = {
        "method": "Quiz et mise en situation",
        "results": [
            {"objective": "Alerter les secours", "result": "acquis"},
            {"objective": "Protéger l'enfant", "result": "non_acquis"},
        ],
    }
    attestation, _ = pages(documents.certificate_pdf(certificate(course=course, evaluation=evaluation)))
    assert "Objectifs Alerter les secours Protéger l'enfant" in attestation
    assert "Modalité d'évaluation Quiz et mise en situation" in attestation
    assert "Résultats de l'évaluation Alerter les secours : acquis Protéger l'enfant : non acquis" in attestation


def test_the_documents_embed_their_font_and_are_named_after_the_session_and_the_number():
    for data in (documents.certificate_pdf(certificate()), documents.attendance_sheet_pdf(sheet())):
        fonts = pdf_fonts(data)
        assert any(embedded and "Vera" in name for name, embedded in fonts.items()), fonts
    assert documents.sheet_filename("session-1") == "emargement-session-1.pdf"
    assert documents.certificate_filename("AFF-2026-0001") == "certificat-AFF-2026-0001.pdf"


@pytest.mark.parametrize(("rate", "shown"), [("0.83", "83 %"), ("0.875", "87,5 %"), ("1", "100 %"), ("0", "0 %")])
def test_a_rate_is_written_as_a_french_percentage(rate, shown):
    assert documents.percent(rate) == shown.replace(" ", "\u00a0")


ORGANISATION = documents.Organisation(
    address="12 rue des Lilas, 69003 Lyon",
    town="Lyon",
    representative="Marie Dubois, directrice",
    declaration_number="84 69 12345 69",
    siret="123 456 789 00012",
)


def test_the_organisation_set_by_the_venue_heads_both_documents_and_fills_the_signature_lines():
    attestation, realisation = pages(documents.certificate_pdf(certificate(), ORGANISATION))
    for page in (attestation, realisation):
        assert "12 rue des Lilas, 69003 Lyon" in page
        assert "Déclaration d'activité enregistrée sous le n° 84 69 12345 69" in page
        assert "ne vaut pas agrément de l'État" in page and "SIRET : 123 456 789 00012" in page
    assert "Fait à Lyon, le" in attestation and "Marie Dubois, directrice" in attestation
    assert "Je soussigné·e Marie Dubois, directrice, représentant·e légal·e" in realisation
    assert "Fait à : Lyon" in realisation
    assert "Déclaration d'activité" in pdf_text(documents.attendance_sheet_pdf(sheet(), ORGANISATION))


def test_without_the_organisation_s_identity_its_lines_are_left_to_fill_in_by_hand():
    attestation, realisation = pages(documents.certificate_pdf(certificate()))
    assert "Déclaration d'activité" not in attestation + realisation
    assert "Je soussigné·e ……" in realisation and "Fait à : ……" in realisation
    assert "nom, qualité et signature" in attestation
