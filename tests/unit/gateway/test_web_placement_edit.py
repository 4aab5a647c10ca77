"""The convention's weekly schedule on the staff's placement forms, a placement's edit and the
gratification paid, with a stand-in for the placements service: the week typed day by day sent as
`weekly_schedule` (blank days left out), each problem said next to its day; the edit sends only
what changed with its reason and shows the service's refusal; the placement page says why the
gratification is due, what was paid and what was changed; a payment posts its month and amount
and a month already paid is refused next to the month."""

import re

import pytest

from services.gateway import auth
from services.gateway.models import database
from shared.errors import Conflict, Invalid
from tests.unit.gateway import test_web_placements_staff as staff_pages
from tests.unit.gateway.conftest import served_by

PASSWORD = "un-stage-au-calme"
TUTOR_ID = "staff-nadia"
EDITOR_ID = "staff-marc"

# A placement as the service answers it now: its week, its planned hours, its gratification and history.
PLACEMENT = {
    **staff_pages.PLACEMENT,
    "status": "active",
    "tutor_id": TUTOR_ID,
    "starts_on": "2026-09-07",
    "ends_on": "2027-01-29",
    "required_hours": "490.00",
    "trainee_minor": False,
    "trainee_birth_date": "2005-05-04",
    "programme_label": "CAP accompagnant éducatif petite enfance",
    "hours_to_validate": True,
    "planned_hours": "420.00",
    "weekly_schedule": [
        {"weekday": 0, "start": "09:00", "end": "17:00", "break_minutes": 60},
        {"weekday": 1, "start": "08:00", "end": "12:00", "break_minutes": 0},
        {"weekday": 1, "start": "13:00", "end": "16:30", "break_minutes": 0},
    ],
    "designated_on": "2026-09-07",
    "under_convention": True,
    "gratification_due": True,
    "gratification_school_years": ["2026-2027"],
    "school_year_planned_hours": {"2025-2026": "70.00", "2026-2027": "420.00"},
    "gratification_months": [{"month": "2026-09", "hours": "84.00", "hourly_rate": "4.50", "amount": "378.00"}],
    "gratification_total": "1890.00",
    "gratification_payments": [
        {
            "month": "2026-09",
            "amount": "378.00",
            "recorded_by": EDITOR_ID,
            "recorded_at": "2026-10-02T10:00:00+02:00",
        }
    ],
    "gratification_paid": "378.00",
    "history": [
        {
            "changed_at": "2026-10-05T09:30:00+02:00",
            "changed_by": EDITOR_ID,
            "reason": "Prolongé après un arrêt maladie",
            "changes": {
                "ends_on": {"before": "2027-01-15", "after": "2027-01-29"},
                "tutor_id": {"before": EDITOR_ID, "after": TUTOR_ID},
                "planned_hours": {"before": "406.00", "after": "420.00"},
                "weekly_schedule": {
                    "before": [{"weekday": 0, "start": "09:00", "end": "17:00", "break_minutes": 60}],
                    "after": [
                        {"weekday": 0, "start": "09:00", "end": "17:00", "break_minutes": 60},
                        {"weekday": 1, "start": "08:00", "end": "12:00", "break_minutes": 0},
                    ],
                },
            },
        }
    ],
}


class Placements(staff_pages.Placements):
    """The placements stand-in of the staff pages' tests, answering this placement, its edit and
    its payments (a refusal under "update" or "payment" raised instead)."""

    def __init__(self, placement=None, refuse=()):
        super().__init__(refuse=refuse)
        self.placement = {**PLACEMENT, **(placement or {})}

    def get_placement(self, placement_id, trainee_id=None):
        return self.placement

    def list_programmes(self):
        return [
            *super().list_programmes(),
            {"key": "observation_3e", "label": "Stage d'observation de 3e", "default_hours": "0.00"},
        ]

    def create_placement(self, data):
        self.calls.append(("create_placement", data))
        if "create" in self.refuse:
            raise self.refuse["create"]
        return {"id": "p-9", "trainee_name": "Lina Roux"}

    def update_placement(self, placement_id, data, staff_id):
        self.calls.append(("update_placement", placement_id, data, staff_id))
        if "update" in self.refuse:
            raise self.refuse["update"]
        return {**self.placement, **data}

    def record_gratification_payment(self, placement_id, data, staff_id):
        self.calls.append(("record_gratification_payment", placement_id, data, staff_id))
        if "payment" in self.refuse:
            raise self.refuse["payment"]
        return self.placement


@pytest.fixture
def team(app):
    """Two staff accounts with names: the placement's tutor and who edited it."""
    with app.app_context(), database.connection_context():
        auth.create_account(
            "nadia@example.fr", PASSWORD, "staff", first_name="Nadia", last_name="Benali", account_id=TUTOR_ID
        )
        auth.create_account(
            "marc@example.fr", PASSWORD, "staff", first_name="Marc", last_name="Dupuis", account_id=EDITOR_ID
        )


def calls_of(stand_in, name):
    return [call[1:] for call in stand_in.calls if call[0] == name]


def html_of(response):
    return response.get_data(as_text=True)


# --- the creation form's week -----------------------------------------------------------------
def new_placement(staff, **fields):
    with staff.application.app_context(), database.connection_context():
        if not auth.Account.get_or_none(auth.Account.subject_id == "t-5"):
            auth.create_account("ines@example.fr", PASSWORD, "trainee", subject_id="t-5", first_name="Inès")
    form = {"trainee_id": "t-5", "tutor_id": staff.staff_id, "starts_on": "2026-09-07", "ends_on": "2027-01-29"}
    return staff.post("/equipe/stages/nouveau", data={**form, **fields, "idempotency_key": "k1"})


def test_the_creation_form_asks_arrival_departure_and_break_for_each_day_from_monday_to_saturday(app, staff):
    served_by(app, Placements())
    html = html_of(staff.get("/equipe/stages/nouveau"))
    for day in ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"):
        assert f"Arrivée le {day}" in html and f"Départ le {day}" in html and f"Pause le {day}, en minutes" in html
    assert "dimanche" not in html.lower()
    assert '<fieldset id="weekly_schedule"' in html and "<legend>Lundi</legend>" in html
    assert "Sans emploi du temps, ces heures sont prises comme heures prévues" in html


def test_the_week_typed_day_by_day_is_sent_as_the_weekly_schedule_and_blank_days_are_left_out(app, staff):
    stand_in = served_by(app, Placements())
    week = {"start_0": "09:00", "end_0": "17:00", "break_0": "60", "start_2": "8h30", "end_2": "12:00", "break_2": ""}
    response = new_placement(staff, **week, start_1="", end_1="", break_1="")
    assert (response.status_code, response.location) == (302, "/equipe/stages/p-9")
    [(created,)] = calls_of(stand_in, "create_placement")
    assert created["weekly_schedule"] == [
        {"weekday": 0, "start": "09:00", "end": "17:00", "break_minutes": 60},
        {"weekday": 2, "start": "08:30", "end": "12:00", "break_minutes": 0},
    ]


def test_a_placement_without_a_week_is_sent_with_an_empty_schedule(app, staff):
    stand_in = served_by(app, Placements())
    assert new_placement(staff, required_hours="140").status_code == 302
    [(created,)] = calls_of(stand_in, "create_placement")
    assert created["weekly_schedule"] == [] and created["required_hours"] == "140"


def test_a_departure_before_the_arrival_is_said_next_to_that_day_and_nothing_is_created(app, staff):
    stand_in = served_by(app, Placements())
    response = new_placement(staff, start_0="09:00", end_0="17:00", start_3="14:00", end_3="12:00")
    html = html_of(response)
    assert response.status_code == 422
    assert (
        'id="end_3-erreur">Le départ du jeudi (12\u00a0h\u00a000) doit être après l&#39;arrivée (14\u00a0h\u00a000).'
        in html
    )
    assert 'href="#end_3"' in html  # the summary leads to the day's field
    assert 'id="end_0-erreur"' not in html
    assert calls_of(stand_in, "create_placement") == []


@pytest.mark.parametrize(
    "week, field, sentence",
    [
        ({"start_4": "09:00"}, "end_4", "Indiquez l&#39;heure de départ du vendredi, ou videz toute la ligne."),
        ({"end_1": "12:00", "break_1": "30"}, "start_1", "Indiquez l&#39;heure d&#39;arrivée du mardi"),
        ({"start_5": "9 heures", "end_5": "12:00"}, "start_5", "L&#39;arrivée du samedi s&#39;écrit en heures"),
        ({"start_0": "09:00", "end_0": "12:00", "break_0": "une heure"}, "break_0", "minutes entières"),
        ({"start_0": "09:00", "end_0": "10:00", "break_0": "60"}, "break_0", "doit être plus courte que sa présence"),
    ],
)
def test_a_day_filled_in_part_or_wrongly_says_what_to_write_next_to_its_field(app, staff, week, field, sentence):
    stand_in = served_by(app, Placements())
    response = new_placement(staff, **week)
    assert response.status_code == 422
    assert re.search(f'id="{field}-erreur">[^<]*{re.escape(sentence)}', html_of(response))
    assert calls_of(stand_in, "create_placement") == []


def test_the_services_refusal_of_one_period_is_shown_next_to_its_day(app, staff):
    refusal = Invalid(
        "Emploi du temps refusé.", {"weekly_schedule": {"1": {"break_minutes": ["Pause de 0 à 600 minutes."]}}}
    )
    served_by(app, Placements(refuse={"create": refusal}))
    response = new_placement(staff, start_0="09:00", end_0="17:00", start_3="07:00", end_3="19:00", break_3="30")
    html = html_of(response)
    assert response.status_code == 422
    assert 'id="break_3-erreur">Pause de 0 à 600 minutes.' in html  # the 2nd period sent: Thursday's
    assert 'value="07:00"' in html  # the week as typed


# --- the edit ---------------------------------------------------------------------------------
def test_the_edit_form_is_filled_with_the_placement_as_it_is(app, staff, team):
    served_by(app, Placements())
    response = staff.get("/equipe/stages/p-1/modifier")
    html = html_of(response)
    assert response.status_code == 200 and html.count("<h1>") == 1
    assert f'<option value="{TUTOR_ID}" selected>Nadia Benali</option>' in html
    assert 'id="ends_on" name="ends_on" type="date" value="2027-01-29"' in html
    assert 'id="start_0" name="start_0" type="time" value="09:00"' in html
    assert 'id="break_0" name="break_0" type="text" value="60"' in html
    # Tuesday's two periods as one line: 8:00 to 16:30 with the hour between them as break
    assert 'id="start_1" name="start_1" type="time" value="08:00"' in html
    assert 'id="end_1" name="end_1" type="time" value="16:30"' in html and 'value="60"' in html
    assert 'id="required_hours" name="required_hours" type="text" value="490"' in html
    assert "Motif de la modification" in html


def edit_form(**changes):
    """The edit form as it comes prefilled, with `changes`."""
    form = {
        "tutor_id": TUTOR_ID,
        "starts_on": "2026-09-07",
        "ends_on": "2027-01-29",
        "required_hours": "490",
        "start_0": "09:00",
        "end_0": "17:00",
        "break_0": "60",
        "start_1": "08:00",
        "end_1": "16:30",
        "break_1": "60",
        "reason": "",
        "idempotency_key": "k1",
    }
    return {**form, **changes}


def test_the_edit_sends_only_the_fields_that_changed_with_the_reason(app, staff, team):
    stand_in = served_by(app, Placements())
    form = edit_form(ends_on="2027-02-12", reason="Prolongé de deux semaines après un arrêt maladie")
    response = staff.post("/equipe/stages/p-1/modifier", data=form)
    assert (response.status_code, response.location) == (302, "/equipe/stages/p-1")
    sent = {"ends_on": "2027-02-12", "reason": "Prolongé de deux semaines après un arrêt maladie"}
    assert calls_of(stand_in, "update_placement") == [("p-1", sent, staff.staff_id)]
    with staff.session_transaction() as session:
        assert ("message", "Le stage de Lina Roux est modifié ; le changement figure dans son historique.") in session[
            "_flashes"
        ]


def test_a_changed_week_tutor_and_hours_are_sent_as_the_service_takes_them(app, staff, team):
    stand_in = served_by(app, Placements())
    form = edit_form(
        tutor_id=EDITOR_ID, required_hours="420,5", start_1="", end_1="", break_1="", start_2="9:00", end_2="12:00"
    )
    assert staff.post("/equipe/stages/p-1/modifier", data=form).status_code == 302
    [(_placement_id, sent, _staff)] = calls_of(stand_in, "update_placement")
    assert sent == {
        "tutor_id": EDITOR_ID,
        "required_hours": "420.5",
        "weekly_schedule": [
            {"weekday": 0, "start": "09:00", "end": "17:00", "break_minutes": 60},
            {"weekday": 2, "start": "09:00", "end": "12:00", "break_minutes": 0},
        ],
        "reason": "",
    }


def test_an_edit_that_changes_nothing_is_not_sent(app, staff, team):
    stand_in = served_by(app, Placements())
    response = staff.post("/equipe/stages/p-1/modifier", data=edit_form(reason="Rien"))
    assert response.status_code == 422
    assert "Rien n&#39;a changé : modifiez les dates" in html_of(response)
    assert calls_of(stand_in, "update_placement") == []


def test_a_conflict_of_the_service_is_shown_with_its_sentence_next_to_the_field_and_in_the_summary(app, staff, team):
    sentence = "La structure accueille déjà 2 stagiaires la semaine du 15 février 2027."
    refusal = Conflict(sentence, {"ends_on": ["Semaine complète pour l'accueil des stagiaires."]})
    stand_in = served_by(app, Placements(refuse={"update": refusal}))
    response = staff.post("/equipe/stages/p-1/modifier", data=edit_form(ends_on="2027-02-19"))
    html = html_of(response)
    assert response.status_code == 409
    assert 'id="ends_on-erreur">Semaine complète pour l&#39;accueil des stagiaires.' in html
    summary = html[html.index('class="error-summary"') : html.index("</div>", html.index('class="error-summary"'))]
    assert "La structure accueille déjà 2 stagiaires la semaine du 15 février 2027." in summary
    assert 'value="2027-02-19"' in html  # the form as sent
    assert len(calls_of(stand_in, "update_placement")) == 1


def test_a_conflict_naming_no_field_is_said_at_the_top(app, staff, team):
    refusal = Conflict("Ce stage est terminé : il ne se modifie plus.")
    served_by(app, Placements(refuse={"update": refusal}))
    html = html_of(staff.post("/equipe/stages/p-1/modifier", data=edit_form(required_hours="500")))
    assert "<li>Ce stage est terminé : il ne se modifie plus.</li>" in html


def test_the_services_refusal_of_a_period_on_the_edit_is_shown_by_its_day(app, staff, team):
    refusal = Invalid("Refusé.", {"weekly_schedule": {"0": {"end": ["Heure attendue au format HH:MM."]}}})
    served_by(app, Placements(refuse={"update": refusal}))
    response = staff.post("/equipe/stages/p-1/modifier", data=edit_form(end_0="18:00"))
    assert 'id="end_0-erreur">Heure attendue au format HH:MM.' in html_of(response)


# --- the placement page -----------------------------------------------------------------------
def test_the_placement_page_shows_planned_hours_gratification_payments_and_history(app, staff, team):
    served_by(app, Placements())
    html = html_of(staff.get("/equipe/stages/p-1"))
    assert html.count('id="historique-titre"') == 1  # once, in the page's content, not in its <title>
    assert html[html.index("<title>") : html.index("</title>")].startswith("<title>Stage de Lina Roux")
    assert "<section" not in html[html.index("<title>") : html.index("</title>")]
    assert "Heures prévues à la structure" in html and "420 h" in html
    assert "CAP accompagnant éducatif petite enfance" in html
    assert "Lundi : 9\u00a0h\u00a000 – 17\u00a0h\u00a000, pause de 60 min" in html
    assert 'href="/equipe/stages/p-1/modifier"' in html and "Modifier le stage" in html
    # why it is due: the school year and its planned hours here against 308 h
    assert "plus de 308 h (44 jours de 7 h) sur l&#39;année scolaire 2026-2027" in html
    assert "Année scolaire 2026-2027 : 420 h prévues dans la structure" in html
    assert "2025-2026" not in html  # another placement's school year
    assert "Minimum dû pour ce stage : 1\u202f890,00\u00a0€" in html
    payments = html[html.index('id="versements"') : html.index("</table>", html.index('id="versements"'))]
    assert "septembre 2026" in payments and "378,00\u00a0€" in payments and "Marc Dupuis" in payments
    assert "Total versé : 378,00\u00a0€" in html
    assert '<option value="2026-10" selected>octobre 2026</option>' in html  # the first month not yet paid
    assert "septembre 2026 — versement déjà enregistré" in html
    history = html[html.index('id="historique"') : html.index("</table>", html.index('id="historique"'))]
    assert "Marc Dupuis" in history and "Prolongé après un arrêt maladie" in history
    assert "Dernier jour du stage : 15 janvier 2027" in history and "29 janvier 2027" in history
    assert "Tuteur ou tutrice : Marc Dupuis" in history and "Nadia Benali" in history
    assert "Heures prévues à la structure : 406\u00a0h" in history
    # the schedule's change, only the day that changed
    assert "Emploi du temps, mardi : pas de présence" in history and "8\u00a0h\u00a000 – 12\u00a0h\u00a000" in history
    assert "Emploi du temps, lundi" not in history


def test_an_observation_stage_says_there_are_no_hours_to_validate_and_no_gratification(app, staff):
    observation = {
        "programme": "observation_3e",
        "programme_label": "Stage d'observation de 3e",
        "hours_to_validate": False,
        "required_hours": "0.00",
        "planned_hours": "30.00",
        "gratification_due": False,
        "gratification_school_years": [],
        "school_year_planned_hours": {"2026-2027": "30.00"},
        "gratification_months": [],
        "gratification_total": "0.00",
        "gratification_payments": [],
        "gratification_paid": "0.00",
        "history": [],
    }
    served_by(app, Placements(placement=observation))
    html = html_of(staff.get("/equipe/stages/p-1"))
    assert "Stage d&#39;observation : pas d&#39;heures à valider" in html
    assert "h validées sur" not in html
    assert "Pas due : les stages de Lina Roux dans la structure ne prévoient pas plus de 308 h" in html
    assert "Aucune modification depuis l&#39;enregistrement de la convention." in html


def test_a_placement_outside_a_school_convention_says_why_no_gratification_is_due(app, staff):
    served_by(app, Placements(placement={"under_convention": False, "gratification_due": False}))
    html = html_of(staff.get("/equipe/stages/p-1"))
    assert "Pas due : ce stage n&#39;est pas une convention de stage de l&#39;enseignement" in html


def test_a_completed_placement_has_no_edit_link(app, staff):
    served_by(app, Placements(placement={"status": "completed"}))
    assert "Modifier le stage" not in html_of(staff.get("/equipe/stages/p-1"))


# --- the payments -----------------------------------------------------------------------------
def test_a_payment_posts_its_month_and_amount_and_comes_back_to_the_gratification(app, staff, team):
    stand_in = served_by(app, Placements())
    form = {"month": "2026-10", "amount": "472,50 €", "idempotency_key": "k1"}
    response = staff.post("/equipe/stages/p-1/versements", data=form)
    assert (response.status_code, response.location) == (302, "/equipe/stages/p-1#gratification")
    assert calls_of(stand_in, "record_gratification_payment") == [
        ("p-1", {"month": "2026-10", "amount": "472.50"}, staff.staff_id)
    ]
    with staff.session_transaction() as session:
        assert ("message", "Versement de octobre 2026 enregistré : 472,50\u00a0€.") in session["_flashes"]


def test_a_second_payment_for_a_month_is_refused_next_to_the_month(app, staff, team):
    sentence = "Le versement du mois 2026-09 est déjà enregistré : un seul versement par mois."
    served_by(app, Placements(refuse={"payment": Conflict(sentence, {"month": ["Ce mois a déjà son versement."]})}))
    response = staff.post(
        "/equipe/stages/p-1/versements", data={"month": "2026-09", "amount": "378", "idempotency_key": "k1"}
    )
    html = html_of(response)
    assert response.status_code == 409
    assert 'id="month-erreur">Ce mois a déjà son versement.' in html and 'href="#month"' in html
    summary = html[html.index('class="error-summary"') : html.index("</div>", html.index('class="error-summary"'))]
    assert sentence in summary  # the service's whole sentence at the top
    assert '<option value="2026-09" selected>' in html and 'value="378"' in html  # the form as sent


def test_a_conflict_naming_no_field_on_a_payment_is_said_next_to_the_month(app, staff, team):
    sentence = "Le versement du mois 2026-09 est déjà enregistré : un seul versement par mois."
    served_by(app, Placements(refuse={"payment": Conflict(sentence)}))
    response = staff.post(
        "/equipe/stages/p-1/versements", data={"month": "2026-09", "amount": "378", "idempotency_key": "k1"}
    )
    assert f'id="month-erreur">{sentence}' in html_of(response)


def test_a_payment_refused_field_by_field_shows_each_sentence_by_its_field(app, staff, team):
    refusal = Invalid("Versement refusé.", {"amount": ["Le montant versé est un nombre d'euros positif ou nul."]})
    served_by(app, Placements(refuse={"payment": refusal}))
    response = staff.post(
        "/equipe/stages/p-1/versements", data={"month": "2026-10", "amount": "-3", "idempotency_key": "k1"}
    )
    assert response.status_code == 422
    assert 'id="amount-erreur">Le montant versé est un nombre d&#39;euros positif ou nul.' in html_of(response)


def test_a_payment_without_its_amount_is_not_sent(app, staff, team):
    stand_in = served_by(app, Placements())
    response = staff.post(
        "/equipe/stages/p-1/versements", data={"month": "2026-10", "amount": " ", "idempotency_key": "k1"}
    )
    assert response.status_code == 422
    assert 'id="amount-erreur">Indiquez le montant versé' in html_of(response)
    assert calls_of(stand_in, "record_gratification_payment") == []
