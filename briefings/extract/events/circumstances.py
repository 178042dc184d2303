"""Where, why and how an event happened, as short phrases from its clause."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

from spacy.tokens import Doc, Token

from briefings.extract.events.index import TokenIndex
from briefings.extract.events.lexicon import (
    FIGURATIVE_PLACE_NOUNS,
    LOCATIVE_PREPOSITIONS,
    MEANS_PREPOSITIONS,
    NOUN_SENSES,
    PLACE_HEAD_NOUNS,
    PLACE_NOUNS,
    PURPOSE_STRENGTH,
    REASON_OPENERS,
    WEAPON_LEMMAS,
    EventSense,
)
from briefings.extract.events.participants import entity_text
from briefings.extract.events.phrases import SIDE_CLAUSES, phrase, phrase_tokens, render
from briefings.extract.events.syntax import child_of, subtree_range
from briefings.extract.events.triggers import OTHER, base_form
from briefings.extract.lexicons import word_list

_REASON_WORDS = 18


def _words(token: Token, count: int) -> tuple[str, ...]:
    doc = token.doc
    return tuple(t.lower_ for t in doc[token.i : min(len(doc), token.i + count)])


def reason_strength(token: Token) -> float:
    """How surely a phrase gives a reason, by its first words ("in revenge", "because"); 0 if it gives none."""
    words = _words(token, 3)
    return max(
        (strength for opener, strength in REASON_OPENERS.items() if words[: len(opener)] == opener),
        default=0.0,
    )


def is_time(index: TokenIndex, token: Token) -> bool:
    """Whether a phrase opens with a time ("on Friday", "late on Thursday")."""
    end = min(token.right_edge.i, token.i + 1)
    return any(index.time[i] is not None for i in range(token.left_edge.i, end + 1))


def reason(index: TokenIndex, holder: Token) -> tuple[str | None, float]:
    """The best reason phrase attached to a clause: "in revenge for ...", "because ...", "to ...", "after ..."."""
    best: tuple[str | None, float] = (None, 0.0)
    for child in holder.children:
        strength = 0.0
        if child.dep_ == "prep":
            if is_time(index, child):
                continue
            strength = reason_strength(child)
        elif child.dep_ == "advcl":
            mark = child_of(child, "mark")
            if mark is not None:
                strength = reason_strength(mark)
            elif any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children):
                strength = PURPOSE_STRENGTH
        if strength > best[1]:
            tokens = phrase_tokens(child, limit=_REASON_WORDS, drop=frozenset({"relcl", "parataxis"}))
            tokens += _reason_object(holder, child)
            text = render(tokens)
            if text:
                best = (text, strength)
    return best


def _reason_object(holder: Token, reason: Token) -> list[Token]:
    """What a revenge or response was for, when the parser hung it on the verb: "in revenge | for the arrest"."""
    if reason.dep_ != "prep" or child_of(reason, "pobj") is None:
        return []
    noun = child_of(reason, "pobj")
    if noun is None or noun.lemma_.lower() not in ("revenge", "retaliation", "response", "reply", "protest"):
        return []
    end = max(t.i for t in reason.subtree)
    for sibling in holder.children:
        if (
            sibling.dep_ == "prep"
            and sibling.i == end + 1
            and sibling.lower_ in ("for", "to", "against", "at", "over")
        ):
            return phrase_tokens(sibling, limit=_REASON_WORDS, drop=frozenset({"relcl", "parataxis"}))
    return []


def means(index: TokenIndex, trigger: Token, sense: EventSense, obj: Token | None) -> str | None:
    """How it was done: "with a truck bomb", "by ramming ...", "using drones", the weapon launched."""
    for child in trigger.children:
        lower = child.lower_
        if child.dep_ == "prep" and lower in MEANS_PREPOSITIONS:
            pobj = child_of(child, "pobj", "pcomp")
            if pobj is None or index.actor_kind[pobj.i] is not None or is_time(index, child):
                continue
            if lower == "by" and pobj.tag_ != "VBG":
                continue
            return phrase(child, limit=8)
        if child.dep_ in ("advcl", "xcomp") and child.lemma_.lower() == "use" and child.tag_ == "VBG":
            return phrase(child, limit=8)
        if (
            child.dep_ == "prep"
            and lower in ("in", "during")
            and sense.family in ("harm", "injure")
            and (pobj := child_of(child, "pobj")) is not None
            and NOUN_SENSES.get(pobj.lemma_.lower(), OTHER).family in ("violence", "accident")
        ):
            return phrase(child, limit=8)
    if sense.object_is_instrument and obj is not None and base_form(obj) in WEAPON_LEMMAS:
        return phrase(obj, limit=6, drop=SIDE_CLAUSES | {"acl", "prep"})
    return None


_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "poss"})


def _is_event_name(token: Token) -> bool:
    """The name of a happening ("at the Brazilian Grand Prix", "at the Climate Summit"): no place."""
    return token.ent_type_ == "EVENT" or token.lower_ in word_list("event_words")


def _could_be_a_venue_name(index: TokenIndex, pobj: Token) -> bool:
    """Whether a capitalised object could be a place's name: a name holds no time ("at about 02:15 GMT";
    "In A Single Operation Posted on November 15", a headline in title case)."""
    own_times = {
        t.i
        for child in pobj.children
        if child.dep_ in ("prep", "npadvmod") and is_time(index, child)
        for t in child.subtree
    }  # "at Interlagos on Sunday": the time is the event's, hung on the venue by the parser
    return not any(index.time[i] is not None and i not in own_times for i in subtree_range(pobj))


def first_place(
    index: TokenIndex, doc: Doc, indices: Iterable[int], exclude: set[int], modifiers: bool = True
) -> Token | None:
    """The first place named among the tokens at `indices`; one that only modifies a noun ("US troops")
    comes last, if at all."""
    modifier: Token | None = None
    for i in indices:
        if index.place[i] is None or i in exclude:
            continue
        token = doc[i]
        if token.dep_ not in _MODIFIER_DEPS:
            return token
        modifier = modifier or token
    return modifier if modifiers else None


def _in_locative_phrase(index: TokenIndex, token: Token) -> bool:
    """Whether a place's name stands in a locative phrase ("in downtown Seattle", "near the border")."""
    name = index.place[token.i]
    if name is None:
        return False
    root = token
    for _ in range(6):
        head = root.head
        if head.i == root.i or index.place[head.i] != name:
            break
        root = head
    head = root.head
    if head.dep_ == "prep" and head.lower_ in LOCATIVE_PREPOSITIONS:
        return True
    # "in northern Kabul", "in St George's Street": the place inside a locative noun phrase.
    if (
        head.head.dep_ == "prep"
        and head.head.lower_ in LOCATIVE_PREPOSITIONS
        and root.dep_ in ("pobj", "compound", "amod", "poss")
    ):
        return True
    # "in the waters of the Gulf of Aden", "on the outskirts of Kabul": the place of a locative object.
    area = head.head
    return (
        head.lower_ == "of"
        and root.dep_ == "pobj"
        and area.dep_ == "pobj"
        and area.lemma_.lower() not in FIGURATIVE_PLACE_NOUNS
        and area.head.dep_ == "prep"
        and area.head.lower_ in LOCATIVE_PREPOSITIONS
    )


def core(token: Token) -> set[int]:
    """A participant's words without the locative phrases hung on it ("the Front near the border") and the
    clauses that tell of it ("pirates who threatened a ship in the Gulf of Aden": their own event)."""
    left_out = {
        t.i
        for child in token.children
        if (child.dep_ == "prep" and child.lower_ in LOCATIVE_PREPOSITIONS) or child.dep_ == "relcl"
        for t in child.subtree
    }
    return {t.i for t in token.subtree} - left_out


# What a place's phrase leaves out: its clauses and what is joined or set beside it ("a hospital, his son
# and daughter", "court in Derry accused of theft"), unless that is a place too ("the school, Kempston");
# its times are left out apart (`_place_phrase`).
_PLACE_PHRASE_DROP = SIDE_CLAUSES | {"acl", "conj", "cc", "appos"}


def _is_place_word(index: TokenIndex, token: Token) -> bool:
    """Whether a noun names a place: a place's name, or a word for one ("court", "a Portsmouth garage")."""
    return (
        index.place[token.i] is not None
        or token.lemma_.lower() in PLACE_HEAD_NOUNS
        or (token.pos_ == "PROPN" and token.lower_ in word_list("facility_words"))
    )


def _place_phrase(index: TokenIndex, pobj: Token, place: Token) -> str | None:
    """The phrase of a locative object that holds a place: the object's phrase when the object is itself a
    place, without its clauses, joined words and times ("a Portsmouth garage", not "... in the autumn");
    the place alone when it stands in a locative phrase inside the object ("at the head of a march in
    Leeds"); else None: a place that only describes someone ("at former Newcastle captain Michael Owen")
    places nothing."""
    if _is_place_word(index, pobj):
        times = [c.i for c in pobj.children if c.dep_ in ("prep", "npadvmod") and is_time(index, c)]
        places = frozenset(
            t.i
            for t in pobj.subtree
            if t.dep_ == "appos" and any(index.place[u.i] is not None for u in t.subtree)
        )
        return render(phrase_tokens(pobj, 8, _PLACE_PHRASE_DROP, times, places))
    if place.i != pobj.i and _in_locative_phrase(index, place):
        return entity_text(place)
    return None


def locate(
    index: TokenIndex,
    trigger: Token,
    holders: list[Token],
    exclude: set[int],
    triggers: dict[int, EventSense],
) -> tuple[str | None, str | None]:
    """Where: a place in a locative phrase on the event or its object, a place naming the event ("a Kabul
    bombing"), a proper name or place word after "in"/"at", else a place in a locative phrase of its clause."""
    doc = trigger.doc
    named: str | None = None
    noun_place: str | None = None
    for holder in holders:
        for prep in holder.children:
            if prep.dep_ != "prep" or prep.lower_ not in LOCATIVE_PREPOSITIONS or is_time(index, prep):
                continue
            pobj = child_of(prep, "pobj")
            if pobj is None or pobj.i in triggers or pobj.lemma_.lower() in FIGURATIVE_PLACE_NOUNS:
                continue
            found = first_place(index, doc, subtree_range(pobj), exclude)
            if found is not None:
                where = _place_phrase(index, pobj, found)
                if where is not None:
                    return index.place[found.i], where
                continue
            if (
                named is None
                and pobj.pos_ == "PROPN"
                and index.actor_kind[pobj.i] not in ("person", "group")
                and not _is_event_name(pobj)
                and _could_be_a_venue_name(index, pobj)
            ):
                named = phrase(pobj, limit=8)  # a venue the entity tagger missed: "at Interlagos"
            if noun_place is None and pobj.lemma_.lower() in PLACE_NOUNS:
                noun_place = phrase(pobj, limit=8)
        if holder.pos_ in ("NOUN", "PROPN"):
            for left in holder.lefts:
                if left.dep_ not in ("compound", "nmod"):
                    continue
                for word in left.subtree:
                    if index.place[word.i] is not None and word.i not in exclude:
                        return index.place[word.i], entity_text(word)
    if named is not None or noun_place is not None:
        return None, named or noun_place
    span = subtree_range(trigger)
    clause = [
        i
        for i in index.place_tokens[bisect_left(index.place_tokens, span.start) :]
        if i < span.stop and i not in exclude and _in_locative_phrase(index, doc[i])
    ]
    found = first_place(index, doc, clause, exclude, modifiers=False)
    if found is not None:
        return index.place[found.i], entity_text(found)
    return None, None
