"""Roles and titles of the people an article names, read from the words around each name.

- honorifics inside or before a name ("Ayatollah Ali Khamenei", "General Qasem Soleimani") are titles,
  not part of the name;
- title compounds before a name ("Pentagon spokesperson Jonathan Hoffman", "Secretary of State Michael
  Pompeo", "deputy chief of Iraq's Hashed al-Shaabi paramilitary force Abu Mahdi al-Muhandis");
- appositions ("the commander of Iran's Revolutionary Guards, General Qasem Soleimani"; "Jane Roe, the
  mayor of Lanmore,"), copular relative clauses ("Jane Roe, who is the mayor of …") and copular
  sentences with a title ("Roe is the mayor of …").

The affiliation of a role is the organisation, country or place it names ("Pentagon", "Iran").
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from briefings.extract.entities import NamedMention
from briefings.extract.lexicons import plain_honorifics, word_list

_MAX_ROLE_TOKENS = 16
_MAX_APPOSITION_TOKENS = 10
_ROLE_OF = frozenset({"of", "for", "at"})
# Forms of address that follow a title ("Qatari Emir Sheikh Tamim"): a title of their own.
_ADDRESS = frozenset(
    [
        "sheikh",
        "sheik",
        "shaikh",
        "sheikha",
        "ayatollah",
        "hojatoleslam",
        "imam",
        "mullah",
        "rabbi",
        "rev",
        "reverend",
        "father",
        "pastor",
        "dr",
        "prof",
        "sir",
        "dame",
        "lord",
        "lady",
        "mr",
        "mrs",
        "ms",
        "miss",
    ]
)


@dataclass(frozen=True)
class RoleFinding:
    """A role or title found beside a person's name, with the mention of what it belongs to."""

    role: str
    affiliation: NamedMention | None = None
    honorific: bool = False


@dataclass(frozen=True)
class PersonName:
    """A person mention's name without its honorifics, the honorifics, and the title written before it."""

    name: str
    titles: tuple[str, ...]
    prefixed: str | None


def _key(token: Token) -> str:
    return token.text.lower().replace(".", "")


@functools.cache
def _title_heads() -> frozenset[str]:
    return word_list("titles") | word_list("honorifics") | word_list("relations")


def _is_title(token: Token) -> bool:
    return _key(token) in _title_heads()


def _is_head_title(token: Token) -> bool:
    """A title word that heads a title ("Emir", "spokesperson"), not only modifies one ("Crown", "Vice")."""
    key = _key(token)
    return (key in word_list("titles") or key in word_list("relations")) and key not in word_list(
        "title_modifiers"
    )


def _text(doc: Doc, indexes: list[int]) -> str:
    parts = []
    for n, i in enumerate(indexes):
        token = doc[i]
        parts.append(token.text)
        if n + 1 < len(indexes) and indexes[n + 1] == i + 1:
            parts.append(token.whitespace_)
        elif n + 1 < len(indexes):
            parts.append(" ")
    return "".join(parts).strip()


def _without_evaluations(doc: Doc, indexes: list[int]) -> list[int]:
    """Drop a lowercase adjective between a possessive and a name: "Iran's powerful Revolutionary Guards"."""
    kept = []
    for n, i in enumerate(indexes):
        token = doc[i]
        after_possessive = n > 0 and doc[indexes[n - 1]].tag_ == "POS"
        before_name = n + 1 < len(indexes) and doc[indexes[n + 1]].is_title
        if (
            after_possessive
            and before_name
            and token.pos_ == "ADJ"
            and token.is_lower
            and token.lower_ not in word_list("title_modifiers")
        ):
            continue
        kept.append(i)
    return kept


class RoleReader:
    """Finds the roles beside each person mention of one parsed text."""

    def __init__(self, doc: Doc, mentions: list[NamedMention]) -> None:
        self.doc = doc
        self.mention_at: dict[int, NamedMention] = {}
        for m in mentions:
            for i in range(m.start, m.end):
                self.mention_at[i] = m

    # ------------------------------------------------------------------ the name itself

    def person_name(self, mention: NamedMention) -> PersonName:
        """The name without leading honorifics ("Ayatollah Ali Khamenei" → "Ali Khamenei", ("Ayatollah",))."""
        doc = self.doc
        start = mention.start
        while start < mention.end - 1 and _is_title(doc[start]) and doc[start].is_title:
            start += 1
        titles: tuple[str, ...] = ()
        if start > mention.start:
            words = [doc[i].text for i in range(mention.start, start)]
            if not all(w.lower().rstrip(".") in plain_honorifics() for w in words):
                titles = (" ".join(w for w in words if w.lower().rstrip(".") not in plain_honorifics()),)
        name = mention.name if start == mention.start else doc.text[doc[start].idx : mention.end_char]
        # A title written right before the name ("President Trump"), for the name's aliases.
        prefix = [i for i in range(mention.start, start)]
        i = mention.start - 1
        while (
            i >= 0
            and len(prefix) < 3
            and doc[i].is_title
            and (_is_title(doc[i]) or _key(doc[i]) in word_list("title_modifiers"))
        ):
            prefix.insert(0, i)
            i -= 1
        prefixed = None
        plain = all(_key(doc[j]) in plain_honorifics() for j in prefix)
        if prefix and not plain and _is_title(doc[prefix[-1]]):
            prefixed = _text(doc, prefix) + " " + name
        return PersonName(name=name, titles=titles, prefixed=prefixed)

    # ------------------------------------------------------------------ roles

    def roles(self, mention: NamedMention) -> list[RoleFinding]:
        """The roles and titles written beside one person mention."""
        found = self._compound_before(mention) + self._appositions(mention)
        return [
            f for f in found if "@" not in f.role and f.role.lower().rstrip(".") not in plain_honorifics()
        ]

    def _is_person_token(self, i: int) -> bool:
        m = self.mention_at.get(i)
        return m is not None and m.kind == "person"

    def _compound_before(self, mention: NamedMention) -> list[RoleFinding]:
        """ "Pentagon spokesperson Jonathan Hoffman", "Secretary of State Michael Pompeo"."""
        doc = self.doc
        indexes = self._compound_tokens(mention)
        # Mr, Mrs, Ms … are forms of address, not roles ("the family of Mr Logan").
        while indexes and _key(doc[indexes[-1]]) in plain_honorifics():
            indexes.pop()
        while indexes and (doc[indexes[0]].lower_ in ("of", "for", "and") or doc[indexes[0]].tag_ == "POS"):
            indexes = indexes[1:]
        if not indexes or (mention.start > 0 and doc[mention.start - 1].lower_ in ("of", "for")):
            return []  # "the head of Jane Roe's office": the name is what the title is of
        # A capitalised word right before a surname that no mention covers is the name's first part
        # ("Director of Public Prosecutions Alison Saunders" when only "Saunders" was tagged).
        if mention.end - mention.start == 1:
            while len(indexes) > 1 and doc[indexes[-1]].is_title and not doc[indexes[-1]].ent_type_:
                if _is_title(doc[indexes[-1]]) or indexes[-1] in self.mention_at:
                    break
                indexes = indexes[:-1]
        if _is_title(doc[indexes[-1]]):
            # "the lead of former Republican President X": what stands before a non-title "of" is no role.
            for n in range(len(indexes) - 1, 0, -1):
                if doc[indexes[n]].lower_ in ("of", "for") and not _is_title(doc[indexes[n - 1]]):
                    indexes = indexes[n + 1 :]
                    break
            return self._split_address(indexes) if indexes else []
        # "deputy chief of X Abu Mahdi": a title word followed by "of" inside the compound.
        for n, j in enumerate(indexes[:-1]):
            if _is_title(doc[j]) and doc[indexes[n + 1]].lower_ in _ROLE_OF:
                return [self._finding(indexes[n - self._modifiers_before(indexes, n) :])]
        return []

    def _modifiers_before(self, indexes: list[int], n: int) -> int:
        """How many of the tokens before position n modify the title there ("deputy", "former")."""
        count = 0
        for j in range(n - 1, -1, -1):
            token = self.doc[indexes[j]]
            if token.lower_ in ("of", "for") or token.tag_ == "POS":
                break
            count += 1
        return count

    def _compound_tokens(self, mention: NamedMention) -> list[int]:
        """The noun phrase written right before a name, up to an article, verb, punctuation or person."""
        doc = self.doc
        indexes: list[int] = []
        capitalised_seen = False
        i = mention.start - 1
        while i >= 0 and len(indexes) < _MAX_ROLE_TOKENS:
            token = doc[i]
            other = self.mention_at.get(i)
            if other is not None and other is not mention:
                if other.kind == "person":
                    break
                indexes[:0] = list(range(other.start, i + 1))
                capitalised_seen = True
                i = other.start - 1
                if doc[other.start].is_sent_start:
                    break
                continue
            possessive = token.tag_ == "POS" and token.lower_ in ("'s", "’s")
            word = token.pos_ in ("PROPN", "NOUN", "ADJ") and (
                token.is_alpha or (token.text[:1].isupper() and token.text.isalnum())
            )
            if (
                not word
                and token.pos_ == "VERB"
                and token.is_title
                and indexes
                and _is_title(doc[indexes[0]])
            ):
                word = True  # "Harbour master Jonas Feld": the tagger may read a title's first word as a verb
            if word and capitalised_seen and token.is_lower and token.pos_ == "NOUN":
                # "shooting Harborview Medical Center spokeswoman": a common noun before a name's
                # words begins another phrase, unless it is a title ("former", "deputy chief").
                word = _is_title(token) or _key(token) in word_list("title_modifiers")
            allowed = (
                token.lower_ in ("of", "for")
                or possessive
                or (token.text == "-" and i > 0 and not doc[i - 1].is_punct and not token.whitespace_)
                or word
                or (token.lower_ == "and" and indexes and doc[indexes[0]].is_title and doc[i - 1].is_title)
            )
            if not allowed or token.ent_type_ in ("DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY"):
                break
            if token.is_title or token.is_upper:
                capitalised_seen = True
            indexes.insert(0, i)
            if token.is_sent_start:
                break
            i -= 1
        return indexes

    def _split_address(self, indexes: list[int]) -> list[RoleFinding]:
        """ "Qatari Emir Sheikh": the role "Qatari Emir" and the form of address "Sheikh"."""
        doc = self.doc
        address: list[int] = []
        while len(indexes) > 1 and _key(doc[indexes[-1]]) in _ADDRESS and _is_head_title(doc[indexes[-2]]):
            address.insert(0, indexes.pop())
        found = [self._finding(indexes)]
        if address:
            found.append(RoleFinding(_text(doc, address), None, honorific=True))
        return found

    def _finding(self, indexes: list[int]) -> RoleFinding:
        doc = self.doc
        indexes = _without_evaluations(doc, indexes)
        while len(indexes) > 1 and doc[indexes[0]].is_punct:
            indexes = indexes[1:]
        # What the role belongs to: the last organisation or group it names, else the last country or place.
        named = [self.mention_at[i] for i in indexes if i in self.mention_at]
        bodies = [m for m in named if m.kind in ("organization", "group")]
        others = [m for m in named if m.kind != "person"]
        affiliation = (bodies or others)[-1] if bodies or others else None
        only_titles = all(_is_title(doc[i]) or _key(doc[i]) in word_list("title_modifiers") for i in indexes)
        return RoleFinding(_text(doc, indexes), affiliation, honorific=only_titles and len(indexes) == 1)

    def _appositions(self, mention: NamedMention) -> list[RoleFinding]:
        """Roles in appositions and copular clauses around a person's name."""
        doc = self.doc
        root = doc[mention.start : mention.end].root
        found: list[RoleFinding] = []
        comma = self._comma_before(mention.start)
        if comma is not None:
            # "the commander of X, General Jane Roe," (the parser may or may not call it an apposition).
            closed = mention.end >= len(doc) or doc[mention.end].text in (",", ".", ";", ")", "\u2014")
            anchor = root.head if root.dep_ == "appos" and root.head.i < comma else doc[comma - 1]
            by_parse_or_surface = closed or root.dep_ == "appos"
            title = None
            if by_parse_or_surface and not self._is_person_token(anchor.i):
                title = self._title_above(anchor)
            if title is not None:
                found.extend(self._phrase([t.i for t in title.subtree if t.i < comma]))
        for child in root.children:
            if child.i < mention.end:
                continue
            if child.dep_ == "appos" and child.pos_ in ("NOUN", "PROPN") and _is_title(child):
                found.extend(self._phrase([t.i for t in child.subtree]))
            elif child.dep_ == "relcl" and child.lemma_ == "be":
                for attr in child.children:
                    if attr.dep_ == "attr" and attr.pos_ in ("NOUN", "PROPN") and _is_title(attr):
                        found.extend(self._phrase([t.i for t in attr.subtree]))
        if root.dep_ == "nsubj" and root.head.lemma_ == "be":
            for attr in root.head.children:
                if attr.dep_ == "attr" and attr.i > root.i and _is_title(attr):
                    found.extend(self._phrase([t.i for t in attr.subtree]))
        return found

    def _title_above(self, token: Token) -> Token | None:
        """The title noun that heads the phrase a name is in apposition to ("the commander of X, Y").

        The climb stops at a phrase that already describes someone else ("Anthony Weiner, the husband
        of her aide, Huma Abedin": the aide is Huma Abedin, the husband is Anthony Weiner).
        """
        best = token if _is_title(token) else None
        node = token
        for _ in range(6):
            if node.dep_ != "pobj" or node.head.dep_ != "prep":
                break
            above = node.head.head
            if above.dep_ == "attr" or (above.dep_ == "appos" and self._is_person_token(above.head.i)):
                break
            node = above
            if _is_title(node) and node.pos_ in ("NOUN", "PROPN"):
                best = node
        return best

    def _comma_before(self, start: int) -> int | None:
        """The index of the comma before a name and its honorifics ("…, General Jane Roe"), if any."""
        i = start - 1
        while i >= 0 and _is_title(self.doc[i]) and self.doc[i].is_title:
            i -= 1
        return i if i > 0 and self.doc[i].text == "," else None

    def _phrase(self, indexes: list[int]) -> list[RoleFinding]:
        """A role from a noun phrase's tokens: no articles, clauses, second phrases or person names."""
        doc = self.doc
        indexes = sorted(indexes)
        cut: list[int] = []
        for i in indexes:
            token = doc[i]
            if token.is_punct and token.text != "-" and token.tag_ != "POS":
                break
            if token.lower_ in ("who", "which", "that"):
                break
            if self._is_person_token(i) and not (cut and any(doc[j].lower_ == "of" for j in cut)):
                break  # a name ends the role, unless the role is of that person ("son of Jos Roe")
            if token.pos_ in ("VERB", "AUX") and token.dep_ not in ("amod", "compound"):
                break  # "a fan described as …": the role ends where a clause begins
            if token.pos_ == "CCONJ" and i + 1 < len(doc) and doc[i + 1].pos_ in ("DET", "PRON"):
                break  # "star and a revered figure": one role at a time
            cut.append(i)
        while cut and (doc[cut[0]].pos_ in ("DET", "PRON", "NUM") or doc[cut[0]].is_punct):
            cut = cut[1:]
        while cut and (doc[cut[-1]].is_punct or doc[cut[-1]].pos_ in ("ADP", "CCONJ", "DET", "PRON")):
            cut = cut[:-1]
        if not cut or len(cut) > _MAX_APPOSITION_TOKENS:
            return []
        if not any(doc[i].pos_ in ("NOUN", "PROPN") for i in cut):
            return []
        return [self._finding(cut)]
