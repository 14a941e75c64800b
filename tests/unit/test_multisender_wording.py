"""The multisender's portal pages say everything in Dutch, French and English, with the
same blanks in all three."""

from __future__ import annotations

import string

import pytest

from lucy_events.web.portal.destination_words import WORDS


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_every_multisender_sentence_is_there_in_dutch_and_french_with_the_same_blanks(
        language):
    english, other = WORDS["en"], WORDS[language]
    assert set(other) == set(english)
    for key, text in english.items():
        assert _placeholders(other[key]) == _placeholders(text), key
        assert other[key].strip(), key
