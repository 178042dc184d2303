"""Which event each time expression dates, read off the parse."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from briefings.extract.entities import dateline_end
from briefings.extract.events.index import TokenIndex
from briefings.extract.events.lexicon import (
    EventSense,
)
from briefings.extract.events.syntax import own_subject
from briefings.extract.events.triggers import BOUND_PREPOSITIONS, MEANS_MARKS, OTHER, SAY

_UNTIMED_TYPES = frozenset({"DURATION", "SET"})

# How far back (in tokens) a dateline's date may stand from the start of its line ("LIMA, Peru, March 12").
_DATELINE_REACH = 14


def in_dateline(doc: Doc, i: int) -> bool:
    """Whether token i stands in the dateline opening its line ("LIMA, March 12 (Reuters) -"): the day the
    report was filed, not the day of anything it tells."""
    start = i
    while start > 0 and i - start < _DATELINE_REACH:
        before = doc[start - 1]
        if "\n" in before.whitespace_ or (before.is_space and "\n" in before.text):
            break
        start -= 1
    end = dateline_end(doc, start)
    return end is not None and start <= i < end


@dataclass
class TimeAnchor:
    """The times that date one trigger: its own, and those it borrows from the clause it hangs on."""

    own: list[int] = field(default_factory=list)
    borrowed: list[int] = field(default_factory=list)


# Verbs that only say when or how a happening came about: their subject is a happening, even as a pronoun.
_HAPPENING_VERBS = frozenset({"happen", "occur", "unfold"})
_EVENT_PRONOUNS = frozenset({"it", "this", "that"})
# How many sentences back a pronoun's happening may have been told ("It happened at dawn").
_PRONOUN_REACH = 2
# How a word hangs on the noun it describes inside a noun phrase.
_NOUN_MODIFIERS = frozenset({"compound", "amod", "nummod", "nmod"})


def _subject_event(verb: Token, triggers: dict[int, EventSense]) -> int | None:
    """The event noun a non-event verb says something of: "the attack happened at 11:30pm"; for "It
    happened in the early hours of Wednesday", the happening told just before (not a statement)."""
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    subject = own_subject(verb)
    if subject is None:
        return None
    if subject.i in triggers:
        return subject.i
    if subject.lower_ in _EVENT_PRONOUNS and verb.lemma_.lower() in _HAPPENING_VERBS:
        return _event_before(verb, triggers)
    return None


def _event_before(verb: Token, triggers: dict[int, EventSense]) -> int | None:
    """The last trigger (not a saying) in the sentences just before a verb's own: what "it" happened of."""
    doc = verb.doc
    sentence = verb.sent
    earliest = sentence.start
    for _ in range(_PRONOUN_REACH):
        if earliest == 0:
            break
        earliest = doc[earliest - 1].sent.start
    for i in range(sentence.start - 1, earliest - 1, -1):
        sense = triggers.get(i)
        if sense is not None and sense is not SAY and sense.family != "statement":
            return i
    return None


def _dates_a_participant(verb: Token, triggers: dict[int, EventSense]) -> bool:
    """A clause of its own that describes a thing ("the plan, first proposed in 2009", "a man who was
    jailed in 2010"): a time inside it is that clause's, unless the thing is itself an event ("the crash,
    which happened on Tuesday")."""
    return (
        verb.pos_ in ("VERB", "AUX")
        and verb.dep_ in ("acl", "relcl")
        and verb.head.i != verb.i
        and verb.head.i not in triggers
    )


def modifies_a_noun(token: Token) -> bool:
    """Whether a time (its head word) stands inside a noun phrase as its modifier: "his 2005 rampage", "a
    Christmas party". Not a day's possessive: "Sunday's Grand Prix", "Friday's vote" tell when the
    occasion took place, whatever word names it."""
    return token.dep_ in _NOUN_MODIFIERS and token.head.pos_ in ("NOUN", "PROPN") and token.head.i != token.i


def _names_a_thing(node: Token, triggers: dict[int, EventSense]) -> bool:
    """Whether a time modifies a noun that is no event: it says which thing is meant, not when the clause
    around it happened ("sentenced him Saturday for his 2005 rampage" was not sentenced in 2005)."""
    return modifies_a_noun(node) and node.head.i not in triggers


def _first_inner_trigger(clause: Token, triggers: dict[int, EventSense]) -> int | None:
    for child in clause.children:
        if child.dep_ == "ccomp":
            for token in child.subtree:
                if token.i in triggers and triggers[token.i] is not SAY:
                    return token.i
    return None


def time_anchors(index: TokenIndex, doc: Doc, triggers: dict[int, EventSense]) -> dict[int, TimeAnchor]:
    """Which event each time expression dates: the first trigger above it in the parse.

    A time on a reporting verb dates the statement; the event it reports ("Hoffman said around 5:30 pm on
    January 7, 'Iran launched ...'") borrows it, and uses it only when it has no time of its own.
    """
    anchors: dict[int, TimeAnchor] = {}
    spans: dict[int, list[int]] = {}
    for i, number in enumerate(index.time):
        if number is not None:
            spans.setdefault(number, []).append(i)
    for number, token_ids in spans.items():
        if (
            index.times[number].type in _UNTIMED_TYPES
            or in_dateline(doc, token_ids[0])
            or number in index.stamps
        ):
            continue
        inside = set(token_ids)
        node = next(
            (doc[i] for i in token_ids if doc[i].head.i not in inside or doc[i].head.i == i),
            doc[token_ids[0]],
        )
        for _ in range(40):
            parent = node.head
            if parent.i == node.i:
                break
            if _names_a_thing(node, triggers):
                break  # "his 2005 rampage", "a Christmas party": the time tells which thing, not when
            if parent.dep_ == "prep" and parent.lower_ in BOUND_PREPOSITIONS:
                break  # "days before Election Day" bounds the event, it does not date it
            if triggers.get(parent.i) is SAY and node.dep_ in ("ccomp", "parataxis"):
                break  # said, "Last night, a slap in the face was delivered": the time is the quote's, not the saying's
            sense = triggers.get(parent.i)
            if sense is not None and sense.family == "statement" and node.dep_ == "ccomp":
                break  # "warned that more rain was expected on Thursday": the time is the warning's content
            if parent.i in triggers and parent.i not in inside:
                # "the explosion late on Thursday had caused damage": the time is the explosion's.
                subject = own_subject(parent) if triggers[parent.i] is OTHER else None
                target = subject.i if subject is not None and subject.i in triggers else parent.i
                anchors.setdefault(target, TimeAnchor()).own.append(number)
                if triggers[parent.i] is SAY:
                    inner = _first_inner_trigger(parent, triggers)
                    if inner is not None:
                        anchors.setdefault(inner, TimeAnchor()).borrowed.append(number)
                break
            subject_event = _subject_event(parent, triggers)
            if subject_event is not None:
                anchors.setdefault(subject_event, TimeAnchor()).own.append(number)
                break
            if _dates_a_participant(parent, triggers):
                break  # "approved the plan, first proposed in 2009": 2009 dates the proposal, not the approval
            node = parent
    return anchors


_INHERITING_DEPS = frozenset({"advcl", "conj", "xcomp", "acl"})


def parent_trigger(trigger: Token, triggers: dict[int, EventSense]) -> int | None:
    """The event a clause hangs on ("rammed a car ..., killing four": killing hangs on rammed)."""
    node = trigger
    for _ in range(4):
        if node.dep_ not in _INHERITING_DEPS or node.head.i == node.i:
            return None
        if node.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ not in MEANS_MARKS for c in node.children
        ):
            return None
        node = node.head
        if node.i in triggers and triggers[node.i] is not SAY:
            return node.i
    return None
