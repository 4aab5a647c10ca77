"""The training PDFs (services/gateway/training_documents.py) drawn from the education service's
real answers, on the real broker: the attendance sheet of a confirmed session of two half-days
with the signatures drawn in their boxes, « absent·e » and a refusal, and the certificates of the
participant who attended both (its numbers, hours, evaluation and employer read back) and of the
one who attended half (the mention below the threshold)."""

import itertools

from services.gateway import training_documents as documents
from tests.dates import DAY, set_clock
from tests.factories import create_room
from tests.integration.education.conftest import COURSE, plan, session_fields, settled
from tests.pdf import pdf_text
from tests.signature_png import data_url
from tests.support import call

DRAWINGS = itertools.count()


def signature(participant_id, part_index):
    """Each drawing differs (the PDF keeps one copy of identical images)."""
    image = data_url(width=60 + next(DRAWINGS))
    return {"part_index": part_index, "participant_id": participant_id, "method": "tablet", "image": image}


def test_the_sheet_and_the_certificate_print_what_the_service_answers(education, bookings, monkeypatch):
    room = create_room(bookings, name="Salle Colibri", kind="training")
    session = settled(education, plan(education, room["id"])["id"], "confirmed")
    people = [
        call(education, "enrol", session["id"], {"participant_kind": "external", "name": n, "email": e, "funding": f})
        for n, e, f in (("Ana Lopes", "ana@example.fr", "employer"), ("Bea Roux", "bea@example.fr", "opco"))
    ]
    set_clock(monkeypatch, 18, day=DAY)  # the evening of the session's day
    ana, bea = (person["participant_id"] for person in people)
    for index in (0, 1):
        call(education, "sign_attendance", session["id"], signature(ana, index))
    call(education, "sign_attendance", session["id"], signature(bea, 0))
    call(education, "record_attendance", session["id"], {"part_index": 1, "participant_id": bea, "present": False})
    refused = {"part_index": 0, "participant_id": "trainer", "present": True, "refusal_reason": "Stylo oublié"}
    call(education, "record_attendance", session["id"], refused)  # the trainer's afternoon: not signed yet

    data = documents.attendance_sheet_pdf(
        call(education, "attendance_sheet", session["id"]),
        signatures=call(education, "sheet_signatures", session["id"]),
    )
    sheet = pdf_text(data)
    assert "Formation (module) : Premiers secours petite enfance" in sheet
    assert "Salle : Salle Colibri" in sheet
    assert "Partie 1 — " in sheet and ", 9 h – 12 h 30 (3,5 h)" in sheet
    assert "Partie 2 — " in sheet and ", 13 h 30 – 17 h (3,5 h)" in sheet
    assert "Bea Roux externe absent·e" in sheet  # her afternoon
    assert "signature refusée : Stylo oublié" in sheet
    assert sheet.count(documents.BOX) == 1  # only the trainer's afternoon is left to sign by hand
    assert data.count(b"/Subtype /Image") == 3  # Ana's two signatures and Bea's morning

    certificate = call(education, "issue_certificate", session["id"], ana)
    text = pdf_text(documents.certificate_pdf(certificate))
    assert f"N° AFF-{DAY.year}-0001" in text and f"N° CR-{DAY.year}-0001" in text
    assert "atteste que Ana Lopes a suivi l'action ci-dessous" in text
    assert "Heures suivies 7 h sur 7 h" in text
    assert "Assiduité : 100 % des heures — assidu·e (seuil de 80 % fixé par l'organisme)" in text
    assert "Modalité d'évaluation non précisée" in text and "évaluation non renseignée" in text
    assert "pour une durée de 7 h réalisées." in text
    assert "salarié·e de l'entreprise (nom et adresse)" in text  # no employer given: left to fill in
    assert documents.certificate_filename(certificate["attestation_number"]) == f"certificat-AFF-{DAY.year}-0001.pdf"

    half = pdf_text(documents.certificate_pdf(call(education, "issue_certificate", session["id"], bea)))
    assert "pour une durée de 3,5 h réalisées." in half
    assert half.count("Assiduité : 50 % des heures — en dessous du seuil de 80 % fixé par l'organisme") == 2


def test_the_attestation_prints_the_evaluation_method_the_results_and_the_employer(education, bookings, monkeypatch):
    room = create_room(bookings, name="Salle Colibri", kind="training")
    course = call(
        education,
        "create_course",
        dict(
            COURSE,
            objectives="Alerter les secours\nProtéger l'enfant",
            evaluation_method="Mise en situation observée",
        ),
    )
    session = settled(
        education, call(education, "plan_session", session_fields(course["id"], room["id"]))["id"], "confirmed"
    )
    enrolment = {
        "participant_kind": "external",
        "name": "Ana Lopes",
        "email": "ana@example.fr",
        "funding": "employer",
        "employer_name": "Crèche Les Lutins",
    }
    ana = call(education, "enrol", session["id"], enrolment)["participant_id"]
    set_clock(monkeypatch, 18, day=DAY)
    call(education, "record_attendance", session["id"], {"part_index": 0, "participant_id": ana, "present": True})
    results = [
        {"objective": "Alerter les secours", "result": "acquis"},
        {"objective": "Protéger l'enfant", "result": "en_cours"},
    ]
    call(education, "record_evaluation", session["id"], {"participant_id": ana, "results": results})

    text = pdf_text(documents.certificate_pdf(call(education, "issue_certificate", session["id"], ana)))
    assert "Objectifs Alerter les secours Protéger l'enfant" in text
    assert "Employeur Crèche Les Lutins" in text
    assert "Modalité d'évaluation Mise en situation observée" in text
    assert "Résultats de l'évaluation Alerter les secours : acquis Protéger l'enfant : en cours d'acquisition" in text
    assert "salarié·e de l'entreprise : Crèche Les Lutins" in text
    assert "Heures suivies 3,5 h sur 7 h" in text and "en dessous du seuil de 80 %" in text
