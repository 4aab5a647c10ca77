"""The tutor's and staff's placement pages with a stand-in for the placements service: several logs
validated at once, each with its own Idempotency-Key, the refused ones named with the service's
sentence; a refusal needs its reason; a new trainee's file refused field by field before anything
is created; and the trainee's « Confirmer » of a pre-filled log."""

from contextlib import contextmanager

import pytest

from services.gateway import auth
from services.gateway.models import Account, database
from shared.errors import Conflict, Forbidden
from tests.unit.gateway.conftest import served_by

PASSWORD = "un-stage-au-calme"


def waiting_log(log_id, **overrides):
    return {
        "id": log_id,
        "placement_id": "p-1",
        "starts_at": "2030-12-02T08:00:00+01:00",
        "ends_at": "2030-12-02T12:00:00+01:00",
        "hours": "4.00",
        "tasks": "Accueil des enfants",
        "activity_id": None,
        "kind": "on_site",
        "source": "trainee",
        "status": "submitted",
        "reason": None,
        "validated_by": None,
        "validated_at": None,
        "confirmed_by_trainee_at": None,
        "trainee_name": "Lina Roux",
        **overrides,
    }


class Placements:
    """Answers as the placements service would, and records each call with its context data."""

    def __init__(self, logs=(), refuse=()):
        self.logs, self.refuse, self.calls, self.context = list(logs), dict(refuse), [], {}

    @contextmanager
    def cluster(self, correlation_id=None, context=None):
        self.context = context or {}
        yield self

    @property
    def placements(self):
        return self

    @property
    def notifications(self):
        return self

    def unread_count(self, role, subject_id):
        return {"unread": 0}

    def list_tutor_hour_logs(self, tutor_id, query):
        self.calls.append(("list_tutor_hour_logs", tutor_id))
        return {"items": [log for log in self.logs if log["status"] == "submitted"], "next_cursor": None}

    def validate_hours(self, log_id, tutor_id):
        self.calls.append(("validate_hours", log_id, tutor_id, self.context.get("idempotency_key")))
        if log_id in self.refuse:
            raise self.refuse[log_id]
        return waiting_log(log_id, status="validated")

    def reject_hours(self, log_id, tutor_id, data):
        self.calls.append(("reject_hours", log_id, tutor_id, data))
        return waiting_log(log_id, status="rejected", reason=data["reason"])

    def list_programmes(self):
        return [
            {"key": "cap_aepe", "label": "CAP accompagnant éducatif petite enfance", "default_hours": "490.00"},
            {"key": "deaes", "label": "Accompagnant éducatif et social (DEAES)", "default_hours": None},
        ]

    def register_trainee(self, profile):
        self.calls.append(("register_trainee", profile))
        return {**profile, "id": "t-1"}

    def create_placement(self, data):
        self.calls.append(("create_placement", data))
        return {"id": "p-9", "trainee_name": "Lina Roux"}

    def confirm_hours(self, log_id, trainee_id):
        self.calls.append(("confirm_hours", log_id, trainee_id))
        return waiting_log(log_id, source="activity", confirmed_by_trainee_at="2030-12-02T13:00:00+01:00")

    def list_placements(self, query):
        self.calls.append(("list_placements", query))
        row = {k: PLACEMENT[k] for k in ("id", "trainee_id", "trainee_name", "tutor_id", "school", "status")}
        return {"items": [dict(row, starts_on="2030-11-01", ends_on="2031-01-31", required_hours="70.00")]}

    def get_placement(self, placement_id, trainee_id=None):
        return PLACEMENT

    def get_trainee(self, trainee_id):
        return TRAINEE

    def record_trainee_honorability(self, trainee_id, data, staff_id):
        self.calls.append(("record_trainee_honorability", trainee_id, data, staff_id))
        if "honorability" in self.refuse:
            raise self.refuse["honorability"]
        return dict(TRAINEE, clearance_status="cleared", cleared=True, clearance_refusal=None)

    def list_hour_logs(self, placement_id, query, trainee_id=None):
        return {"items": [waiting_log("a", status="validated", validated_by="x"), waiting_log("b", source="activity")]}

    def close(self):
        pass


PLACEMENT = {
    "id": "p-1",
    "trainee_id": "t-1",
    "trainee_name": "Lina Roux",
    "trainee_minor": True,
    "programme": "cap_aepe",
    "tutor_id": "x",
    "school": "Lycée Jean-Moulin",
    "starts_on": "2030-11-01",
    "ends_on": "2031-01-31",
    "required_hours": "70.00",
    "status": "completed",
    "interruption_reason": None,
    "validated_hours": "4.00",
    "submitted_hours": "4.00",
    "training_hours": "0.00",
    "weeks": [{"week": "2030-12-02", "validated_hours": "4.00", "cumulative_hours": "4.00"}],
    "gratification_due": True,
    "gratification_months": [{"month": "2030-12", "hours": "4.00", "hourly_rate": "4.50", "amount": "18.00"}],
    "gratification_total": "18.00",
    "evaluation": [{"competence": "Accueillir l'enfant", "rating": "acquired", "comment": "Très à l'aise"}],
    "evaluated_at": "2031-01-31T10:00:00+01:00",
}


TRAINEE = {
    "id": "t-1",
    "email": "lina@example.fr",
    "first_name": "Lina",
    "last_name": "Roux",
    "phone": None,
    "birth_date": "2013-05-04",
    "programme": "cap_aepe",
    "school": "Lycée Jean-Moulin",
    "referent_name": None,
    "referent_email": None,
    "honorability_issued_on": None,
    "honorability_verified_on": None,
    "honorability_expires_on": None,
    "clearance_status": "missing",
    "cleared": False,
    "clearance_refusal": "Lina Roux n'a pas d'attestation d'honorabilité vérifiée : elle est obligatoire pour être "
    "avec les enfants.",
}


def test_two_logs_are_validated_at_once_and_a_refused_one_is_named_with_the_services_sentence(app, staff):
    stand_in = served_by(
        app,
        Placements(
            logs=[waiting_log("a"), waiting_log("b"), waiting_log("c", starts_at="2030-12-03T08:00:00+01:00")],
            refuse={"c": Forbidden("Seul le tuteur ou la tutrice de ce stage peut valider ou refuser ses heures.")},
        ),
    )
    page = staff.post("/equipe/stages/heures/validation", data={"log_id": ["a", "b", "c"], "idempotency_key": "k1"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count("Validée : Lina Roux") == 2
    assert "Non validée : Lina Roux, mardi 3 décembre" in html
    assert "Seul le tuteur ou la tutrice de ce stage peut valider" in html
    validated = [call for call in stand_in.calls if call[0] == "validate_hours"]
    assert [call[1:3] for call in validated] == [("a", staff.staff_id), ("b", staff.staff_id), ("c", staff.staff_id)]
    keys = [call[3] for call in validated]
    assert len(set(keys)) == 3 and "k1" not in keys  # one key per log: the service never sees one for two


def test_the_same_form_sent_again_sends_the_same_key_for_each_log(app, staff):
    stand_in = served_by(app, Placements(logs=[waiting_log("a")]))
    for _attempt in range(2):
        staff.post("/equipe/stages/heures/validation", data={"log_id": ["a"], "idempotency_key": "k1"})
    keys = [call[3] for call in stand_in.calls if call[0] == "validate_hours"]
    assert len(keys) == 2 and keys[0] == keys[1]


def test_validating_with_nothing_ticked_says_so_next_to_the_list(app, staff):
    served_by(app, Placements(logs=[waiting_log("a")]))
    page = staff.post("/equipe/stages/heures/validation", data={"idempotency_key": "k1"})
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert 'id="log_id-erreur">Cochez au moins une période à valider.' in html
    assert 'href="#log_id"' in html  # the summary at the top leads to it


def test_a_refusal_without_a_reason_is_not_sent_and_says_so_next_to_the_field(app, staff):
    stand_in = served_by(app, Placements(logs=[waiting_log("a")]))
    page = staff.post("/equipe/stages/heures/a/refus", data={"reason": "  ", "idempotency_key": "k1"})
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert 'id="reason-erreur">Indiquez le motif du refus' in html and 'aria-invalid="true"' in html
    assert not [call for call in stand_in.calls if call[0] == "reject_hours"]
    staff.post("/equipe/stages/heures/a/refus", data={"reason": "Partie à 11 h", "idempotency_key": "k2"})
    assert ("reject_hours", "a", staff.staff_id, {"reason": "Partie à 11 h"}) in stand_in.calls


def test_the_tutors_list_says_whether_the_trainee_confirmed_a_prefilled_log(app, staff):
    served_by(
        app,
        Placements(
            logs=[
                waiting_log("a", source="activity"),
                waiting_log("b", source="activity", confirmed_by_trainee_at="2030-12-02T13:00:00+01:00"),
            ]
        ),
    )
    html = staff.get("/equipe/stages/heures").get_data(as_text=True)
    assert "pas encore confirmée par le ou la stagiaire" in html
    assert "Proposée depuis une activité, confirmée par le ou la stagiaire" in html


def test_a_new_trainees_file_is_refused_field_by_field_before_anything_is_created(app, staff):
    stand_in = served_by(app, Placements())
    form = {"trainee_id": "", "first_name": "Lina", "tutor_id": staff.staff_id, "starts_on": "2030-12-01"}
    page = staff.post("/equipe/stages/nouveau", data=dict(form, idempotency_key="k1"))
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    for field in ("last_name", "email", "password", "birth_date", "programme", "school", "ends_on"):
        assert f'id="{field}-erreur"' in html, field
    assert 'id="first_name-erreur"' not in html
    assert not [call for call in stand_in.calls if call[0] in ("register_trainee", "create_placement")]


def test_a_new_trainee_gets_an_account_then_the_placement_with_the_programmes_hours(app, staff):
    stand_in = served_by(app, Placements())
    form = {
        "trainee_id": "",
        "first_name": "Lina",
        "last_name": "Roux",
        "email": "lina.roux@example.fr",
        "password": PASSWORD,
        "birth_date": "2004-05-04",
        "programme": "cap_aepe",
        "school": "Lycée Jean-Moulin",
        "tutor_id": staff.staff_id,
        "starts_on": "2030-12-01",
        "ends_on": "2031-02-28",
        "under_convention": "oui",
        "idempotency_key": "k1",
    }
    page = staff.post("/equipe/stages/nouveau", data=form)
    assert (page.status_code, page.location) == (302, "/equipe/stages/p-9")
    [created] = [call[1] for call in stand_in.calls if call[0] == "create_placement"]
    assert created["trainee_id"] == "t-1" and created["required_hours"] is None  # the service's default
    with app.app_context(), database.connection_context():
        assert Account.get(Account.email == "lina.roux@example.fr").role == "trainee"


def test_a_trainee_confirms_a_prefilled_log_from_their_page(app):
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context(), database.connection_context():
        auth.create_account("lina@example.fr", PASSWORD, "trainee", subject_id="t-1")
    client = app.test_client()
    client.post("/connexion", data={"email": "lina@example.fr", "password": PASSWORD})
    stand_in = served_by(app, Placements())
    response = client.post("/stagiaire/heures/a/confirmation", data={"idempotency_key": "k1"})
    assert (response.status_code, response.location) == (302, "/stagiaire/#a-confirmer")
    assert ("confirm_hours", "a", "t-1") in stand_in.calls
    stand_in.confirm_hours = lambda log_id, trainee_id: (_ for _ in ()).throw(Conflict("Déjà validées."))
    client.post("/stagiaire/heures/a/confirmation", data={"idempotency_key": "k2"})
    with client.session_transaction() as session:
        assert ("error", "Déjà validées.") in session.get("_flashes", [])


@pytest.mark.parametrize(
    "path, seen",
    [
        ("/equipe/stages/", "Lina Roux"),
        ("/equipe/stages/?statut=active&mes_stages=oui", "Seulement les stages dont je suis"),
        ("/equipe/stages/p-1", "4 h validées sur 70 h"),
        ("/equipe/stages/p-1/evaluation", 'value="Accueillir l&#39;enfant"'),
        ("/equipe/stages/nouveau", "CAP accompagnant éducatif petite enfance — 490 h par défaut"),
        ("/equipe/stages/heures", "Aucune heure n&#39;attend votre validation."),
        ("/equipe/stages/stagiaires/t-1/attestation?stage=p-1", "Attestation manquante : pas auprès des enfants"),
    ],
)
def test_each_staff_placement_page_renders_with_one_heading(app, staff, path, seen):
    stand_in = served_by(app, Placements())
    page = staff.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and html.count("<h1>") == 1
    assert seen in html
    if "mes_stages" in path:
        assert ("list_placements", {"limit": 200, "status": "active", "tutor_id": staff.staff_id}) in stand_in.calls


def test_a_visitor_is_sent_to_sign_in_and_a_trainee_is_refused_on_every_staff_placement_page(app, client):
    stand_in = served_by(app, Placements())
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context(), database.connection_context():
        auth.create_account("lina@example.fr", PASSWORD, "trainee", subject_id="t-1")
    trainee = app.test_client()
    trainee.post("/connexion", data={"email": "lina@example.fr", "password": PASSWORD})
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("placements_staff.")]
    assert len(rules) >= 8
    for rule in rules:
        path = rule.rule.replace("<placement_id>", "p-1").replace("<log_id>", "a").replace("<trainee_id>", "t-1")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method, data={"idempotency_key": "k1"})
            assert (response.status_code, response.location) == (302, f"/connexion?suite={path}"), (method, path)
            refused = trainee.open(path, method=method, data={"idempotency_key": "k1"})
            assert refused.status_code == 403 and "pas autorisé·e" in refused.get_data(as_text=True), (method, path)
    assert stand_in.calls == []


def test_an_existing_trainee_gets_a_placement_without_a_second_account(app, staff):
    stand_in = served_by(app, Placements())
    with app.app_context(), database.connection_context():
        auth.create_account("deja@example.fr", PASSWORD, "trainee", subject_id="t-5", first_name="Inès")
    form = {"trainee_id": "t-5", "tutor_id": staff.staff_id, "starts_on": "2030-12-01", "ends_on": "2031-01-31"}
    page = staff.post("/equipe/stages/nouveau", data=dict(form, required_hours="140,5", idempotency_key="k1"))
    assert page.status_code == 302
    [created] = [call[1] for call in stand_in.calls if call[0] == "create_placement"]
    assert (created["trainee_id"], created["required_hours"]) == ("t-5", "140.5")
    assert not [call for call in stand_in.calls if call[0] == "register_trainee"]


def test_a_placement_refused_after_the_account_is_made_keeps_the_new_trainee_chosen(app, staff):
    stand_in = served_by(app, Placements())

    def refuse(data):
        raise Conflict(
            "Ce tuteur suit déjà 3 stagiaires : choisissez un autre tuteur.", {"tutor_id": ["Plus de place."]}
        )

    stand_in.create_placement = refuse
    form = {
        "trainee_id": "",
        "first_name": "Lina",
        "last_name": "Roux",
        "email": "lina.r@example.fr",
        "password": PASSWORD,
        "birth_date": "2004-05-04",
        "programme": "cap_aepe",
        "school": "Lycée Jean-Moulin",
        "tutor_id": staff.staff_id,
        "starts_on": "2030-12-01",
        "ends_on": "2031-02-28",
        "idempotency_key": "k1",
    }
    page = staff.post("/equipe/stages/nouveau", data=form)
    html = page.get_data(as_text=True)
    assert page.status_code == 409
    assert 'id="tutor_id-erreur">Plus de place.' in html
    assert "Le compte de Lina Roux est créé" in html
    assert '<option value="t-1" selected>' in html  # sent again, the form names the trainee just made


def test_the_summary_lists_the_problems_in_the_order_of_the_fields(app, staff):
    served_by(app, Placements())
    html = staff.post("/equipe/stages/nouveau", data={"trainee_id": "", "idempotency_key": "k1"}).get_data(as_text=True)
    summary = html[html.index('class="error-summary"') : html.index("</ul>", html.index('class="error-summary"'))]
    links = [summary.index(f'href="#{name}"') for name in ("first_name", "last_name", "email", "password", "starts_on")]
    assert links == sorted(links)


def test_a_trainee_corrects_a_prefilled_log_but_not_one_of_theirs_waiting_for_the_tutor(app):
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context(), database.connection_context():
        auth.create_account("ines@example.fr", PASSWORD, "trainee", subject_id="t-1")
    client = app.test_client()
    client.post("/connexion", data={"email": "ines@example.fr", "password": PASSWORD})
    served_by(app, Placements())
    page = client.get("/stagiaire/heures/b/correction")  # b: pre-filled from an activity, submitted
    assert page.status_code == 200
    assert "proposées depuis une activité de la structure" in page.get_data(as_text=True)
    refused = client.get("/stagiaire/heures/a/correction")  # a: validated by the tutor
    assert (refused.status_code, refused.location) == (302, "/stagiaire/")


def test_the_placement_page_says_whether_its_trainee_is_cleared_and_leads_to_the_attestation(app, staff):
    served_by(app, Placements())
    html = staff.get("/equipe/stages/p-1").get_data(as_text=True)
    assert "Attestation manquante : pas auprès des enfants" in html
    assert 'href="/equipe/stages/stagiaires/t-1/attestation?stage=p-1"' in html


def test_staff_record_a_trainees_attestation_as_the_one_who_verified_it(app, staff):
    stand_in = served_by(app, Placements())
    data = {"issued_on": "2030-11-02", "verified_on": "2030-11-20", "stage": "p-1", "idempotency_key": "k1"}
    page = staff.post("/equipe/stages/stagiaires/t-1/attestation", data=data)
    assert page.status_code == 302
    assert page.location == "/equipe/stages/stagiaires/t-1/attestation?stage=p-1"
    call = ("record_trainee_honorability", "t-1", {"issued_on": "2030-11-02", "verified_on": "2030-11-20"})
    assert (*call, staff.staff_id) in stand_in.calls


def test_an_attestation_verified_too_late_is_refused_next_to_its_date(app, staff):
    from shared.errors import Invalid

    sentence = "L'attestation doit dater de moins de 6 mois quand elle est vérifiée."
    refusal = Invalid("L'attestation n'a pas été enregistrée.", {"verified_on": [sentence]})
    served_by(app, Placements(refuse={"honorability": refusal}))
    data = {"issued_on": "2030-01-02", "verified_on": "2030-11-20", "idempotency_key": "k1"}
    page = staff.post("/equipe/stages/stagiaires/t-1/attestation", data=data)
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert 'id="verified_on-erreur">L&#39;attestation doit dater de moins de 6 mois' in html


def test_an_attestation_without_its_dates_is_not_sent(app, staff):
    stand_in = served_by(app, Placements())
    page = staff.post("/equipe/stages/stagiaires/t-1/attestation", data={"idempotency_key": "k1"})
    assert page.status_code == 422
    assert 'id="issued_on-erreur"' in page.get_data(as_text=True)
    assert not [c for c in stand_in.calls if c[0] == "record_trainee_honorability"]
