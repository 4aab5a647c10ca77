"""The email of a password reset link: the link in the email only, never in the notice shown on the page."""

from services.notifications.domain import account_emails

LINK = "https://creche.example.fr/mot-de-passe-oublie/nouveau?jeton=secret"
REQUEST = {
    "reset_id": "r-1",
    "role": "volunteer",
    "subject_id": "v-1",
    "email": "lea@example.fr",
    "link": LINK,
    "valid_minutes": 60,
    "by_staff": False,
}


def test_the_email_holds_the_link_and_its_hour_and_the_notice_does_not():
    notice, body = account_emails.password_reset(REQUEST)
    assert LINK in body and "une heure" in body and "ignorez ce message" in body
    assert LINK not in notice.text and "secret" not in notice.text
    assert (notice.role, notice.subject_id, notice.kind) == ("volunteer", "v-1", "password_reset")
    assert notice.subject == "Choisir un nouveau mot de passe"


def test_a_link_sent_by_staff_says_so():
    notice, body = account_emails.password_reset(dict(REQUEST, by_staff=True))
    assert notice.text.startswith("L'équipe de la crèche vous a envoyé")
    assert "L'équipe de la crèche vous a envoyé" in body
