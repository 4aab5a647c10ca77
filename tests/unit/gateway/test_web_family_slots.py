"""The family's slot page asks the bookings service once for the three weeks it shows."""

from datetime import date, timedelta

from services.gateway import auth
from services.gateway.models import database

PASSWORD = "les-petits-loups"
FAMILY = {
    "id": "family-1",
    "monthly_resources": "2500.00",
    "dependent_children": 2,
    "aeeh_children": 0,
    "children": [{"id": "child-1", "first_name": "Léa"}],
}


def test_the_slot_page_lists_three_weeks_of_slots_in_one_call(app, recorded_rpc):
    with app.app_context(), database.connection_context():
        auth.create_account("famille@example.fr", PASSWORD, "family", subject_id="family-1")
    recorded_rpc.answers.update(get_family=FAMILY, quote_fee={"hourly_rate": "1.5"})
    client = app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False
    client.post("/connexion", data={"email": "famille@example.fr", "password": PASSWORD})

    page = client.get("/famille/creneaux")

    assert page.status_code == 200
    [(service, method, (query,))] = [call for call in recorded_rpc.calls if call[1] == "list_slots"]
    today = date.today()
    assert service == "bookings"
    assert (query["from"], query["to"]) == (today.isoformat(), (today + timedelta(days=21)).isoformat())
    assert "Aucun créneau ouvert dans les trois prochaines semaines." in page.get_data(as_text=True)
