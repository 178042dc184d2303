"""Who a speaker phrase names: the canonical actor behind a name, a title, or a pronoun.

Built once per parsed article from the actors' mentions; every look-up is a walk over a few tokens, so the
quote and claim extractors can ask for as many speakers as they find.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass

import numpy as np
from spacy.strings import hash_string  # type: ignore[attr-defined]  # compiled, not in the stubs
from spacy.tokens import Doc, Span, Token

from briefings.models import Actor

Gender = str  # "m", "f" or "" when the text does not show it

_MALE_PRONOUNS = frozenset(["he", "him", "his", "himself"])
_FEMALE_PRONOUNS = frozenset(["she", "her", "hers", "herself"])
_PLURAL_PRONOUNS = frozenset(["they", "them", "their"])
_NEUTER_PRONOUNS = frozenset(["it"])
PERSONAL_PRONOUNS = _MALE_PRONOUNS | _FEMALE_PRONOUNS | _PLURAL_PRONOUNS | _NEUTER_PRONOUNS
_RELATIVE_PRONOUNS = frozenset(["who", "which", "that", "whom"])
_MALE_HONORIFICS = frozenset(["mr", "mr.", "sir", "lord", "king", "prince", "father", "brother"])
_FEMALE_HONORIFICS = frozenset(
    ["mrs", "mrs.", "ms", "ms.", "miss", "madam", "lady", "queen", "princess", "mother", "sister", "dame"]
)
# Nouns that show a person's gender when they stand beside the name ("spokeswoman Jane Roe").
_MALE_NOUNS = frozenset(
    [
        "man",
        "businessman",
        "spokesman",
        "congressman",
        "chairman",
        "husband",
        "father",
        "son",
        "brother",
        "boy",
        "uncle",
        "grandfather",
        "nephew",
        "actor",
        "king",
    ]
)
_FEMALE_NOUNS = frozenset(
    [
        "woman",
        "businesswoman",
        "spokeswoman",
        "congresswoman",
        "chairwoman",
        "wife",
        "mother",
        "daughter",
        "sister",
        "girl",
        "aunt",
        "grandmother",
        "niece",
        "actress",
        "queen",
    ]
)
_GENDERED_HASHES = np.array(
    sorted(hash_string(word) for word in _MALE_PRONOUNS | _FEMALE_PRONOUNS), dtype=np.uint64
)
# How far back (in tokens) a pronoun may look for the person it stands for.
_PRONOUN_REACH = 400
# How far back a person of the pronoun's own gender may be (a profile names its subject rarely).
_GENDERED_REACH = 2000
# Dependency labels of a phrase's own words (its determiner, adjectives, compounds, possessor, case).
_PHRASE_DEPS = frozenset(["det", "amod", "compound", "poss", "nmod", "nummod", "case", "quantmod", "advmod"])
_MAX_PHRASE_TOKENS = 8
# Nouns for the occasion of saying something, which a parser may hang on the speaker's phrase.
_UTTERANCE_NOUNS = frozenset(
    [
        "statement",
        "interview",
        "speech",
        "letter",
        "tweet",
        "post",
        "remark",
        "briefing",
        "release",
        "email",
        "message",
        "broadcast",
        "video",
        "conference",
        "call",
        "address",
        "testimony",
        "hearing",
    ]
)


@dataclass(frozen=True)
class PersonMention:
    """A person named outside quotation marks: where, who, and whether as a clause's subject."""

    token: int
    name: str
    subject: bool


def _token_index(starts: list[int], position: int) -> int:
    """The index of the token that holds a character position."""
    return max(0, bisect.bisect_right(starts, position) - 1)


class SpeakerResolver:
    """Names speakers by their actors' canonical names and resolves pronouns to the person meant."""

    def __init__(self, doc: Doc, actors: list[Actor], quoted: bytearray) -> None:
        self._doc = doc
        self._quoted = quoted
        self._actor_at: dict[int, Actor] = {}
        self._names: dict[str, Actor] = {}
        starts = doc.to_array("IDX").tolist() if len(doc) else []
        persons: list[PersonMention] = []
        for actor in actors:
            self._names.setdefault(actor.name.lower(), actor)
            for alias in actor.aliases:
                self._names.setdefault(alias.lower(), actor)
            for mention in actor.mentions:
                if not starts or mention.end <= mention.start:
                    continue
                first = _token_index(starts, mention.start)
                last = _token_index(starts, mention.end - 1)
                for i in range(first, last + 1):
                    self._actor_at.setdefault(i, actor)
                if actor.kind == "person" and not quoted[last]:
                    head = doc[last]
                    persons.append(PersonMention(last, actor.name, head.dep_ in ("nsubj", "nsubjpass")))
        self._surnames: dict[str, list[str]] = {}
        for actor in actors:
            if actor.kind == "person" and " " in actor.name:
                owners = self._surnames.setdefault(actor.name.split()[-1].lower(), [])
                if actor.name not in owners:
                    owners.append(actor.name)
        # People the parser tagged that no actor covers still count as people a pronoun may mean.
        for ent in doc.ents:
            last = ent.end - 1
            if ent.label_ != "PERSON" or last in self._actor_at or quoted[last]:
                continue
            name = self._canonical(_clean(ent.text))
            persons.append(PersonMention(last, name, doc[last].dep_ in ("nsubj", "nsubjpass")))
        persons.sort(key=lambda p: p.token)
        self._persons = persons
        self._person_tokens = [p.token for p in persons]
        self._gender = self._infer_genders()
        self._entity_of: dict[int, Span] | None = None

    # ------------------------------------------------------------------ gender

    def _infer_genders(self) -> dict[str, Gender]:
        """Each person's gender as the text shows it: honorifics, gendered nouns, then pronouns that follow."""
        votes: dict[str, Counter[str]] = {}
        doc = self._doc
        for mention in self._persons:
            token = doc[mention.token]
            tally = votes.setdefault(mention.name, Counter())
            for word in _phrase_words(token):
                if word in _MALE_HONORIFICS or word in _MALE_NOUNS:
                    tally["m"] += 3
                elif word in _FEMALE_HONORIFICS or word in _FEMALE_NOUNS:
                    tally["f"] += 3
        lowers = doc.to_array("LOWER") if len(doc) else np.zeros(0, dtype=np.uint64)
        for index in np.flatnonzero(np.isin(lowers, _GENDERED_HASHES)):
            token = doc[int(index)]
            lower = token.lower_
            if self._quoted[token.i]:
                continue
            previous = self._previous_persons(token.i, reach=60)
            if not previous:
                continue
            # Only a pronoun with a single person close before it is evidence of that person's gender.
            names = {p.name for p in previous[:3]}
            if len(names) == 1:
                gender = "m" if lower in _MALE_PRONOUNS else "f"
                votes.setdefault(previous[0].name, Counter())[gender] += 1
        genders: dict[str, Gender] = {}
        for name, tally in votes.items():
            # A clear majority only: one name can stand for two relatives ("Trump" for Donald and Ivanka).
            if tally["m"] > 2 * tally["f"]:
                genders[name] = "m"
            elif tally["f"] > 2 * tally["m"]:
                genders[name] = "f"
        return genders

    def _previous_persons(self, token: int, reach: int = _PRONOUN_REACH) -> list[PersonMention]:
        """Person mentions before a token, nearest first, within `reach` tokens."""
        end = bisect.bisect_left(self._person_tokens, token)
        found: list[PersonMention] = []
        for index in range(end - 1, -1, -1):
            mention = self._persons[index]
            if token - mention.token > reach:
                break
            found.append(mention)
        return found

    def entity_at(self, i: int) -> Span | None:
        """The named entity a token belongs to (the entity map is built on first use)."""
        if self._entity_of is None:
            self._entity_of = {}
            for ent in self._doc.ents:
                for j in range(ent.start, ent.end):
                    self._entity_of[j] = ent
        return self._entity_of.get(i)

    def gender_of(self, name: str) -> Gender:
        """The gender the text shows for a person ("" when it does not)."""
        return self._gender.get(name, "")

    # ------------------------------------------------------------------ names

    def actor_at(self, token: Token) -> Actor | None:
        """The actor a token's mention belongs to, if any."""
        return self._actor_at.get(token.i)

    def name_of(self, head: Token) -> str:
        """The canonical name of the actor a speaker phrase names, or the phrase as written."""
        actor = self._actor_at.get(head.i)
        if actor is None:
            # "the group's leader, Jane Roe, said": the apposition names the person.
            for child in head.children:
                if child.dep_ == "appos":
                    named = self._actor_at.get(child.i)
                    if named is not None and named.kind == "person":
                        return named.name
        if actor is not None and (actor.kind == "person" or head.ent_type_ not in ("PERSON",)):
            return actor.name
        if head.ent_iob_ != "O" and head.ent_type_:
            ent = self.entity_at(head.i)
            if ent is not None:
                return self._canonical(_clean(ent.text))
        if head.pos_ == "PROPN":
            return self._canonical(speaker_phrase(head))
        return speaker_phrase(head)

    def known_name(self, phrase: str) -> str | None:
        """The canonical name of the actor a phrase names, or None when it names none of them."""
        name = self._canonical(phrase)
        return name if name.lower() in self._names else None

    def _canonical(self, phrase: str) -> str:
        """A name as one of the actors: by name or alias, or by a surname only one person has."""
        known = self._names.get(phrase.lower())
        if known is not None:
            return known.name
        words = phrase.split()
        if 0 < len(words) <= 3 and words[-1][:1].isupper():
            owners = self._surnames.get(words[-1].lower(), [])
            if len(owners) == 1:
                return owners[0]
        return phrase

    def resolve_pronoun(self, pronoun: Token, speakers: list[tuple[int, str]]) -> str | None:
        """The person (or organisation, for "it"/"they") a pronoun speaker stands for, or None."""
        lower = pronoun.lower_
        if lower in _NEUTER_PRONOUNS or lower in _PLURAL_PRONOUNS:
            return self._resolve_group(pronoun)
        wanted = "m" if lower in _MALE_PRONOUNS else "f" if lower in _FEMALE_PRONOUNS else ""
        # (token, name, is a subject or an earlier speaker), nearest first.
        candidates: list[tuple[int, str, bool]] = [
            (p.token, p.name, p.subject) for p in self._previous_persons(pronoun.i, reach=_GENDERED_REACH)
        ]
        candidates.extend((at, name, True) for at, name in speakers if at < pronoun.i)
        candidates.sort(key=lambda c: -c[0])
        unsure: list[tuple[int, str, bool]] = []
        for at, name, subject in candidates:
            gender = self._gender.get(name, "")
            if wanted and gender and gender != wanted:
                continue
            if not wanted or gender == wanted:
                return name
            if pronoun.i - at <= _PRONOUN_REACH:
                unsure.append((at, name, subject))
        # Nobody of the pronoun's gender: the nearest subject whose gender the text does not show.
        for _, name, subject in unsure:
            if subject:
                return name
        return unsure[0][1] if unsure else None

    def _resolve_group(self, pronoun: Token) -> str | None:
        """ "it"/"they" as a speaker: the nearest organisation or group named before it.

        "they" may also stand for people named by a plural noun ("The researchers …, they said").
        """
        plural = pronoun.lower_ in _PLURAL_PRONOUNS
        doc = self._doc
        for i in range(pronoun.i - 1, max(-1, pronoun.i - _PRONOUN_REACH), -1):
            if self._quoted[i]:
                continue
            actor = self._actor_at.get(i)
            if actor is not None and actor.kind in ("organization", "group"):
                return actor.name
            token = doc[i]
            if plural and token.tag_ in ("NNS", "NNPS") and token.dep_ in ("nsubj", "nsubjpass"):
                return speaker_phrase(token)
        return None


def _phrase_words(token: Token) -> list[str]:
    """Lower-cased words of the phrase around a name: its left children and an apposition's head."""
    words = [child.lower_ for child in token.lefts]
    words.extend(child.lower_ for child in token.children if child.dep_ == "appos")
    if token.dep_ in ("compound", "appos"):
        words.append(token.head.lower_)
    if token.i > 0:
        words.append(token.doc[token.i - 1].lower_)
        if token.i > 1:
            words.append(token.doc[token.i - 2].lower_)
    return words


def _clean(text: str) -> str:
    text = text.strip().rstrip(",;:")
    if text.lower().startswith("the "):
        return text
    return text.removesuffix("'s").removesuffix("’s")


def speaker_phrase(head: Token) -> str:
    """A speaker phrase as written, without its relative clauses and appositions ("a police spokesman")."""
    keep = {head.i}
    stack = [child for child in head.lefts if child.dep_ in _PHRASE_DEPS]
    while stack:
        token = stack.pop()
        keep.add(token.i)
        stack.extend(token.children)
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ in ("of", "for", "at", "from", "with", "in"):
            subtree = list(child.subtree)
            if any(t.lemma_.lower() in _UTTERANCE_NOUNS for t in subtree):
                # "the military in a statement said": where it was said, not who said it.
                continue
            if len(keep) + len(subtree) <= _MAX_PHRASE_TOKENS and not any(t.is_punct for t in subtree):
                keep.update(t.i for t in subtree)
    start, end = min(keep), max(keep)
    span = head.doc[start : end + 1]
    return _clean(span.text)


def is_relative_pronoun(token: Token) -> bool:
    """Whether a subject is a relative pronoun ("who said"), standing for the noun its clause modifies."""
    return token.lower_ in _RELATIVE_PRONOUNS
