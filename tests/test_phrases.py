"""Phrases cut from the parse: the words of a web address the text opens with are no one's name."""

from __future__ import annotations

from spacy.language import Language

from briefings.extract.events.phrases import address_end, phrase

PAGE = (
    "http: / / www. arlen - post. example / celebrities / 2024 / 06 / 04 / singer - checks - into - rehab / "
    "Singer Mara Quell checks into rehab June 4, 2024 The singer entered a clinic in Arlen on Monday."
)


def test_a_word_of_the_address_heads_no_phrase(nlp: Language) -> None:
    doc = nlp(PAGE)
    start = address_end(doc)
    assert doc[start].text == "Singer"
    assert all(phrase(token) == "" for token in doc[:start])


def test_a_phrase_of_the_title_leaves_the_address_out(nlp: Language) -> None:
    doc = nlp(PAGE)
    start = address_end(doc)
    for token in doc[start:]:
        assert "/" not in phrase(token), token.text


def test_a_text_without_an_address_is_cut_nowhere(nlp: Language) -> None:
    doc = nlp("Singer Mara Quell checks into rehab. The singer entered a clinic on Monday.")
    assert address_end(doc) == 0
    assert phrase(doc[2]) != ""
