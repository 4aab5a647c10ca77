"""The fee simulator, the registration form and the staff's family file ask for the number of
children receiving AEEH (one CNAF row down each), a number field, and pass it to bookings."""

from tests.api import STAFF

LABEL = "Nombre d&#39;enfants bénéficiaires de l&#39;AEEH"
FAMILY = {
    "id": "family-1",
    "email": "famille@example.fr",
    "guardians": [{"first_name": "Anne", "last_name": "Brun", "phone": "0601020304"}],
    "monthly_resources": "5200.00",
    "dependent_children": 2,
    "aeeh_children": 2,
    "aeeh": True,
    "job_seeker": False,
    "children": [],
}


def quotes(recorded_rpc):
    return [args[0] for _service, method, args in recorded_rpc.calls if method == "quote_fee"]


def test_the_simulator_asks_a_number_and_quotes_with_it(client, recorded_rpc):
    recorded_rpc.answers.update(quote_fee={"hourly_rate": "1.612", "resources_used": "5200.00"})
    page = client.get("/simulateur?monthly_resources=5200&dependent_children=2&aeeh_children=2")
    client.get("/simulateur?monthly_resources=5200&dependent_children=2")
    html = page.get_data(as_text=True)
    assert LABEL in html and 'name="aeeh_children" type="number"' in html and 'name="aeeh"' not in html
    assert [q["aeeh_children"] for q in quotes(recorded_rpc)] == ["2", "0"]  # none given: none


def test_the_registration_form_asks_the_number(client):
    html = client.get("/inscription").get_data(as_text=True)
    assert LABEL in html and 'name="aeeh_children" type="number"' in html


def test_the_family_file_shows_the_number_and_the_correction_sends_it(app, client, recorded_rpc):
    app.config["WTF_CSRF_ENABLED"] = False
    client.post("/connexion", data=STAFF)
    recorded_rpc.answers.update(get_family=FAMILY)
    html = client.get("/equipe/familles/family-1").get_data(as_text=True)
    assert LABEL in html and 'name="aeeh_children" type="number" value="2"' in html
    form = {"monthly_resources": "5200", "dependent_children": "3", "aeeh_children": "3"}
    client.post("/equipe/familles/family-1/correction", data=form)
    client.post("/equipe/familles/family-1/correction", data=dict(form, aeeh_children=""))
    sent = [args[1] for _service, method, args in recorded_rpc.calls if method == "correct_family"]
    assert [(data["dependent_children"], data["aeeh_children"]) for data in sent] == [(3, 3), (3, 0)]
    assert all("aeeh" not in data for data in sent)
