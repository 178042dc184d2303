"""Quotes: direct quotes with their speakers, and reported speech, on short texts written for each behaviour."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from spacy.language import Language

from briefings.extract.actors import extract_actors
from briefings.extract.quoted_spans import find_quoted_spans
from briefings.extract.quotes import extract_quotes
from briefings.extract.sentences import extract_sentences
from briefings.models import Quote

Extract = Callable[[str], list[Quote]]


@pytest.fixture(scope="module")
def quotes_in(nlp: Language) -> Extract:
    def run(text: str) -> list[Quote]:
        doc = nlp(text)
        sentences = extract_sentences(doc)
        return extract_quotes(doc, sentences, extract_actors(doc, sentences))

    return run


def direct(quotes: list[Quote]) -> list[Quote]:
    return [q for q in quotes if q.direct]


def test_quote_then_speaker(quotes_in: Extract) -> None:
    quotes = direct(quotes_in('"The bridge will reopen on Monday," said Mayor Lena Okafor.'))
    assert [(q.text, q.speaker) for q in quotes] == [("The bridge will reopen on Monday", "Lena Okafor")]


def test_speaker_then_quote_with_comma_or_colon(quotes_in: Extract) -> None:
    text = (
        'Mayor Lena Okafor visited the harbour. Okafor said, "We have cleared the debris." '
        'Later she told reporters: "The ferries run again."'
    )
    quotes = direct(quotes_in(text))
    assert [(q.text, q.speaker) for q in quotes] == [
        ("We have cleared the debris.", "Lena Okafor"),
        ("The ferries run again.", "Lena Okafor"),
    ]


def test_cue_in_the_middle_joins_both_halves(quotes_in: Extract) -> None:
    text = 'Harbour master Tomas Reyes toured the docks. "The situation," he said, "is calm."'
    quotes = direct(quotes_in(text))
    assert len(quotes) == 1
    assert quotes[0].text == "The situation is calm."
    assert quotes[0].speaker == "Tomas Reyes"


def test_quote_of_several_sentences_is_one_quote(quotes_in: Extract) -> None:
    text = '"The water rose fast. We moved the boats. Nobody was hurt," said Tomas Reyes.'
    quotes = direct(quotes_in(text))
    assert len(quotes) == 1
    assert quotes[0].text == "The water rose fast. We moved the boats. Nobody was hurt"
    assert quotes[0].speaker == "Tomas Reyes"


def test_quote_split_by_a_line_break_is_one_quote(quotes_in: Extract) -> None:
    text = (
        "Council spokeswoman Ines Varga said the road was shut. “We know about the delays.\n"
        "Crews will work through the night,” Varga said."
    )
    quotes = direct(quotes_in(text))
    assert len(quotes) == 1
    assert quotes[0].text == "We know about the delays. Crews will work through the night"
    assert quotes[0].speaker == "Ines Varga"


def test_straight_and_curly_marks_mixed(quotes_in: Extract) -> None:
    quotes = direct(quotes_in('"We are ready for the storm,” Ines Varga said.'))
    assert [(q.text, q.speaker) for q in quotes] == [("We are ready for the storm", "Ines Varga")]


def test_pronoun_speaker_is_the_person_meant(quotes_in: Extract) -> None:
    text = (
        "Mayor Lena Okafor opened her office early. She met harbour master Tomas Reyes at the pier. "
        '"We will rebuild the sea wall," she said.'
    )
    quotes = direct(quotes_in(text))
    assert [q.speaker for q in quotes] == ["Lena Okafor"]


def test_pronoun_speaker_follows_the_latest_subject(quotes_in: Extract) -> None:
    text = (
        "Lena Okafor thanked the volunteers. Tomas Reyes inspected the pier on Tuesday. "
        '"The pier is safe to use," he said.'
    )
    quotes = direct(quotes_in(text))
    assert [q.speaker for q in quotes] == ["Tomas Reyes"]


def test_speaker_named_after_a_title(quotes_in: Extract) -> None:
    text = '"Repairs start this week," Transport Ministry spokesperson Ana Duarte said.'
    quotes = direct(quotes_in(text))
    assert [q.speaker for q in quotes] == ["Ana Duarte"]


def test_speaker_without_a_name_is_the_phrase_as_written(quotes_in: Extract) -> None:
    quotes = direct(quotes_in('"Traffic is moving again on the coast road," a police spokesman said.'))
    assert [q.speaker for q in quotes] == ["a police spokesman"]


def test_scare_quotes_are_not_quotes(quotes_in: Extract) -> None:
    text = 'The so-called "peace plan" was tabled by the "committee" on Friday.'
    assert direct(quotes_in(text)) == []


def test_partial_quote_opening_reported_speech(quotes_in: Extract) -> None:
    text = 'Lena Okafor urged calm, saying "nobody should panic tonight" as the river rose.'
    quotes = direct(quotes_in(text))
    assert [(q.text, q.speaker) for q in quotes] == [("nobody should panic tonight", "Lena Okafor")]


def test_indirect_speech_is_marked_not_direct(quotes_in: Extract) -> None:
    quotes = quotes_in("Tomas Reyes said that the harbour would reopen next week.")
    assert [(q.text, q.speaker, q.direct) for q in quotes] == [
        ("the harbour would reopen next week", "Tomas Reyes", False)
    ]


def test_quote_paragraph_without_cue_goes_on_in_the_same_voice(quotes_in: Extract) -> None:
    text = (
        '"We lost two boats in the night," Tomas Reyes said.\n'
        '"The rest of the fleet is safe and will sail tomorrow."'
    )
    quotes = direct(quotes_in(text))
    assert [q.speaker for q in quotes] == ["Tomas Reyes", "Tomas Reyes"]


def test_dash_byline_names_the_speaker(quotes_in: Extract) -> None:
    text = "“The river took everything we had in one night.” ― Marta Sousa\n"
    quotes = direct(quotes_in(text))
    assert [q.speaker for q in quotes] == ["Marta Sousa"]


def test_quoted_spans_tolerate_unbalanced_marks() -> None:
    text = 'He said "one two three and left. Then “four five six”.'
    spans = find_quoted_spans(text)
    assert [text[s.inner_start : s.inner_end] for s in spans] == ["four five six"]


@pytest.mark.parametrize("text", ["", "   ", "\n\n", '"', "“”", "Just a sentence without quotes."])
def test_odd_input_gives_no_quotes(quotes_in: Extract, text: str) -> None:
    assert direct(quotes_in(text)) == []


def test_quoted_spans_stay_inside_the_text_in_order() -> None:
    alphabet = list("ab .,\n\"“”‘’'-―:")
    rng = random.Random(7)
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(80)))
        spans = find_quoted_spans(text)
        for span in spans:
            assert 0 <= span.start <= span.inner_start <= span.inner_end <= span.end <= len(text)
        starts = [span.start for span in spans]
        assert starts == sorted(starts)


def test_odd_unicode_and_long_text_do_not_raise(quotes_in: Extract) -> None:
    text = ('\u200b“Ünïcødé ☃ quotes,” said Zoë Ålund.\u00a0"' * 3) + ("Filler sentence here. " * 400)
    quotes = direct(quotes_in(text))
    assert all(q.speaker is None or "Zo" in q.speaker for q in quotes)


def test_they_stands_for_the_people_named_before(quotes_in: Extract) -> None:
    text = 'The fishermen blocked the harbour road on Monday. "We cannot feed our families," they said.'
    quotes = direct(quotes_in(text))
    assert [q.speaker for q in quotes] == ["The fishermen"]


def test_speaker_of_a_verb_after_a_preposition(quotes_in: Extract) -> None:
    text = 'Singer Rosa Blanco thanked Mayor Ines Varga before asking her, "Where do we go from here?"'
    quotes = direct(quotes_in(text))
    assert [q.speaker for q in quotes] == ["Rosa Blanco"]


def test_transcript_turn_quoted_whole_names_its_speaker(quotes_in: Extract) -> None:
    text = (
        "Governor Mark Ellery spoke to host Dana Whitfield on Sunday.\n"
        '"ELLERY: We will not raise the ferry fares this year, and that is a promise.\n'
        '"WHITFIELD: Can you promise that for next year as well?"'
    )
    quotes = direct(quotes_in(text))
    assert [(q.speaker, q.text[:9]) for q in quotes] == [
        ("Mark Ellery", "We will n"),
        ("Dana Whitfield", "Can you p"),
    ]


def test_where_it_was_said_is_not_part_of_the_speaker(quotes_in: Extract) -> None:
    quotes = quotes_in("The coast guard in a statement said that 40 fishermen had been rescued.")
    assert [q.speaker for q in quotes] == ["The coast guard"]
