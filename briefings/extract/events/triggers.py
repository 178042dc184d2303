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
    PHRASAL_SENSES,
    REPORTING_LEMMAS,
    TARGET_PREPOSITIONS,
    VERB_SENSES,
    WEAPON_LEMMAS,
    EventSense,
)
from briefings.extract.events.syntax import child_of, is_passive, own_subject

OTHER = EventSense("other", "other", 0.7)


# A clause the lexicon does not know, on a timeline because it dates itself; background more than news.
DATED = EventSense("other", "other", 0.7)


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
    for child in token.rights:
        # The particle, which the parser may read as an adverb ("stepped down", "passed away").
        if child.dep_ in ("prt", "advmod") and (lemma, child.lower_) in PHRASAL_SENSES:
            return PHRASAL_SENSES[(lemma, child.lower_)]
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


def _gerunds(lemma: str) -> list[str]:
    """The -ing forms a verb may take ("sink" → "sinking", "stab" → "stabbing", "collide" → "colliding")."""
    forms = [lemma + "ing"]
    if lemma.endswith("e") and not lemma.endswith("ee"):
        forms.append(lemma[:-1] + "ing")
    if len(lemma) >= 3 and lemma[-1] in "bdgmnprt" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
        forms.append(lemma + lemma[-1] + "ing")
    return forms


# Verbal nouns of violence, harm and accidents the noun lexicon lacks ("the sinking of the ship", "a stabbing").
# Verbs whose -ing form names other things ("the firing of a coach", "hitting", "dying") are left out.
_GERUND_FAMILIES = frozenset({"violence", "harm", "accident"})
GERUND_SENSES: dict[str, EventSense] = {
    form: sense
    for lemma, sense in VERB_SENSES.items()
    if sense.family in _GERUND_FAMILIES
    and not sense.object_is_instrument
    and sense.type not in ("strike", "die")
    for form in _gerunds(lemma)
    if form not in NOUN_SENSES
}


def noun_sense(token: Token) -> EventSense | None:
    """The event an event noun names, unless it only modifies another noun ("attack helicopter")."""
    if token.dep_ in ("compound", "amod", "nmod", "poss"):
        return None
    sense = NOUN_SENSES.get(token.lemma_.lower()) or NOUN_SENSES.get(token.lower_)
    if sense is None and token.tag_ == "NN":
        sense = GERUND_SENSES.get(token.lower_)
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
_TRIGGER_WORDS = (
    frozenset(VERB_SENSES)
    | frozenset(NOUN_SENSES)
    | frozenset(GERUND_SENSES)
    | REPORTING_LEMMAS
    | LIGHT_VERBS
    | {verb for verb, _ in PHRASAL_SENSES}
    | {"open"}
)


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


# Tense tags of a finite verb ("began", "falls", "fall"); a participle is finite with its auxiliary.
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP"})
# Prepositions whose date bounds an event rather than dates it ("until March 1", "through Thursday").
BOUND_PREPOSITIONS = frozenset({"before", "after", "until", "till", "since", "ahead", "through"})


def _main_clause(verb: Token) -> bool:
    """Whether a verb heads a main clause: the sentence's root, a clause joined to it, or what is reported."""
    node = verb
    for _ in range(6):
        if node.dep_ != "conj":
            break
        node = node.head
    if node.dep_ == "ROOT":
        return True
    return node.dep_ == "ccomp" and node.head.lemma_.lower() in REPORTING_LEMMAS and node.head.dep_ == "ROOT"


def _dated_verb(doc: Doc, index: TokenIndex, number: int, first: int) -> Token | None:
    """The verb a date hangs on directly ("began last Thursday", "approved the map in October")."""
    token = doc[first]
    for _ in range(8):
        if token.head.i == token.i or index.time[token.head.i] != number:
            break
        token = token.head
    if token.dep_ == "pobj" and token.head.dep_ == "prep":
        if token.head.lower_ in BOUND_PREPOSITIONS:
            return None
        verb = token.head.head
    elif token.dep_ in ("npadvmod", "tmod", "advmod"):
        verb = token.head
    else:
        return None
    return verb if verb.pos_ == "VERB" else None


_QUOTE_MARKS = frozenset({'"', "\u201c", "\u201d", "``", "''"})


def _inside_quotes(token: Token) -> bool:
    """Whether a token stands inside quotation marks opened in its sentence."""
    sentence = token.sent
    marks = sum(1 for t in sentence[: token.i - sentence.start] if t.text in _QUOTE_MARKS)
    return marks % 2 == 1 or (marks == 0 and sentence.text.lstrip()[:1] in _QUOTE_MARKS)


def dated_clause_triggers(
    doc: Doc, index: TokenIndex, known: dict[int, EventSense], dating: set[int]
) -> dict[int, EventSense]:
    """The verb of a main clause that dates itself ("The walkout began last Thursday", "Shares fell 12% on
    Thursday"), as an untyped event where the lexicon has none: a timeline holds every dated happening.
    Times in `dating` already date a known event and are left to it."""
    found: dict[int, EventSense] = {}
    seen: set[int] = set(dating)
    for i, number in enumerate(index.time):
        if number is None or number in seen:
            continue
        seen.add(number)
        expression = index.times[number]
        if expression.type not in ("DATE", "TIME") or not expression.value[:1].isdigit():
            continue
        verb = _dated_verb(doc, index, number, i)
        if verb is None or verb.i in known or verb.i in found or verb.lemma_.lower() in REPORTING_LEMMAS:
            continue
        if _inside_quotes(verb):
            continue  # a speaker's words are dated with the speaker, as a quote
        finite = verb.tag_ in _FINITE_TAGS or any(c.dep_ in ("aux", "auxpass") for c in verb.children)
        if not finite or not _main_clause(verb):
            continue
        subject = own_subject(verb)
        if subject is None and not is_passive(index, verb) and verb.dep_ != "conj":
            continue
        if subject is not None and (
            subject.i in known or (subject.pos_ == "PRON" and subject.lower_ == "it")
        ):
            continue  # "The crash happened on Monday" dates the crash; "it was Monday" is no event
        found[verb.i] = DATED
    return found
