"""Check-in/out corrections through the gateway with a stand-in for the bookings service: the API
routes pass the staff account, the check-in page links each child to its correction page, the
correction page shows the history and sends the form's times with the reason; a refusal is shown
next to its field."""

from shared.errors import Invalid
from tests.api import STAFF
from tests.unit.gateway.conftest import BookingsStandIn, served_by

RECORD = {
    "booking_id": None,
    "contract_id": "k-1",
    "child_id": "c-1",
    "child_first_name": "Lou",
    "day": "2027-03-10",
    "arrived_at": "2027-03-10T08:25:00+01:00",
    "left_at": "2027-03-10T15:42:00+01:00",
    "corrections": [
        {
            "id": "x-1",
            "corrected_at": "2027-03-10T18:00:00+01:00",
            "corrected_by": "someone",
            "arrived_before": "2027-03-10T07:00:00+01:00",
            "left_before": None,
            "arrived_at": "2027-03-10T08:25:00+01:00",
            "left_at": "2027-03-10T15:42:00+01:00",
            "reason": "Mauvais enfant pointé",
        }
    ],
}
DAY = {
    "date": "2027-03-10",
    "at": "2027-03-10T18:00:00+01:00",
    "count": 2,
    "children": [
        {
            "child_id": "c-1",
            "first_name": "Lou",
            "family_id": "f-1",
            "family_name": "Brun",
            "walks": False,
            "booking_id": None,
            "contract_id": "k-1",
            "slot_id": None,
            "room_name": None,
            "starts_at": "2027-03-10T08:30:00+01:00",
            "ends_at": "2027-03-10T15:42:00+01:00",
            "arrived_at": "2027-03-10T08:25:00+01:00",
            "left_at": None,
            "present": True,
        },
        {
            "child_id": "c-2",
            "first_name": "Noé",
            "family_id": "f-2",
            "family_name": "Roy",
            "walks": True,
            "booking_id": "b-1",
            "contract_id": None,
            "slot_id": "s-1",
            "room_name": "Cocon",
            "starts_at": "2027-03-10T08:30:00+01:00",
            "ends_at": "2027-03-10T12:00:00+01:00",
            "arrived_at": None,
            "left_at": None,
            "present": False,
        },
    ],
}


class Bookings(BookingsStandIn):
    def __init__(self, refuse=None):
        super().__init__()
        self.refuse = refuse

    def day_children(self, query):
        self.calls.append(("day_children", query))
        return DAY

    def contract_attendance(self, contract_id, day):
        self.calls.append(("contract_attendance", contract_id, day))
        return RECORD

    def booking_attendance(self, booking_id):
        self.calls.append(("booking_attendance", booking_id))
        return dict(RECORD, booking_id=booking_id, contract_id=None, corrections=[])

    def correct_contract_attendance(self, contract_id, day, data, corrected_by):
        self.calls.append(("correct_contract_attendance", contract_id, day, data, corrected_by))
        if self.refuse:
            raise self.refuse
        return RECORD

    def correct_booking_attendance(self, booking_id, data, corrected_by):
        self.calls.append(("correct_booking_attendance", booking_id, data, corrected_by))
        return RECORD

    def pickup_options(self, child_id):
        self.calls.append(("pickup_options", child_id))
        person = {"kind": "guardian", "id": "0", "name": "Anne Brun", "relation": "responsable légal", "phone": ""}
        return {"child_id": child_id, "first_name": "Lou", "people": [person]}

    def close(self):
        pass


def test_the_api_routes_pass_the_staff_account_and_answer_the_record(app, client):
    stand_in = served_by(app, Bookings())
    token = client.post("/api/v1/auth/token", json=STAFF).json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    body = {"arrived_at": "2027-03-10T08:25:00+01:00", "left_at": None, "reason": "Mauvais enfant pointé"}
    answer = client.patch("/api/v1/contracts/k-1/attendance/2027-03-10", json=body, headers=headers)
    assert answer.status_code == 200 and answer.json["corrections"][0]["reason"] == "Mauvais enfant pointé"
    [call] = [c for c in stand_in.calls if c[0] == "correct_contract_attendance"]
    assert call[1:4] == ("k-1", "2027-03-10", body) and call[4]
    assert client.patch("/api/v1/bookings/b-1/attendance", json=body, headers=headers).status_code == 200
    assert client.get("/api/v1/bookings/b-1/attendance", headers=headers).json["booking_id"] == "b-1"
    assert client.get("/api/v1/contracts/k-1/attendance/2027-03-10", headers=headers).json["day"] == "2027-03-10"


def test_the_check_in_page_of_another_day_links_each_child_to_its_correction(app, staff):
    stand_in = served_by(app, Bookings())
    html = staff.get("/equipe/pointage?jour=2027-03-10").get_data(as_text=True)
    assert ("day_children", {"date": "2027-03-10"}) in stand_in.calls
    assert 'href="/equipe/pointage/contrats/k-1/2027-03-10"' in html
    assert 'href="/equipe/pointage/reservations/b-1"' in html
    assert "Arrivées et départs du mercredi 10 mars 2027" in html
    assert 'name="move"' not in html  # no check-in button for another day: it would note the time now


def test_the_correction_page_shows_the_times_and_the_history(app, staff):
    served_by(app, Bookings())
    html = staff.get("/equipe/pointage/contrats/k-1/2027-03-10").get_data(as_text=True)
    assert 'value="08:25"' in html and 'value="15:42"' in html
    assert '<td data-label="Motif">Mauvais enfant pointé</td>' in html and 'data-label="Avant">7' in html
    assert '<th scope="col">' in html and "<caption>" in html


def test_the_form_is_sent_with_the_days_times_the_reason_and_the_staff_account(app, staff):
    stand_in = served_by(app, Bookings())
    form = {"arrivee": "08:25", "depart": "", "motif": "Mauvais enfant pointé"}
    answer = staff.post("/equipe/pointage/contrats/k-1/2027-03-10", data=form)
    assert answer.status_code == 302
    [call] = [c for c in stand_in.calls if c[0] == "correct_contract_attendance"]
    assert call[3] == {"arrived_at": "2027-03-10T08:25:00+01:00", "left_at": None, "reason": "Mauvais enfant pointé"}
    assert call[4] == staff.staff_id


def test_the_form_says_who_collected_the_child_when_a_departure_is_added(app, staff):
    stand_in = served_by(app, Bookings())
    page = staff.get("/equipe/pointage/contrats/k-1/2027-03-10").get_data(as_text=True)
    assert ("pickup_options", "c-1") in stand_in.calls and "Anne Brun (responsable légal)" in page
    form = {
        "arrivee": "08:25",
        "depart": "16:00",
        "motif": "Départ oublié",
        "collected": "guardian:0",
        "id_checked": "oui",
    }
    assert staff.post("/equipe/pointage/contrats/k-1/2027-03-10", data=form).status_code == 302
    [call] = [c for c in stand_in.calls if c[0] == "correct_contract_attendance"]
    assert call[3]["collected_by"] == {"kind": "guardian", "id": "0", "id_checked": True}


def test_a_time_that_is_not_a_time_is_told_before_calling(app, staff):
    stand_in = served_by(app, Bookings())
    page = staff.post("/equipe/pointage/reservations/b-1", data={"arrivee": "8h", "motif": "Erreur"})
    assert page.status_code == 422 and 'id="arrivee-erreur"' in page.get_data(as_text=True)
    assert not [c for c in stand_in.calls if c[0].startswith("correct_")]


def test_a_missing_reason_is_shown_next_to_the_reason_field(app, staff):
    refusal = Invalid("Certains champs ne sont pas valides.", {"reason": ["Indiquez le motif de la correction."]})
    served_by(app, Bookings(refuse=refusal))
    page = staff.post("/equipe/pointage/contrats/k-1/2027-03-10", data={"arrivee": "08:25", "motif": ""})
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert 'id="motif-erreur"' in html and "Indiquez le motif de la correction." in html


def test_the_family_files_correction_sends_the_day_it_applies_from_and_unknown_resources(app, client, recorded_rpc):
    from tests.unit.gateway.test_web_aeeh_children import FAMILY

    app.config["WTF_CSRF_ENABLED"] = False
    client.post("/connexion", data=STAFF)
    recorded_rpc.answers.update(get_family=dict(FAMILY, resources_known=False))
    html = client.get("/equipe/familles/family-1").get_data(as_text=True)
    assert 'name="effective_on" type="date"' in html and 'id="resources_unknown"' in html
    assert "Tarif d&#39;urgence : ressources inconnues" in html and 'value="oui" checked' in html
    form = {"monthly_resources": "5200", "dependent_children": "2", "aeeh_children": "0"}
    client.post("/equipe/familles/family-1/correction", data=dict(form, effective_on="2027-01-01"))
    client.post("/equipe/familles/family-1/correction", data=dict(form, resources_unknown="oui"))
    sent = [args[1] for _service, method, args in recorded_rpc.calls if method == "correct_family"]
    assert [(data.get("effective_on"), data["resources_known"]) for data in sent] == [
        ("2027-01-01", True),
        (None, False),
    ]
