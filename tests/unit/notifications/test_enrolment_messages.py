"""Education's enrolment events tell a participant with an account (a trainee or a volunteer, as
their account names them), in French (services/notifications/domain/messages.py)."""

from zoneinfo import ZoneInfo

import pytest

from services.notifications.domain import messages

PARIS = ZoneInfo("Europe/Paris")
NBSP = "\u00a0"
ENROLMENT = {
    "enrolment_id": "e1",
    "session_id": "s1",
    "title": "Premiers secours en crèche",
    "participant_kind": "trainee",
    "participant_id": "t1",
    "starts_at": "2030-12-03T08:00:00+00:00",  # 9 h in Paris (winter)
}
WHEN = f"mardi 3 décembre, 9{NBSP}h{NBSP}00"


def test_a_confirmed_enrolment_tells_the_trainee_the_course_and_its_first_day():
    [notice] = messages.notices("education.enrolment_confirmed", ENROLMENT, PARIS)
    assert (notice.role, notice.subject_id, notice.kind) == ("trainee", "t1", "enrolment_confirmed")
    assert notice.text == f"Votre inscription à la formation « Premiers secours en crèche » du {WHEN} est confirmée."
    assert notice.subject == "Inscription à une formation confirmée"


def test_a_promotion_from_the_waiting_list_says_a_place_was_freed():
    volunteer = dict(ENROLMENT, participant_kind="volunteer", participant_id="v1", promoted=True)
    [notice] = messages.notices("education.enrolment_confirmed", volunteer, PARIS)
    assert (notice.role, notice.subject_id) == ("volunteer", "v1")
    assert notice.text.startswith("Une place s'est libérée : votre inscription à la formation « Premiers secours")
    assert notice.subject == "Une place s'est libérée en formation"


@pytest.mark.parametrize(
    ("position", "says"),
    [(1, "vous aurez la prochaine place libérée"), (2, "vous êtes en position 2"), (12, "vous êtes en position 12")],
)
def test_a_waitlisted_enrolment_gives_the_position_on_the_list(position, says):
    [notice] = messages.notices("education.enrolment_waitlisted", dict(ENROLMENT, position=position), PARIS)
    assert notice.kind == "enrolment_waitlisted"
    assert notice.text == (
        f"La formation « Premiers secours en crèche » du {WHEN} est complète : vous êtes sur la liste d'attente "
        f"et {says}. Vous serez prévenu ou prévenue si une place se libère."
    )


@pytest.mark.parametrize(
    ("reason", "ends"),
    [
        ("", "est annulée."),
        ("Formatrice malade", "est annulée. Motif : Formatrice malade."),
        ("Salle fermée.", "Motif : Salle fermée."),
    ],
)
def test_a_cancelled_enrolment_gives_its_reason_as_a_sentence_when_there_is_one(reason, ends):
    [notice] = messages.notices("education.enrolment_cancelled", dict(ENROLMENT, reason=reason), PARIS)
    assert (notice.kind, notice.subject) == ("enrolment_cancelled", "Inscription à une formation annulée")
    assert notice.text.startswith(f"Votre inscription à la formation « Premiers secours en crèche » du {WHEN}")
    assert notice.text.endswith(ends)


@pytest.mark.parametrize("kind", ["professional", "external"])
@pytest.mark.parametrize(
    "event", ["education.enrolment_confirmed", "education.enrolment_waitlisted", "education.enrolment_cancelled"]
)
def test_a_participant_without_an_account_is_told_nothing_here(kind, event):
    assert messages.notices(event, dict(ENROLMENT, participant_kind=kind, position=1), PARIS) == []


def test_a_loaded_payload_reads_the_same_as_its_json():
    from shared.events import registry

    loaded = registry.contract_for("education.enrolment_confirmed").schema.load(ENROLMENT)
    assert messages.notices("education.enrolment_confirmed", loaded, PARIS) == messages.notices(
        "education.enrolment_confirmed", ENROLMENT, PARIS
    )
