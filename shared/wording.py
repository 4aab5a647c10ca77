"""The sentences a service writes itself (the notifications' emails and notices), read from the one
message catalogue the pages read: services/gateway/translations/fr/LC_MESSAGES/messages.po, compiled
by `make messages` (services/gateway/catalogue.py extracts the `_()` of services/notifications too).

`_("Réservation confirmée pour %(child)s.", child=…)` is flask_babel's gettext's shape: the French
sentence is its own key, with named values, so a sentence is never cut in pieces and a wording is
changed in the catalogue alone. Standard library only (gettext), so the domain modules may use it;
without the compiled file the sentence is the key itself, the same French.
"""

import functools
import gettext
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "services" / "gateway" / "translations"
DOMAIN = "messages"


@functools.cache
def translations():
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=["fr"], fallback=True)


def _(message, **values):
    """The catalogue's wording of `message`, its `%(name)s` filled from `values`."""
    text = translations().gettext(message)
    return text % values if values else text


def ngettext(singular, plural, count, **values):
    text = translations().ngettext(singular, plural, count)
    return text % {"count": count, **values}
