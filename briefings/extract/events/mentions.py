"""Event mentions read off the dependency parse: the trigger, who did it to whom, where, when, why and how.

One mention is one place in the text where an event is named, by a verb ("Iran launched missiles") or an
event noun ("the killing of the general"). `coreference` later joins the mentions of one real event.
"""

from __future__ import annotations

import functools
from bisect import bisect_left
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from spacy.attrs import LEMMA, LOWER
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from briefings.extract.events.index import TokenIndex
from briefings.extract.events.lexicon import (
    FIGURATIVE_PLACE_NOUNS,
    HYPOTHETICAL_GOVERNORS,
    LOCATIVE_PREPOSITIONS,
    MEANS_PREPOSITIONS,
    MODAL_LEMMAS,
    NOUN_SENSES,
    PLACE_NOUNS,
    PURPOSE_STRENGTH,
    REASON_OPENERS,
    REPORTING_LEMMAS,
    VERB_SENSES,
    WEAPON_LEMMAS,
    EventSense,
)
from briefings.extract.events.phrases import SIDE_CLAUSES, phrase, phrase_tokens, render

OTHER = EventSense("other", "other", 0.7)
# Reporting verbs ("said", "told") are mentions too: they date the statements they make, but are no events.
SAY = EventSense("say", "statement", 0.3)
_SHOOT = EventSense("shoot", "violence", 1.0)
_DISMISS = EventSense("dismiss", "office", 0.8)
_INITIATIVE = EventSense("launch", "initiative", 0.5)
_AGREE = EventSense("agree", "diplomacy", 0.9)
_LABOUR_STRIKE = EventSense("protest", "unrest", 1.0)

_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass"})
_TARGET_PREPOSITIONS = frozenset({"at", "against", "on", "into", "toward", "towards", "upon"})
_PATIENT_PREPOSITIONS = frozenset({"of", "on", "against"})
_LIGHT_VERBS = frozenset(
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
_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
_GROUP_PRONOUNS = frozenset({"it", "they", "them"})
_RELATIVE_TAGS = frozenset({"WDT", "WP", "WP$"})
_LABOUR_WORDS = frozenset(
    ["hunger", "general", "worker", "workers", "labour", "labor", "rail", "teacher", "nurse", "doctor"]
)
_AGREEMENT_WORDS = frozenset(["deal", "agreement", "accord", "pact", "bargain"])
_MEANS_MARKS = frozenset({"when", "as"})
_EVIDENCE_WORDS = 30
_REASON_WORDS = 18
_UNTIMED_TYPES = frozenset({"DURATION", "SET"})
_BOUND_PREPOSITIONS = frozenset({"before", "after", "until", "till", "since", "ahead"})


@dataclass
class EventMention:
    """One mention of an event, with what the parse says about it."""

    trigger: Token
    sense: EventSense
    sentence: int
    is_noun: bool
    passive: bool = False
    subject: str | None = None
    depth: int = 0
    agents: list[str] = field(default_factory=list)
    agent_is_actor: bool = False
    agent_token: Token | None = None
    patients: list[str] = field(default_factory=list)
    place: str | None = None
    place_text: str | None = None
    times: list[int] = field(default_factory=list)
    time_reported: bool = False
    why: str | None = None
    why_strength: float = 0.0
    how: str | None = None
    families: set[str] = field(default_factory=set)
    patient_actors: list[str] = field(default_factory=list)
    time_value: str | None = None
    absorbed: bool = False
    # What the phrases below are cut from; they are cut only for the mentions an event is told by.
    object_token: Token | None = None
    subject_token: Token | None = None
    means_children: frozenset[int] = frozenset()
    index: TokenIndex | None = None

    @property
    def has_participants(self) -> bool:
        """Whether the mention says who took part."""
        return bool(self.agents or self.patients)

    @functools.cached_property
    def action(self) -> str:
        """What was done, in the text's words."""
        assert self.index is not None
        return _action(self.trigger, self.passive, self.object_token, self.index)

    @functools.cached_property
    def evidence(self) -> str:
        """The statement of the event: its clause, side clauses left out."""
        return _evidence(self.trigger, self.is_noun, self.subject_token, self.means_children)

    @functools.cached_property
    def means_phrase(self) -> str:
        """How this event reads as the means of another: "in a US drone strike", "when a drone fired ..."."""
        trigger = self.trigger
        if trigger.dep_ == "pobj" and trigger.head.dep_ == "prep":
            return phrase(trigger.head, limit=8)
        return phrase(trigger, limit=10, drop=frozenset({"relcl", "parataxis", "advcl"}))


# ------------------------------------------------------------------ triggers


def base_form(token: Token) -> str:
    """The token's lemma in lower case; a capitalised plural the tagger took for a name loses its "s"."""
    lemma = token.lemma_.lower()
    if token.pos_ == "PROPN" and lemma.endswith("s") and len(lemma) > 3:
        return lemma[:-1]
    return lemma


def _child(token: Token, *deps: str) -> Token | None:
    for child in token.children:
        if child.dep_ in deps:
            return child
    return None


def _verb_sense(token: Token) -> EventSense | None:
    lemma = token.lemma_.lower()
    obj = _child(token, "dobj")
    if lemma == "open" and obj is not None and obj.lemma_.lower() == "fire":
        return _SHOOT
    sense = VERB_SENSES.get(lemma)
    if sense is None:
        return None
    if lemma in ("fire", "launch"):
        if obj is None:
            aimed = any(c.dep_ == "prep" and c.lower_ in _TARGET_PREPOSITIONS for c in token.children)
            return sense if aimed or (lemma == "fire" and token.dep_ != "ROOT") else _INITIATIVE
        obj_lemma = obj.lemma_.lower()
        if obj_lemma in WEAPON_LEMMAS or NOUN_SENSES.get(obj_lemma, OTHER).family == "violence":
            return sense
        return _DISMISS if lemma == "fire" else _INITIATIVE
    if lemma == "strike" and obj is not None and obj.lemma_.lower() in _AGREEMENT_WORDS:
        return _AGREE
    return sense


def _noun_sense(token: Token) -> EventSense | None:
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
        return _noun_sense(token)
    return None


# ------------------------------------------------------------------ participants


def _own_subject(verb: Token) -> Token | None:
    """The verb's own subject; of two (a parse of "Tram crash: Police identify ..."), the nearer one."""
    found: Token | None = None
    for child in verb.children:
        if child.dep_ in _SUBJECTS and (found is None or child.i < verb.i):
            found = child
    if found is None and verb.pos_ == "VERB":
        # A headline misread as a noun phrase ("Donald Trump lands ..."): the name before the verb is its subject.
        found = next((c for c in verb.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"), None)
    return found


def in_label(index: TokenIndex, token: Token) -> bool:
    """Whether the token stands in a short label before a colon ("Croydon tram crash: Police identify ...")."""
    colon = index.label_end.get(index.sentence[token.i])
    return colon is not None and token.i < colon


_SUBORDINATE = frozenset({"advcl", "relcl", "acl", "ccomp", "xcomp", "pcomp", "csubj", "parataxis", "advmod"})


def clause_depth(trigger: Token) -> int:
    """How many subordinate clauses deep the trigger stands (reported speech does not count)."""
    depth = 0
    node = trigger
    for _ in range(30):
        head = node.head
        if head.i == node.i:
            break
        if node.dep_ in _SUBORDINATE and not (
            node.dep_ == "ccomp" and head.lemma_.lower() in REPORTING_LEMMAS
        ):
            depth += 1
        node = head
    return min(depth, 3)


def _is_passive(index: TokenIndex, verb: Token) -> bool:
    if any(c.dep_ in ("auxpass", "nsubjpass", "csubjpass") for c in verb.children):
        return True
    if verb.tag_ != "VBN":
        return False
    if verb.dep_ == "acl":
        return True
    if verb.dep_ == "conj" and _own_subject(verb) is None:
        return _is_passive(index, verb.head) if verb.head.pos_ in ("VERB", "AUX") else False
    # A headline's bare participle ("Seven killed as ...") reads as passive.
    return index.sentence[verb.i] == 0 and not any(c.dep_ in ("aux", "dobj") for c in verb.children)


def _subject(verb: Token, depth: int = 0) -> Token | None:
    """The subject of a verb, taken from the clause it hangs on when it has none of its own."""
    own = _own_subject(verb)
    if own is not None:
        if own.tag_ in _RELATIVE_TAGS and verb.dep_ == "relcl":
            return verb.head
        return own
    if depth > 3 or verb.head.i == verb.i:
        return None
    # Only from a full verb: "it was an honour to meet him" says nothing of who met.
    if verb.dep_ in ("conj", "xcomp") and verb.head.pos_ == "VERB":
        return _subject(verb.head, depth + 1)
    if verb.dep_ == "advcl" and verb.tag_ in ("VBG", "VBN", "VB") and verb.head.pos_ == "VERB":
        return _subject(verb.head, depth + 1)
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    if (verb.dep_ == "relcl" and not infinitive) or (verb.dep_ == "acl" and verb.tag_ in ("VBN", "VBG")):
        return verb.head
    return None


def _reported_by(token: Token) -> Token | None:
    """The subject of the reporting verb whose complement holds `token` ("the FBI said it ...")."""
    clause = token.head
    while clause.head.i != clause.i and clause.dep_ not in ("ccomp",):
        clause = clause.head
    if clause.dep_ == "ccomp" and clause.head.lemma_.lower() in REPORTING_LEMMAS:
        return _own_subject(clause.head)
    return None


class Namer:
    """Names participants: an actor's canonical name where the actors extractor found one, else the phrase."""

    def __init__(self, index: TokenIndex) -> None:
        self.index = index

    def actor_near(self, token: Token) -> str | None:
        """The actor named by the token, else by an apposition in its phrase ("the commander of ..., General X")."""
        name = self.index.actor[token.i]
        if name is not None:
            return name
        for inner in token.subtree:
            if (
                inner.dep_ == "appos"
                and self.index.actor_kind[inner.i] == "person"
                and inner.head.pos_ != "VERB"
            ):
                return self.index.actor[inner.i]
        return None

    def _pronoun(self, token: Token) -> str | None:
        lower = token.lower_
        if lower in _GROUP_PRONOUNS | _PERSON_PRONOUNS:
            reporter = _reported_by(token)
            if reporter is not None and reporter.i != token.i and reporter.pos_ != "PRON":
                return self.name(reporter)[0]
        if lower in _PERSON_PRONOUNS:
            # The nearest person named before, within a few sentences.
            for i in range(token.i - 1, max(-1, token.i - 80), -1):
                if self.index.actor_kind[i] == "person":
                    return self.index.actor[i]
        return None

    def name(self, token: Token) -> tuple[str | None, bool]:
        """A participant's name and whether it is a known actor."""
        if token.pos_ == "PRON":
            resolved = self._pronoun(token)
            return resolved, resolved is not None
        actor = self.actor_near(token)
        if actor is not None:
            return actor, True
        text = phrase(token, limit=6, drop=SIDE_CLAUSES | {"appos", "acl"})
        return (text or None), False

    def as_written(self, token: Token) -> str | None:
        """A subject as the text names it: a person's full name, but a country as written ("UK", "US")."""
        name, is_actor = self.name(token)
        if is_actor and token.pos_ != "PRON" and self.index.actor_kind[token.i] == "country":
            return entity_text(token)
        return name

    def names(self, token: Token) -> tuple[list[str], bool]:
        """The names of a participant and of those coordinated with it ("X and Y")."""
        found: list[str] = []
        any_actor = False
        heads = [token, *(c for c in token.conjuncts if c.i > token.i)] if token.pos_ != "PRON" else [token]
        for head in heads:
            if head.i != token.i and head.pos_ in ("VERB", "AUX"):
                continue
            name, is_actor = self.name(head)
            if name and name not in found:
                found.append(name)
                any_actor = any_actor or is_actor
            if head.i == token.i and not is_actor and name:
                break  # an unnamed phrase already covers its conjuncts
        return found, any_actor


# ------------------------------------------------------------------ phrases of the mention


def _words(token: Token, count: int) -> tuple[str, ...]:
    doc = token.doc
    return tuple(t.lower_ for t in doc[token.i : min(len(doc), token.i + count)])


def _reason_strength(token: Token) -> float:
    words = _words(token, 3)
    return max(
        (strength for opener, strength in REASON_OPENERS.items() if words[: len(opener)] == opener),
        default=0.0,
    )


def _is_time(index: TokenIndex, token: Token) -> bool:
    """Whether a phrase opens with a time ("on Friday", "late on Thursday")."""
    end = min(token.right_edge.i, token.i + 1)
    return any(index.time[i] is not None for i in range(token.left_edge.i, end + 1))


def _reason(index: TokenIndex, holder: Token) -> tuple[str | None, float]:
    """The best reason phrase attached to a clause: "in revenge for ...", "because ...", "to ...", "after ..."."""
    best: tuple[str | None, float] = (None, 0.0)
    for child in holder.children:
        strength = 0.0
        if child.dep_ == "prep":
            if _is_time(index, child):
                continue
            strength = _reason_strength(child)
        elif child.dep_ == "advcl":
            mark = _child(child, "mark")
            if mark is not None:
                strength = _reason_strength(mark)
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
    if reason.dep_ != "prep" or _child(reason, "pobj") is None:
        return []
    noun = _child(reason, "pobj")
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


def _means(index: TokenIndex, trigger: Token, sense: EventSense, obj: Token | None) -> str | None:
    """How it was done: "with a truck bomb", "by ramming ...", "using drones", the weapon launched."""
    for child in trigger.children:
        lower = child.lower_
        if child.dep_ == "prep" and lower in MEANS_PREPOSITIONS:
            pobj = _child(child, "pobj", "pcomp")
            if pobj is None or index.actor_kind[pobj.i] is not None or _is_time(index, child):
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
            and (pobj := _child(child, "pobj")) is not None
            and NOUN_SENSES.get(pobj.lemma_.lower(), OTHER).family in ("violence", "accident")
        ):
            return phrase(child, limit=8)
    if sense.object_is_instrument and obj is not None and base_form(obj) in WEAPON_LEMMAS:
        return phrase(obj, limit=6, drop=SIDE_CLAUSES | {"acl", "prep"})
    return None


_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "poss"})


def _first_place(
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


def _subtree_range(token: Token) -> range:
    """The token indices of a subtree (contiguous: the parser's trees are projective)."""
    return range(token.left_edge.i, token.right_edge.i + 1)


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
    # "in the city of Mazar-i-Sharif", "in northern Kabul": the place inside a locative noun phrase.
    return (
        head.head.dep_ == "prep"
        and head.head.lower_ in LOCATIVE_PREPOSITIONS
        and root.dep_ in ("pobj", "compound", "amod")
    )


def _core(token: Token) -> set[int]:
    """A participant's words without the locative phrases hung on it ("the Front near the border")."""
    left_out = {
        t.i
        for child in token.children
        if child.dep_ == "prep" and child.lower_ in LOCATIVE_PREPOSITIONS
        for t in child.subtree
    }
    return {t.i for t in token.subtree} - left_out


def _locate(
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
            if prep.dep_ != "prep" or prep.lower_ not in LOCATIVE_PREPOSITIONS or _is_time(index, prep):
                continue
            pobj = _child(prep, "pobj")
            if pobj is None or pobj.i in triggers or pobj.lemma_.lower() in FIGURATIVE_PLACE_NOUNS:
                continue
            found = _first_place(index, doc, _subtree_range(pobj), exclude)
            if found is not None:
                return index.place[found.i], phrase(pobj, limit=8)
            if named is None and pobj.pos_ == "PROPN" and index.actor_kind[pobj.i] not in ("person", "group"):
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
    span = _subtree_range(trigger)
    clause = [
        i
        for i in index.place_tokens[bisect_left(index.place_tokens, span.start) :]
        if i < span.stop and i not in exclude and _in_locative_phrase(index, doc[i])
    ]
    found = _first_place(index, doc, clause, exclude, modifiers=False)
    if found is not None:
        return index.place[found.i], entity_text(found)
    return None, None


def entity_text(token: Token) -> str:
    """The place's own words as they stand in the text (the named entity, else the token)."""
    if token.ent_iob_ in ("B", "I") and token.ent_type_:
        doc = token.doc
        start = token.i
        while start > 0 and doc[start].ent_iob_ == "I":
            start -= 1
        end = token.i + 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
        span: Span = doc[start:end]
        text = span.text
        return text[4:] if text.lower().startswith("the ") else text
    return token.text


def _action(trigger: Token, passive: bool, obj: Token | None, index: TokenIndex) -> str:
    """What was done, in the text's words: the verb with its particle, object and first complement."""
    if trigger.pos_ != "VERB":
        return phrase(trigger, limit=8, drop=SIDE_CLAUSES | {"appos"})
    keep: list[Token] = [trigger]
    for child in trigger.children:
        if child.dep_ in ("prt", "neg", "acomp", "oprd") or (passive and child.dep_ == "auxpass"):
            keep.extend(child.subtree if child.dep_ in ("acomp", "oprd") else [child])
    if obj is not None:
        keep.extend(phrase_tokens(obj, limit=6, drop=SIDE_CLAUSES | {"acl", "appos"}))
    else:
        for child in trigger.rights:
            if (
                child.dep_ in ("prep", "dative", "xcomp")
                and not _is_time(index, child)
                and _reason_strength(child) == 0.0
            ):
                keep.extend(phrase_tokens(child, limit=5, drop=SIDE_CLAUSES | {"acl", "appos"}))
                break
    keep.sort(key=lambda t: t.i)
    return render(keep)


# Side clauses left out of a statement wherever they hang.
_EVIDENCE_DROP = frozenset({"parataxis", "relcl", "csubj", "advcl"})


def _evidence_skip(clause: Token) -> set[int]:
    """Dependents of the clause left out of a timeline statement: other conjoined clauses, attributions,
    datelines, subordinators."""
    skip: set[int] = set()
    verbal = clause.pos_ in ("VERB", "AUX")
    reporting = clause.lemma_.lower() in REPORTING_LEMMAS
    for token in clause.children:
        dep = token.dep_
        if (
            (dep in ("conj", "cc", "preconj") and verbal)
            or (dep == "prep" and token.lemma_.lower() == "accord")
            or dep == "mark"  # "that ...", "while ...": the statement stands on its own
            or (dep == "npadvmod" and token.i < clause.i and token.ent_type_ in ("GPE", "LOC"))  # a dateline
            or (dep == "advmod" and token.lower_ in ("meanwhile", "however"))
            or (dep == "ccomp" and reporting)
        ):
            skip.add(token.i)
    return skip


def _evidence(trigger: Token, is_noun: bool, subject: Token | None, means_children: AbstractSet[int]) -> str:
    """A faithful statement of the event: its clause in the text's own words, side clauses left out."""
    clause = trigger
    if (
        is_noun
        and trigger.dep_ in ("nsubj", "nsubjpass", "dobj", "attr")
        and trigger.head.pos_ in ("VERB", "AUX")
    ):
        clause = trigger.head
    tokens = phrase_tokens(
        clause,
        limit=_EVIDENCE_WORDS,
        drop=_EVIDENCE_DROP,
        skip=_evidence_skip(clause),
        keep=frozenset(means_children),
    )
    if (
        subject is not None
        and not is_noun
        and all(t.i != subject.i for t in tokens)
        and subject.i < trigger.i
    ):
        lead = phrase_tokens(subject, limit=6, drop=SIDE_CLAUSES | {"appos", "acl", "prep"})
        tokens = sorted(lead + tokens, key=lambda t: t.i)
    text = render(tokens)
    text = text.strip("\"'“”‘’ ").rstrip(".;:, ")
    if text.count('"') % 2:
        text = text.replace('"', "")
    return text[:1].upper() + text[1:] if text else text


# ------------------------------------------------------------------ factuality


def _governing_verb(trigger: Token) -> Token:
    if (
        trigger.pos_ != "VERB"
        and trigger.dep_ in ("nsubj", "nsubjpass", "dobj", "attr")
        and trigger.head.pos_ in ("VERB", "AUX")
    ):
        return trigger.head
    return trigger


def asserted(trigger: Token) -> bool:
    """Whether the text states the event happened: not negated, not modal or future, not merely planned."""
    verb = _governing_verb(trigger)
    for child in verb.children:
        if child.dep_ == "neg" or (child.dep_ == "aux" and child.lemma_.lower() in MODAL_LEMMAS):
            return False
        if child.dep_ == "mark" and child.lower_ in ("if", "unless", "whether"):
            return False
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in HYPOTHETICAL_GOVERNORS:
        return False
    return not (
        trigger.pos_ != "VERB"
        and trigger.dep_ == "pobj"
        and trigger.head.head.lemma_.lower() in HYPOTHETICAL_GOVERNORS
    )


# ------------------------------------------------------------------ building mentions


def _targets(trigger: Token, obj: Token | None) -> list[Token]:
    """What a launch was aimed at: "at X", "against X", "targeting X"."""
    found: list[Token] = []
    for holder in (trigger, obj):
        if holder is None:
            continue
        for child in holder.children:
            if child.dep_ == "prep" and child.lower_ in _TARGET_PREPOSITIONS:
                pobj = _child(child, "pobj")
                if pobj is not None:
                    found.append(pobj)
            elif child.dep_ in ("acl", "advcl") and child.lemma_.lower() in ("target", "aim", "hit"):
                target = _child(child, "dobj")
                if target is None:
                    prep = _child(child, "prep")
                    target = _child(prep, "pobj") if prep is not None else None
                if target is not None:
                    found.append(target)
    return found


_COUNTRY_AGENT_FAMILIES = frozenset({"violence", "harm", "diplomacy", "policy"})


def _noun_roles(namer: Namer, trigger: Token, sense: EventSense) -> tuple[list[Token], list[Token]]:
    """Who did it and to whom, for an event noun: "Iran's attack on X", "the killing of X by Y"."""
    agents: list[Token] = []
    patients: list[Token] = []
    for child in trigger.children:
        if child.dep_ == "poss":
            agents.append(child)
        elif child.dep_ == "prep" and child.lower_ == "by":
            pobj = _child(child, "pobj")
            if pobj is not None:
                agents.append(pobj)
        elif child.dep_ == "prep" and child.lower_ in _PATIENT_PREPOSITIONS:
            pobj = _child(child, "pobj")
            if pobj is not None and not patients:
                patients.append(pobj)
    if not agents and trigger.dep_ == "dobj" and trigger.head.lemma_.lower() in _LIGHT_VERBS:
        subject = _subject(trigger.head)
        if subject is not None:
            agents.append(subject)
    if not agents:
        # "a US drone strike", "Taliban truck bombing": an actor named in the words before the noun. A country
        # before a word like "election" or "crash" says where, not who.
        for left in trigger.subtree:
            if left.i >= trigger.i:
                break
            kind = namer.index.actor_kind[left.i]
            if left.dep_ in ("compound", "amod", "nmod") and kind is not None:
                if kind != "country" or sense.family in _COUNTRY_AGENT_FAMILIES:
                    agents.append(left)
                break
    return agents, patients


def build_mention(
    namer: Namer, trigger: Token, sense: EventSense, means_children: set[int], triggers: dict[int, EventSense]
) -> EventMention | None:
    """Everything the parse says about one event trigger, or None when the text does not assert the event."""
    if not asserted(trigger):
        return None
    index = namer.index
    is_noun = trigger.pos_ != "VERB"
    mention = EventMention(
        trigger=trigger,
        sense=sense,
        sentence=index.sentence[trigger.i],
        is_noun=is_noun,
        families={sense.family},
    )
    obj: Token | None = None
    subject: Token | None = None
    if is_noun:
        agent_tokens, patient_tokens = _noun_roles(namer, trigger, sense)
    else:
        mention.passive = _is_passive(index, trigger)
        subject = _subject(trigger)
        obj = _child(trigger, "dobj")
        agent_tokens, patient_tokens = [], []
        if mention.passive:
            # "these missiles were launched": what was launched is the means, not a victim.
            if subject is not None and not (
                sense.object_is_instrument and base_form(subject) in WEAPON_LEMMAS
            ):
                patient_tokens.append(subject)
            by = _child(trigger, "agent")
            pobj = _child(by, "pobj") if by is not None else None
            if pobj is not None:
                agent_tokens.append(pobj)
        else:
            if subject is not None and not (
                sense.object_is_instrument and base_form(subject) in WEAPON_LEMMAS
            ):
                agent_tokens.append(subject)
            if sense.object_is_instrument:
                patient_tokens.extend(_targets(trigger, obj))
            elif obj is not None and light_object(trigger) is not None:
                patient_tokens.extend(_noun_roles(namer, obj, sense)[1])
            elif obj is not None:
                patient_tokens.append(obj)
            else:
                for child in trigger.children:
                    if child.dep_ == "prep" and child.lower_ in ("with", "against", "on"):
                        pobj = _child(child, "pobj")
                        if pobj is not None and index.actor[pobj.i] is not None:
                            patient_tokens.append(pobj)
                            break
    # A relative clause hung on a date by the parser ("on Friday, which was ordered") has no participant there.
    agent_tokens = [t for t in agent_tokens if index.time[t.i] is None]
    patient_tokens = [t for t in patient_tokens if index.time[t.i] is None]
    if subject is not None and index.time[subject.i] is None:
        mention.subject = namer.as_written(subject)
    elif is_noun and agent_tokens:
        mention.subject = namer.as_written(agent_tokens[0])
    mention.depth = 2 if in_label(index, trigger) else clause_depth(trigger)
    if sense is OTHER and obj is not None and obj.i in triggers:
        # "Obama describes his first meeting with Trump": told of the meeting, joined with its mentions.
        mention.families.add(triggers[obj.i].family)
    for token in agent_tokens:
        names, is_actor = namer.names(token)
        for name in names:
            if name not in mention.agents:
                mention.agents.append(name)
        mention.agent_is_actor = mention.agent_is_actor or is_actor
        mention.agent_token = mention.agent_token or token
    for token in patient_tokens if sense is not SAY else []:
        names, is_actor = namer.names(token)
        for name in names:
            if name not in mention.patients and name not in mention.agents:
                mention.patients.append(name)
                if is_actor:
                    mention.patient_actors.append(name)
    participants = {i for token in agent_tokens + patient_tokens for i in _core(token)}
    holders = [trigger] + ([obj] if obj is not None else []) + patient_tokens + agent_tokens
    mention.place, mention.place_text = _locate(index, trigger, holders, participants, triggers)
    reason_holder = _governing_verb(trigger) if is_noun else trigger
    if sense is not SAY:  # a "said" lends its time and place to a statement, nothing more
        mention.why, mention.why_strength = _reason(index, reason_holder)
        mention.how = _means(index, trigger, sense, obj)
    mention.object_token, mention.subject_token = obj, subject
    mention.means_children, mention.index = frozenset(means_children), index
    return mention


def means_child(trigger: Token, candidates: dict[int, EventSense]) -> Token | None:
    """An event that says how this one happened: "killed in a drone strike", "killed when a drone fired"."""
    for child in trigger.children:
        if child.dep_ == "prep" and child.lower_ in ("in", "during", "by", "with"):
            pobj = _child(child, "pobj")
            if pobj is not None and pobj.i in candidates:
                return pobj
        if child.dep_ == "advcl" and child.i in candidates:
            mark = _child(child, "mark", "advmod")
            if mark is not None and mark.lower_ in _MEANS_MARKS:
                return child
    return None


# Every lemma that may start a trigger: the lexicon's, reporting verbs, light verbs, "open" (fire).
_TRIGGER_WORDS = frozenset(VERB_SENSES) | frozenset(NOUN_SENSES) | REPORTING_LEMMAS | _LIGHT_VERBS | {"open"}
# Their string ids, lower case and capitalised (a headline's "Strike" may keep its capital as its lemma).
_TRIGGER_IDS = frozenset(get_string_id(w) for word in _TRIGGER_WORDS for w in (word, word.capitalize()))


def light_object(verb: Token) -> Token | None:
    """The event noun a light verb carries ("held talks", "carried out an attack"), if it is one."""
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in _LIGHT_VERBS or verb.lemma_.lower() == "launch":
        return None
    obj = _child(verb, "dobj")
    return obj if obj is not None and _noun_sense(obj) is not None else None


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
            sense = _noun_sense(obj)
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
            complement = _child(root, "ccomp")
            if root.lemma_.lower() in REPORTING_LEMMAS and complement is not None:
                root = complement
            else:
                break
        if root.i in known and known[root.i] is not SAY:
            continue
        if root.pos_ != "VERB" or root.lemma_.lower() in REPORTING_LEMMAS:
            continue
        subject = _own_subject(root)
        if subject is None and not _is_passive(index, root):
            continue
        if subject is not None and subject.i in known:
            continue  # "The march followed ...", "The crash happened ...": said of an event, not one itself
        found[root.i] = OTHER
    return found


@dataclass
class TimeAnchor:
    """The times that date one trigger: its own, and those it borrows from the clause it hangs on."""

    own: list[int] = field(default_factory=list)
    borrowed: list[int] = field(default_factory=list)


def _subject_event(verb: Token, triggers: dict[int, EventSense]) -> int | None:
    """The event noun a non-event verb says something of: "the attack happened at 11:30pm"."""
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    subject = _own_subject(verb)
    return subject.i if subject is not None and subject.i in triggers else None


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
        if index.times[number].type in _UNTIMED_TYPES:
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
            if parent.dep_ == "prep" and parent.lower_ in _BOUND_PREPOSITIONS:
                break  # "days before Election Day" bounds the event, it does not date it
            if parent.i in triggers and parent.i not in inside:
                # "the explosion late on Thursday had caused damage": the time is the explosion's.
                subject = _own_subject(parent) if triggers[parent.i] is OTHER else None
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
            c.dep_ == "mark" and c.lower_ not in _MEANS_MARKS for c in node.children
        ):
            return None
        node = node.head
        if node.i in triggers and triggers[node.i] is not SAY:
            return node.i
    return None
