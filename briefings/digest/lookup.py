"""Find what a user typed among a story's names: an actor, a speaker, a story; the closest when none match."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from rapidfuzz import fuzz, process, utils

from briefings.models import Actor, Story

_T = TypeVar("_T")

# A typed name is taken as meaning an entry when it scores this well (0–100) against one of its names.
MATCH_SCORE = 88.0
# ...and beats every other entry by this much (else two near names are offered, not guessed between).
MATCH_MARGIN = 10.0
# Below this an entry is not even worth suggesting.
SUGGEST_SCORE = 50.0
MAX_SUGGESTIONS = 3
# Autocomplete offers, after the names that start with what was typed, only names clearly like it.
AUTOCOMPLETE_SCORE = 75.0


@dataclass(frozen=True)
class Lookup(Generic[_T]):
    """The entry a query names, or else the closest entries to suggest."""

    found: _T | None
    suggestions: list[str]


def _best_name_scores(query: str, names: Sequence[tuple[int, str]]) -> dict[int, float]:
    best: dict[int, float] = {}
    choices = [name for _, name in names]
    for _, score, i in process.extract(
        query, choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=None
    ):
        owner = names[i][0]
        best[owner] = max(best.get(owner, 0.0), float(score))
    return best


def _key(name: str) -> str:
    return " ".join(utils.default_process(name).split())


def lookup(query: str, entries: Sequence[_T], names_of: Iterable[Sequence[str]]) -> Lookup[_T]:
    """The entry one of whose names matches the query (exactly, then closely), else suggestions."""
    names = [(i, n) for i, entry_names in enumerate(names_of) for n in entry_names if n]
    wanted = _key(query)
    if not wanted:
        return Lookup(found=None, suggestions=[])
    exact = [i for i, n in names if _key(n) == wanted]
    if exact:
        return Lookup(found=entries[exact[0]], suggestions=[])
    scores = _best_name_scores(query, names)
    ranked = sorted(scores, key=lambda i: (-scores[i], i))
    if (
        ranked
        and scores[ranked[0]] >= MATCH_SCORE
        and (len(ranked) == 1 or scores[ranked[0]] - scores[ranked[1]] >= MATCH_MARGIN)
    ):
        return Lookup(found=entries[ranked[0]], suggestions=[])
    primary = {i: n for i, n in reversed(names)}  # the first name given is the one to show
    suggestions = [primary[i] for i in ranked if scores[i] >= SUGGEST_SCORE][:MAX_SUGGESTIONS]
    return Lookup(found=None, suggestions=suggestions)


def actor_names(actor: Actor) -> list[str]:
    """Every name an actor goes by, its canonical name first."""
    return [actor.name, *actor.aliases]


def find_actor(actors: Sequence[Actor], query: str) -> Lookup[Actor]:
    """The actor a typed name means ("Trump", "donald trump", "Trum"), else the closest names."""
    return lookup(query, actors, (actor_names(a) for a in actors))


def find_story(stories: Sequence[Story], query: str) -> Lookup[Story]:
    """The story a typed name or headline means, else the closest story names."""
    return lookup(query, stories, ([s.name, s.headline, s.id] for s in stories))


def story_choices(stories: Sequence[Story], typed: str, limit: int) -> list[str]:
    """Story names for autocomplete: those starting with what was typed, then the closest (`limit` at most)."""
    names = list(dict.fromkeys(s.name or s.headline for s in stories if s.name or s.headline))
    wanted = _key(typed)
    if not wanted:
        return names[:limit]
    starting = [n for n in names if _key(n).startswith(wanted)]
    rest = [n for n in names if n not in starting]
    close = process.extract(typed, rest, scorer=fuzz.WRatio, processor=utils.default_process, limit=None)
    ranked = [name for name, score, _ in close if score >= AUTOCOMPLETE_SCORE]
    return [*starting, *ranked][:limit]
