"""One timeline for a story: the dated events of its articles, one entry per real event with all its sources."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from briefings.models import ArticleAnalysis, Event, TimelineEntry
from briefings.stories.day_statements import day_statements
from briefings.stories.identity import NameResolver

_WORD = re.compile(r"[^\W_]+")
# Two sentences about one event share most of their words once function words are set aside.
SAME_EVIDENCE = 0.5
# At most this many events that one source alone tells of one day make its line for that day.
JOINED_LINES = 2
_FUNCTION_WORDS = frozenset(
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
        "is",
        "was",
        "were",
        "be",
        "been",
        "that",
        "this",
        "it",
        "its",
        "his",
        "her",
        "their",
        "he",
        "she",
        "they",
        "we",
        "said",
        "says",
    ]
)
# Event types that can name one real event in different reports ("launched missiles", "the strike").
_FAMILIES: dict[str, str] = {
    "attack": "violence",
    "strike": "violence",
    "shoot": "violence",
    "launch": "violence",
    "kill": "harm",
    "die": "harm",
    "injure": "harm",
}


# A line never opens with a relative word ("Which the navy blamed on ..."), nor with a wire dateline
# ("LISBON, May 7 (AFP) -", "COLUMBUS, Ohio —"): the extractor leaves both out, analyses stored before may not.
_RELATIVE_OPENING = re.compile(r"^(?:which|who|whom|whose)\s+", re.IGNORECASE)
_DATELINE_OPENING = re.compile(
    r"^[A-Z][A-Z.'’-]{2,}(?:\s[A-Z][A-Z.'’-]+){0,2}(?:,\s[A-Z][\w.]*(?:\s[A-Z\d][\w.]*){0,2})?"
    r"(?:\s*\((?:[A-Z][\w.&]*\s?){1,3}\))?\s*(?:--|—|–|-)\s+"
)


def _line(text: str) -> str:
    """An event's statement as a timeline line: without a dateline or a relative word before it."""
    line = _DATELINE_OPENING.sub("", text, count=1)
    line = _RELATIVE_OPENING.sub("", line, count=1)
    if line == text or not line:
        return text
    return line[:1].upper() + line[1:]


# A story's statements are compared again each time a view of it is merged (one per set of feeds): once each.
@lru_cache(maxsize=16384)
def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _FUNCTION_WORDS)


def _day(value: str) -> str:
    return value[:10]


@dataclass
class _Entry:
    when: str
    event_type: str | None
    family: str | None
    participants: set[str]
    evidence: list[str] = field(default_factory=list)
    words: list[frozenset[str]] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    # Lines of other entries of the same single source on the same day, told after this one's.
    joined: list[_Entry] = field(default_factory=list)

    def line(self) -> str:
        # The shortest report of an event reads best in a list; a fragment is no report.
        readable = [e for e in self.evidence if len(e.split()) >= 5] or self.evidence
        return _line(min(readable, key=len))

    def matches(self, family: str | None, participants: set[str], words: frozenset[str]) -> bool:
        if family and self.family and family != self.family:
            return False
        for seen in self.words:
            overlap = len(seen & words) / max(1, min(len(seen), len(words)))
            if overlap >= SAME_EVIDENCE:
                return True
        return bool(participants & self.participants) and family is not None and family == self.family


def _participants(event: Event, actors: NameResolver, places: NameResolver) -> set[str]:
    names = {actors.resolve(n) or n for n in (*event.who, *event.whom)}
    if event.where:
        names.add(places.resolve(event.where) or event.where)
    return {n.casefold() for n in names}


def _specific(values: list[str]) -> str:
    """The most precise of several values for one event's time ("2020-01-07T17:30" over "2020-01-07"),
    among those of the day most of them give (counted once: a long story's entry has hundreds)."""
    days = Counter(v[:10] for v in values)
    return max(values, key=lambda v: (days[v[:10]], len(v)))


def _one_line_per_source(entries: list[_Entry]) -> list[_Entry]:
    """A day's entries with what one source alone tells of that day as one line: a source's further events
    that no other source reports join its first line (up to `JOINED_LINES`), so a day counts as many
    sources as tell of it, not as many sentences as one of them spends on it."""
    kept: list[_Entry] = []
    first_of: dict[str, _Entry] = {}
    for entry in entries:
        if len(entry.articles) > 1:
            kept.append(entry)
            continue
        first = first_of.setdefault(entry.articles[0], entry)
        if first is entry:
            kept.append(entry)
        elif len(first.joined) + 1 < JOINED_LINES:
            first.joined.append(entry)
    return kept


def _what(entry: _Entry) -> str:
    lines = [entry.line(), *(joined.line() for joined in entry.joined)]
    if len(lines) == 1:
        return lines[0]
    return " ".join(line if line[-1:] in ".!?\"'”’" else line + "." for line in lines)


def merge_timeline(
    analyses: list[ArticleAnalysis], actors: NameResolver, places: NameResolver
) -> list[TimelineEntry]:
    """The story's dated events in time order, each reported once with every article that reports it.

    Each article adds what it tells of the days it names (see `day_statements`): its dated events, its
    lead, and the earlier days it recalls, so a day that later reports keep recalling is told by many.
    """
    by_day: dict[str, list[_Entry]] = {}
    whens: dict[int, list[str]] = {}
    for analysis in analyses:
        for statement in day_statements(analysis):
            event = statement.event
            event_type = event.type if event is not None and event.type else None
            family = _FAMILIES.get(event_type, event_type) if event_type else None
            participants = _participants(event, actors, places) if event is not None else set()
            words = _words(statement.text)
            entries = by_day.setdefault(_day(statement.when), [])
            entry = next((e for e in entries if e.matches(family, participants, words)), None)
            if entry is None:
                entry = _Entry(when=statement.when, event_type=event_type, family=family, participants=set())
                entries.append(entry)
            whens.setdefault(id(entry), []).append(statement.when)
            entry.participants |= participants
            if statement.text not in entry.evidence:
                entry.evidence.append(statement.text)
                entry.words.append(words)
            if statement.article not in entry.articles:
                entry.articles.append(statement.article)
    timeline = []
    for entries in by_day.values():
        for entry in _one_line_per_source(entries):
            timeline.append(
                TimelineEntry(
                    when=_specific(whens[id(entry)]),
                    what=_what(entry),
                    articles=entry.articles,
                    event_type=entry.event_type,
                )
            )
    timeline.sort(key=lambda e: (e.when[:10], e.when, e.what))
    return timeline
