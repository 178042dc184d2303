"""A story's short name (for lists and autocomplete) and its headline (the latest word on it)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from briefings.models import ArticleAnalysis
from briefings.stories.features import stem

NAME_WORDS = 8
HEADLINE_WORDS = 20
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
# Outlet names and section labels hang off a title after a dash or a bar: "… - Reuters", "… | World".
_TAIL = re.compile(r"\s+[-–—|]\s+[^-–—|]{1,40}$")
# A clause after one of these adds circumstance; the name keeps what happened.
_CLAUSE_BREAK = re.compile(r"\s*(?:[,;]|\s(?:as|after|amid|while|following|before|despite|with)\s)")
_TRAILING_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
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
        "after",
        "amid",
    ]
)


def _strip_tail(title: str) -> str:
    stripped = _TAIL.sub("", title).strip()
    return stripped if len(stripped.split()) >= 3 else title


def _strip_label(title: str) -> str:
    """Drop a lead-in before a colon ("BREAKING:", "'Slap in face':") when what follows says the news."""
    head, sep, rest = title.partition(":")
    if sep and len(head.split()) <= 5 and len(rest.split()) >= 4:
        return rest.strip()
    return title


def clean_title(title: str) -> str:
    """A title without outlet tails, lead-in labels and stray whitespace."""
    text = " ".join(title.split())
    return _strip_label(_strip_tail(text)).strip(" \"'“”‘’")


def _shorten(text: str, limit: int) -> str:
    words = text.split()
    if len(words) <= limit:
        return text
    match = _CLAUSE_BREAK.search(text)
    if match is not None and 4 <= len(text[: match.start()].split()) <= limit:
        return text[: match.start()]
    kept = words[:limit]
    while kept and kept[-1].lower().strip(",;:") in _TRAILING_FUNCTION_WORDS:
        kept.pop()
    return " ".join(kept).rstrip(",;:")


def _lead_line(analysis: ArticleAnalysis) -> str:
    if analysis.article.title and analysis.article.title.strip():
        return clean_title(analysis.article.title)
    for sentence in analysis.sentences:
        if len(sentence.text.split()) >= 3:
            return clean_title(sentence.text)
    first = analysis.article.text.strip().split("\n", 1)[0]
    return clean_title(first) if first else analysis.article.source


def _stems(text: str) -> set[str]:
    return {stem(w.lower()) for w in _WORD.findall(text) if len(w) > 2}


def story_name(analyses: Sequence[ArticleAnalysis]) -> str:
    """A short name for the story: the lead line that shares most words with the others, cut to a few words."""
    lines = [_lead_line(a) for a in analyses]
    lines = [line for line in lines if line]
    if not lines:
        return "Untitled story"
    stems = [_stems(line) for line in lines]
    support: Counter[str] = Counter(s for words in stems for s in words)

    def centrality(index: int) -> tuple[float, int]:
        words = stems[index]
        shared = sum(support[s] - 1 for s in words)
        # Per word, so a long title does not win by length; earlier lines win ties (the story's start).
        return shared / (len(words) + 2), -index

    best = max(range(len(lines)), key=centrality)
    return _shorten(lines[best], NAME_WORDS)


def story_headline(analyses: Sequence[ArticleAnalysis]) -> str:
    """The headline of the story's latest report (its articles are given oldest first)."""
    if not analyses:
        return ""
    return _shorten(_lead_line(analyses[-1]), HEADLINE_WORDS)


def distinct_names(names: Sequence[str], qualifiers: Sequence[str]) -> list[str]:
    """Names made unique: a repeated name gets its story's qualifier (a place or a date) in brackets."""
    counts = Counter(n.casefold() for n in names)
    out: list[str] = []
    used: set[str] = set()
    for name, qualifier in zip(names, qualifiers, strict=True):
        candidate = name
        if counts[name.casefold()] > 1 and qualifier:
            candidate = f"{name} ({qualifier})"
        n = 2
        unique = candidate
        while unique.casefold() in used:
            unique = f"{candidate} ({n})"
            n += 1
        used.add(unique.casefold())
        out.append(unique)
    return out
