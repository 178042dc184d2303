"""Named mentions: the parse's entities with the small model's usual errors corrected by general rules.

One linear pass over `doc.ents` and the tokens, shared by the actor and the place extractors (the result
is kept on the Doc). The corrections:

- a capitalised common noun at a sentence start is no person ("Missiles launched from …");
- a lone name after "in"/"near", or in a list after "at"/"from" with another place, is a place;
- a name followed by "paramilitary force", "militia", "group" … is a group;
- a name ending in "Airport", "Station", "Base" … is a facility, whatever the label;
- a name right after a person's title ("spokesperson Morgan Ortagus") is a person;
- "X and Y" before "show"/"programme" is one programme, not two actors;
- a word that belongs to a title ("Supreme Leader", "Secretary of State") is no actor of its own;
- demonyms count toward their country ("Iranian" → Iran);
- a short form of a person named in full elsewhere is that person, whatever label it got, and is found
  where the model missed it.
"""

from __future__ import annotations

import functools
import itertools
import logging
from collections import Counter
from dataclasses import dataclass, replace
from typing import Literal

from spacy.tokens import Doc, Span, Token

from briefings.extract.lexicons import countries, word_list
from briefings.extract.names import PARTICLES, is_short_form, known_given_name, normalise_name, person_core

_log = logging.getLogger(__name__)

MentionKind = Literal["person", "organization", "country", "group", "place", "location", "facility"]
PLACE_KINDS: frozenset[str] = frozenset({"country", "place", "location", "facility"})

_CACHE_KEY = "briefbot.named_mentions"
_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT"})
_LOCATIVE = frozenset({"in", "near", "outside", "inside", "across", "throughout"})
_LIST_LOCATIVE = frozenset({"at", "from", "to", "into", "toward", "towards", "between", "via", "around"})
# Nouns and verbs after which "in X" names an organisation or a person, not a place ("a stake in X").
_IN_NOT_PLACE = frozenset(
    [
        "stake",
        "share",
        "interest",
        "invest",
        "investment",
        "confidence",
        "faith",
        "trust",
        "belief",
        "role",
        "job",
        "work",
        "involvement",
        "participate",
        "partner",
        "membership",
        "seat",
        "rank",
        "career",
    ]
)
_QUOTES = frozenset({'"', "'", "\u201c", "\u201d", "\u2018", "\u2019", "``", "''", "(", "[", "-", "\u2014"})


@dataclass(frozen=True)
class NamedMention:
    """A name in the text (token span) with what it names after correction.

    `name` is the name as written, without a leading "the" or a trailing "'s"; `country` is the
    canonical country of a country name or demonym.
    """

    start: int
    end: int
    start_char: int
    end_char: int
    name: str
    kind: MentionKind
    label: str
    country: str | None = None


@functools.cache
def english_nouns() -> frozenset[str]:
    """English common nouns from the default spaCy pipeline's lemmatizer tables (empty if not installed)."""
    try:
        import spacy.util
        from spacy.lookups import Lookups

        from briefings.nlp import DEFAULT_PIPELINE

        root = spacy.util.get_package_path(DEFAULT_PIPELINE)
        for folder in root.glob("**/lemmatizer/lookups"):
            lookups = Lookups().from_disk(folder)
            if lookups.has_table("lemma_index"):
                table = lookups.get_table("lemma_index")
                if "noun" in table:
                    return frozenset(table["noun"])
    except (OSError, ImportError, ValueError, KeyError) as exc:
        _log.debug("no noun list from the spaCy pipeline: %s", exc)
    return frozenset()


def _lower_key(token: Token) -> str:
    return token.text.lower().replace(".", "")


def _is_titleword(token: Token) -> bool:
    key = _lower_key(token)
    return key in word_list("titles") or key in word_list("honorifics")


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token bounds without a leading article, quotes or punctuation and without a trailing "'s"."""
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].tag_ == "POS" or doc[end - 1].is_space):
        end -= 1
    return start, end


def _has_upper(span: Span) -> bool:
    return any(ch.isupper() for ch in span.text)


def _next_words(doc: Doc, end: int, skip: frozenset[str]) -> Token | None:
    """The first token after `end` that is not in `skip` (lowercase words only)."""
    i = end
    while i < len(doc) and doc[i].is_lower and doc[i].lower_ in skip:
        i += 1
    return doc[i] if i < len(doc) else None


def _sentence_initial(doc: Doc, start: int) -> bool:
    i = start - 1
    while i >= 0 and (doc[i].text in _QUOTES or doc[i].is_space):
        i -= 1
    return start == 0 or doc[start].is_sent_start or i < 0 or doc[i].text in (".", "!", "?", ":")


class _Corrector:
    """Decides what each entity names, by rules over the tokens around it."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.index = countries()
        self.nouns = english_nouns()
        self.lower_nouns = {t.lemma_.lower() for t in doc if t.pos_ == "NOUN" and t.is_lower}

    # ------------------------------------------------------------------ single entities

    def classify(self, ent: Span) -> MentionKind | None:
        """The kind of one entity, or None when it names no actor and no place."""
        doc, label = self.doc, ent.label_
        text = ent.text
        if not _has_upper(ent) or any(ch.isdigit() for ch in text):
            return None
        last = _lower_key(doc[ent.end - 1])
        if doc[ent.end - 1].is_title and last in word_list("facility_words") and len(ent) > 1:
            return "facility"
        if label == "EVENT":
            return None
        if label in ("GPE", "NORP", "ORG", "LOC") and (
            self.index.country_named(text) or self.index.country_of_demonym(text)
        ):
            return "country"
        if self._belongs_to_title(ent):
            return None
        if label in ("PERSON", "ORG") and self._names_group(ent):
            return "group"
        if label == "PERSON":
            return self._person_or_else(ent)
        if label == "ORG":
            return self._organization_or_else(ent)
        if label == "GPE":
            if self._after_person_title(ent):
                return "person"
            return "place"
        if label == "LOC":
            return "location"
        if label == "FAC":
            return "facility"
        if label == "NORP":
            return "group"
        return None

    def _belongs_to_title(self, ent: Span) -> bool:
        """ "Supreme" in "the Supreme Leader", "State" in "Secretary of State": part of a title."""
        doc = self.doc
        if len(ent) != 1:
            return False
        key = _lower_key(ent[0])
        following = doc[ent.end] if ent.end < len(doc) else None
        if (
            following is not None
            and _is_titleword(following)
            and (key in word_list("title_modifiers") or key in word_list("titles"))
        ):
            return True
        if key in word_list("titles") or key in word_list("honorifics"):
            return True
        if key in word_list("office_domains") and ent.start >= 2:
            before, title = doc[ent.start - 1], doc[ent.start - 2]
            return before.lower_ in ("of", "for") and _is_titleword(title)
        return False

    def _names_group(self, ent: Span) -> bool:
        """A name followed by "paramilitary force", "militia", "rebels" … names a group."""
        following = _next_words(self.doc, ent.end, word_list("group_fillers"))
        return (
            following is not None
            and following.is_lower
            and following.lower_ in word_list("group_words")
            and following.pos_ == "NOUN"
        )

    def _after_person_title(self, ent: Span) -> bool:
        """A capitalised two- to four-word name right after a person's title ("spokesperson Jane Roe")."""
        doc = self.doc
        if ent.start == 0 or not 2 <= len(ent) <= 4:
            return False
        if not all(t.is_title and t.is_alpha for t in ent):
            return False
        if any(_lower_key(t) in word_list("org_words") for t in ent):
            return False
        return _is_titleword(doc[ent.start - 1])

    def _person_or_else(self, ent: Span) -> MentionKind | None:
        doc = self.doc
        if len(ent) == 1 and ent[0].is_upper and len(ent.text) >= 2:
            return "organization"
        if any(_lower_key(t) in word_list("org_words") and t.is_title for t in ent[1:]):
            return "organization"
        if self._is_common_noun_at_start(ent):
            return None
        if self._is_place_by_position(ent):
            return "place"
        if ent.end < len(doc) and _lower_key(doc[ent.end]) in word_list("media_words"):
            return "organization"
        return "person"

    def _organization_or_else(self, ent: Span) -> MentionKind:
        if self._after_person_title(ent):
            return "person"
        words = [t for t in ent if t.is_alpha]
        single_name = len([t for t in words if t.lower_ not in PARTICLES]) == 1
        if (
            single_name
            and not any(t.is_upper for t in words)
            and not any(_lower_key(t) in word_list("org_words") for t in words)
            and self.doc[ent.start - 1].lower_ != "the"
            and self._is_place_by_position(ent)
        ):
            return "place"
        return "organization"

    def _is_common_noun_at_start(self, ent: Span) -> bool:
        """ "Missiles launched from …": a capitalised common noun that opens a sentence."""
        if len(ent) != 1 or not _sentence_initial(self.doc, ent.start):
            return False
        if ent.start > 0 and _is_titleword(self.doc[ent.start - 1]):
            return False
        lower = ent[0].lower_
        forms = {
            lower,
            lower[:-1] if lower.endswith("s") else lower,
            lower[:-2] if lower.endswith("es") else lower,
        }
        if forms & self.lower_nouns:
            return True
        # Without the word elsewhere in the text, only a plural of a known noun is evidence enough.
        return lower.endswith("s") and (lower[:-1] in self.nouns or lower[:-2] in self.nouns)

    def _is_place_by_position(self, ent: Span) -> bool:
        """A name after "in"/"near" (alone) or "at"/"from" (in a list with another name) is a place."""
        root = ent.root
        first = root
        while first.dep_ == "conj" and first.head is not first:
            first = first.head
        if first.dep_ != "pobj":
            return False
        prep = first.head.lower_
        governor = first.head.head
        if governor.lemma_.lower() in _IN_NOT_PLACE:
            return False
        core = person_core(ent.text)
        if len(core) > 1 and known_given_name(core[0]):
            return False
        if prep in _LOCATIVE:
            return True
        if prep in _LIST_LOCATIVE:
            # "at Al-Assad and Irbil": a list of names of different labels after "at" names places
            # ("at Google and Apple", "at Smith and Jones" are organisations and people).
            own = set(range(ent.start, ent.end))
            others = {t.ent_type_ for t in _conjuncts(first) if t.i not in own and t.ent_type_}
            return bool(others - {ent.label_})
        return False


def _conjuncts(first: Token) -> list[Token]:
    """The heads of a coordination ("A, B and C"), starting at its first member."""
    found = [first]
    for token in found:
        found.extend(child for child in token.children if child.dep_ == "conj")
        if len(found) > 20:
            break
    return found


def _media_pairs(doc: Doc, ents: list[Span]) -> dict[int, tuple[int, int]]:
    """ "Fox and Friends news show": two names joined by "and" before a programme noun, as one name."""
    pairs: dict[int, tuple[int, int]] = {}
    for a, b in itertools.pairwise(ents):
        if b.start != a.end + 1 or doc[a.end].lower_ not in ("and", "&"):
            continue
        following = _next_words(
            doc, b.end, frozenset({"news", "tv", "radio", "talk", "morning", "breakfast"})
        )
        if following is not None and _lower_key(following) in word_list("media_words"):
            pairs[a.start] = (a.start, b.end)
            pairs[b.start] = (-1, -1)
    return pairs


def _mention(doc: Doc, start: int, end: int, kind: MentionKind, label: str) -> NamedMention | None:
    start, end = _trim(doc, start, end)
    if start >= end:
        return None
    span = doc[start:end]
    country = None
    index = countries()
    if kind == "country":
        country = index.country_named(span.text) or index.country_of_demonym(span.text)
    return NamedMention(
        start=start,
        end=end,
        start_char=span.start_char,
        end_char=span.end_char,
        name=span.text,
        kind=kind,
        label=label,
        country=country,
    )


def _relabel_by_consistency(mentions: list[NamedMention]) -> list[NamedMention]:
    """One name, one kind: a short form of a person named in full is that person; else the majority."""
    full_people = [m.name for m in mentions if m.kind == "person" and len(person_core(m.name)) > 1]
    votes: dict[str, Counter[str]] = {}
    for m in mentions:
        votes.setdefault(normalise_name(m.name), Counter())[m.kind] += 1
    result = []
    for m in mentions:
        kind = m.kind
        if kind in ("organization", "place", "group") and len(person_core(m.name)) <= 2:
            if any(
                is_short_form(m.name, full) or normalise_name(full) == normalise_name(m.name)
                for full in full_people
            ):
                kind = "person"
        elif kind == "person" and len(person_core(m.name)) == 1:
            tally = votes[normalise_name(m.name)]
            if not any(is_short_form(m.name, full) for full in full_people):
                best, count = tally.most_common(1)[0]
                if best != "person" and count > tally["person"]:
                    kind = best  # type: ignore[assignment]
        result.append(m if kind == m.kind else replace(m, kind=kind))
    return result


def _missed_mentions(doc: Doc, mentions: list[NamedMention]) -> list[NamedMention]:
    """Short forms of people and names of countries that the model left untagged."""
    covered = bytearray(len(doc))
    for m in mentions:
        for i in range(m.start, m.end):
            covered[i] = 1
    short_forms: set[str] = set()
    for m in mentions:
        if m.kind == "person":
            core = person_core(m.name)
            if len(core) > 1:
                short_forms.add(core[-1])
    index = countries()
    found: list[NamedMention] = []
    for token in doc:
        if covered[token.i] or not (token.is_title or token.is_upper) or not token.is_alpha:
            continue
        extra = None
        if token.lower_ in short_forms and token.pos_ == "PROPN":
            extra = _mention(doc, token.i, token.i + 1, "person", "PERSON")
        elif token.pos_ in ("PROPN", "ADJ") and (
            index.country_named(token.text) or index.country_of_demonym(token.text)
        ):
            extra = _mention(doc, token.i, token.i + 1, "country", "GPE")
        if extra is not None:
            found.append(extra)
    return found


def named_mentions(doc: Doc) -> list[NamedMention]:
    """Every name of a person, organisation, country, group or place in a parsed text, in text order."""
    cached = doc.user_data.get(_CACHE_KEY)
    if cached is not None:
        return list(cached)
    corrector = _Corrector(doc)
    ents = [ent for ent in doc.ents if ent.label_ in _LABELS]
    media = _media_pairs(doc, ents)
    mentions: list[NamedMention] = []
    for ent in ents:
        pair = media.get(ent.start)
        if pair is not None:
            if pair[0] >= 0:
                m = _mention(doc, pair[0], pair[1], "organization", "ORG")
                if m is not None:
                    mentions.append(m)
            continue
        kind = corrector.classify(ent)
        if kind is None:
            continue
        m = _mention(doc, ent.start, ent.end, kind, ent.label_)
        if m is not None and any(ch.isupper() for ch in m.name):
            mentions.append(m)
    mentions = _relabel_by_consistency(mentions)
    mentions.extend(_missed_mentions(doc, mentions))
    mentions.sort(key=lambda m: m.start)
    doc.user_data[_CACHE_KEY] = tuple(mentions)
    return mentions
