"""One identity per actor and place across a story's articles ("Mike Pompeo" = "Michael Pompeo" = "Pompeo")."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from briefings.extract.names import actor_key, normalise_name, person_core, place_keys, same_actor
from briefings.models import Actor, ActorKind, Place

_T = TypeVar("_T")
_M = TypeVar("_M", Actor, Place)


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> list[list[int]]:
        found: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.parent)):
            found[self.find(i)].append(i)
        return list(found.values())


@dataclass
class NameResolver:
    """Every name a story uses for an actor or place, mapped to the one name the story shows."""

    canonical: dict[str, str] = field(default_factory=dict)
    by_last_word: dict[str, set[str]] = field(default_factory=dict)

    def add(self, canonical: str, names: Sequence[str]) -> None:
        """Record that each of `names` refers to `canonical`."""
        for name in [canonical, *names]:
            key = normalise_name(name)
            if key:
                self.canonical.setdefault(key, canonical)
                self.by_last_word.setdefault(key.split()[-1], set()).add(canonical)

    def resolve(self, name: str | None) -> str | None:
        """The story's name for `name` (a surname, another spelling), or `name` itself when unknown."""
        if name is None:
            return None
        key = normalise_name(name)
        found = self.canonical.get(key)
        if found is not None:
            return found
        core = person_core(name)
        if len(core) == 1:
            # A bare surname ("Pompeo") names the one person the story knows by that surname.
            matches = self.by_last_word.get(core[0], set())
            if len(matches) == 1:
                return next(iter(matches))
        return name


def _unique(names: Sequence[str], exclude: str) -> list[str]:
    seen = {normalise_name(exclude)}
    kept: list[str] = []
    for name in names:
        key = normalise_name(name)
        if key and key not in seen:
            seen.add(key)
            kept.append(name)
    return kept


def _unique_roles(roles: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    kept: list[str] = []
    for role in roles:
        key = role.casefold().strip()
        if key and key not in seen:
            seen.add(key)
            kept.append(role)
    return kept


def _most_common(values: Sequence[_T]) -> _T:
    if len(values) == 1:
        return values[0]  # most actors of a story are named by one article: no count to make
    return Counter(values).most_common(1)[0][0]


def _display_name(actors: Sequence[Actor]) -> str:
    """The name most articles use (for a person, a full name before a bare surname), then the most mentioned."""
    if len(actors) == 1:
        return actors[0].name
    counts = Counter(a.name for a in actors)
    mentions: Counter[str] = Counter()
    for actor in actors:
        mentions[actor.name] += len(actor.mentions)
    people = any(a.kind == "person" for a in actors)
    return max(counts, key=lambda n: (people and len(person_core(n)) > 1, counts[n], mentions[n], len(n)))


def _merge_group(actors: Sequence[Actor]) -> Actor:
    name = _display_name(actors)
    kind: ActorKind = _most_common([a.kind for a in actors])
    affiliations = [a.affiliation for a in actors if a.affiliation]
    return Actor(
        name=name,
        kind=kind,
        aliases=_unique([n for a in actors for n in (a.name, *a.aliases)], exclude=name),
        roles=_unique_roles([r for a in actors for r in a.roles]),
        affiliation=_most_common(affiliations) if affiliations else None,
        mentions=[m for a in actors for m in a.mentions],
    )


def _group_by_exact_name(
    indexes: Sequence[int], names: Callable[[int], Sequence[str]], uf: _UnionFind
) -> None:
    """Join the items that share any name exactly as normalised (the cheap, certain matches)."""
    first_with: dict[str, int] = {}
    for i in indexes:
        for name in names(i):
            key = normalise_name(name)
            if not key:
                continue
            if key in first_with:
                uf.union(first_with[key], i)
            else:
                first_with[key] = i


def _copied(item: _M) -> _M:
    """A copy of an actor or place that shares nothing that can change with it: as `model_copy(deep=True)`
    gives, at a fraction of the cost (its names are strings and its mentions hold only strings and numbers)."""
    copied = item.model_copy()
    copied.__dict__.update(
        aliases=list(item.aliases), mentions=[mention.model_copy() for mention in item.mentions]
    )
    if isinstance(item, Actor) and isinstance(copied, Actor):
        copied.__dict__["roles"] = list(item.roles)
    return copied


def _resolver_of(actors: Sequence[Actor] | Sequence[Place]) -> NameResolver:
    resolver = NameResolver()
    for item in actors:
        resolver.add(item.name, item.aliases)
    return resolver


def merge_actors(actors: Sequence[Actor], articles: int = 2) -> tuple[list[Actor], NameResolver]:
    """The actors of `articles` articles merged into one per identity, most mentioned first.

    The actors of one article are taken as the extractor merged them: only across articles is there
    anything left to join.
    """
    if articles <= 1:
        single = [_copied(a) for a in actors]
        return single, _resolver_of(single)
    items = list(actors)
    uf = _UnionFind(len(items))
    # Bare surnames are held back: "Trump" may match both "Donald Trump" and "Ivanka Trump".
    bare = [i for i, a in enumerate(items) if a.kind == "person" and _only_bare_names(a)]
    bare_set = set(bare)
    full = [i for i in range(len(items)) if i not in bare_set]
    _group_by_exact_name(full, lambda i: _names(items[i]), uf)
    buckets: dict[str, list[int]] = defaultdict(list)
    for i in full:
        buckets[actor_key(items[i])].append(i)
    for members in buckets.values():
        representatives = _one_per_group(members, uf)
        for n, i in enumerate(representatives):
            for j in representatives[n + 1 :]:
                if uf.find(i) != uf.find(j) and same_actor(items[i], items[j]):
                    uf.union(i, j)
    mentions_of: Counter[int] = Counter()
    for i in full:
        mentions_of[uf.find(i)] += max(1, len(items[i].mentions))
    for i in bare:
        matches = {uf.find(j) for j in buckets.get(actor_key(items[i]), []) if same_actor(items[i], items[j])}
        if matches:
            # An ambiguous surname goes to the person the story mentions most.
            uf.union(max(matches, key=lambda root: mentions_of[root]), i)
    bare_roots: dict[str, int] = {}
    for i in bare:
        if uf.find(i) == i:
            key = normalise_name(items[i].name)
            if key in bare_roots:
                uf.union(bare_roots[key], i)
            else:
                bare_roots[key] = i
    merged = [_merge_group([items[i] for i in group]) for group in uf.groups()]
    merged.sort(key=lambda a: (-len(a.mentions), a.name))
    return merged, _resolver_of(merged)


def _names(actor: Actor) -> list[str]:
    return [actor.name, *actor.aliases]


def _only_bare_names(actor: Actor) -> bool:
    return all(len(person_core(n)) <= 1 for n in _names(actor))


def _one_per_group(members: list[int], uf: _UnionFind) -> list[int]:
    seen: set[int] = set()
    kept: list[int] = []
    for i in members:
        root = uf.find(i)
        if root not in seen:
            seen.add(root)
            kept.append(i)
    return kept


def merge_places(places: Sequence[Place], articles: int = 2) -> tuple[list[Place], NameResolver]:
    """The places of `articles` articles merged into one per place ("Irbil" and "Erbil"), most mentioned first."""
    if articles <= 1:
        single = [_copied(p) for p in places]
        return single, _resolver_of(single)
    items = list(places)
    uf = _UnionFind(len(items))
    _group_by_exact_name(range(len(items)), lambda i: [items[i].name, *items[i].aliases], uf)
    # Places sharing a key are one (`place_keys`): each joins the first place found with each of its keys.
    first_with: dict[tuple[str, ...], int] = {}
    for i in _one_per_group(list(range(len(items))), uf):
        for key in place_keys(items[i]):
            uf.union(first_with.setdefault(key, i), i)
    merged: list[Place] = []
    for group in uf.groups():
        members = [items[i] for i in group]
        counts = Counter(p.name for p in members)
        name = max(counts, key=lambda n: (counts[n], sum(len(p.mentions) for p in members if p.name == n)))
        merged.append(
            Place(
                name=name,
                aliases=_unique([n for p in members for n in (p.name, *p.aliases)], exclude=name),
                mentions=[m for p in members for m in p.mentions],
            )
        )
    merged.sort(key=lambda p: (-len(p.mentions), p.name))
    return merged, _resolver_of(merged)
