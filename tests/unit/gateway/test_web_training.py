"""The training pages with a stand-in for the education service: what each form sends (the parts
with the venue's offset, the funding boxes, an account's own id and name), where each refusal is
shown, the room's answer on a session's page, and that a participant acts only as themself."""

from contextlib import contextmanager

import pytest

from services.gateway import auth
from services.gateway.models import Account, database
from shared.errors import Conflict, Invalid, NotFound
from tests.api import STAFF
from tests.pdf import pdf_text

PASSWORD = "une-formation-utile"
COURSE = {
    "id": "course-1",
    "title": "Premiers secours petite enfance",
    "objectives": "Réagir face à un enfant qui s'étouffe",
    "audience": "Professionnels de crèche",
    "prerequisites": "",
    "duration_hours": "7.00",
    "trainer": "Claire Martin",
    "price": "120.00",
    "funding": ["opco", "self_funded"],
}
PART = {"index": 0, "starts_at": "2030-12-02T09:00:00+01:00", "ends_at": "2030-12-02T12:30:00+01:00", "hours": "3.50"}
PRESENT = {"present": True, "refusal_reason": "", "revision": 1, "signed": False, "method": None, "signed_at": None}


def session_out(**changes):
    found = {
        "id": "session-1",
        "course_id": "course-1",
        "title": COURSE["title"],
        "trainer": COURSE["trainer"],
        "room_id": "room-1",
        "room_name": None,
        "capacity": 12,
        "min_participants": 4,
        "status": "planned",
        "refusal_reason": "",
        "parts": [PART],
        "starts_at": PART["starts_at"],
        "ends_at": PART["ends_at"],
        "hours": "3.50",
        "confirmed_count": 0,
        "waitlisted_count": 0,
        "places_left": 12,
        "enrolment_open": False,
        "under_minimum": False,
        "cancel_reason": "",
    }
    return dict(found, **changes)


class Education:
    """Stands in for the RPC pools: answers as the education service would, records each call."""

    def __init__(self):
        self.calls, self.refusal = [], None
        self.session = session_out()
        self.enrolments = []

    @contextmanager
    def cluster(self, correlation_id=None, context=None):
        yield self

    def close(self):
        pass

    @property
    def education(self):
        return self

    @property
    def notifications(self):
        return self

    @property
    def bookings(self):
        return self

    def unread_count(self, role, subject_id):
        return {"unread": 0}

    def list_rooms(self, query):
        return {"items": [{"id": "room-1", "name": "Salle des Tilleuls"}, {"id": "room-2", "name": "Atelier"}]}

    def _call(self, name, *args):
        self.calls.append((name, *args))
        if self.refusal is not None:
            raise self.refusal

    def list_courses(self, query):
        return {"items": [COURSE], "next_cursor": None}

    def get_course(self, course_id):
        return COURSE

    def create_course(self, data):
        self._call("create_course", data)
        return dict(COURSE, **data)

    def list_sessions(self, query):
        self.calls.append(("list_sessions", query))
        return {"items": [self.session], "next_cursor": None}

    def get_session(self, session_id):
        if session_id != self.session["id"]:
            raise NotFound("Cette session n'existe pas.")
        return self.session

    def plan_session(self, data):
        self._call("plan_session", data)
        return self.session

    def retry_room(self, session_id, data):
        self._call("retry_room", session_id, data)
        return self.session

    def cancel_session(self, session_id, data):
        self._call("cancel_session", session_id, data)
        return dict(self.session, status="cancelled")

    def list_enrolments(self, session_id, query):
        return {"items": self.enrolments, "next_cursor": None}

    def session_funder_invoices(self, session_id):
        return {"session_id": session_id, "invoices": []}

    def satisfaction_results(self, session_id):
        return {"session_id": session_id, "open": False, "participants": 0, "respondents": 0, "people": []}

    def enrol(self, session_id, data):
        self._call("enrol", session_id, data)
        found = dict(data, id="enrolment-1", session_id=session_id, status="confirmed", position=None)
        found.setdefault("participant_id", "generated-1")
        self.enrolments.append(found)
        return found

    def cancel_enrolment(self, enrolment_id, participant_id=None):
        self._call("cancel_enrolment", enrolment_id, participant_id)
        return dict(self.enrolments[0], status="cancelled")

    def list_participant_enrolments(self, participant_id):
        return [dict(e, session=self.session) for e in self.enrolments if e["participant_id"] == participant_id]

    def participant_certificates(self, participant_id):
        return []

    def attendance_sheet(self, session_id):
        row = {
            "enrolment_id": "enrolment-1",
            "participant_id": "trainee-7",
            "participant_kind": "trainee",
            "name": "Lina Roux",
            "marks": [None],
            "hours_attended": "0.00",
            "rate": "0.00",
            "eligible": False,
            "certificate": None,
        }
        part = self.session["parts"][0]
        unit = {"part_index": 0, "half_day": "morning", **{k: part[k] for k in ("starts_at", "ends_at", "hours")}}
        return {"session": self.session, "half_days": [unit], "trainer": [PRESENT], "rows": [row]}

    def sheet_signatures(self, session_id):
        return []

    def record_attendance(self, session_id, data):
        self._call("record_attendance", session_id, data)
        return dict(data, session_id=session_id, revision=1)

    def signing(self, session_id, data):
        self._call("signing", session_id, data)
        part = self.session["parts"][0]
        unit = {"part_index": 0, "half_day": "morning", **{k: part[k] for k in ("starts_at", "ends_at", "hours")}}
        return {
            "session_id": session_id,
            "title": COURSE["title"],
            "trainer": COURSE["trainer"],
            "half_day": unit,
            "participant_id": data["participant_id"],
            "name": "Lina Roux",
            "signed": False,
        }

    def sign_attendance(self, session_id, data):
        self._call("sign_attendance", session_id, data)
        return dict(data, session_id=session_id, signed_at="2030-12-02T09:05:00+01:00")


@pytest.fixture
def education(app):
    app.config["WTF_CSRF_ENABLED"] = False  # the CSRF refusal has its own browser test
    stand_in = Education()
    app.extensions["rpc_pool"] = app.extensions["ready_pool"] = stand_in
    return stand_in


def signed_in(app, email, password):
    client = app.test_client()
    assert client.post("/connexion", data={"email": email, "password": password}).status_code == 302
    return client


@pytest.fixture
def staff(app, education):
    return signed_in(app, STAFF["email"], STAFF["password"])


@pytest.fixture
def trainee_account(app):
    with app.app_context(), database.connection_context():
        account = auth.create_account("lina@example.fr", PASSWORD, "trainee", subject_id="trainee-7")
        Account.update(first_name="Lina", last_name="Roux").where(Account.id == account.id).execute()
        return account.id


@pytest.fixture
def trainee(app, education, trainee_account):
    return signed_in(app, "lina@example.fr", PASSWORD)


def test_nobody_is_sent_to_the_sign_in_and_a_family_is_refused_on_the_training_pages(app, education, client):
    assert "/connexion" in client.get("/equipe/formations/").headers["Location"]
    with app.app_context(), database.connection_context():
        auth.create_account("famille@example.fr", PASSWORD, "family", subject_id="family-1")
    family = signed_in(app, "famille@example.fr", PASSWORD)
    for path in ("/equipe/formations/", "/formations/"):
        refused = family.get(path)
        assert refused.status_code == 403 and "pas autorisé·e" in refused.get_data(as_text=True), path


def test_the_staff_menu_has_formations_right_after_semaine(staff):
    html = staff.get("/equipe/formations/").get_data(as_text=True)
    assert html.index(">Semaine<") < html.index(">Formations<") < html.index(">Familles<")


def test_the_sessions_list_says_each_status_in_words_and_flags_a_session_under_its_minimum(staff, education):
    education.session = session_out(status="room_refused", under_minimum=True, confirmed_count=1)
    html = staff.get("/equipe/formations/").get_data(as_text=True)
    assert "Salle refusée" in html
    assert "Sous le minimum : 1 inscrit·e(s) pour 4 au moins" in html
    education.session = session_out(status="waiting")
    assert "Sans réponse de la salle" in staff.get("/equipe/formations/").get_data(as_text=True)


def test_a_new_course_sends_the_ticked_funding_sources_and_a_decimal_typed_with_a_comma(staff, education):
    form = dict(COURSE, duration_hours="10,5", price="95,50", funding=["opco", "cpf", "nonsense"])
    answer = staff.post("/equipe/formations/cours/nouveau", data=form)
    assert answer.status_code == 302
    sent = education.calls[-1][1]
    assert sent["funding"] == ["opco", "cpf"]
    assert (sent["duration_hours"], sent["price"]) == ("10.5", "95.50")


def test_a_refused_course_shows_the_sentence_next_to_its_field_and_keeps_the_boxes_ticked(staff, education):
    education.refusal = Invalid(
        "Certains champs ne sont pas valides.", {"funding": ["Cochez au moins un financement."]}
    )
    answer = staff.post("/equipe/formations/cours/nouveau", data=dict(COURSE, funding=["cpf"]))
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert '<p class="field-error" id="funding-erreur">Cochez au moins un financement.</p>' in html
    assert 'href="#funding"' in html  # the summary at the top links to the field
    assert 'value="cpf" checked' in html


def test_planning_a_session_sends_each_filled_part_with_the_venues_offset_and_skips_blank_rows(staff, education):
    form = {
        "course_id": "course-1",
        "room_id": "room-2",
        "capacity": "10",
        "min_participants": "3",
        "part1_day": "2030-12-02",
        "part1_start": "09:00",
        "part1_end": "12:30",
        "part3_day": "2030-07-03",
        "part3_start": "13:30",
        "part3_end": "17:00",
    }
    answer = staff.post("/equipe/formations/sessions/nouvelle", data=form)
    assert answer.headers["Location"].endswith("/equipe/formations/sessions/session-1")
    sent = education.calls[-1][1]
    assert sent["parts"] == [
        {"starts_at": "2030-12-02T09:00:00+01:00", "ends_at": "2030-12-02T12:30:00+01:00"},
        {"starts_at": "2030-07-03T13:30:00+02:00", "ends_at": "2030-07-03T17:00:00+02:00"},  # summer time
    ]
    assert (sent["room_id"], sent["capacity"], sent["min_participants"]) == ("room-2", 10, 3)


def test_a_part_without_its_end_is_refused_next_to_that_rows_end_before_any_call(staff, education):
    form = {"course_id": "course-1", "room_id": "room-1", "part2_day": "2030-12-03", "part2_start": "09:00"}
    answer = staff.post("/equipe/formations/sessions/nouvelle", data=form)
    assert answer.status_code == 422
    assert 'id="part2_end-erreur"' in answer.get_data(as_text=True)
    assert not [call for call in education.calls if call[0] == "plan_session"]


def test_the_services_refusal_of_a_part_is_shown_next_to_the_row_the_part_came_from(staff, education):
    education.refusal = Invalid(
        "Certains champs ne sont pas valides.", {"parts": {"1": {"ends_at": ["La fin doit suivre le début."]}}}
    )
    form = {
        "course_id": "course-1",
        "room_id": "room-1",
        "part1_day": "2030-12-02",
        "part1_start": "09:00",
        "part1_end": "12:00",
        "part4_day": "2030-12-03",
        "part4_start": "14:00",
        "part4_end": "13:00",
    }
    html = staff.post("/equipe/formations/sessions/nouvelle", data=form).get_data(as_text=True)
    assert '<p class="field-error" id="part4_end-erreur">La fin doit suivre le début.</p>' in html


def test_the_services_sentence_about_the_second_part_sent_is_shown_by_the_row_it_came_from(staff, education):
    education.refusal = Invalid(
        "Certains champs ne sont pas valides.",
        {"parts": ["Partie 2 : elle ne peut pas commencer dans le passé.", "Deux parties se chevauchent."]},
    )
    form = {"course_id": "course-1", "room_id": "room-1"}
    for row, day in ((1, "2030-12-02"), (3, "2020-12-03")):
        form.update({f"part{row}_day": day, f"part{row}_start": "09:00", f"part{row}_end": "12:00"})
    html = staff.post("/equipe/formations/sessions/nouvelle", data=form).get_data(as_text=True)
    assert 'id="part3_day-erreur">Partie 3 : elle ne peut pas commencer dans le passé.</p>' in html
    assert 'id="part1_day-erreur">Deux parties se chevauchent.</p>' in html


def test_a_planned_sessions_page_waits_for_the_room_in_a_live_region_without_a_meta_refresh(staff, education):
    html = staff.get("/equipe/formations/sessions/session-1").get_data(as_text=True)
    assert 'role="status" aria-live="polite"' in html
    assert "En attente de la salle" in html and "Salle des Tilleuls" in html  # the room asked for, by name
    assert "session-status.js" in html and 'data-poll="/equipe/formations/sessions/session-1/etat"' in html
    assert 'http-equiv="refresh"' not in html  # axe's meta-refresh rule (WCAG 2.2.1)
    assert staff.get("/equipe/formations/sessions/session-1/etat").json == {"status": "planned"}


def test_a_refused_room_shows_the_clash_and_retrying_sends_the_room_picked(staff, education):
    education.session = session_out(status="room_refused", refusal_reason="La salle est prise par « Contes » à 9 h.")
    html = staff.get("/equipe/formations/sessions/session-1").get_data(as_text=True)
    assert "Salle refusée" in html and "La salle est prise par « Contes » à 9 h." in html
    assert "session-status.js" not in html  # nothing left to wait for
    answer = staff.post("/equipe/formations/sessions/session-1/salle", data={"room_id": "room-2"})
    assert answer.status_code == 302
    assert education.calls[-1] == ("retry_room", "session-1", {"room_id": "room-2"})


def test_cancelling_a_session_without_a_reason_is_refused_next_to_the_reason(staff, education):
    answer = staff.post("/equipe/formations/sessions/session-1/annulation", data={"reason": " "})
    assert answer.status_code == 422
    assert 'id="reason-erreur"' in answer.get_data(as_text=True)
    assert not [call for call in education.calls if call[0] == "cancel_session"]


def test_staff_enrol_a_trainee_from_her_account_with_its_id_name_and_email(staff, education, trainee_account):
    education.session = session_out(status="confirmed", enrolment_open=True, room_name="Salle des Tilleuls")
    html = staff.get("/equipe/formations/sessions/session-1").get_data(as_text=True)
    assert f'<option value="{trainee_account}">Lina Roux</option>' in html
    form = {"participant_kind": "trainee", "account_id": str(trainee_account), "funding": "opco"}
    assert staff.post("/equipe/formations/sessions/session-1/inscriptions", data=form).status_code == 302
    assert education.calls[-1] == (
        "enrol",
        "session-1",
        {
            "participant_kind": "trainee",
            "funding": "opco",
            "participant_id": "trainee-7",
            "name": "Lina Roux",
            "email": "lina@example.fr",
        },
    )


def test_a_trainee_enrolment_with_a_volunteers_account_or_none_is_refused_next_to_the_account(staff, education):
    education.session = session_out(status="confirmed", enrolment_open=True)
    answer = staff.post(
        "/equipe/formations/sessions/session-1/inscriptions", data={"participant_kind": "volunteer", "funding": "cpf"}
    )
    assert answer.status_code == 422
    assert "Choisissez le compte du ou de la bénévole." in answer.get_data(as_text=True)
    assert not [call for call in education.calls if call[0] == "enrol"]


def test_an_external_person_is_enrolled_with_the_name_and_email_typed(staff, education):
    education.session = session_out(status="confirmed", enrolment_open=True)
    form = {"participant_kind": "external", "name": "Nadia Benali", "email": "nadia@example.fr", "funding": "cpf"}
    staff.post("/equipe/formations/sessions/session-1/inscriptions", data=form)
    sent = education.calls[-1][2]
    assert "participant_id" not in sent
    assert (sent["name"], sent["email"]) == ("Nadia Benali", "nadia@example.fr")


def test_the_sheet_shows_each_half_day_and_opens_its_page_where_each_person_signs(staff, education):
    education.session = session_out(status="confirmed")
    html = staff.get("/equipe/formations/sessions/session-1/emargement").get_data(as_text=True)
    page = "/equipe/formations/sessions/session-1/demi-journees/0/morning"
    assert "Émarger (partie 1, matin)" in html and page in html
    assert "non noté" in html and "présent·e (sans signature)" in html  # Lina, then the trainer
    half_day = staff.get(page).get_data(as_text=True)
    assert "Signer : Lina Roux" in half_day and "Signer : Claire Martin" in half_day
    assert '<svg role="img"' in half_day and "/emargement/" in half_day  # the QR code and its address


def test_the_tablets_pad_sends_the_drawing_as_the_persons_own_signature(staff, education):
    education.session = session_out(status="confirmed")
    pad = "/equipe/formations/sessions/session-1/demi-journees/0/morning/signer/trainee-7"
    html = staff.get(pad).get_data(as_text=True)
    assert "<canvas" in html and "Effacer" in html and "signature-pad.js" in html
    empty = staff.post(pad, data={"image": ""})
    assert empty.status_code == 422 and "Signez dans le cadre avant de valider." in empty.get_data(as_text=True)
    answer = staff.post(pad, data={"image": "data:image/png;base64,iVBORw0KGgo="})
    assert answer.status_code == 302
    assert education.calls[-1] == (
        "sign_attendance",
        "session-1",
        {
            "part_index": 0,
            "half_day": "morning",
            "participant_id": "trainee-7",
            "method": "tablet",
            "image": "data:image/png;base64,iVBORw0KGgo=",
        },
    )


def test_staff_record_absent_or_a_refused_signature_which_needs_its_reason(staff, education):
    education.session = session_out(status="confirmed")
    page = "/equipe/formations/sessions/session-1/demi-journees/0/morning/presence"
    who = {"participant_id": "trainee-7", "name": "Lina Roux"}
    missing = staff.post(page, data={**who, "state": "refused", "refusal_reason": " "})
    assert missing.status_code == 422 and "Indiquez pourquoi Lina Roux refuse de signer." in missing.get_data(
        as_text=True
    )
    staff.post(page, data={**who, "state": "refused", "refusal_reason": "Main blessée"})
    assert education.calls[-1][2] == {
        "part_index": 0,
        "half_day": "morning",
        "participant_id": "trainee-7",
        "present": True,
        "refusal_reason": "Main blessée",
    }
    staff.post(page, data={**who, "state": "absent"})
    assert (education.calls[-1][2]["present"], education.calls[-1][2]["refusal_reason"]) == (False, "")


def test_a_part_whose_day_has_not_come_shows_its_day_instead_of_a_link(staff, education):
    education.session = session_out(status="confirmed", parts=[dict(PART, attendance_open=False)])
    html = staff.get("/equipe/formations/sessions/session-1/emargement").get_data(as_text=True)
    assert "Émarger (partie 1" not in html
    assert html.count("À signer le jour même") == 1
    assert PART["starts_at"][:10] not in html.split("À signer le jour même", 1)[1][:20]  # written out, not as ISO


def test_a_refused_mark_comes_back_to_the_half_day_with_the_services_sentence(staff, education):
    education.session = session_out(status="confirmed")
    education.refusal = Conflict("Cette partie n'a pas encore eu lieu : l'émargement s'ouvre le jour même.")
    form = {"participant_id": "trainer", "name": "Claire Martin", "state": "absent"}
    answer = staff.post("/equipe/formations/sessions/session-1/demi-journees/0/morning/presence", data=form)
    assert answer.status_code == 409
    assert "Cette partie n&#39;a pas encore eu lieu" in answer.get_data(as_text=True)


def test_a_trainee_sees_the_sessions_open_to_trainees_and_enrols_as_herself(trainee, education):
    education.session = session_out(status="confirmed", enrolment_open=True)
    html = trainee.get("/formations/").get_data(as_text=True)
    assert ("list_sessions", {"open_to": "trainee", "limit": 100}) in education.calls
    assert "Réagir face à un enfant qui s&#39;étouffe" in html
    answer = trainee.post("/formations/sessions/session-1/inscription", data={"funding": "self_funded"})
    assert answer.headers["Location"].endswith("/formations/inscriptions/enrolment-1")
    assert education.calls[-1] == (
        "enrol",
        "session-1",
        {
            "participant_kind": "trainee",
            "participant_id": "trainee-7",
            "name": "Lina Roux",
            "email": "lina@example.fr",
            "funding": "self_funded",
        },
    )
    assert "Vous êtes inscrit·e" in trainee.get(answer.headers["Location"]).get_data(as_text=True)


def test_a_refused_enrolment_is_shown_on_that_sessions_card_next_to_the_funding(trainee, education):
    education.session = session_out(status="confirmed", enrolment_open=True)
    education.refusal = Invalid(
        "Certains champs ne sont pas valides.", {"funding": ["Ce financement n'est pas accepté."]}
    )
    answer = trainee.post("/formations/sessions/session-1/inscription", data={"funding": "cpf"})
    assert answer.status_code == 422
    assert 'id="funding-session-1-erreur">Ce financement n&#39;est pas accepté.</p>' in answer.get_data(as_text=True)


def test_cancelling_says_what_happens_first_and_then_cancels_as_the_participant_themself(trainee, education):
    education.session = session_out(status="confirmed", enrolment_open=True)
    trainee.post("/formations/sessions/session-1/inscription", data={"funding": "opco"})
    html = trainee.get("/formations/inscriptions/enrolment-1/annulation").get_data(as_text=True)
    assert "la première personne de la liste d&#39;attente est inscrite à votre place" in html
    trainee.post("/formations/inscriptions/enrolment-1/annulation")
    assert education.calls[-1] == ("cancel_enrolment", "enrolment-1", "trainee-7")


def test_someone_elses_enrolment_page_is_not_shown(trainee, education):
    education.enrolments.append({"id": "other-1", "participant_id": "trainee-8", "status": "confirmed"})
    answer = trainee.get("/formations/inscriptions/other-1")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/formations/")


def certificate_out(**changes):
    found = {
        "session_id": "session-1",
        "participant_id": "trainee-7",
        "participant_kind": "trainee",
        "name": "Lina Roux",
        "attestation_number": "AFF-2030-0007",
        "realisation_number": "CR-2030-0007",
        "hours_attended": "3.50",
        "session_hours": "3.50",
        "rate": "1.00",
        "issued_on": "2030-12-02",
        "course": COURSE,
        "session": session_out(status="confirmed", room_name="Salle des Tilleuls"),
    }
    return dict(found, **changes)


def test_the_sheets_pdf_is_the_attendance_sheet_of_that_session_with_its_file_name(staff, education):
    answer = staff.get("/equipe/formations/sessions/session-1/emargement.pdf")
    assert answer.mimetype == "application/pdf"
    assert answer.headers["Content-Disposition"] == 'attachment; filename="emargement-session-1.pdf"'
    text = pdf_text(answer.data)
    assert "Lina Roux" in text and "Claire Martin" in text


def test_issuing_a_certificate_says_its_numbers_and_its_pdf_is_that_participants(staff, education):
    education.issue_certificate = lambda session_id, participant_id: certificate_out(participant_id=participant_id)
    education.participant_certificates = lambda participant_id: [certificate_out(session_id="other"), certificate_out()]
    answer = staff.post("/equipe/formations/sessions/session-1/certificats/trainee-7", follow_redirects=True)
    assert "attestation AFF-2030-0007, certificat de réalisation CR-2030-0007" in answer.get_data(as_text=True)
    pdf = staff.get("/equipe/formations/sessions/session-1/certificats/trainee-7.pdf")
    assert pdf.headers["Content-Disposition"] == 'attachment; filename="certificat-AFF-2030-0007.pdf"'
    text = pdf_text(pdf.data)
    assert "Lina Roux" in text and "AFF-2030-0007" in text and "CR-2030-0007" in text


def test_a_certificate_not_issued_yet_is_a_page_that_says_so(staff, education):
    answer = staff.get("/equipe/formations/sessions/session-1/certificats/trainee-7.pdf")
    assert answer.status_code == 404
    assert "pas encore délivré" in answer.get_data(as_text=True)


def test_a_trainee_downloads_only_her_own_certificate(trainee, education):
    asked = []
    education.participant_certificates = lambda participant_id: asked.append(participant_id) or [certificate_out()]
    assert trainee.get("/formations/certificats/session-1.pdf").mimetype == "application/pdf"
    assert trainee.get("/formations/certificats/other-session.pdf").status_code == 404
    assert set(asked) == {"trainee-7"}  # always her own id, from her account


def test_a_volunteer_sees_the_sessions_open_to_volunteers_and_enrols_as_a_volunteer(app, education):
    with app.app_context(), database.connection_context():
        account = auth.create_account("jean@example.fr", PASSWORD, "volunteer", subject_id="volunteer-3")
        Account.update(first_name="Jean", last_name="Petit").where(Account.id == account.id).execute()
    volunteer = signed_in(app, "jean@example.fr", PASSWORD)
    education.session = session_out(status="confirmed", enrolment_open=True)
    html = volunteer.get("/formations/").get_data(as_text=True)
    assert ("list_sessions", {"open_to": "volunteer", "limit": 100}) in education.calls
    assert '<a href="/formations/">Formations</a>' in html  # in the volunteer's menu
    volunteer.post("/formations/sessions/session-1/inscription", data={"funding": "self_funded"})
    sent = education.calls[-1][2]
    assert (sent["participant_kind"], sent["participant_id"], sent["name"]) == (
        "volunteer",
        "volunteer-3",
        "Jean Petit",
    )


def test_the_sessions_list_goes_on_to_the_next_page_with_the_services_cursor_and_the_same_filter(staff, education):
    pages = []

    def list_sessions(query):
        pages.append(query)
        return {"items": [education.session], "next_cursor": "c-2" if "cursor" not in query else None}

    education.list_sessions = list_sessions
    html = staff.get("/equipe/formations/?etat=confirmed").get_data(as_text=True)
    assert 'href="/equipe/formations/?suite=c-2&amp;etat=confirmed"' in html
    html = staff.get("/equipe/formations/?suite=c-2&etat=confirmed").get_data(as_text=True)
    assert pages[-1] == {"limit": 200, "status": "confirmed", "cursor": "c-2"}
    assert "Sessions suivantes" not in html
