"""Named mentions: the parse's entities with the small model's usual errors corrected by general rules.

Linear passes over `doc.ents` and the tokens, shared by the actor and the place extractors (the result
is kept on the Doc). The corrections:

- a person's name is cut free of what the model glued to it: photo credits in capitals ("GETTY
  Obama"), a word before it that is no name ("Follow Ashley May"), a "/PA" credit, a bracket;
- a capitalised common word is no person ("Missiles launched from …", "Oxygen", "Invalid Email");
- a lone name after "in"/"near", or in a list after "at"/"from" with a name of another label, is a place;
- a name followed by "paramilitary force", "militia", "rebels" … is a group;
- a name ending in "Airport", "Station", "Base" … is a facility, whatever the label;
- a name right after a person's title ("spokesperson Morgan Ortagus") is a person;
- "X and Y" before "show"/"programme" is one programme, not two actors;
- a word that belongs to a title ("Supreme Leader", "Secretary of State") is no actor of its own;
- demonyms count toward their country ("Iranian" → Iran);
- one name, one kind: a short form of a person named in full is that person whatever label it got (and
  is found where the model missed it); other names take the kind most of their mentions have;
- in a headline written in title case, a lone common word ("Killing") is no name.
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Literal

from spacy.tokens import Doc, Span, Token

from briefings.extract.english_words import common_nouns, common_words, is_common_word
from briefings.extract.lexicons import countries, word_list
from briefings.extract.names import NAME_SUFFIXES, PARTICLES, known_given_name, normalise_name, person_core
from briefings.extract.temporal.fragments import ZONE

_log = logging.getLogger(__name__)

MentionKind = Literal["person", "organization", "country", "group", "place", "location", "facility"]

_CACHE_KEY = "briefbot.named_mentions"
_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT"})
_PLACE_KINDS = frozenset({"place", "location", "facility"})
_LOCATIVE = frozenset({"in", "near", "outside", "inside", "across", "throughout"})
_LIST_LOCATIVE = frozenset({"at", "from", "to", "into", "toward", "towards", "between", "via", "around"})
# Prepositions before a name that show it is used as a place ("in Paris", "from Paris").
_PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "from", "outside", "inside", "across", "throughout"})
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
_OPENERS = frozenset({'"', "'", "\u201c", "\u201d", "\u2018", "\u2019", "``", "''", "(", "[", "-", "\u2014"})
_BREAKS = frozenset({"[", "]", "(", ")", "{", "}", "|", "/", "\\", ",", ";", ":", '"', "\u201c", "\u201d"})
# Titles that take the domain of their office before them ("Home Minister", "Health Secretary").
_MINISTERIAL = frozenset({"minister", "secretary"})
# What closes a dateline that opens a line: "LISBON, May 7 (AFP) -", "COLUMBUS, Ohio —", "Port Lira:".
_DATELINE_DASHES = frozenset({"-", "--", "\u2014", "\u2013"})
# How many tokens a dateline may run to before its dash.
_DATELINE_TOKENS = 14
# Honorifics that only ever stand before a person's name (unlike "General" or "President").
_NAME_HONORIFICS = frozenset(["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir", "dame"])
_MEDIA_FILLERS = frozenset({"news", "tv", "radio", "talk", "morning", "breakfast", "evening"})
# Generic words after a place's name that do not make it another place ("Hebei province" = "Hebei").
PLACE_GENERICS = frozenset(
    ["province", "state", "county", "city", "region", "district", "governorate", "prefecture", "town"]
)


@dataclass(frozen=True)
class NamedMention:
    """A name in the text (token span and character span) with what it names after correction.

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


_GEOGRAPHY = frozenset(
    [
        "river",
        "lake",
        "mount",
        "mountain",
        "mountains",
        "island",
        "islands",
        "bay",
        "valley",
        "sea",
        "ocean",
        "coast",
        "beach",
        "hills",
        "hill",
        "falls",
        "springs",
        "heights",
        "gulf",
        "peninsula",
        "desert",
    ]
)


@functools.cache
def _not_person_words() -> frozenset[str]:
    return word_list("facility_words") | word_list("org_words") | PLACE_GENERICS | _GEOGRAPHY


def _lower_key(token: Token) -> str:
    return token.text.lower().replace(".", "")


def _is_titleword(token: Token) -> bool:
    key = _lower_key(token)
    return key in word_list("titles") or key in word_list("honorifics")


def _is_caps_word(token: Token) -> bool:
    return token.is_upper and token.is_alpha and len(token.text) >= 2


def _next_words(doc: Doc, end: int, skip: frozenset[str]) -> Token | None:
    """The first token after `end` that is not in `skip` (lowercase words only)."""
    i = end
    while i < len(doc) and doc[i].is_lower and doc[i].lower_ in skip:
        i += 1
    return doc[i] if i < len(doc) else None


def _sentence_initial(doc: Doc, start: int) -> bool:
    i = start - 1
    while i >= 0 and (doc[i].text in _OPENERS or doc[i].is_space):
        i -= 1
    return start == 0 or doc[start].is_sent_start or i < 0 or doc[i].text in (".", "!", "?", ":")


def _starts_line(doc: Doc, i: int) -> bool:
    """Whether token i is the first word of a line."""
    if i == 0:
        return True
    before = doc[i - 1]
    return "\n" in before.whitespace_ or (before.is_space and "\n" in before.text)


def _breaks_line(token: Token) -> bool:
    return "\n" in token.whitespace_ or (token.is_space and "\n" in token.text)


def dateline_end(doc: Doc, start: int) -> int | None:
    """The token that closes a dateline opening the line at `start`, or None when the line opens with none.

    A dateline is a place name, perhaps with its region, a date and an agency in brackets, closed by a dash
    ("LISBON, May 7 (AFP) -", "COLUMBUS, Ohio —", "Abuja (Reuters) -"), or a place name alone before a
    colon at the head of a paragraph below the title ("Port Lira: Norland fired ..."). Only names, numbers,
    commas and brackets stand before its end.
    """
    if start >= len(doc) or not _starts_line(doc, start):
        return None
    first = doc[start]
    if not first.is_alpha or not (first.is_title or first.is_upper):
        return None
    in_brackets = False
    for i in range(start, min(len(doc), start + _DATELINE_TOKENS)):
        token = doc[i]
        text = token.text
        if text in _DATELINE_DASHES:
            return i if i > start and not in_brackets else None
        if text == ":":
            # A name before a colon on a line below the title: "Port Lira:" (in a title, "Trump: ..." is a speaker).
            names = doc[start:i]
            if not 1 <= len(names) <= 3 or not all(t.is_alpha and (t.is_title or t.is_upper) for t in names):
                return None
            last = names[-1].lower_
            if known_given_name(first.lower_) or any(
                e.label_ == "PERSON" and e.end != i and e[-1].lower_ == last for e in doc.ents
            ):
                return None  # "Anna Kovac: ...", "Kovac: ...": a speaker, as in an interview
            below_title = any(_breaks_line(t) for t in doc[:start])
            return i if below_title else None
        if _breaks_line(token) or token.is_space:
            return None
        if text == "(":
            in_brackets = True
        elif text == ")":
            in_brackets = False
        elif not (
            in_brackets
            or text in (",", ".")
            or token.like_num
            or (token.is_alpha and (token.is_title or token.is_upper))
        ):
            return None
    return None


def _dateline_names(doc: Doc) -> bytearray:
    """Marks the tokens of the place names of every dateline (its words before any bracket)."""
    marks = bytearray(len(doc))
    for token in doc:
        if not (token.is_title or token.is_upper) or not _starts_line(doc, token.i):
            continue
        end = dateline_end(doc, token.i)
        if end is None:
            continue
        for i in range(token.i, end):
            dated = i + 1 < end and doc[i + 1].like_num  # "Oct 24", "May 7"
            if doc[i].text == "(" or doc[i].like_num or dated or doc[i].ent_type_ in ("DATE", "TIME"):
                break  # the date and the agency are no place
            if doc[i].is_alpha:
                marks[i] = 1
    return marks


def _title_case_tokens(doc: Doc) -> bytearray:
    """Marks the tokens of sentences written in title case (headlines, captions), where the model
    takes capitalised words for names. Only words outside entities count, not a sentence's first."""
    marks = bytearray(len(doc))
    for sent in doc.sents:
        words = titled = 0
        for token in sent[1:]:
            if token.is_alpha and len(token.text) > 3 and not token.ent_type_:
                words += 1
                titled += token.is_title or token.is_upper
        if words >= 3 and titled >= 0.7 * words:
            marks[sent.start : sent.end] = b"\x01" * (sent.end - sent.start)
    return marks


# ---------------------------------------------------------------------------- token spans


def _joined_part(doc: Doc, i: int) -> int:
    """The end of a hyphen-joined name part starting at token i ("Sharif", "i-Sharif"), or i if none."""
    if i < len(doc) and doc[i].is_title and doc[i].is_alpha:
        return i + 1
    # A short particle joined on both sides: the "i" of "Mazar-i-Sharif", the "al" of "Hashed al-Shaabi".
    if (
        i + 2 < len(doc)
        and doc[i].is_lower
        and len(doc[i].text) <= 3
        and not doc[i].whitespace_
        and doc[i + 1].text == "-"
        and not doc[i + 1].whitespace_
        and doc[i + 2].is_title
    ):
        return i + 3
    return i


def _with_hyphens(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Widen a span over hyphen-joined name parts the model left out ("Mazar" → "Mazar-i-Sharif")."""
    while (
        end + 1 < len(doc)
        and not doc[end - 1].whitespace_
        and doc[end].text == "-"
        and not doc[end].whitespace_
    ):
        joined = _joined_part(doc, end + 1)
        if joined == end + 1:
            break
        end = joined
    return start, end


_NAME_JOINERS = frozenset(
    [
        "of",
        "for",
        "on",
        "upon",
        "and",
        "&",
        "the",
        "de",
        "del",
        "della",
        "di",
        "du",
        "da",
        "dos",
        "das",
        "la",
        "le",
        "von",
        "van",
        "der",
        "den",
        "al",
        "el",
        "bin",
        "ibn",
        "y",
        "e",
        "i",
        "et",
    ]
)
_NOT_IN_NAMES = frozenset({"VERB", "AUX", "ADV", "PRON", "SCONJ", "PART", "ADP"})


def _cut_at_non_name_words(doc: Doc, start: int, end: int) -> int:
    """The end of a name before a lowercase word that cannot be in one ("Spiegel Online quoted")."""
    for i in range(start + 1, end):
        token = doc[i]
        if token.is_lower and token.pos_ in _NOT_IN_NAMES and token.lower_ not in _NAME_JOINERS:
            return i
    return end


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token bounds without a leading article, quotes or punctuation and without a trailing "'s"."""
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].tag_ == "POS" or doc[end - 1].is_space):
        end -= 1
    return start, end


def _person_pieces(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """A person entity cut at what cannot be inside a name: capitals among mixed case, brackets, credits."""
    span = doc[start:end]
    mixed = any(t.is_alpha and not t.is_upper for t in span)
    pieces: list[tuple[int, int]] = []
    piece_start = start
    for token in span:
        breaks = token.text in _BREAKS or (token.text == "-" and token.whitespace_)
        breaks = breaks or (mixed and _is_caps_word(token) and len(token.text) > 1 and token.text != "II")
        if breaks:
            if token.i > piece_start:
                pieces.append((piece_start, token.i))
            piece_start = token.i + 1
    if end - 2 >= start and doc[end - 1].lower_ == doc[end - 2].lower_:
        end -= 1  # "Verstappen Verstappen": a word repeated across a caption
    if end > piece_start:
        pieces.append((piece_start, end))
    trimmed = []
    for a, b in pieces:
        # "Follow Ashley May", "Comedian Ricky Gervais": a common word before a two-word name is no name.
        while b - a > 2 and _leading_non_name(doc[a]) and doc[a + 1].is_title and doc[a + 2].is_title:
            a += 1
        if any(doc[i].is_title or doc[i].is_upper for i in range(a, b)):
            trimmed.append((a, b))
    return trimmed


def _dateline_after_byline(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """ "By Jane Roe PORT AVEL, May 6 (Wire) -": the dateline's city in capitals glued to a byline's name.

    The capitals close a name written in mixed case and a date, a bracket or a dash follows them.
    """
    first = end
    while first > start and _is_caps_word(doc[first - 1]) and len(doc[first - 1].text) >= 3:
        first -= 1
    if first in (end, start) or not any(doc[i].is_title for i in range(start, first)):
        return None
    if all(_lower_key(doc[i]) in NAME_SUFFIXES for i in range(first, end)):
        return None  # "Anthony Roe III, 38, said": a generational suffix closes the name
    if any(_lower_key(doc[i]) in word_list("org_words") for i in range(first, end)):
        return None
    following = doc[end] if end < len(doc) else None
    if following is None:
        return None
    if following.text in ("(", "-", "\u2014", "\u2013"):
        return first, end
    after = doc[end + 1] if end + 1 < len(doc) else None
    if following.text != "," or after is None:
        return None
    dated = after.ent_type_ in ("DATE", "TIME") or (
        after.is_title and end + 2 < len(doc) and doc[end + 2].like_num  # "Nov 6", often left untagged
    )
    return (first, end) if dated else None


def _person_after_title(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """ "Army Spc Caleb Barnes": a title and a given name and surname inside another entity."""
    for i in range(end - 3, start - 1, -1):
        if _is_titleword(doc[i]) and doc[i].text[:1].isupper():
            rest = doc[i + 1 : end]
            if 2 <= len(rest) <= 3 and all(t.is_title for t in rest) and known_given_name(rest[0].lower_):
                return [(start, i), (i + 1, end)] if i > start else [(i + 1, end)]
    return [(start, end)]


def _leading_non_name(token: Token, nouns: frozenset[str] = frozenset()) -> bool:
    """A word before a name that is no part of it: a verb, adjective or adverb as written ("Follow",
    "Down"), or one of `nouns`; never a given name or an honorific."""
    lower = token.lower_
    return (
        token.is_alpha
        and (lower in common_words() or lower in nouns)
        and not known_given_name(lower)
        and lower not in word_list("honorifics")
    )


def _looks_like_no_name(doc: Doc, start: int, end: int) -> bool:
    """ "Invalid Email", "Watch Next": every word a common word and none a given name."""
    words = [doc[i] for i in range(start, end) if doc[i].is_alpha]
    return bool(words) and all(
        is_common_word(t.lower_) and not known_given_name(t.lower_) and not _is_titleword(t) for t in words
    )


# ---------------------------------------------------------------------------- classification


class _Corrector:
    """Decides what each entity names, by rules over the tokens around it."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.index = countries()
        self.nouns = common_nouns()
        # Words the text writes in lower case: one pass over the tokens.
        self.lower_nouns: set[str] = set()
        self.lower_words: set[str] = set()
        for t in doc:
            if t.is_lower and t.is_alpha:
                self.lower_words.add(t.text)
                if t.pos_ == "NOUN":
                    self.lower_nouns.add(t.lemma_)
        self.headline_tokens = _title_case_tokens(doc)
        self.place_votes: Counter[str] = Counter()
        self.name_votes: Counter[str] = Counter()
        for ent in doc.ents:
            votes = self.place_votes if ent.label_ in ("GPE", "LOC", "FAC") else self.name_votes
            for token in ent:
                votes[token.lower_] += 1
        # Per name, the labels the model gave it and whether it ever stands where places stand ("in X").
        self.labels_of: dict[str, Counter[str]] = {}
        self.located: set[str] = set()
        for ent in doc.ents:
            key = ent.text.lower()
            self.labels_of.setdefault(key, Counter())[ent.label_] += 1
            root = ent.root
            if root.dep_ == "pobj" and root.head.lower_ in _PLACE_PREPOSITIONS:
                self.located.add(key)
        # Every part of a person's full name, so that "Bush" or "Cook" alone is still that person.
        full_names = sorted({e.text for e in doc.ents if e.label_ == "PERSON" and len(e) > 1})
        self.person_short_forms = _short_forms(full_names)
        self.name_parts: dict[str, set[str]] = {}
        for full in full_names:
            for part in normalise_name(full).split():
                self.name_parts.setdefault(part, set()).add(full)

    def _in_headline(self, start: int) -> bool:
        return bool(self.headline_tokens[start])

    def classify(self, span: Span, label: str) -> MentionKind | None:
        """The kind of one entity, or None when it names no actor and no place."""
        kind = self._kind(span, label)
        if kind in _PLACE_KINDS and (self._names_a_happening(span) or _quoted_title(self.doc, span)):
            return None
        if kind in _PLACE_KINDS and _given_an_age(self.doc, span):
            return "person"  # "said 40-year-old Tsikala Stephania": an age is said of a person
        if kind in _PLACE_KINDS and _described_as_someone(span):
            return "person"  # "Ines Okafor, who leads the union,": places are described with "which"
        return kind

    def _names_a_happening(self, span: Span) -> bool:
        """ "Kraft Factory Shooting", "the Brazilian Grand Prix": a name ending in a word for an event
        (a shooting, a crash, a festival) names the happening, not the place it happened at."""
        if len(span) < 2:
            return False
        last = self.doc[span.end - 1]
        words = _happening_words()
        key = _lower_key(last)
        # The tagger leaves a plural name's last word as written ("Pedestrian Accidents").
        return key in words or last.lemma_.lower() in words or (key.endswith("s") and key[:-1] in words)

    def _kind(self, span: Span, label: str) -> MentionKind | None:
        doc = self.doc
        text = span.text
        if not any(ch.isupper() for ch in text) or any(ch.isdigit() for ch in text):
            return None
        if "@" in text or text.startswith("#") or (span.start > 0 and doc[span.start - 1].text in ("@", "#")):
            return None  # a social media handle or hashtag
        words = [t for t in span if t.is_alpha and len(t.text) > 1]
        if (
            words
            and all(t.is_upper and is_common_word(t.lower_) for t in words)
            and (len(words) > 1 or words[0].lower_ not in self.nouns)
        ):
            return None  # "HELPED", "ACCIDENT WAITING": a shouted headline word, not a name
        first, last = span[0], doc[span.end - 1]
        if (
            len(span) > 1
            and first.text[:1].isupper()
            and _lower_key(first) in _NAME_HONORIFICS
            and all(t.is_title for t in span[1:])
        ):
            return "person"  # "Mr Hussen", "Dr Jane Roe", whatever the label
        if label != "PERSON" and self._looks_like_full_name(span):
            return "person"  # "Julia Louis-Dreyfus" tagged as a building, "Caleb Barnes" as an army
        if len(span) > 1 and (
            (last.is_title and _lower_key(last) in word_list("facility_words"))
            or (first.is_title and _lower_key(first) in word_list("facility_first_words"))
        ):
            return "facility"
        if label in ("FAC", "GPE", "LOC") and len(span) > 1 and _lower_key(last) in word_list("org_words"):
            return "organization"  # "Joseph Rowntree Foundation" tagged as a building
        if label == "EVENT":
            return None
        if label in ("GPE", "NORP", "ORG", "LOC") and (
            self.index.country_named(text) or self.index.country_of_demonym(text)
        ):
            return "country"
        if self._belongs_to_title(span, label):
            return None
        if len(span) == 1 and label != "PERSON" and self._is_common_word_at_start(span):
            return None
        if len(span) == 1 and self._in_headline(span.start) and is_common_word(span[0].lower_):
            return None
        if label in ("PERSON", "ORG") and self._names_group(span):
            return "group"
        if label == "PERSON":
            return self._person_or_else(span)
        if label == "ORG":
            return self._organization_or_else(span)
        if label in ("GPE", "LOC") and self._no_place_of_its_own(span):
            return None
        if label == "GPE":
            if self._after_person_title(span) or self._given_name_as_place(span):
                return "person"
            return "place"
        if label == "LOC":
            return "location"
        if label == "FAC":
            return "facility"
        if label == "NORP":
            return "group"
        return None

    def _no_place_of_its_own(self, span: Span) -> bool:
        """ "Brexit": a name the model calls a person or an organisation as often as a place, and that
        never stands after "in", "at", "near" or "from", is a campaign or an idea, not a place."""
        key = span.text.lower()
        votes = self.labels_of.get(key)
        if votes is None or key in self.located:
            return False
        places = votes["GPE"] + votes["LOC"] + votes["FAC"]
        others = votes["PERSON"] + votes["ORG"]
        return votes["PERSON"] > 0 and others >= places

    def _given_name_as_place(self, span: Span) -> bool:
        """ "Samantha" tagged as a town: a lone given name that acts or owns, as people do."""
        lower = span[0].lower_
        if len(span) != 1 or not known_given_name(lower) or self.place_votes[lower] > 1:
            return False
        # The noun list knows famous places and people ("washington", "charlotte"): leave those be.
        if lower in self.nouns:
            return False
        return span.root.dep_ in ("nsubj", "nsubjpass", "poss", "dobj", "appos")

    def _looks_like_full_name(self, span: Span) -> bool:
        """A known given name and one or two capitalised words that name no place or organisation."""
        words = [t for t in span if t.is_alpha]
        first = words[0].lower_ if words else ""
        if not 2 <= len(words) <= 3 or not known_given_name(first) or first in PARTICLES:
            return False
        if first in common_words():
            return False  # "West Wing", "Rich List": a given name that is also an everyday word
        own = 1 if span.label_ in ("GPE", "LOC", "FAC") or span.root.ent_type_ in ("GPE", "LOC", "FAC") else 0
        if self.place_votes[words[0].lower_] - own > self.name_votes[words[0].lower_]:
            return False  # "Virginia", "Augusta": a given name the text mostly uses for a place
        if not all(t.is_title for t in words) or words[-1].tag_ == "NNPS":
            return False
        if self.index.country_named(span.text):
            return False
        return not any(_lower_key(t) in _not_person_words() for t in words)

    def _belongs_to_title(self, span: Span, label: str) -> bool:
        """ "Supreme" in "the Supreme Leader", "State" in "Secretary of State": part of a title."""
        doc = self.doc
        if len(span) != 1:
            return False
        key = _lower_key(span[0])
        following = doc[span.end] if span.end < len(doc) else None
        if (
            following is not None
            and _is_titleword(following)
            and (key in word_list("title_modifiers") or key in word_list("titles"))
        ):
            return True
        if (
            following is not None
            and _lower_key(following) in _MINISTERIAL
            and key in word_list("office_domains")
        ):
            return True  # "Home Minister", "Health Secretary": the office's domain is part of the title
        if key in word_list("titles") or key in word_list("honorifics"):
            return True
        if (
            label in ("NORP", "ORG")
            and key in self.lower_words
            and following is not None
            and _is_titleword(following)
            and span.end + 1 < len(doc)
            and doc[span.end + 1].is_title
        ):
            # "Harbour master Jonas Feld" in a text that speaks of the harbour: a noun the text writes in lower
            # case says what the office is of ("Apple chief Tim Cook" keeps Apple).
            return True
        if key in word_list("office_domains") and span.start >= 2:
            before, title = doc[span.start - 1], doc[span.start - 2]
            return before.lower_ in ("of", "for") and _is_titleword(title)
        return False

    def _names_group(self, span: Span) -> bool:
        """A name followed by "paramilitary force", "militia", "rebels" … names a group."""
        following = _next_words(self.doc, span.end, word_list("group_fillers"))
        return (
            following is not None
            and following.is_lower
            and following.lower_ in word_list("group_words")
            and following.pos_ == "NOUN"
        )

    def _after_person_title(self, span: Span) -> bool:
        """A capitalised two- to four-word name right after a person's title ("spokesperson Jane Roe")."""
        doc = self.doc
        if span.start == 0 or not 2 <= len(span) <= 4:
            return False
        if not all(t.is_title and t.is_alpha for t in span):
            return False
        if any(_lower_key(t) in word_list("org_words") for t in span):
            return False
        return _is_titleword(doc[span.start - 1])

    def _person_or_else(self, span: Span) -> MentionKind | None:
        doc = self.doc
        if len(span) == 1 and span[0].is_upper and len(span.text) >= 2 and span.text.isalpha():
            return "organization"
        if any(_lower_key(t) in word_list("org_words") and t.is_title for t in span[1:]):
            return "organization"
        if len(span) > 1 and span[-1].is_title and _lower_key(span[-1]) in PLACE_GENERICS | _GEOGRAPHY:
            return "place"  # "Utah County", "Niagara Falls"
        if (
            len(span) > 1
            and span[-1].tag_ == "NNPS"
            and not span[-1].lower_.endswith("ss")
            and not _one_of_a_kind(span)
        ):
            return "group"  # "Cleveland Cavaliers", "the Obamas": a plural name is a team or a family
        if len(span) == 1 and self._is_common_word_name(span):
            return None
        if (
            len(span) == 2
            and _leading_non_name(span[0], self.nouns)
            and self.name_parts.get(span[1].lower_, set()) - {span.text}
        ):
            return None  # "Democrat Obama": a word glued to a name the text gives in full elsewhere
        if len(span) > 1 and _looks_like_no_name(doc, span.start, span.end):
            return None
        if (
            len(span) > 1
            and span[-1].lower_ in self.lower_nouns
            and not known_given_name(span[0].lower_)
            and not self.name_parts.get(span[-1].lower_, set()) - {span.text}
        ):
            return None  # "Croydon Tram": a name and a noun the text uses in lower case are no person
        if self._is_place_by_position(span):
            return "place"
        if span.end < len(doc) and _lower_key(doc[span.end]) in word_list("media_words"):
            return "organization"
        return "person"

    def _organization_or_else(self, span: Span) -> MentionKind:
        if self._after_person_title(span):
            return "person"
        words = [t for t in span if t.is_alpha]
        names = [t for t in words if t.lower_ not in PARTICLES]
        if (
            names
            and len(names) <= 3
            and all(t.is_title for t in names)
            and not any(_lower_key(t) in word_list("org_words") for t in words)
            and (span.start == 0 or self.doc[span.start - 1].lower_ != "the")
            and self._is_place_by_position(span)
        ):
            return "place"
        return "organization"

    def _is_common_word_name(self, span: Span) -> bool:
        """ "Missiles launched from …", "Oxygen": a capitalised common word taken for a person's name."""
        doc = self.doc
        lower = span[0].lower_
        if lower in self.person_short_forms or known_given_name(lower):
            return False
        if span.start > 0 and _is_titleword(doc[span.start - 1]):
            return False
        return self._is_common_word_at_start(span) or is_common_word(lower) or lower in self.lower_words

    def _is_common_word_at_start(self, span: Span) -> bool:
        """A sentence opened by a word the text also uses in lower case, or by the plural of a noun."""
        if not _sentence_initial(self.doc, span.start):
            return False
        lower = span[0].lower_
        singular = {lower[:-1], lower[:-2]} if lower.endswith("s") else set()
        if ({lower} | singular) & self.lower_nouns:
            return True
        # The plural of a noun ("Missiles"), unless the singular is a given name ("Adams", "Williams").
        return any(s in self.nouns and not known_given_name(s) for s in singular)

    def _is_place_by_position(self, span: Span) -> bool:
        """A name after "in"/"near" (alone) or "at"/"from" (in a list with another name) is a place."""
        root = span.root
        first = root
        while first.dep_ == "conj" and first.head.i != first.i:
            first = first.head
        if first.dep_ != "pobj":
            return False
        prep = first.head.lower_
        governor = first.head.head
        if governor.lemma_.lower() in _IN_NOT_PLACE:
            return False
        core = person_core(span.text)
        if len(core) > 1 and core[0] not in PARTICLES and known_given_name(core[0]):
            return False
        if prep in _LOCATIVE:
            return True
        if prep in _LIST_LOCATIVE:
            # "at Al-Assad and Irbil": a list of names of different labels after "at" names places
            # ("at Google and Apple", "at Smith and Jones" are organisations and people).
            own = set(range(span.start, span.end))
            others = {t.ent_type_ for t in _conjuncts(first) if t.i not in own and t.ent_type_}
            return bool(others - {span.root.ent_type_ or ""})
        return False


def _happening_words() -> frozenset[str]:
    """The last words of a happening's name (`events.lexicon.happening_words`)."""
    # Imported when first asked: the events package reads this module's names as it loads.
    from briefings.extract.events.lexicon import happening_words

    return happening_words()


def _given_an_age(doc: Doc, span: Span) -> bool:
    """ "40-year-old Dana Vell", "Dana Vell, 40,": a name given an age, as reports give people's."""
    before = doc[max(0, span.start - 4) : span.start]
    if len(before) and before[-1].lower_ == "old" and any(t.lower_ in ("year", "years") for t in before):
        return True
    after = doc[span.end : span.end + 3]
    return (
        len(after) == 3
        and after[0].text == ","
        and after[1].like_num
        and after[1].text.isdigit()
        and int(after[1].text) < 120
        and after[2].text in (",", ")")
    )


# Relative words that refer to people: a clause they open describes someone, never a place.
_PERSONAL_RELATIVES = frozenset(["who", "whom", "whose"])


def _described_as_someone(span: Span) -> bool:
    """ "Ines Okafor, who leads the union, said": a name of two or three capitalised words that a relative
    clause opened by "who" describes names someone (a place or a building takes "which" or "where")."""
    words = [t for t in span if t.is_alpha]
    if not 2 <= len(words) <= 3 or not all(t.is_title for t in words):
        return False
    if any(_lower_key(t) in word_list("org_words") or _lower_key(t) in PLACE_GENERICS for t in words):
        return False
    return any(
        child.dep_ == "relcl" and child.left_edge.lower_ in _PERSONAL_RELATIVES
        for child in span.root.children
    )


def _one_of_a_kind(span: Span) -> bool:
    """ "The cooperative's director, Piet Aalders,": a name set beside a person's title names that one
    person, however plural its last word looks to the tagger ("The operator, Tejo Terminals," is a firm)."""
    root = span.root
    if root.dep_ == "appos" and root.head.tag_ == "NN" and _is_titleword(root.head):
        return True
    return any(
        child.dep_ == "appos" and child.tag_ == "NN" and _is_titleword(child) for child in root.children
    )


def _quoted_title(doc: Doc, span: Span) -> bool:
    """ "starred in “Van Wilder”": a name that is all a quotation holds is the title of a work."""
    if span.start == 0 or not doc[span.start - 1].is_quote:
        return False
    after = span.end
    if after < len(doc) and doc[after].is_punct and not doc[after].is_quote:
        after += 1  # “Van Wilder,” with the comma inside the quotation marks
    return after < len(doc) and doc[after].is_quote


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
        following = _next_words(doc, b.end, _MEDIA_FILLERS)
        if following is not None and _lower_key(following) in word_list("media_words"):
            pairs[a.start] = (a.start, b.end)
            pairs[b.start] = (-1, -1)
    return pairs


_TIME_ZONE = re.compile(ZONE)


def _mention(doc: Doc, start: int, end: int, kind: MentionKind, label: str) -> NamedMention | None:
    start, end = _trim(doc, start, end)
    if start >= end:
        return None
    span = doc[start:end]
    text = span.text
    start_char, end_char = span.start_char, span.end_char
    if ")" in text:  # "(CNN)Sofia Vergara": a dateline glued to the name
        cut = text.rindex(")") + 1
        start_char += cut + (len(text[cut:]) - len(text[cut:].lstrip()))
        text = text[cut:].strip()
    if "(" in text:
        text = text[: text.index("(")].rstrip()
        end_char = start_char + len(text)
    if not text or (len(text) > 2 and _TIME_ZONE.fullmatch(text)):
        # "GMT" in "22:07 GMT": part of a time, not a name ("CT" and "ET" may be a state or a show).
        return None
    if "/" in text:  # "Steve Parsons/PA": a photo credit after the name
        cut = text.index("/")
        text, end_char = text[:cut].rstrip(), start_char + len(text[:cut].rstrip())
        if not text:
            return None
    country = None
    if kind == "country":
        index = countries()
        country = index.country_named(text) or index.country_of_demonym(text)
    return NamedMention(
        start=start,
        end=end,
        start_char=start_char,
        end_char=end_char,
        name=text,
        kind=kind,
        label=label,
        country=country,
    )


# ---------------------------------------------------------------------------- consistency


def _short_forms(full_names: list[str]) -> set[str]:
    """Every leading or trailing part of the full names, normalised ("Trump", "Al Thani", "Tamim")."""
    forms: set[str] = set()
    for full in full_names:
        for words in (list(person_core(full)), normalise_name(full).split()):
            for n in range(1, len(words) + 1):
                forms.add(" ".join(words[:n]))
                forms.add(" ".join(words[-n:]))
    return forms


def _split_glued_people(doc: Doc, mentions: list[NamedMention]) -> list[NamedMention]:
    """ "Hillary Clinton Donald Trump", "Donald Trump Seattle": a known full name and what follows it."""
    known = {normalise_name(m.name) for m in mentions if m.kind == "person" and 2 <= len(m.name.split()) <= 3}
    result: list[NamedMention] = []
    for m in mentions:
        if m.kind != "person" or m.end - m.start < 3:
            result.append(m)
            continue
        pieces: list[tuple[int, int]] = []
        i = m.start
        while i < m.end:
            for j in range(m.end, i + 1, -1):
                if (i, j) != (m.start, m.end) and normalise_name(doc[i:j].text) in known:
                    pieces.append((i, j))
                    i = j
                    break
            else:
                i += 1
        if not pieces:
            result.append(m)
            continue
        for a, b in pieces:
            piece = _mention(doc, a, b, "person", m.label)
            if piece is not None:
                result.append(piece)
    return result


def _place_prefixed_people(doc: Doc, mentions: list[NamedMention]) -> list[NamedMention]:
    """ "Warrington Wolves", "Aintree Treadwell": a name the text uses for a place or club, then a word.

    With a surname the text gives another person, the mention is that person's; with a plural it is a
    team ("Chicago Cubs").
    """
    # Names of places and clubs; "located" ones the text uses as places, after "in", "at", "near" …
    others = {normalise_name(m.name) for m in mentions if m.kind != "person"}
    located = {normalise_name(m.name) for m in mentions if m.kind != "person" and _locative(doc, m)}
    surnames: dict[str, set[str]] = {}
    for m in mentions:
        core = person_core(m.name)
        if m.kind == "person" and len(core) > 1:
            surnames.setdefault(core[-1], set()).add(m.name)
    result = []
    for m in mentions:
        words = m.name.split()
        prefix = normalise_name(" ".join(words[:-1]))
        if m.kind != "person" or len(words) < 2 or prefix not in others or known_given_name(prefix):
            result.append(m)
            continue
        last = doc[m.end - 1]
        if prefix not in located and not (last.is_title and last.lower_.endswith("s")):
            result.append(m)
            continue
        if prefix in located and surnames.get(last.lower_, set()) - {m.name}:
            piece = _mention(doc, m.end - 1, m.end, "person", m.label)
            if piece is not None:
                result.append(piece)
        elif last.is_title and last.lower_.endswith("s"):
            result.append(replace(m, kind="organization"))
        else:
            result.append(m)
    return result


def _has_org_word(name: str) -> bool:
    return any(word in word_list("org_words") for word in normalise_name(name).split())


def _locative(doc: Doc, mention: NamedMention) -> bool:
    """Whether a mention is the object of a place preposition ("in Paris", "at Croydon")."""
    root = doc[mention.start : mention.end].root
    return root.dep_ == "pobj" and root.head.lower_ in _LOCATIVE | _LIST_LOCATIVE


def _towns_taken_for_organisations(doc: Doc, mentions: list[NamedMention]) -> set[str]:
    """ "the Croydon tram crash" … "from Croydon": a name used as a place at least once, and as an
    organisation only to modify a noun, is a place wherever it stands."""
    located: set[str] = set()
    acting: set[str] = set()
    modifying: set[str] = set()
    for m in mentions:
        key = normalise_name(m.name)
        if m.kind == "place" and _locative(doc, m):
            located.add(key)
        elif m.kind == "organization":
            root = doc[m.start : m.end].root
            if root.dep_ in ("compound", "nmod", "amod") and root.head.i > root.i:
                modifying.add(key)
            else:
                acting.add(key)
    return {key for key in located & modifying - acting if not _has_org_word(key)}


def _relabel_by_consistency(doc: Doc, mentions: list[NamedMention]) -> list[NamedMention]:
    """One name, one kind: a short form of a person named in full is that person; else the majority."""
    full_people = {m.name for m in mentions if m.kind == "person" and len(person_core(m.name)) > 1}
    short_forms = _short_forms(sorted(full_people))
    full_keys = {normalise_name(name) for name in full_people}
    votes: dict[str, Counter[str]] = {}
    for m in mentions:
        votes.setdefault(normalise_name(m.name), Counter())[m.kind] += 1
    towns = _towns_taken_for_organisations(doc, mentions)
    result = []
    for m in mentions:
        kind = m.kind
        key = normalise_name(m.name)
        core = person_core(m.name)
        tally = votes[key]
        if kind in ("organization", "place", "group", "location", "facility") and key in full_keys:
            kind = "person"  # "Julia Louis-Dreyfus" tagged once as a building
        elif kind in ("organization", "place") and key in towns:
            kind = "place"
        elif kind in ("organization", "place", "group", "location", "facility") and len(core) <= 2:
            places = tally["place"] + tally["location"]
            if (key in short_forms or " ".join(core) in short_forms) and (
                kind in ("organization", "group") or places < tally["person"] or not _locative(doc, m)
            ):
                kind = "person"
            else:
                best, count = tally.most_common(1)[0]
                if best not in ("person", "country") and count > tally[kind]:
                    kind = best  # type: ignore[assignment]
                elif kind == "organization" and tally["place"] == count and not _has_org_word(m.name):
                    kind = "place"  # a town tagged once as a place and once as an organisation
        elif kind == "person" and len(core) == 1 and key.endswith("s") and key[:-1] in short_forms:
            kind = "group"  # "the Obamas": a family
        elif kind == "person" and len(core) == 1 and key not in short_forms:
            # A lone word tagged as a person here and as something else elsewhere is that something else.
            others = [(n, k) for k, n in tally.items() if k != "person"]
            if others:
                kind = max(others)[1]  # type: ignore[assignment]
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


def _untagged_datelines(doc: Doc, datelines: bytearray, mentions: list[NamedMention]) -> list[NamedMention]:
    """The city of a dateline the model left untagged ("LISBON, May 7 (AFP) -"), as a place."""
    covered = bytearray(len(doc))
    for m in mentions:
        covered[m.start : m.end] = b"\x01" * (m.end - m.start)
    found: list[NamedMention] = []
    i = 0
    while i < len(doc):
        if not datelines[i] or (i > 0 and datelines[i - 1]):
            i += 1
            continue
        end = i
        while end < len(doc) and datelines[end]:
            end += 1
        if not any(covered[i:end]):
            index = countries()
            kind: MentionKind = "country" if index.country_named(doc[i:end].text) else "place"
            extra = _mention(doc, i, end, kind, "GPE")
            if extra is not None:
                found.append(extra)
        i = end
    return found


def named_mentions(doc: Doc) -> list[NamedMention]:
    """Every name of a person, organisation, country, group or place in a parsed text, in text order."""
    cached = doc.user_data.get(_CACHE_KEY)
    if cached is not None:
        return list(cached)
    corrector = _Corrector(doc)
    datelines = _dateline_names(doc)
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
        start, end = _with_hyphens(doc, ent.start, ent.end)
        end = _cut_at_non_name_words(doc, start, end)
        if ent.label_ == "PERSON":
            pieces = _person_pieces(doc, start, end)
            dateline = _dateline_after_byline(doc, start, end)
            if dateline is not None:
                m = _mention(doc, dateline[0], dateline[1], "place", "GPE")
                if m is not None:
                    mentions.append(m)
        else:
            pieces = _person_after_title(doc, start, end)
        for a, b in pieces:
            a, b = _trim(doc, a, b)
            if a >= b:
                continue
            kind = corrector.classify(doc[a:b], ent.label_)
            if datelines[a] and datelines[b - 1]:
                # The place a report was filed from, whatever the model took it for ("Port Lira" as a person).
                kind = "country" if corrector.index.country_named(doc[a:b].text) else "place"
            if kind is None:
                continue
            m = _mention(doc, a, b, kind, ent.label_)
            if m is not None and any(ch.isupper() for ch in m.name):
                mentions.append(m)
    mentions = _split_glued_people(doc, mentions)
    mentions = _place_prefixed_people(doc, mentions)
    mentions = _relabel_by_consistency(doc, mentions)
    mentions.extend(_missed_mentions(doc, mentions))
    mentions.extend(_untagged_datelines(doc, datelines, mentions))
    mentions.sort(key=lambda m: m.start)
    doc.user_data[_CACHE_KEY] = tuple(mentions)
    return mentions
