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
