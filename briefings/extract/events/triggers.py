"""Event triggers: the verbs and event nouns the lexicon knows, light verbs, reporting verbs, and the
main verbs of the lead where the lexicon has none.
"""

from __future__ import annotations

from spacy.attrs import LEMMA, LOWER
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from briefings.extract.events.index import TokenIndex
from briefings.extract.events.lexicon import (
    NOUN_SENSES,
    REPORTING_LEMMAS,
    TARGET_PREPOSITIONS,
    VERB_SENSES,
    WEAPON_LEMMAS,
    EventSense,
)
from briefings.extract.events.syntax import child_of, is_passive, own_subject

OTHER = EventSense("other", "other", 0.7)


# Reporting verbs ("said", "told") are mentions too: they date the statements they make, but are no events.
SAY = EventSense("say", "statement", 0.3)


_SHOOT = EventSense("shoot", "violence", 1.0)


_DISMISS = EventSense("dismiss", "office", 0.8)


_INITIATIVE = EventSense("launch", "initiative", 0.5)


_AGREE = EventSense("agree", "diplomacy", 0.9)


_LABOUR_STRIKE = EventSense("protest", "unrest", 1.0)


LIGHT_VERBS = frozenset(
    [
        "carry",
        "launch",
        "stage",
        "hold",
        "make",
        "conduct",
        "mount",
        "give",
        "have",
        "issue",
        "release",
        "lead",
    ]
)


_LABOUR_WORDS = frozenset(
    ["hunger", "general", "worker", "workers", "labour", "labor", "rail", "teacher", "nurse", "doctor"]
)


_AGREEMENT_WORDS = frozenset(["deal", "agreement", "accord", "pact", "bargain"])


MEANS_MARKS = frozenset({"when", "as"})


def base_form(token: Token) -> str:
    """The token's lemma in lower case; a capitalised plural the tagger took for a name loses its "s"."""
    lemma = token.lemma_.lower()
    if token.pos_ == "PROPN" and lemma.endswith("s") and len(lemma) > 3:
        return lemma[:-1]
    return lemma


def _verb_sense(token: Token) -> EventSense | None:
    """What a verb means here: "fire" and "launch" by their object (a weapon, a person, a campaign)."""
    lemma = token.lemma_.lower()
    obj = child_of(token, "dobj")
    if lemma == "open" and obj is not None and obj.lemma_.lower() == "fire":
        return _SHOOT
    sense = VERB_SENSES.get(lemma)
    if sense is None:
        return None
    if lemma in ("fire", "launch"):
        if obj is None:
            aimed = any(c.dep_ == "prep" and c.lower_ in TARGET_PREPOSITIONS for c in token.children)
            # "troops fired", "fired at the crowd" are shots; "launched" alone is more often a campaign.
            return sense if aimed or lemma == "fire" else _INITIATIVE
        obj_lemma = obj.lemma_.lower()
        if obj_lemma in WEAPON_LEMMAS or NOUN_SENSES.get(obj_lemma, OTHER).family == "violence":
            return sense
        return _DISMISS if lemma == "fire" else _INITIATIVE
    if lemma == "strike" and obj is not None and obj.lemma_.lower() in _AGREEMENT_WORDS:
        return _AGREE
    return sense


def noun_sense(token: Token) -> EventSense | None:
    """The event an event noun names, unless it only modifies another noun ("attack helicopter")."""
    if token.dep_ in ("compound", "amod", "nmod", "poss"):
        return None
    sense = NOUN_SENSES.get(token.lemma_.lower()) or NOUN_SENSES.get(token.lower_)
    if sense is None:
        return None
    if sense.type == "strike" and any(c.lower_ in _LABOUR_WORDS for c in token.lefts):
        return _LABOUR_STRIKE
    return sense


def trigger_sense(token: Token) -> EventSense | None:
    """The event a token names, if the lexicon knows it as a verb or an event noun."""
    if token.pos_ == "VERB" and token.tag_ != "JJ" and token.dep_ not in ("amod", "compound"):
        return _verb_sense(token)
    if token.pos_ in ("NOUN", "PROPN"):
        return noun_sense(token)
    return None


def means_child(trigger: Token, candidates: dict[int, EventSense]) -> Token | None:
    """An event that says how this one happened: "killed in a drone strike", "killed when a drone fired"."""
    for child in trigger.children:
        if child.dep_ == "prep" and child.lower_ in ("in", "during", "by", "with"):
            pobj = child_of(child, "pobj")
            if pobj is not None and pobj.i in candidates:
                return pobj
        if child.dep_ == "advcl" and child.i in candidates:
            mark = child_of(child, "mark", "advmod")
            if mark is not None and mark.lower_ in MEANS_MARKS:
                return child
    return None


# Every lemma that may start a trigger: the lexicon's, reporting verbs, light verbs, "open" (fire).
_TRIGGER_WORDS = frozenset(VERB_SENSES) | frozenset(NOUN_SENSES) | REPORTING_LEMMAS | LIGHT_VERBS | {"open"}


# Their string ids, lower case and capitalised (a headline's "Strike" may keep its capital as its lemma).
_TRIGGER_IDS = frozenset(get_string_id(w) for word in _TRIGGER_WORDS for w in (word, word.capitalize()))


def light_object(verb: Token) -> Token | None:
    """The event noun a light verb carries ("held talks", "carried out an attack"), if it is one."""
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in LIGHT_VERBS or verb.lemma_.lower() == "launch":
        return None
    obj = child_of(verb, "dobj")
    return obj if obj is not None and noun_sense(obj) is not None else None


def find_triggers(doc: Doc) -> dict[int, EventSense]:
    """Every token the lexicon reads as an event trigger, by token index (one pass over the tokens).

    A light verb with an event noun ("held talks") is one trigger, the verb, with the noun's meaning.
    """
    found: dict[int, EventSense] = {}
    # Compare string ids in one array: no token object is made for the many words that are no trigger.
    words = doc.to_array([LEMMA, LOWER])
    for i in range(len(doc)):
        if int(words[i, 0]) not in _TRIGGER_IDS and int(words[i, 1]) not in _TRIGGER_IDS:
            continue
        token = doc[i]
        sense = trigger_sense(token)
        if sense is None and token.pos_ == "VERB" and token.lemma_.lower() in REPORTING_LEMMAS:
            sense = SAY
        if sense is None and (obj := light_object(token)) is not None:
            sense = noun_sense(obj)
        if sense is not None:
            found[token.i] = sense
    for i in list(found):
        token = doc[i]
        if token.dep_ == "dobj" and token.head.i in found and light_object(token.head) is not None:
            del found[i]
    return found


def lead_clause_triggers(
    doc: Doc, index: TokenIndex, known: dict[int, EventSense], lead: int
) -> dict[int, EventSense]:
    """The main verb of each of the first sentences, as an untyped event where the lexicon has none."""
    found: dict[int, EventSense] = {}
    for token in doc:
        if index.sentence[token.i] >= lead:
            break
        if token.head.i != token.i or token.is_space:
            continue
        root = token
        for _ in range(3):
            complement = child_of(root, "ccomp")
            if root.lemma_.lower() in REPORTING_LEMMAS and complement is not None:
                root = complement
            else:
                break
        if root.i in known and known[root.i] is not SAY:
            continue
        if root.pos_ != "VERB" or root.lemma_.lower() in REPORTING_LEMMAS:
            continue
        subject = own_subject(root)
        if subject is None and not is_passive(index, root):
            continue
        if subject is not None and subject.i in known:
            continue  # "The march followed ...", "The crash happened ...": said of an event, not one itself
        found[root.i] = OTHER
    return found
