"""shared.errors.found: what every store's loader says when a row is missing."""

import pytest

from shared.errors import NotFound, found


def test_a_row_that_was_found_is_handed_back_as_it_is():
    row = object()
    assert found(row, "Famille introuvable.") is row


def test_a_missing_row_is_a_404_with_the_sentence_given():
    with pytest.raises(NotFound) as missing:
        found(None, "Famille introuvable.")
    assert missing.value.status == 404 and missing.value.message == "Famille introuvable."


def test_a_falsy_row_still_counts_as_found():
    assert found(0, "Rien.") == 0
