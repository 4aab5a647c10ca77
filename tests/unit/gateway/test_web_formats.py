"""The web pages write dates, times and money the French way (services.gateway.web)."""

from services.gateway import web


def test_dates_money_and_rates_read_as_people_read_them(app):
    with app.test_request_context():
        assert web.when("2026-12-01T09:00:00+01:00") == "mardi 1 décembre, 9\u00a0h\u00a000"
        assert web.hour("2026-12-01T17:30:00+01:00") == "17\u00a0h\u00a030"
        assert web.euros("8.26") == "8,26\u00a0€"
        assert web.euros("1284.5") == "1\u202f284,50\u00a0€"
        assert web.rate("2.064") == "2,064\u00a0€"
        assert web.rate("2") == "2,00\u00a0€"


def test_a_services_nested_field_errors_show_next_to_their_form_field():
    class Refusal:
        fields = {"guardians": {"0": {"phone": ["Numéro de téléphone invalide."]}}, "email": ["Adresse invalide."]}

    assert web.field_errors(Refusal()) == {"phone": ["Numéro de téléphone invalide."], "email": ["Adresse invalide."]}


def test_pages_are_french_and_a_form_post_without_its_csrf_token_is_refused(client):
    page = client.get("/connexion")
    assert page.status_code == 200 and '<html lang="fr">' in page.get_data(as_text=True)
    refused = client.post("/connexion", data={"email": "a@example.fr", "password": "x"})
    assert refused.status_code == 400 and "Formulaire refusé" in refused.get_data(as_text=True)


def test_hours_read_as_people_write_them():
    from services.gateway.web import hours_text

    assert [hours_text(v) for v in ("4.00", "7.50", "1.33", "0", "70")] == ["4", "7,5", "1,33", "0", "70"]
    assert hours_text(None) == ""


def test_a_trainees_day_and_two_times_become_the_services_fields_an_earlier_end_being_the_next_day():
    from services.gateway.web.trainee import hour_fields

    day = hour_fields({"day": "2026-03-28", "start": "08:30", "end": "12:00", "tasks": " Repas "})
    assert day == {"starts_at": "2026-03-28T08:30:00+01:00", "ends_at": "2026-03-28T12:00:00+01:00", "tasks": "Repas"}
    night = hour_fields({"day": "2026-03-28", "start": "22:00", "end": "06:00"})  # summer time begins that night
    assert (night["starts_at"], night["ends_at"]) == ("2026-03-28T22:00:00+01:00", "2026-03-29T06:00:00+02:00")
    assert hour_fields({"day": "", "start": "08:00", "end": "09:00"})["starts_at"] == ""


def test_a_refusal_goes_next_to_the_forms_fields_under_their_form_names_else_at_the_top():
    from services.gateway.web import form_errors
    from shared.errors import Conflict, Invalid

    refused = Invalid("Vérifiez les horaires.", {"starts_at": ["Trop tôt."], "room_id": ["Salle prise."]})
    assert form_errors(refused, {"starts_at": "start"}) == {"start": ["Trop tôt."], "room_id": ["Salle prise."]}
    assert form_errors(Conflict("Ce créneau est complet.")) == {"_schema": ["Ce créneau est complet."]}
