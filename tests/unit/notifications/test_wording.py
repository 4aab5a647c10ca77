"""The emails' sentences come from the message catalogue the pages read (shared/wording.py)."""

import gettext

from services.notifications.domain import messages
from shared import wording


def test_the_emails_read_the_compiled_catalogue_of_the_pages():
    found = wording.translations()
    assert isinstance(found, gettext.GNUTranslations)  # not the fallback: the .mo was found
    assert found.gettext("Réservation confirmée") == "Réservation confirmée"


def test_a_wording_changed_in_the_catalogue_changes_the_email(monkeypatch):
    class Changed(gettext.NullTranslations):
        def gettext(self, message):
            return {"Sur la liste d'attente": "En liste d'attente"}.get(message, message)

    monkeypatch.setattr(wording, "translations", lambda: Changed())
    payload = {"family_id": "f1", "starts_at": "2026-12-01T09:00:00+01:00", "ends_at": "2026-12-01T12:00:00+01:00"}
    [notice] = messages.booking_waitlisted(payload, messages.datetime.now().astimezone().tzinfo)
    assert notice.subject == "En liste d'attente"


def test_named_values_fill_the_sentence():
    assert wording._("Rappel : %(title)s", title="Atelier") == "Rappel : Atelier"
