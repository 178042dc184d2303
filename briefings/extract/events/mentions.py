"""Event mentions read off the dependency parse: the trigger, who did it to whom, where, when, why and how.

One mention is one place in the text where an event is named, by a verb ("Iran launched missiles") or an
event noun ("the killing of the general"). `coreference` later joins the mentions of one real event.
"""

from __future__ import annotations

import functools
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from spacy.tokens import Token

from briefings.extract.entities import dateline_end
from briefings.extract.events.circumstances import core, is_time, locate, means, reason, reason_strength
from briefings.extract.events.index import TokenIndex
from briefings.extract.events.lexicon import (
    HYPOTHETICAL_GOVERNORS,
    MODAL_LEMMAS,
    PHRASAL_SENSES,
    REPORTING_LEMMAS,
    WEAPON_LEMMAS,
    EventSense,
)
from briefings.extract.events.participants import Namer, noun_roles, targets
from briefings.extract.events.phrases import SIDE_CLAUSES, phrase, phrase_tokens, render
from briefings.extract.events.syntax import (
    RELATIVE_TAGS,
    child_of,
    clause_depth,
    governing_verb,
    in_label,
    is_passive,
    subject_of,
)
from briefings.extract.events.triggers import OTHER, SAY, base_form, light_object

_EVIDENCE_WORDS = 30


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


def _action(trigger: Token, passive: bool, obj: Token | None, index: TokenIndex) -> str:
    """What was done, in the text's words: the verb with its particle, object and first complement."""
    if trigger.pos_ != "VERB":
        return phrase(trigger, limit=8, drop=SIDE_CLAUSES | {"appos"})
    keep: list[Token] = [trigger]
    for child in trigger.children:
        if (
            child.dep_ in ("prt", "neg", "acomp", "oprd")
            or (passive and child.dep_ == "auxpass")
            or (child.dep_ == "advmod" and (trigger.lemma_.lower(), child.lower_) in PHRASAL_SENSES)
        ):
            keep.extend(child.subtree if child.dep_ in ("acomp", "oprd") else [child])
    if obj is not None:
        keep.extend(phrase_tokens(obj, limit=6, drop=SIDE_CLAUSES | {"acl", "appos"}))
    else:
        for child in trigger.rights:
            if (
                child.dep_ in ("prep", "dative", "xcomp")
                and not is_time(index, child)
                and reason_strength(child) == 0.0
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
        and trigger.head.lemma_.lower() not in REPORTING_LEMMAS
    ):
        clause = trigger.head  # "the attacks were in revenge for ...", not "the Taliban said the bombing"
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
    tokens = _without_dateline(tokens, trigger)
    tokens = _without_leading_relative(tokens, clause)
    text = render(tokens)
    text = text.strip("\"'“”‘’ ").rstrip(".;:, ")
    if text.count('"') % 2:
        text = text.replace('"', "")
    return text[:1].upper() + text[1:] if text else text


_RELATIVE_WORDS = frozenset({"which", "who", "whom", "whose", "that"})


def _without_dateline(tokens: list[Token], trigger: Token) -> list[Token]:
    """A statement without the dateline its line opens with ("LISBON, May 7 (AFP) -", "Port Lira:")."""
    sentence_start = trigger.sent.start
    end = dateline_end(trigger.doc, sentence_start)
    if end is None or trigger.i <= end:
        return tokens
    return [t for t in tokens if t.i > end]


def _without_leading_relative(tokens: list[Token], clause: Token) -> list[Token]:
    """A relative clause is no statement of its own: it is told with the noun it describes ("the sinking
    ..., which the navy blamed on X"), or, where the parse gives none, without its relative word."""
    if not tokens or tokens[0].tag_ not in RELATIVE_TAGS or tokens[0].lower_ not in _RELATIVE_WORDS:
        return tokens
    antecedent = clause.head if clause.dep_ == "relcl" else None
    if antecedent is None or antecedent.pos_ not in ("NOUN", "PROPN") or antecedent.i > tokens[0].i:
        return tokens[1:]
    lead = phrase_tokens(antecedent, limit=8, drop=SIDE_CLAUSES | {"appos", "acl", "relcl"})
    own = {t.i for t in tokens}
    return sorted([t for t in lead if t.i not in own] + tokens, key=lambda t: t.i)


def asserted(trigger: Token) -> bool:
    """Whether the text states the event happened: not negated, not modal or future, not merely planned."""
    verb = governing_verb(trigger)
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
        agent_tokens, patient_tokens = noun_roles(namer, trigger, sense)
    else:
        mention.passive = is_passive(index, trigger)
        subject = subject_of(trigger)
        obj = child_of(trigger, "dobj")
        agent_tokens, patient_tokens = [], []
        if mention.passive:
            # "these missiles were launched": what was launched is the means, not a victim.
            if subject is not None and not (
                sense.object_is_instrument and base_form(subject) in WEAPON_LEMMAS
            ):
                patient_tokens.append(subject)
            by = child_of(trigger, "agent")
            pobj = child_of(by, "pobj") if by is not None else None
            if pobj is not None:
                agent_tokens.append(pobj)
        else:
            if subject is not None and not (
                sense.object_is_instrument and base_form(subject) in WEAPON_LEMMAS
            ):
                agent_tokens.append(subject)
            if sense.object_is_instrument:
                patient_tokens.extend(targets(trigger, obj))
            elif obj is not None and light_object(trigger) is not None:
                patient_tokens.extend(noun_roles(namer, obj, sense)[1])
            elif obj is not None:
                patient_tokens.append(obj)
            else:
                for child in trigger.children:
                    if child.dep_ == "prep" and child.lower_ in ("with", "against", "on"):
                        pobj = child_of(child, "pobj")
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
    elif is_noun and sense.family == "accident":
        # "Explosion and gunfire outside the consulate": nobody did it; the blast itself is what acted.
        mention.subject = phrase(trigger, limit=4, drop=SIDE_CLAUSES | {"prep", "appos", "acl"})
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
    participants = {i for token in agent_tokens + patient_tokens for i in core(token)}
    holders = [trigger] + ([obj] if obj is not None else []) + patient_tokens + agent_tokens
    mention.place, mention.place_text = locate(index, trigger, holders, participants, triggers)
    reason_holder = governing_verb(trigger) if is_noun else trigger
    if sense is not SAY:  # a "said" lends its time and place to a statement, nothing more
        mention.why, mention.why_strength = reason(index, reason_holder)
        mention.how = means(index, trigger, sense, obj)
    mention.object_token, mention.subject_token = obj, subject
    mention.means_children, mention.index = frozenset(means_children), index
    return mention
