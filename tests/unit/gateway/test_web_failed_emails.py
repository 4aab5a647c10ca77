"""The staff's page of failed emails with a stand-in for the notifications service: each email
given up with its error and a « Renvoyer » button that queues it again; staff only."""

from tests.unit.gateway.conftest import BookingsStandIn, served_by

FAILED = {
    "id": "d1",
    "to": "camille@example.fr",
    "subject": "Réservation confirmée",
    "attempts": 8,
    "last_error": "SMTPServerDisconnected: gone",
    "given_up_at": "2030-12-03T09:00:00+01:00",
    "created_at": "2030-12-03T08:00:00+01:00",
}


class Notifications(BookingsStandIn):
    def __init__(self, items):
        super().__init__()
        self.items = items

    def failed_emails(self):
        self.calls.append(("failed_emails",))
        return {"items": self.items}

    def retry_emails(self, ids):
        self.calls.append(("retry_emails", ids))
        return {"queued": 1 if ids in (["d1"], None) else 0}

    def close(self):
        pass


def test_the_page_lists_each_failed_email_with_its_error_and_a_resend_button(app, staff):
    served_by(app, Notifications([FAILED]))
    html = staff.get("/equipe/emails-en-echec").get_data(as_text=True)
    assert "<h1>Emails en échec</h1>" in html
    assert "camille@example.fr" in html and "SMTPServerDisconnected: gone" in html
    assert 'action="/equipe/emails-en-echec/d1/renvoyer"' in html and ">Renvoyer</button>" in html
    assert 'href="/equipe/emails-en-echec"' in html  # in the staff menu


def test_resend_queues_the_email_again_and_says_so(app, staff):
    stand_in = served_by(app, Notifications([FAILED]))
    answer = staff.post("/equipe/emails-en-echec/d1/renvoyer", follow_redirects=True)
    assert ("retry_emails", ["d1"]) in stand_in.calls
    assert "Email remis en file d&#39;envoi." in answer.get_data(as_text=True)


def test_resend_all_queues_every_failed_email(app, staff):
    stand_in = served_by(app, Notifications([FAILED]))
    staff.post("/equipe/emails-en-echec/renvoyer-tout")
    assert ("retry_emails", None) in stand_in.calls


def test_without_failed_emails_the_page_says_so(app, staff):
    served_by(app, Notifications([]))
    assert "Aucun email en échec." in staff.get("/equipe/emails-en-echec").get_data(as_text=True)


def test_the_page_is_for_staff_only(app, client):
    served_by(app, Notifications([FAILED]))
    answer = client.get("/equipe/emails-en-echec")
    assert answer.status_code in (302, 303, 401, 403)


class Catcher(BookingsStandIn):
    def __init__(self, answer):
        super().__init__()
        self.answer = answer

    def caught_emails(self):
        return self.answer

    def close(self):
        pass


def test_in_development_staff_read_the_emails_the_local_catcher_kept(app, staff):
    kept = {
        "message_id": "<m1@cocoonage>",
        "from": "Cocoon'Age <ne-pas-repondre@cocoonage.fr>",
        "to": "camille@example.fr",
        "subject": "Réservation confirmée",
        "date": "2030-12-03T09:00:00+00:00",
        "text": "Bonjour,\n\nRéservation confirmée pour Léa.",
        "attachments": [{"filename": "invitation.ics", "content_type": "text/calendar"}],
    }
    served_by(app, Catcher({"enabled": True, "items": [kept]}))
    html = staff.get("/equipe/emails-de-developpement").get_data(as_text=True)
    assert '<h2 id="email-1">Réservation confirmée</h2>' in html
    assert "Réservation confirmée pour Léa." in html and "invitation.ics (text/calendar)" in html


def test_without_the_catcher_the_page_says_where_emails_go(app, staff):
    served_by(app, Catcher({"enabled": False, "items": []}))
    html = staff.get("/equipe/emails-de-developpement").get_data(as_text=True)
    assert 'id="pas-de-capteur"' in html
