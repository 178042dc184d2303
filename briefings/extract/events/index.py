"""Per-token look-ups built once per document: which actor, place, time and sentence each token belongs to."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.attrs import IDX, ORTH
from spacy.strings import get_string_id
from spacy.tokens import Doc

from briefings.extract.page_dates import page_stamps, stamp_label_start
from briefings.models import Actor, ActorKind, Mention, Place, Sentence, TimeExpression

# How many words a label before a colon may have.
LABEL_WORDS = 6
_COLON = get_string_id(":")


@dataclass
class TokenIndex:
    """What the other extractors found, laid over the tokens of one parsed document."""

    actor: list[str | None]
    actor_kind: list[ActorKind | None]
    place: list[str | None]
    time: list[int | None]
    sentence: list[int]
    times: list[TimeExpression]
    # The tokens that name a place, in order.
    place_tokens: list[int]
    # Per sentence with a short label before a colon ("Croydon tram crash: ..."), the colon's token index.
    label_end: dict[int, int]
    # The numbers of the times that are the page's own stamp (`page_dates.page_stamps`): they date no event.
    stamps: frozenset[int]
    # The names of the actors that are people.
    people: frozenset[str] = frozenset()
    # The tokens of the page's stamps and of their labels ("PUBLISHED: 22:07 GMT"): no event, no one's name.
    stamp_tokens: frozenset[int] = frozenset()

    def stamp_before(self, i: int) -> int | None:
        """The last stamp token of token i's sentence before it, or None."""
        sentence = self.sentence[i]
        for j in range(i - 1, -1, -1):
            if self.sentence[j] != sentence:
                return None
            if j in self.stamp_tokens:
                return j
        return None


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
    label_end: dict[int, int] = {}
    position = 0
    first_token = 0
    starts = [s.start for s in sentences]
    # Character offsets and words as arrays: one pass, no token objects.
    columns = doc.to_array([IDX, ORTH])
    for i in range(size):
        offset = int(columns[i, 0])
        while position + 1 < len(starts) and starts[position + 1] <= offset:
            position += 1
            first_token = i
        number = sentences[position].index if sentences else 0
        sentence[i] = number
        if int(columns[i, 1]) == _COLON and i - first_token <= LABEL_WORDS and number not in label_end:
            label_end[number] = i
    place_tokens = [i for i, name in enumerate(place) if name is not None]
    stamped = page_stamps(times, doc.text)
    spans = {(t.start, t.end) for t in stamped}
    stamps = frozenset(n for n, t in enumerate(times) if (t.start, t.end) in spans)
    stamp_tokens: set[int] = set()
    for stamp in stamped:
        label = stamp_label_start(doc.text, stamp.start)
        stamp_tokens.update(_token_range(doc, stamp.start if label is None else label, stamp.end))
    people = frozenset(found.name for found in actors if found.kind == "person")
    return TokenIndex(
        actor,
        actor_kind,
        place,
        time,
        sentence,
        times,
        place_tokens,
        label_end,
        stamps,
        people,
        frozenset(stamp_tokens),
    )
