"""Run the events extractor on a short text, with the actors, places and times given by hand.

The other extractors have tests of their own; giving their results here keeps these tests about events.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from spacy.language import Language

from briefings.extract.events import extract_events, main_event
from briefings.extract.sentences import extract_sentences, sentence_at
from briefings.models import Actor, ActorKind, Event, FiveW, Mention, Place, Sentence, TimeExpression


@dataclass
class Parsed:
    """What the events extractor made of one text."""

    events: list[Event]
    w: FiveW
    sentences: list[Sentence]

    def of_type(self, event_type: str) -> Event:
        """The one event of a type (fails the test when there is none, or several)."""
        found = [e for e in self.events if e.type == event_type]
        assert len(found) == 1, f"{event_type}: {found}"
        return found[0]


def _mentions(text: str, sentences: list[Sentence], surface: str) -> list[Mention]:
    return [
        Mention(text=m.group(), start=m.start(), end=m.end(), sentence=sentence_at(sentences, m.start()))
        for m in re.finditer(rf"\b{re.escape(surface)}\b", text)
    ]


def run_events(
    nlp: Language,
    text: str,
    actors: Iterable[tuple[str, ActorKind]] = (),
    places: Iterable[str] = (),
    times: Mapping[str, str] | None = None,
    published: datetime | None = None,
) -> Parsed:
    """Parse `text` once and extract its events, given who and what places and times it names."""
    doc = nlp(text)
    sentences = extract_sentences(doc)
    found_actors = [
        Actor(name=name, kind=kind, mentions=_mentions(text, sentences, name)) for name, kind in actors
    ]
    found_places = [Place(name=name, mentions=_mentions(text, sentences, name)) for name in places]
    found_times: list[TimeExpression] = []
    for words, value in (times or {}).items():
        kind = "TIME" if "T" in value[4:] else "DATE"
        for mention in _mentions(text, sentences, words):
            found_times.append(
                TimeExpression(
                    text=mention.text,
                    start=mention.start,
                    end=mention.end,
                    type=kind,
                    value=value,
                    sentence=mention.sentence,
                )
            )
    found_times.sort(key=lambda t: t.start)
    events = extract_events(doc, sentences, found_actors, found_places, found_times)
    w = main_event(events, found_actors, found_places, found_times, sentences, published)
    return Parsed(events=events, w=w, sentences=sentences)
