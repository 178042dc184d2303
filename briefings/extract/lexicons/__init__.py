"""Small word lists of general news English that the actor and place extractors read (one file per list)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources


def _lines(name: str) -> list[str]:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@functools.cache
def word_list(name: str) -> frozenset[str]:
    """The lowercase words of one list file (`titles`, `org_words`, …), without its comments."""
    return frozenset(line.split("=")[0].lower() for line in _lines(f"{name}.txt"))


@functools.cache
def plain_honorifics() -> frozenset[str]:
    """Forms of address ("Mr", "Ms") that are stripped from a name but not worth reporting as a title."""
    return frozenset(
        line.split("=")[0].lower() for line in _lines("honorifics.txt") if line.endswith("=plain")
    )


@dataclass(frozen=True)
class CountryIndex:
    """Countries by every name and demonym that refers to them (keys lowercase, dots kept)."""

    by_name: dict[str, str] = field(default_factory=dict)
    by_demonym: dict[str, str] = field(default_factory=dict)

    def country_named(self, text: str) -> str | None:
        """The canonical country a name refers to ("U.S." → "United States"), if it is one."""
        key = _country_key(text)
        return self.by_name.get(key) or self.by_name.get(key.replace(".", ""))

    def country_of_demonym(self, text: str) -> str | None:
        """The country of a demonym, singular or plural ("Iranian", "Americans", "Swiss")."""
        key = _country_key(text)
        found = self.by_demonym.get(key)
        if found is None and key.endswith("s"):
            found = self.by_demonym.get(key[:-1])
        if found is None and key.endswith("men"):
            found = self.by_demonym.get(key[:-3] + "man")
        return found


def _country_key(text: str) -> str:
    key = " ".join(text.replace("\u2019", "'").split()).lower()
    return key[4:] if key.startswith("the ") else key


@functools.cache
def countries() -> CountryIndex:
    """The country index built from `countries.txt`."""
    index = CountryIndex()
    for line in _lines("countries.txt"):
        canonical, others, demonyms = ([*line.split("|"), "", ""])[:3]
        for name in [canonical, *others.split(";")]:
            if name:
                index.by_name[_country_key(name)] = canonical
                index.by_name.setdefault(_country_key(name).replace(".", ""), canonical)
        for demonym in demonyms.split(";"):
            if demonym:
                index.by_demonym[_country_key(demonym)] = canonical
    return index


@dataclass(frozen=True)
class Metonym:
    """A name that stands for an institution ("Pentagon"), its other names and the country it belongs to."""

    name: str
    others: tuple[str, ...]
    country: str


@functools.cache
def metonyms() -> tuple[Metonym, ...]:
    """The metonyms of `metonyms.txt`."""
    found = []
    for line in _lines("metonyms.txt"):
        name, others, country = ([*line.split("|"), "", ""])[:3]
        found.append(Metonym(name.strip(), tuple(o.strip() for o in others.split(";") if o.strip()), country))
    return tuple(found)
