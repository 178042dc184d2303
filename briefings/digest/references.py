"""Second references: a person the digest has named in full is named again by surname alone.

News names a person once with title and full name ("Mayor Tomas Varga named a judge"), then by surname
("Varga said the town would pay"). Digest sentences come from several reports, each of which names the
person in full, so the digest would say "Mayor Tomas Varga" twice in a row. Only words are dropped, so
a shortened sentence is still a compression of its source (`trimming.is_compression_of`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from briefings.extract.names import NAME_SUFFIXES
from briefings.models import Actor


def _surname(name: str) -> str:
    """The last word of a name that is no generational suffix ("Martin Luther King Jr." → "King")."""
    words = name.split()
    while len(words) > 2 and words[-1].rstrip(".").lower() in NAME_SUFFIXES:
        words.pop()
    return words[-1]


def _full_reference(actor: Actor) -> re.Pattern[str]:
    """The person named in full, with a title the story knows for them before it ("Mayor Tomas Varga")."""
    roles = sorted((r for r in actor.roles if r.strip()), key=len, reverse=True)
    title = "|".join(re.escape(r) for r in roles)
    before = rf"(?:(?i:{title})\s+)?" if title else ""
    return re.compile(rf"\b{before}{re.escape(actor.name)}(?!\w)")


def shorten_second_references(texts: list[str], actors: Iterable[Actor]) -> list[str]:
    """The sentences in reading order, each person named in full after the first time by surname alone.

    A surname two people of the story share is never used alone: it would not say which of them is meant.
    """
    people: dict[str, Actor] = {}
    for actor in actors:
        if actor.kind == "person" and len(actor.name.split()) >= 2:
            people.setdefault(actor.name, actor)
    surnames = Counter(_surname(name).casefold() for name in people)
    patterns = [
        (_full_reference(a), _surname(name))
        for name, a in people.items()
        if surnames[_surname(name).casefold()] == 1
    ]
    named: set[str] = set()
    shortened: list[str] = []
    for text in texts:
        for pattern, surname in patterns:
            if surname in named:
                text = pattern.sub(surname, text)
            elif pattern.search(text):
                named.add(surname)
        shortened.append(text)
    return shortened
