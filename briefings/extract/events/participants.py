"""Participants of an event: who did it and to whom, named as the actors extractor names them."""

from __future__ import annotations

from spacy.tokens import Span, Token

from briefings.extract.entities import dateline_end
from briefings.extract.events.index import TokenIndex
from briefings.extract.events.lexicon import (
    TARGET_PREPOSITIONS,
    EventSense,
)
from briefings.extract.events.phrases import SIDE_CLAUSES, phrase
from briefings.extract.events.syntax import child_of, reported_by, subject_of
from briefings.extract.events.triggers import LIGHT_VERBS

_PATIENT_PREPOSITIONS = frozenset({"of", "on", "against"})


_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})


_GROUP_PRONOUNS = frozenset({"it", "they", "them"})


class Namer:
    """Names participants: an actor's canonical name where the actors extractor found one, else the phrase."""

    def __init__(self, index: TokenIndex) -> None:
        self.index = index

    def actor_near(self, token: Token) -> str | None:
        """The actor named by the token, else the one it describes in apposition, else by an apposition in
        its phrase ("the commander of ..., General X")."""
        name = self.index.actor[token.i]
        if name is not None:
            return name
        # A description set beside a name ("Bettie Page, the pin-up queen and icon who ...") is who or what
        # the name names, however many descriptions are joined.
        described = token
        while described.dep_ == "conj" and described.head.i != described.i:
            described = described.head
        if described.dep_ == "appos" and self.index.actor[described.head.i] is not None:
            return self.index.actor[described.head.i]
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
            reporter = reported_by(token)
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
        if token.i in self.index.stamp_tokens:
            return None, False  # "PUBLISHED: 22:07 GMT" names no one
        actor = self.actor_near(token)
        if actor is not None:
            return actor, True
        sentence_start = token.sent.start
        dateline = dateline_end(token.doc, sentence_start)
        # A subject the parse glued to the dateline ("OSLO, Oct 24 - Shares ..."), to the page's stamp
        # ("Updated 8:28 PM Texas escapee ...") or to a clock time ("05:40 PM ET A convicted sex offender")
        # is named without it.
        glued = max(
            dateline if dateline is not None and dateline < token.i else -1,
            self._stamp_before(token),
            self._clock_before(token),
        )
        skip = range(sentence_start, glued + 1) if glued >= 0 else ()
        text = phrase(token, limit=6, drop=SIDE_CLAUSES | {"appos", "acl"}, skip=skip)
        return (text or None), False

    def _stamp_before(self, token: Token) -> int:
        found = self.index.stamp_before(token.i)
        return -1 if found is None else found

    def _clock_before(self, token: Token) -> int:
        """The last word of a clock time inside the phrase, before its head word; -1 when none."""
        index = self.index
        for i in range(token.i - 1, token.left_edge.i - 1, -1):
            number = index.time[i]
            if number is not None and index.times[number].type == "TIME":
                return i
        return -1

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


def targets(trigger: Token, obj: Token | None) -> list[Token]:
    """What a launch was aimed at: "at X", "against X", "targeting X"."""
    found: list[Token] = []
    for holder in (trigger, obj):
        if holder is None:
            continue
        for child in holder.children:
            if child.dep_ == "prep" and child.lower_ in TARGET_PREPOSITIONS:
                pobj = child_of(child, "pobj")
                if pobj is not None:
                    found.append(pobj)
            elif child.dep_ in ("acl", "advcl") and child.lemma_.lower() in ("target", "aim", "hit"):
                target = child_of(child, "dobj")
                if target is None:
                    prep = child_of(child, "prep")
                    target = child_of(prep, "pobj") if prep is not None else None
                if target is not None:
                    found.append(target)
    return found


_COUNTRY_AGENT_FAMILIES = frozenset({"violence", "harm", "diplomacy", "policy"})


def noun_roles(namer: Namer, trigger: Token, sense: EventSense) -> tuple[list[Token], list[Token]]:
    """Who did it and to whom, for an event noun: "Iran's attack on X", "the killing of X by Y"."""
    agents: list[Token] = []
    patients: list[Token] = []
    for child in trigger.children:
        if child.dep_ == "poss":
            agents.append(child)
        elif child.dep_ == "prep" and child.lower_ == "by":
            pobj = child_of(child, "pobj")
            if pobj is not None:
                agents.append(pobj)
        elif child.dep_ == "prep" and child.lower_ in _PATIENT_PREPOSITIONS:
            pobj = child_of(child, "pobj")
            if pobj is not None and not patients:
                patients.append(pobj)
    if not agents and trigger.dep_ == "dobj" and trigger.head.lemma_.lower() in LIGHT_VERBS:
        subject = subject_of(trigger.head)
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
