"""Places: the countries, cities, regions and facilities an article names, one entry per place.

A country is named by any of its names ("the US", "U.S.", "America"); other places are merged when
their names are spellings of one name ("Irbil", "Erbil": same consonants, same vowel groups) and they
are places of the same kind. Demonyms ("Iranian") are no mention of a place.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc

from briefings.extract.entities import NamedMention, named_mentions
from briefings.extract.lexicons import countries
from briefings.extract.names import normalise_name, transliteration_variants
from briefings.extract.sentences import sentence_at
from briefings.models import Mention, Place, PlaceKind, Sentence

_PLACE_KIND: dict[str, PlaceKind] = {
    "country": "country",
    "place": "city_or_region",
    "location": "location",
    "facility": "facility",
}


@dataclass
class _PlaceGroup:
    kind: PlaceKind
    names: Counter[str] = field(default_factory=Counter)
    order: list[str] = field(default_factory=list)
    mentions: list[NamedMention] = field(default_factory=list)

    def add(self, mention: NamedMention, name: str) -> None:
        self.mentions.append(mention)
        self.names[name] += 1
        if name not in self.order:
            self.order.append(name)


def _same_spelling(a: str, b: str) -> bool:
    """Names that are one name spelled two ways, word by word ("Mazar-i-Sharif" = "Mazar-e-Sharif")."""
    wa, wb = normalise_name(a).split(), normalise_name(b).split()
    if len(wa) != len(wb):
        return transliteration_variants(a, b)
    return all(transliteration_variants(x, y) for x, y in zip(wa, wb, strict=True))


def extract_places(doc: Doc, sentences: list[Sentence]) -> list[Place]:
    """Places with their spellings merged, each with its kind and every mention."""
    index = countries()
    groups: list[_PlaceGroup] = []
    by_key: dict[tuple[str, str], _PlaceGroup] = {}
    for mention in named_mentions(doc):
        kind = _PLACE_KIND.get(mention.kind)
        if kind is None:
            continue
        if kind == "country":
            if mention.country is None or index.country_named(mention.name) is None:
                continue  # a demonym: "Iranian" names no place
            name = mention.country
        else:
            name = mention.name
        key = (kind, name if kind == "country" else normalise_name(name))
        group = by_key.get(key)
        if group is None and kind != "country":
            group = next(
                (g for g in groups if g.kind == kind and any(_same_spelling(name, o) for o in g.order)), None
            )
        if group is None:
            group = _PlaceGroup(kind)
            groups.append(group)
        by_key[key] = group
        group.add(mention, mention.name)
    places = []
    for group in groups:
        if group.kind == "country":
            # A country goes by the name the text uses most ("US" in a text that says "US" most).
            name = max(group.order, key=lambda n: (group.names[n], len(n), -group.order.index(n)))
        else:
            name = max(group.order, key=lambda n: (group.names[n], -group.order.index(n)))
        aliases = []
        seen = {normalise_name(name)}
        for alias in group.order:
            if normalise_name(alias) not in seen:
                seen.add(normalise_name(alias))
                aliases.append(alias)
        places.append(
            Place(
                name=name,
                kind=group.kind,
                aliases=aliases,
                mentions=[
                    Mention(
                        text=m.name,
                        start=m.start_char,
                        end=m.end_char,
                        sentence=sentence_at(sentences, m.start_char),
                    )
                    for m in sorted(group.mentions, key=lambda m: m.start)
                ],
            )
        )
    places.sort(key=lambda p: (-len(p.mentions), p.mentions[0].start))
    return places
