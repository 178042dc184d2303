"""Which sentences report something that happened: what tells a page's news from its furniture."""

from __future__ import annotations

import pytest
from spacy.lang.en import English
from spacy.tokens import Doc

from briefings.extract.reports import report_sentences
from briefings.models import Sentence

NEWS = [
    "Police arrested a man in Verlo on Tuesday after a break-in at the town library.",
    "The coastal road was closed overnight when a landslide buried a bus stop.",
    "Councillor Mara Linde has resigned over the harbour contract, her office said.",
    '"We did everything we could," the fire chief said after the blaze.',
    '"You will not close this school," Mayor Ilse Varnholm told the council.',
    # In the present, when someone named does it.
    "Lanmore Air adds two routes to the islands from next month.",
    # A state, or what is to come on a particular occasion.
    "The ballot count is over in Lanmore.",
    "The harbour police will hold a press conference this afternoon.",
    # That something happened, who someone named now is, what is said to have happened.
    "There was an explosion at the Verlo gasworks on Friday.",
    "Mara Linde is the new harbour pilot of Oskby.",
    "Police say the man may have fled across the border.",
    # An outlet's own reporter is a witness like any other.
    "Our correspondent reached the flooded village of Verlo on Tuesday.",
    "The mayor hopes to reopen the bridge by Friday, her office said.",
]
NOT_NEWS = [
    # Talking to the reader, or about the page itself.
    "Subscribe to our newsletter and get the top stories in your inbox.",
    "You can add your location to your posts from the settings page.",
    "We have updated our privacy policy.",
    "Older reports are stored on our site for a year.",
    "When you post from a phone, Brightline stores where you were.",
    # What goes on in general, or will: no happening.
    "Since 2004 partner libraries have been sending their scans to the archive.",
    "New scans are added to the collection every day after a waiting period.",
    "The council publishes the minutes of its meetings every week.",
    # What a thing is, a state that does not hold, what can be, a wish: no happening. A clause that
    # describes a noun ("as they are published") is not what the sentence says.
    "These scans are part of a project to keep pages as they are published.",
    "The aim is to mend every broken link on the web.",
    "The scanned files are not available to the public yet.",
    "Each credit can be spent in the shop or saved for later.",
    "The library hopes that old links will point to the saved copies.",
    # What a thing holds, or the state it stands in now: how it is, not what happened to it.
    "The collection contains scans of the town's papers made by the library.",
    "These scans are available to the general public.",
    "The replay is available once the stream has ended.",
    # What will happen whenever something does: a rule, no occasion.
    "This way, as the pages that are linked are moved or taken off the web, a copy of the version that was up "
    "when the story was written will be saved.",
    # A label too short to say who did what.
    "All rights reserved.",
    # A headline in the present: the report's body says what happened.
    "Landslide buries bus stop on coastal road",
]


@pytest.mark.parametrize("sentence", NEWS)
def test_a_sentence_that_tells_of_a_third_party_on_an_occasion_reports(analyze, sentence):
    assert analyze(sentence).report_sentences == [0]


@pytest.mark.parametrize("sentence", NOT_NEWS)
def test_notices_addresses_to_the_reader_and_generalities_report_nothing(analyze, sentence):
    assert analyze(sentence).report_sentences == []


def test_only_the_reporting_sentences_of_a_page_are_listed(analyze):
    page = " ".join([NOT_NEWS[0], NEWS[1], NOT_NEWS[1]])
    analysis = analyze(page)
    assert [analysis.sentences[i].text for i in analysis.report_sentences or []] == [NEWS[1]]


def test_a_time_word_in_a_web_address_does_not_make_the_report_a_habit(analyze):
    analysis = analyze(
        "www.example.org / video / nightly - news / 4411 Mara Linde, harbour pilot, dies at 91"
    )
    assert any(t.type == "SET" for t in analysis.times)
    assert analysis.report_sentences


def test_a_sentence_parsed_without_a_verb_at_its_root_reports_through_any_clause():
    # The parser may take a page's address, headline and date line for one phrase headed by a noun (as
    # here by "page"): no main clause shows, so any clause in it with a subject of its own counts.
    words = ["Oskby", "harbour", "page", ":", "Mara", "Linde", "quits", "as", "harbour", "pilot", "today"]
    heads = [2, 2, 2, 2, 5, 6, 2, 6, 9, 7, 6]
    deps = [
        "compound",
        "compound",
        "ROOT",
        "punct",
        "compound",
        "nsubj",
        "appos",
        "prep",
        "compound",
        "pobj",
        "npadvmod",
    ]
    pos = ["PROPN", "NOUN", "NOUN", "PUNCT", "PROPN", "PROPN", "VERB", "ADP", "NOUN", "NOUN", "NOUN"]
    doc = Doc(English().vocab, words=words, heads=heads, deps=deps, pos=pos)
    assert doc[:].root.text == "page"
    assert report_sentences(doc, [Sentence(index=0, start=0, end=len(doc.text), text=doc.text)], []) == [0]
