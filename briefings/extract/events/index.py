"""Per-token look-ups built once per document: which actor, place, time and sentence each token belongs to."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from briefings.models import Actor, ActorKind, Mention, Place, Sentence, TimeExpression


@dataclass
class TokenIndex:
    """What the other extractors found, laid over the tokens of one parsed document."""

    actor: list[str | None]
    actor_kind: list[ActorKind | None]
    place: list[str | None]
    time: list[int | None]
    sentence: list[int]
    times: list[TimeExpression]


def _token_range(doc: Doc, start: int, end: int) -> range:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return range(0)
    return range(span.start, span.end)


def _mark(doc: Doc, slots: list[str | None], mentions: list[Mention], value: str) -> None:
    for mention in mentions:
        for i in _token_range(doc, mention.start, mention.end):
            if slots[i] is None:
                slots[i] = value


def build_index(
    doc: Doc, sentences: list[Sentence], actors: list[Actor], places: list[Place], times: list[TimeExpression]
) -> TokenIndex:
    """Lay actors, places, times and sentences over the document's tokens, one linear pass each."""
    size = len(doc)
    actor: list[str | None] = [None] * size
    actor_kind: list[ActorKind | None] = [None] * size
    for found in actors:
        for mention in found.mentions:
            for i in _token_range(doc, mention.start, mention.end):
                if actor[i] is None:
                    actor[i] = found.name
                    actor_kind[i] = found.kind
    place: list[str | None] = [None] * size
    for found_place in places:
        _mark(doc, place, found_place.mentions, found_place.name)
    time: list[int | None] = [None] * size
    for number, expression in enumerate(times):
        for i in _token_range(doc, expression.start, expression.end):
            if time[i] is None:
                time[i] = number
    sentence = [0] * size
    position = 0
    for token in doc:
        while position + 1 < len(sentences) and sentences[position + 1].start <= token.idx:
            position += 1
        sentence[token.i] = sentences[position].index if sentences else 0
    return TokenIndex(actor, actor_kind, place, time, sentence, times)
