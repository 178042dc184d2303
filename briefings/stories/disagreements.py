"""Claims grouped by what they count, and the groups where sources give figures that cannot both be true."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from briefings.models import ArticleAnalysis, Claim, Disagreement, SourcedClaim
from briefings.stories.features import stem
from briefings.stories.identity import NameResolver

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_WORD = re.compile(r"[^\W\d_]+")
_NUMBER_WORDS = {
    "no": 0, "zero": 0, "none": 0, "nobody": 0, "one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "three": 3,
    "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "dozen": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}  # fmt: skip
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "k": 1e3, "m": 1e6, "bn": 1e9}
# Plurals of round numbers are ranges: "dozens" is more than two dozen and fewer than a hundred.
_VAGUE = {
    "dozens": (24.0, 99.0),
    "scores": (40.0, 99.0),
    "hundreds": (200.0, 999.0),
    "thousands": (2e3, 9999.0),
}
_AT_LEAST = (
    "at least",
    "more than",
    "over",
    "above",
    "upwards of",
    "in excess of",
    "no fewer than",
    "at minimum",
)
_AT_MOST = (
    "at most",
    "up to",
    "fewer than",
    "less than",
    "under",
    "below",
    "nearly",
    "almost",
    "no more than",
)
_ABOUT = (
    "about",
    "around",
    "some",
    "roughly",
    "approximately",
    "an estimated",
    "nearly",
    "close to",
    "estimated",
)
# Words that never say what is counted.
_NOISE = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "and",
        "or",
        "by",
        "with",
        "from",
        "as",
        "at",
        "least",
        "more",
        "than",
        "some",
        "about",
    ]
)


@dataclass(frozen=True)
class Range:
    """The values a stated figure allows ("at least 80" allows 80 and anything above)."""

    low: float
    high: float

    def overlaps(self, other: Range) -> bool:
        """Whether both figures can be true at once."""
        return self.low <= other.high and other.low <= self.high


def _number(text: str) -> float | None:
    lowered = text.lower()
    match = _NUMBER.search(lowered)
    value: float | None = None
    if match is not None:
        value = float(match[0].replace(",", ""))
    else:
        for word in _WORD.findall(lowered):
            if word in _NUMBER_WORDS:
                value = (
                    float(_NUMBER_WORDS[word]) * (value or 1.0)
                    if word in ("dozen", "hundred")
                    else float(_NUMBER_WORDS[word])
                )
    if value is None:
        return None
    for word in _WORD.findall(lowered):
        if word in _SCALES:
            value *= _SCALES[word]
    return value


def claim_range(claim: Claim) -> Range | None:
    """The values a claim's figure allows, read from its quantity and the words around it; None if unreadable."""
    quantity = claim.quantity.lower()
    for vague, bounds in _VAGUE.items():
        if vague in quantity.split():
            return Range(*bounds)
    value = _number(quantity)
    if value is None:
        return None
    context = f"{quantity} {claim.text.lower()}"
    if any(phrase in context for phrase in _AT_LEAST):
        return Range(value, math.inf)
    if any(phrase in context for phrase in _AT_MOST):
        low = value * 0.8 if any(p in context for p in ("nearly", "almost")) else 0.0
        return Range(low, value)
    if any(re.search(rf"\b{phrase}\b", context) for phrase in _ABOUT):
        return Range(value * 0.9, value * 1.1)
    return Range(value, value)


def counted_key(what: str | None) -> frozenset[str]:
    """What a claim counts, as a set of word stems ("US soldiers killed" = "killed US soldiers")."""
    if not what:
        return frozenset()
    return frozenset(stem(w) for w in _WORD.findall(what.lower()) if w not in _NOISE)


def group_claims(claims: list[SourcedClaim]) -> dict[frozenset[str], list[SourcedClaim]]:
    """Claims grouped by what they count; a claim whose count names more words joins a group it contains."""
    groups: dict[frozenset[str], list[SourcedClaim]] = {}
    for claim in claims:
        key = counted_key(claim.claim.what)
        if key:
            groups.setdefault(key, []).append(claim)
    # "killed" and "soldiers killed" count the same within one story: fold the wider into the narrower.
    for key in sorted(groups, key=len, reverse=True):
        narrower = [k for k in groups if k != key and k < key]
        if len(narrower) == 1:
            groups[narrower[0]].extend(groups.pop(key))
    return groups


def _source(claim: SourcedClaim) -> str:
    return (claim.claim.attributed_to or "").casefold() or claim.article


def find_disagreements(claims: list[SourcedClaim]) -> list[Disagreement]:
    """The counts on which two sources give figures that cannot both be true, with every source's figure."""
    disagreements = []
    for group in group_claims(claims).values():
        ranges = [(c, claim_range(c.claim)) for c in group]
        readable = [(c, r) for c, r in ranges if r is not None]
        conflict = any(
            _source(a) != _source(b) and not ra.overlaps(rb)
            for i, (a, ra) in enumerate(readable)
            for b, rb in readable[i + 1 :]
        )
        if not conflict:
            continue
        shown: list[SourcedClaim] = []
        seen: set[tuple[str, str]] = set()
        for claim, _ in readable:
            key = (claim.claim.quantity.casefold(), _source(claim))
            if key not in seen:
                seen.add(key)
                shown.append(claim)
        about = min((c.claim.what or "" for c in group), key=len)
        disagreements.append(Disagreement(about=about, claims=shown))
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
