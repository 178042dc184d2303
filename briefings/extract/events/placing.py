"""Which mentions of places the text uses as the place of something, not as an origin or a label.

"in Croydon", "at the White House", "a rural village of Hebei Province", "the Croydon tram crash" place
something there; "a man from Beckenham" and "a Crystal Palace fan" do not. Looked up on the parse for the
few place mentions an article has, when "where" falls back from the main event to the article's places.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from briefings.extract.events.lexicon import LOCATIVE_PREPOSITIONS, NOUN_SENSES
from briefings.models import Place

_MODIFIER_DEPS = frozenset({"compound", "nmod", "amod"})
# Happenings that a place's name may stand before, besides the event nouns ("the Croydon tram tragedy"),
# with the family of events each tells of (`lexicon.RELATED_FAMILIES`).
_HAPPENING_NOUNS: dict[str, str] = {
    "tragedy": "harm",
    "disaster": "harm",
    "fire": "accident",
    "flood": "accident",
    "earthquake": "accident",
    "quake": "accident",
    "storm": "accident",
    "siege": "violence",
}
# How far up a noun compound ("Croydon tram crash victims") an event noun is looked for.
_COMPOUND_REACH = 3


def _in_locative_phrase(token: Token) -> bool:
    """The object of "in", "at", "near" …, or a word inside one ("in northern Kabul", "in a village of X")."""
    for _ in range(3):
        head = token.head
        if head.i == token.i:
            return False
        if token.dep_ == "pobj" and head.dep_ == "prep":
            if head.lower_ in LOCATIVE_PREPOSITIONS:
                return not _within_a_name(head.head)
            if head.lower_ != "of":  # "a village of Hebei": look further up; "from X", "to X": no place
                return False
            token = head.head
            continue
        if token.dep_ in _MODIFIER_DEPS or token.dep_ == "appos":
            token = head
            continue
        return False
    return False


def _within_a_name(word: Token) -> bool:
    """Whether a word is part of an organisation's name that is itself a phrase ("the Organization for
    Security and Cooperation"): "in Europe" after it ends the name, and places nothing there."""
    if word.ent_type_ != "ORG":
        return False
    start = word.i
    while start > 0 and word.doc[start].ent_iob_ == "I":
        start -= 1
    end = word.i + 1
    while end < len(word.doc) and word.doc[end].ent_iob_ == "I":
        end += 1
    # (A locative word the tagger took into the name, "Thompson in" before "Berne", does not make it one.)
    return any(t.dep_ == "prep" and t.lower_ not in LOCATIVE_PREPOSITIONS for t in word.doc[start:end])


def _event_named(token: Token) -> str | None:
    """The family of the event a name stands before ("the Croydon tram crash", "a Kabul bombing"), if any."""
    for _ in range(_COMPOUND_REACH):
        if token.dep_ not in _MODIFIER_DEPS or token.head.i <= token.i:
            return None
        token = token.head
        lemma = token.lemma_.lower()
        if token.pos_ == "NOUN":
            sense = NOUN_SENSES.get(lemma)
            family = sense.family if sense is not None else _HAPPENING_NOUNS.get(lemma)
            if family is not None:
                return family
    return None


def placing_mentions(doc: Doc, places: list[Place]) -> tuple[set[int], dict[int, str]]:
    """The start offsets of the place mentions that stand where a place of something stands, and of those
    among them that name an event after its place ("the Croydon tram crash"), with that event's family."""
    located: set[int] = set()
    naming: dict[int, str] = {}
    for place in places:
        for mention in place.mentions:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            root = span.root
            family = _event_named(root)
            if family is not None:
                naming[mention.start] = family
                located.add(mention.start)
            elif _in_locative_phrase(root):
                located.add(mention.start)
    return located, naming
