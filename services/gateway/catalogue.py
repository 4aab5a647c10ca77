"""The message catalogue: every sentence marked with `_()` in the gateway's code and templates and
in the notifications service's emails (shared/wording.py), and the labels marked `N_()` in
shared/vocabulary.py, in
services/gateway/translations/fr/LC_MESSAGES/messages.po (the one place to change a wording) and
its compiled messages.mo, which Flask-Babel reads for the pages and shared/wording.py for the emails.

The sentences are written in French in the code (French first); a new one gets its French
wording as its translation. `python -m services.gateway.catalogue` (`make messages`) brings the
catalogue up to date with the code and compiles it; tests/unit/gateway/test_catalogue.py fails
when either is behind.
"""

import io
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

GATEWAY = Path(__file__).resolve().parent
SHARED_LABELS = GATEWAY.parent.parent / "shared" / "vocabulary.py"  # the labels the services write too, N_()
EMAILS = GATEWAY.parent / "notifications"  # the emails' sentences, _() of shared/wording.py
CATALOGUE = GATEWAY / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
COMPILED = CATALOGUE.with_suffix(".mo")
METHODS = [("**.py", "python"), ("templates/**.html", "jinja2")]
FIXED_DATE = datetime(2026, 1, 1, tzinfo=timezone.utc)
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "N_": None}


def marked():
    """{msgid: flags} of every sentence marked in the code and templates, the emails, and the shared labels."""
    found = {}
    in_gateway = (message for _, _, message, _, _ in extract_from_dir(GATEWAY, METHODS, keywords=KEYWORDS))
    in_emails = (message for _, _, message, _, _ in extract_from_dir(EMAILS, METHODS[:1], keywords=KEYWORDS))
    shared = (message for _, message, _, _ in extract_from_file("python", SHARED_LABELS, keywords=KEYWORDS))
    for message in (*in_gateway, *in_emails, *shared):
        msgid = message if isinstance(message, str) else message[0]
        found[msgid] = {"python-format"} if "%(" in msgid else set()
    return found


def _catalogue():
    return Catalog(
        locale="fr",
        header_comment="# Cocoon'Age : les phrases des pages et des emails (services/gateway/catalogue.py).",
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
    # Fixed dates: the compiled file changes only when a sentence does.
    catalogue.creation_date = catalogue.revision_date = FIXED_DATE
    out = io.BytesIO()
    write_mo(out, catalogue)
    return out.getvalue()


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
