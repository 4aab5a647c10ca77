"""The message catalogue holds every sentence the pages mark, and the compiled file is its own."""

import flask_babel
from babel.messages.pofile import read_po

from services.gateway import catalogue


def test_every_marked_sentence_is_in_the_catalogue_and_nothing_else():
    on_disk = catalogue.CATALOGUE.read_text(encoding="utf-8")
    assert on_disk == catalogue.po_text(catalogue.updated()), "run `make messages`"


def test_the_compiled_catalogue_is_the_one_of_the_po_file():
    with catalogue.CATALOGUE.open("rb") as f:
        expected = catalogue.mo_bytes(read_po(f, locale="fr"))
    assert catalogue.COMPILED.read_bytes() == expected, "run `make messages`"


def test_the_pages_read_their_wording_from_the_catalogue(app):
    with app.test_request_context("/"):
        translations = flask_babel.get_translations()
        assert translations._catalog.get("Aller au contenu") == "Aller au contenu"
        assert len(translations._catalog) > 100


def test_the_shared_labels_are_in_the_catalogue_once_each():
    marked = catalogue.marked()
    assert {"Heure du conte", "Enfants qui marchent", "Données CAF (CDAP)"} <= set(marked)
    assert "Lecture d'histoires" not in marked  # the second name story_time had on the volunteers' pages
