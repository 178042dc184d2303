"""Actors: the people, organisations, countries and groups an article names, one canonical name each.

Short forms join the full name they stand for ("Trump", "President Trump" → Donald Trump), honorifics
become titles ("Ayatollah Ali Khamenei" → Ali Khamenei, title Ayatollah), demonyms count toward their
country ("Iranian" → Iran), and organisations are merged across spellings, word orders and initials.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc

from briefings.extract.entities import NamedMention, named_mentions
from briefings.extract.lexicons import countries
from briefings.extract.names import (
    is_short_form,
    metonym_group,
    normalise_name,
    org_key,
    person_core,
    same_org_name,
    same_person_name,
)
from briefings.extract.roles import PersonName, RoleFinding, RoleReader
from briefings.extract.sentences import sentence_at
from briefings.models import Actor, ActorKind, Mention, Sentence

_ACTOR_KINDS: dict[str, ActorKind] = {
    "person": "person",
    "organization": "organization",
    "group": "group",
    "country": "country",
}


@dataclass
class _Cluster:
    """Mentions that name one actor, and what was read beside them."""

    kind: ActorKind
    names: Counter[str] = field(default_factory=Counter)
    full_names: Counter[str] = field(default_factory=Counter)
    surface: list[str] = field(default_factory=list)
    mentions: list[NamedMention] = field(default_factory=list)
    roles: list[RoleFinding] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    prefix_titles: set[str] = field(default_factory=set)

    def add(self, mention: NamedMention, name: str) -> None:
        self.mentions.append(mention)
        self.names[name] += 1
        if name not in self.surface:
            self.surface.append(name)

    @property
    def first(self) -> int:
        return min((m.start for m in self.mentions), default=1 << 30)


def _canonical(counts: Counter[str], order: list[str]) -> str:
    """The most used name; on a tie the longest, then the first written."""
    return max(order, key=lambda n: (counts[n], len(n), -order.index(n)))


class _ActorBuilder:
    """Groups one text's named mentions into actors."""

    def __init__(self, doc: Doc, sentences: list[Sentence]) -> None:
        self.doc = doc
        self.sentences = sentences
        self.mentions = named_mentions(doc)
        self.reader = RoleReader(doc, self.mentions)
        self.cluster_of: dict[int, _Cluster] = {}

    def build(self) -> list[Actor]:
        clusters = self._people() + self._organisations() + self._countries()
        return self._actors(clusters)

    # ------------------------------------------------------------------ people

    def _people(self) -> list[_Cluster]:
        named = [(m, self.reader.person_name(m)) for m in self.mentions if m.kind == "person"]
        clusters: list[_Cluster] = []
        by_name: dict[str, _Cluster] = {}
        # Full names first, so that a short form written before its full name still finds it.
        for mention, person in named:
            if len(person_core(person.name)) < 2:
                continue
            cluster = by_name.get(person.name) or next(
                (c for c in clusters if any(_same_full_name(person.name, f) for f in c.full_names)), None
            )
            if cluster is None:
                cluster = _Cluster("person")
                clusters.append(cluster)
            by_name[person.name] = cluster
            cluster.full_names[person.name] += 1
            self._join(cluster, mention, person.name, person.titles, person.prefixed)
        full_clusters = list(clusters)
        shorts: dict[str, list[NamedMention]] = {}
        short_names: dict[int, PersonName] = {}
        for mention, person in named:
            if len(person_core(person.name)) < 2:
                shorts.setdefault(normalise_name(person.name), []).append(mention)
                short_names[mention.start] = person
        for mentions in shorts.values():
            example = short_names[mentions[0].start].name
            candidates = [c for c in full_clusters if any(is_short_form(example, f) for f in c.full_names)]
            # Someone introduced by surname alone ("President Obama") before a relative is named in full
            # ("Michelle Obama") is a person of their own; the headline does not count as introducing.
            body = [m for m in mentions if not self._in_headline(m)] or mentions
            titled = {self._prefix_title(short_names[m.start]) for m in mentions} - {None}
            shares_title = any(titled & c.prefix_titles for c in candidates)
            introduced_first = bool(titled) and body[0].start < min((c.first for c in candidates), default=0)
            if not candidates or (introduced_first and not shares_title):
                own = _Cluster("person")
                clusters.append(own)
                candidates.append(own)
            # A surname that several people share, said alone, names the one the text introduced first.
            cluster = min(candidates, key=lambda c: c.first if c.mentions else body[0].start)
            for mention in mentions:
                person = short_names[mention.start]
                self._join(cluster, mention, person.name, person.titles, person.prefixed)
        for cluster in clusters:
            for mention in cluster.mentions:
                cluster.roles.extend(self.reader.roles(mention))
        return clusters

    @staticmethod
    def _prefix_title(person: PersonName) -> str | None:
        """The title written before a name ("President" of "President Trump"), lowercase."""
        if not person.prefixed or not person.prefixed.endswith(person.name):
            return None
        return person.prefixed[: -len(person.name)].strip().lower() or None

    def _in_headline(self, mention: NamedMention) -> bool:
        """Whether a mention is in a first line that ends without a full stop (a headline)."""
        if not self.sentences or sentence_at(self.sentences, mention.start_char) != 0:
            return False
        return not self.sentences[0].text.rstrip("\"'\u201d\u2019").endswith((".", "!", "?"))

    def _join(
        self,
        cluster: _Cluster,
        mention: NamedMention,
        name: str,
        titles: tuple[str, ...],
        prefixed: str | None,
    ) -> None:
        cluster.add(mention, name)
        title = self._prefix_title(PersonName(name, titles, prefixed))
        if title:
            cluster.prefix_titles.add(title)
        cluster.titles.extend(t for t in titles if t not in cluster.titles)
        if prefixed and prefixed not in cluster.surface:
            cluster.surface.append(prefixed)
        self.cluster_of[mention.start] = cluster

    # ------------------------------------------------------------------ organisations, groups

    def _organisations(self) -> list[_Cluster]:
        clusters: list[_Cluster] = []
        named_countries = {m.country for m in self.mentions if m.kind == "country" and m.country}
        by_key: dict[str, _Cluster] = {}
        for mention in self.mentions:
            if mention.kind not in ("organization", "group"):
                continue
            key = org_key(mention.name)
            cluster = by_key.get(key)
            if cluster is None:
                cluster = next(
                    (c for c in clusters if self._same_org(mention.name, c, named_countries)), None
                )
            if cluster is None:
                cluster = _Cluster(_ACTOR_KINDS[mention.kind])
                clusters.append(cluster)
            by_key[key] = cluster
            if mention.kind == "group":
                cluster.kind = "group"
            cluster.add(mention, mention.name)
            self.cluster_of[mention.start] = cluster
        return clusters

    @staticmethod
    def _same_org(name: str, cluster: _Cluster, named_countries: set[str]) -> bool:
        if any(same_org_name(name, other) for other in cluster.surface):
            return True
        group = metonym_group(name)
        # "the Pentagon" = "the Department of Defense" where the text names the country they belong to.
        return (
            group is not None
            and group[1] in named_countries
            and any(metonym_group(other) == group for other in cluster.surface)
        )

    # ------------------------------------------------------------------ countries

    def _countries(self) -> list[_Cluster]:
        """Countries by any of their names; a country is called the way the text calls it most."""
        clusters: dict[str, _Cluster] = {}
        for mention in self.mentions:
            if mention.kind != "country" or mention.country is None:
                continue
            cluster = clusters.setdefault(mention.country, _Cluster("country"))
            cluster.mentions.append(mention)
            if not _is_demonym(mention):
                cluster.names[mention.name] += 1
                if mention.name not in cluster.surface:
                    cluster.surface.append(mention.name)
            self.cluster_of[mention.start] = cluster
        for country, cluster in clusters.items():
            if not cluster.surface:
                cluster.surface.append(country)  # named only by demonyms: "Iranian officials"
                cluster.names[country] += 1
        return list(clusters.values())

    # ------------------------------------------------------------------ output

    def _actors(self, clusters: list[_Cluster]) -> list[Actor]:
        actors: list[Actor] = []
        for cluster in clusters:
            if not cluster.mentions:
                continue
            if cluster.kind == "person" and cluster.full_names:
                name = _canonical(cluster.full_names, list(cluster.full_names))
            else:
                name = _canonical(cluster.names, cluster.surface)
            aliases = []
            seen = {normalise_name(name)}
            for alias in cluster.surface:
                if normalise_name(alias) not in seen:
                    seen.add(normalise_name(alias))
                    aliases.append(alias)
            roles, affiliation = self._roles(cluster)
            mentions = sorted(cluster.mentions, key=lambda m: m.start)
            actors.append(
                Actor(
                    name=name,
                    kind=cluster.kind,
                    aliases=aliases,
                    roles=roles,
                    affiliation=affiliation,
                    mentions=[
                        Mention(
                            text=m.name,
                            start=m.start_char,
                            end=m.end_char,
                            sentence=sentence_at(self.sentences, m.start_char),
                        )
                        for m in mentions
                    ],
                )
            )
        actors.sort(key=lambda a: (-len(a.mentions), a.mentions[0].start))
        return actors

    def _roles(self, cluster: _Cluster) -> tuple[list[str], str | None]:
        """Distinct roles, the fullest first, then titles; the affiliation of the first role that has one."""
        described = [r for r in cluster.roles if not r.honorific]
        titles = [r.role for r in cluster.roles if r.honorific] + cluster.titles
        described.sort(key=lambda r: (-len(r.role.split()), cluster.roles.index(r)))
        roles: list[str] = []
        affiliation = None
        for finding in described:
            if not _covered(finding.role, roles):
                roles.append(finding.role)
            if affiliation is None and finding.affiliation is not None:
                affiliation = self._actor_name(finding.affiliation)
        for title in titles:
            if not _covered(title, roles):
                roles.append(title)
        return roles, affiliation

    def _actor_name(self, mention: NamedMention) -> str:
        cluster = self.cluster_of.get(mention.start)
        if cluster is None:
            return mention.country or mention.name
        return _canonical(cluster.names, cluster.surface)


def _same_full_name(a: str, b: str) -> bool:
    """Two full names in one text for one person: "Donald J. Trump", "Tamim bin Hamad (Al Thani)"."""
    return same_person_name(a, b) or is_short_form(a, b) or is_short_form(b, a)


def _is_demonym(mention: NamedMention) -> bool:
    return countries().country_named(mention.name) is None


def _covered(role: str, roles: list[str]) -> bool:
    """Whether a role says nothing that one already listed does not ("Supreme Leader" in "Iran's supreme leader")."""
    words = normalise_name(role).split()
    for other in roles:
        other_words = normalise_name(other).split()
        n = len(words)
        if any(other_words[i : i + n] == words for i in range(len(other_words) - n + 1)):
            return True
    return False


def extract_actors(doc: Doc, sentences: list[Sentence]) -> list[Actor]:
    """Actors with one canonical name each, their aliases, roles, affiliation and every mention."""
    return _ActorBuilder(doc, sentences).build()
