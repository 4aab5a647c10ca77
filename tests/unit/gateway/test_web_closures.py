"""The staff's « Fermetures » page with a stand-in for the bookings service: the closures listed
by date, a new one sent with the form's fields (planned or not), a refusal shown next to its field;
and the family's absence form no longer offering the closure or the eviction."""

from shared.errors import Conflict, Invalid
from tests.unit.gateway.conftest import BookingsStandIn, served_by

SUMMER = {
    "id": "c-1",
    "starts_on": "2027-08-02",
    "ends_on": "2027-08-20",
    "label": "Fermeture annuelle d'été",
    "planned": True,
}


class Bookings(BookingsStandIn):
    """Answers as the bookings service would, and records each call."""

    def __init__(self, closures=(), refuse=None):
        super().__init__()
        self.closures, self.refuse = list(closures), refuse

    def list_closures(self, query):
        self.calls.append(("list_closures", query))
        return {"items": self.closures, "next_cursor": None}

    def declare_closure(self, data, declared_by):
        self.calls.append(("declare_closure", data, declared_by))
        if self.refuse:
            raise self.refuse
        return dict(data, id="c-2")

    def close(self):
        pass


def test_the_closures_are_listed_with_their_dates_and_kind(app, staff):
    served_by(app, Bookings([SUMMER, dict(SUMMER, id="c-3", label="Fuite d'eau", planned=False)]))
    html = staff.get("/equipe/fermetures").get_data(as_text=True)
    assert "Fermeture annuelle d&#39;été" in html
    assert "lundi 2 août 2027" in html and "vendredi 20 août 2027" in html
    assert "Prévue (hors contrats)" in html and "Imprévue (déduite des contrats)" in html
    assert 'href="/equipe/fermetures"' in html  # in the staff menu


def test_a_closure_is_sent_with_the_forms_fields_and_the_staff_account(app, staff):
    stand_in = served_by(app, Bookings())
    form = {"label": "Fuite d'eau", "starts_on": "2027-03-10", "ends_on": "2027-03-11", "planned": "non"}
    answer = staff.post("/equipe/fermetures", data=form)
    assert answer.status_code == 302
    [call] = [c for c in stand_in.calls if c[0] == "declare_closure"]
    assert call[1] == {"starts_on": "2027-03-10", "ends_on": "2027-03-11", "label": "Fuite d'eau", "planned": False}
    assert call[2] == staff.staff_id


def test_a_refused_closure_shows_the_services_sentence_next_to_its_field(app, staff):
    refusal = Conflict(
        "La fermeture « Fermeture annuelle d'été » couvre déjà une partie de ces jours.",
        {"starts_on": ["Chevauche « Fermeture annuelle d'été »."]},
    )
    served_by(app, Bookings([SUMMER], refuse=refusal))
    page = staff.post(
        "/equipe/fermetures", data={"label": "Travaux", "starts_on": "2027-08-20", "ends_on": "2027-08-27"}
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 409
    assert 'id="starts_on-erreur"' in html and "Chevauche « Fermeture annuelle d&#39;été »." in html
    assert 'value="Travaux"' in html


def test_an_end_before_the_start_is_shown_on_the_end_field(app, staff):
    served_by(app, Bookings(refuse=Invalid("Cette fermeture ne convient pas.", {"ends_on": ["La fin est avant."]})))
    html = staff.post("/equipe/fermetures", data={"label": "Pont", "starts_on": "2027-05-07", "ends_on": "2027-05-06"})
    assert 'id="ends_on-erreur"' in html.get_data(as_text=True)


def test_the_familys_absence_form_no_longer_offers_the_closure_or_the_eviction(app):
    from services.gateway.web.contracts import reasons

    with app.test_request_context():
        offered = [key for key, *_ in reasons()]
    assert "closure" not in offered and "eviction" not in offered
    assert offered == ["illness_certificate", "hospitalisation", "other"]
