"""The pages' message catalogue: every sentence marked with `_()` in the gateway's code and
templates, in services/gateway/translations/fr/LC_MESSAGES/messages.po (the one place to change
a wording) and its compiled messages.mo, which Flask-Babel reads.

The sentences are written in French in the code (French first); a new one gets its French
wording as its translation. `python -m services.gateway.catalogue` (`make messages`) brings the
catalogue up to date with the code and compiles it; tests/unit/gateway/test_catalogue.py fails
when either is behind.
"""

import io
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

GATEWAY = Path(__file__).resolve().parent
CATALOGUE = GATEWAY / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
COMPILED = CATALOGUE.with_suffix(".mo")
METHODS = [("**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None}


def marked():
    """{msgid: flags} of every sentence marked in the code and templates."""
    found = {}
    for _, _, message, _, _ in extract_from_dir(GATEWAY, METHODS, keywords=KEYWORDS, options_map={}):
        msgid = message if isinstance(message, str) else message[0]
        found[msgid] = {"python-format"} if "%(" in msgid else set()
    return found


def _catalogue():
    return Catalog(
        locale="fr",
        header_comment="# Cocoon'Age : les phrases des pages (services/gateway/catalogue.py, `make messages`).",
        project="Cocoon'Age",
        version="1",
        copyright_holder="Cocoon'Age",
        msgid_bugs_address="equipe@cocoonage.local",
        last_translator="Cocoon'Age <equipe@cocoonage.local>",
        language_team="Cocoon'Age <equipe@cocoonage.local>",
        fuzzy=False,
    )


def current():
    if not CATALOGUE.exists():
        return _catalogue()
    with CATALOGUE.open("rb") as f:
        return read_po(f, locale="fr")


def updated():
    """The catalogue with every marked sentence, each keeping its wording if it had one; the
    sentences no longer in the code dropped."""
    old = current()
    catalogue = _catalogue()
    for msgid, flags in sorted(marked().items()):
        before = old.get(msgid)
        catalogue.add(msgid, before.string if before and before.string else msgid, flags=flags)
    return catalogue


def po_text(catalogue):
    out = io.BytesIO()
    write_po(out, catalogue, omit_header=False, sort_output=True, no_location=True, width=100)
    return _without_dates(out.getvalue().decode())


def mo_bytes(catalogue):
    # The .po keeps no dates (_without_dates), so read_po dates the catalogue "now": a fixed date
    # keeps the compiled file the same from one minute to the next (the test compares them).
    catalogue.creation_date = FIXED_DATE
    out = io.BytesIO()
    write_mo(out, catalogue)
    return out.getvalue()


FIXED_DATE = datetime(2000, 1, 1, tzinfo=timezone.utc)


def _without_dates(text):
    # The creation and revision dates would change the file at every run.
    return (
        "\n".join(line for line in text.splitlines() if not line.startswith(('"POT-Creation-Date', '"PO-Revision')))
        + "\n"
    )


def main():
    catalogue = updated()
    CATALOGUE.parent.mkdir(parents=True, exist_ok=True)
    CATALOGUE.write_text(po_text(catalogue), encoding="utf-8")
    with CATALOGUE.open("rb") as f:  # compile what is on disk, so a hand edit of the .po counts
        COMPILED.write_bytes(mo_bytes(read_po(f, locale="fr")))
    print(f"{len(catalogue)} phrases dans {CATALOGUE.relative_to(GATEWAY.parent.parent)}")


if __name__ == "__main__":
    main()
