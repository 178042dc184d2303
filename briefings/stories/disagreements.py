"""Claims grouped by what they count, and the counts on which sources give figures that cannot both be true."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from briefings.extract.quantities import quantity_value
from briefings.models import ArticleAnalysis, Claim, Disagreement, SourcedClaim
from briefings.stories.features import stem
from briefings.stories.identity import NameResolver

_WORD = re.compile(r"[^\W\d_]+")
# Figures about people harmed by the event: one count per kind in a story, whatever words name it.
HARM_CATEGORIES = frozenset({"killed", "injured", "arrested", "missing", "displaced", "casualties"})
# Casualties are the killed and the injured together: fewer casualties than dead cannot be.
_PARTS_OF = {"casualties": ("killed", "injured")}
# Plurals of round numbers are ranges: "dozens" is at least two dozen and fewer than a hundred; "thousands"
# at least two thousand and fewer than the "hundreds of thousands" a larger figure would be called.
_VAGUE = {
    "dozens": (24.0, 99.0),
    "scores": (40.0, 99.0),
    "hundreds": (200.0, 999.0),
    "thousands": (2e3, 99_999.0),
    "millions": (2e6, 99_999_999.0),
    "billions": (2e9, 99_999_999_999.0),
}
# "tens of thousands", "hundreds of millions": a plural of a round number counting the next plural's units.
_VAGUE_OF = re.compile(r"\b(tens|dozens|scores|hundreds|thousands)\s+of\s+(thousands|millions|billions)\b")
_VAGUE_UNITS = {"tens": 10.0, "dozens": 12.0, "scores": 20.0, "hundreds": 100.0, "thousands": 1e3}
_VAGUE_SCALES = {"thousands": 1e3, "millions": 1e6, "billions": 1e9}
_AT_LEAST = ("at least", "more than", "over", "above", "upwards of", "in excess of", "no fewer than")
_AT_MOST = ("at most", "up to", "fewer than", "less than", "under", "below", "no more than", "as many as")
_NEARLY = ("nearly", "almost", "close to")
_ABOUT = ("about", "around", "some", "roughly", "approximately", "an estimated", "estimated")
_NOISE = frozenset(
    ["the", "a", "an", "of", "in", "on", "at", "to", "for", "and", "or", "by", "with", "from", "as"]
)
# A harm count that rises between reports a day apart is the toll being updated, not sources disagreeing.
UPDATE_AFTER = timedelta(hours=12)


@dataclass(frozen=True)
class Range:
    """The values a stated figure allows ("at least 80" allows 80 and anything above)."""

    low: float
    high: float

    def overlaps(self, other: Range) -> bool:
        """Whether both figures can be true at once."""
        return self.low <= other.high and other.low <= self.high


def _phrases(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b")


_AT_LEAST_RE, _AT_MOST_RE, _NEARLY_RE, _ABOUT_RE = (
    _phrases(p) for p in (_AT_LEAST, _AT_MOST, _NEARLY, _ABOUT)
)


def claim_range(claim: Claim) -> Range | None:
    """The values a claim's figure allows, read from its quantity; None when it gives no number."""
    quantity = " ".join(claim.quantity.lower().split())
    compound = _VAGUE_OF.search(quantity)
    if compound is not None:
        units, scale = _VAGUE_UNITS[compound[1]], _VAGUE_SCALES[compound[2]]
        # At least two of the units ("tens of thousands": 20,000), fewer than ten times as many (100,000).
        return Range(2 * units * scale, 10 * units * scale - 1)
    for vague, bounds in _VAGUE.items():
        if vague in quantity.split():
            return Range(*bounds)
    value = claim.value if claim.value is not None else quantity_value(quantity)
    if value is None:
        return None
    if _AT_LEAST_RE.search(quantity):
        return Range(value, math.inf)
    if _NEARLY_RE.search(quantity):
        return Range(value * 0.8, value)
    if _AT_MOST_RE.search(quantity):
        return Range(0.0, value)
    if _ABOUT_RE.search(quantity):
        return Range(value * 0.9, value * 1.1)
    return Range(value, value)


def claim_key(claim: Claim) -> str | None:
    """What a claim counts, as a key: the kind of harm, or the stems of what it counts ("count:explosion")."""
    if claim.category in HARM_CATEGORIES:
        return claim.category
    words = sorted({stem(w) for w in _WORD.findall((claim.what or "").lower()) if w not in _NOISE})
    if not words:
        return None
    return f"{claim.category or 'count'}:{' '.join(words)}"


def _counted(claim: Claim) -> str | None:
    """The thing a claim counts, without the verb its sentence uses: "count:firefighter" for "firefighters
    needed" and "firefighters fought" alike."""
    if claim.category != "count":
        return None  # sums and shares ("offered 4%", "cost 2 million") are told apart by their verbs
    words = [w for w in _WORD.findall((claim.what or "").lower()) if w not in _NOISE]
    return f"{claim.category or 'count'}:{stem(words[0])}" if words else None


def _one_count_per_article(claims: list[SourcedClaim]) -> bool:
    """Whether each article counts the thing once: one that counts it twice with two verbs ("500 homes
    flooded, 200 homes evacuated") shows that the verbs tell two counts apart."""
    keys: dict[str, set[str | None]] = {}
    for claim in claims:
        keys.setdefault(claim.article, set()).add(claim_key(claim.claim))
    return all(len(k) == 1 for k in keys.values())


def group_claims(claims: list[SourcedClaim]) -> dict[str, list[SourcedClaim]]:
    """Claims grouped by what they count (claims that say nothing of what they count are left out).

    Sources tell one count with different verbs ("more than 60 firefighters were needed", "about 40
    firefighters fought the blaze"): claims of the same thing are one count unless an article counts that
    thing twice with different verbs.
    """
    groups: dict[str, list[SourcedClaim]] = {}
    for claim in claims:
        key = claim_key(claim.claim)
        if key is not None:
            groups.setdefault(key, []).append(claim)
    by_thing: dict[str, list[str]] = {}
    for key, group in groups.items():
        thing = _counted(group[0].claim)
        if thing is not None:
            by_thing.setdefault(thing, []).append(key)
    for thing, keys in by_thing.items():
        merged = [claim for key in keys for claim in groups[key]]
        if len(keys) < 2 or not _one_count_per_article(merged):
            continue
        for key in keys:
            del groups[key]
        groups[thing] = merged
    return groups


def _source(claim: SourcedClaim) -> str:
    return (claim.claim.attributed_to or "").casefold() or claim.article


@dataclass(frozen=True)
class _Figure:
    claim: SourcedClaim
    range: Range
    published: datetime | None


def _is_update(a: _Figure, b: _Figure, harm: bool) -> bool:
    """Whether the later of two figures is a toll that grew since the earlier report."""
    if not harm or a.published is None or b.published is None:
        return False
    if a.published > b.published:
        a, b = b, a
    assert a.published is not None and b.published is not None
    return b.published - a.published >= UPDATE_AFTER and b.range.low >= a.range.low


def _two_sources(a: SourcedClaim, b: SourcedClaim) -> bool:
    """Whether two figures come from two sources: two articles, or two named sources quoted by one article.
    One article's own figure beside a figure it quotes is most often another count (a total and a daily
    rate, this year's toll and an earlier attack's), not sources disagreeing."""
    if a.article == b.article and not (a.claim.attributed_to and b.claim.attributed_to):
        return False
    return _source(a) != _source(b)


def _conflict(a: _Figure, b: _Figure, harm: bool) -> bool:
    return _two_sources(a.claim, b.claim) and not a.range.overlaps(b.range) and not _is_update(a, b, harm)


def _figures(claims: list[SourcedClaim], published: Mapping[str, datetime | None]) -> list[_Figure]:
    figures = []
    for claim in claims:
        figure_range = claim_range(claim.claim)
        if figure_range is not None:
            figures.append(_Figure(claim, figure_range, published.get(claim.article)))
    return figures


def _shown(figures: list[_Figure]) -> list[SourcedClaim]:
    """Each source's figure once."""
    shown: list[SourcedClaim] = []
    seen: set[tuple[str, str]] = set()
    for figure in figures:
        key = (" ".join(figure.claim.claim.quantity.casefold().split()), _source(figure.claim))
        if key not in seen:
            seen.add(key)
            shown.append(figure.claim)
    return shown


def _says_what_happened(claims: list[SourcedClaim]) -> bool:
    """Whether the figures say what happened to what they count ("firefighters fought", "homes flooded"):
    a bare unit ("money", "percent", "children") may be any sum, share or group, so two such figures
    contradict nothing."""
    return all(len(_WORD.findall(c.claim.what or "")) >= 2 for c in claims)


def _about(key: str, claims: list[SourcedClaim]) -> str:
    named = [c.claim.what for c in claims if c.claim.what]
    if key in HARM_CATEGORIES:
        return key
    if len(set(named)) > 1:
        # One count told with different verbs: name the thing counted ("firefighters").
        return min(named, key=len).split()[0]
    return min(named, key=len) if named else key.partition(":")[2]


def find_disagreements(
    claims: list[SourcedClaim], published: Mapping[str, datetime | None] | None = None
) -> list[Disagreement]:
    """The counts on which two sources give figures that cannot both be true, with every source's figure.

    `published` (article id → publication time) tells a rising toll from a disagreement.
    """
    when = published or {}
    groups = group_claims(claims)
    figures = {key: _figures(group, when) for key, group in groups.items()}
    disagreements = []
    for key, group in groups.items():
        harm = key in HARM_CATEGORIES
        if not harm and not _says_what_happened(group):
            continue
        own = figures[key]
        conflicting = any(_conflict(a, b, harm) for i, a in enumerate(own) for b in own[i + 1 :])
        # A total of casualties below a count of the dead contradicts it: those figures are shown too.
        contradicted: dict[int, _Figure] = {}
        for part in _PARTS_OF.get(key, ()):
            for b in figures.get(part, []):
                if any(_two_sources(a.claim, b.claim) and a.range.high < b.range.low for a in own):
                    contradicted.setdefault(id(b), b)
        if not conflicting and not contradicted:
            continue
        # Every figure given for the count, and those of the counts it contradicts (each once: compared by
        # identity, as comparing the models field by field made a long article's stories take minutes).
        involved = [*own, *contradicted.values()]
        disagreements.append(Disagreement(about=_about(key, group), claims=_shown(involved)))
    return disagreements


def sourced_claims(analyses: list[ArticleAnalysis], actors: NameResolver) -> list[SourcedClaim]:
    """Every claim of the story's articles, its source named as the story names it."""
    return [
        SourcedClaim(
            claim=claim.model_copy(update={"attributed_to": actors.resolve(claim.attributed_to)}),
            article=analysis.article.id,
        )
        for analysis in analyses
        for claim in analysis.claims
    ]
