"""The notifications page and the menu's unread count, with stand-ins for the services: the count
in words, the page of the signed-in person only, and pages that still render when the
notifications service does not answer."""

from contextlib import contextmanager

import pytest
from nameko.exceptions import RpcTimeout

from services.gateway import auth
from services.gateway.models import database
from tests.unit.gateway.conftest import served_by

PASSWORD = "les-petits-loups"
NOTICE = {
    "id": "n-1",
    "kind": "booking_confirmed",
    "text": "Réservation confirmée pour Léa : mardi 3 décembre, 8\u00a0h\u00a030 – 12\u00a0h\u00a030.",
    "created_at": "2030-12-01T10:00:00+01:00",
    "read": False,
}


class Notifications:
    """Stands in for the RPC pools: answers as the notifications service would, and records who asked."""

    def __init__(self, unread=1, down=False):
        self.unread, self.down, self.asked, self.reminders = unread, down, [], True

    @contextmanager
    def cluster(self, correlation_id=None, context=None):
        if self.down:
            raise RpcTimeout("notifications")
        yield self

    @property
    def notifications(self):
        return self

    def list_notifications(self, role, subject_id, query):
        self.asked.append((role, subject_id))
        return {"items": [dict(NOTICE, read=not self.unread)], "next_cursor": None}

    def unread_count(self, role, subject_id):
        self.asked.append((role, subject_id))
        return {"unread": self.unread}

    def mark_read(self, role, subject_id, notification_id):
        self.asked.append((role, subject_id, notification_id))
        self.unread = 0
        return dict(NOTICE, read=True)

    def email_choices(self, role, subject_id):
        optional = [{"category": "reminders", "wanted": self.reminders}, {"category": "confirmations", "wanted": True}]
        return {"optional": optional, "always": ["invoices", "account", "contract", "changes"]}

    def choose_emails(self, role, subject_id, wanted):
        self.asked.append((role, subject_id, wanted))
        self.reminders = wanted.get("reminders", self.reminders)
        return self.email_choices(role, subject_id)

    def close(self):
        pass


@pytest.fixture
def family(app):
    app.config["WTF_CSRF_ENABLED"] = False  # the CSRF refusal has its own browser test
    with app.app_context(), database.connection_context():
        auth.create_account("famille@example.fr", PASSWORD, "family", subject_id="family-1")
    client = app.test_client()
    client.post("/connexion", data={"email": "famille@example.fr", "password": PASSWORD})
    return client


def test_the_menu_says_how_many_are_unread_in_words(app, family):
    served_by(app, Notifications(unread=2))
    html = family.get("/simulateur").get_data(as_text=True)
    assert '<span class="count" aria-hidden="true"> (2)</span>' in html  # what the eye reads
    assert '<span class="visually-hidden"> (2 non lues)</span>' in html  # what a screen reader says


def test_one_unread_is_said_in_the_singular_and_none_shows_no_count(app, family):
    stand_in = served_by(app, Notifications(unread=1))
    assert "> (1 non lue)</span>" in family.get("/simulateur").get_data(as_text=True)
    stand_in.unread = 0
    html = family.get("/simulateur").get_data(as_text=True)
    assert ">Notifications</a>" in html and 'class="count"' not in html


def test_the_page_lists_the_signed_in_persons_own_notifications_marked_unread_in_words(app, family):
    stand_in = served_by(app, Notifications(unread=1))
    html = family.get("/notifications/").get_data(as_text=True)
    assert html.count("<h1>") == 1
    assert "Non lue" in html and NOTICE["text"] in html
    assert "Marquer comme lue" in html and 'name="idempotency_key"' in html
    assert "Vous avez 1 notification non lue." in html
    assert set(stand_in.asked) == {("family", "family-1")}


def test_marking_one_read_names_it_and_goes_back_to_the_page(app, family):
    stand_in = served_by(app, Notifications(unread=1))
    response = family.post("/notifications/n-1/lue", data={"idempotency_key": "k1"})
    assert (response.status_code, response.location) == (302, "/notifications/")
    assert ("family", "family-1", "n-1") in stand_in.asked


def test_with_the_notifications_service_down_pages_render_without_the_count(app, family):
    served_by(app, Notifications(down=True))
    page = family.get("/simulateur")
    assert page.status_code == 200
    assert ">Notifications</a>" in page.get_data(as_text=True)


def test_with_the_notifications_service_down_its_page_says_which_part_is_unavailable(app, family):
    served_by(app, Notifications(down=True))
    page = family.get("/notifications/")
    assert page.status_code == 503
    assert "vos notifications" in page.get_data(as_text=True)


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get("/notifications/")
    assert (response.status_code, response.location) == (302, "/connexion?suite=/notifications/")


def test_the_page_offers_a_box_per_optional_category_and_lists_the_emails_that_always_go(app, family):
    served_by(app, Notifications(unread=1))
    html = family.get("/notifications/").get_data(as_text=True)
    assert (
        '<input type="checkbox" id="email-reminders" name="recevoir" value="reminders" '
        'aria-describedby="email-reminders-aide" checked>' in html
    )
    assert '<label for="email-reminders">Rappels</label>' in html
    assert '<label for="email-confirmations">Confirmations</label>' in html
    assert "Toujours envoyés" in html and "<li>Factures</li>" in html and "<li>Mot de passe et compte</li>" in html


def test_unticking_reminders_records_the_persons_own_choice_for_every_box_offered(app, family):
    stand_in = served_by(app, Notifications(unread=1))
    response = family.post(
        "/notifications/emails",
        data={"idempotency_key": "k2", "proposees": ["reminders", "confirmations"], "recevoir": ["confirmations"]},
    )
    assert (response.status_code, response.location) == (302, "/notifications/")
    assert ("family", "family-1", {"reminders": False, "confirmations": True}) in stand_in.asked
    html = family.get("/notifications/").get_data(as_text=True)
    assert "Vos choix d&#39;emails sont enregistrés." in html or "Vos choix d'emails sont enregistrés." in html
    assert 'value="reminders" aria-describedby="email-reminders-aide">' in html  # no longer ticked
