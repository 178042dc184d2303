"""Places: the locations an article names."""

from __future__ import annotations

from spacy.tokens import Doc

from briefings.extract.sentences import sentence_at
from briefings.models import Mention, Place, Sentence

_PLACE_LABELS = {"GPE", "LOC", "FAC"}


def extract_places(doc: Doc, sentences: list[Sentence]) -> list[Place]:
    """Places from named entities, one per name."""
    places: dict[str, Place] = {}
    for ent in doc.ents:
        if ent.label_ not in _PLACE_LABELS:
            continue
        name = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
        place = places.setdefault(name, Place(name=name))
        place.mentions.append(
            Mention(
                text=ent.text,
                start=ent.start_char,
                end=ent.end_char,
                sentence=sentence_at(sentences, ent.start_char),
            )
        )
    return sorted(places.values(), key=lambda p: (-len(p.mentions), p.mentions[0].start))
