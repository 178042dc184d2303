"""The recogniser: find trigger words, run the rules in windows around them, keep the longest matches."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator

from briefings.extract.temporal.lexicon import (
    DECADE_WORDS,
    MONTHS,
    SEASONS,
    WEEKDAYS,
)
from briefings.extract.temporal.meaning import (
    Candidate,
)
from briefings.extract.temporal.rules import RULES, Rule

# Every temporal expression holds a trigger word: a name, a unit, a time word, a year, a clock time. One
# pass over the words of the text finds them; the rules then run only in windows around them, and only
# the rules whose kind of trigger the window holds. That keeps the grammar cheap on long articles.
_TRIGGER_WORDS: dict[str, tuple[str, ...]] = {
    "month": (*MONTHS, "sep"),
    "weekday": (
        *(w for w in WEEKDAYS if w.endswith("day")),
        *(w + "s" for w in WEEKDAYS if w.endswith("day")),
    ),
    "relday": ("today", "tonight", "tomorrow", "yesterday"),
    "part": (
        "morning",
        "afternoon",
        "evening",
        "night",
        "overnight",
        "noon",
        "midday",
        "mornings",
        "nights",
        "evenings",
        "afternoons",
    ),
    "unit": (
        *(
            u + s
            for u in (
                "second",
                "minute",
                "hour",
                "day",
                "night",
                "week",
                "weekend",
                "fortnight",
                "month",
                "quarter",
                "year",
                "decade",
            )
            for s in ("", "s")
        ),
        "century",
        "centuries",
        "millennium",
        "millennia",
    ),
    "period": ("quarter", "half", "period", "fiscal", "q", "h"),
    "ref": (
        "now",
        "nowadays",
        "currently",
        "current",
        "recently",
        "recent",
        "lately",
        "past",
        "present",
        "future",
        "soon",
        "term",
        "moment",
        "possible",
        "date",
        "stage",
        "time",
        "while",
    ),
    "set": ("daily", "weekly", "monthly", "annually", "yearly", "hourly", "nightly", "biweekly"),
    "season": tuple(SEASONS),
    "holiday": ("christmas", "easter", "thanksgiving", "halloween", "valentine"),
    "spelled": ("nineteen", "eighteen", "thousand"),
    "decade": tuple(DECADE_WORDS),
    "clock": ("noon", "midnight", "midday", "clock", "am", "pm"),
}
_WORD_KINDS: dict[str, frozenset[str]] = {}
for _kind, _words in _TRIGGER_WORDS.items():
    for _word in _words:
        _WORD_KINDS[_word] = _WORD_KINDS.get(_word, frozenset()) | {_kind}
_WORD = re.compile(r"[A-Za-z]+|\d+")
_CLOCK_TAIL = re.compile(r"(?:[:.]|: )[0-5]\d|\s?[ap]\.?\s?m\b", re.IGNORECASE)


def _trigger_kinds(text: str, m: re.Match[str]) -> frozenset[str] | None:
    """The kinds of trigger a word is, if any: a month, a unit, a year, a clock time..."""
    word = m.group()
    if not word[0].isdigit():
        return _WORD_KINDS.get(word.lower())
    end = m.end()
    if len(word) == 4 and "1000" <= word <= "2099":
        return _YEAR_KINDS
    if len(word) <= 2:
        if word.endswith("0") and (text.startswith("s", end) or text.startswith("'s", end)):
            return _DECADE_KINDS
        if _CLOCK_TAIL.match(text, end):
            return _CLOCK_KINDS
    return None


_YEAR_KINDS = frozenset({"year", "decade"})
_DECADE_KINDS = frozenset({"decade"})
_CLOCK_KINDS = frozenset({"clock"})

# How far an expression reaches before its first trigger word ("no more than the past two" is 21
# characters) and after its last ("Sept. 30, 1990" is 8): margins well beyond both.
_WINDOW_BEFORE = 36
_WINDOW_AFTER = 40


def _windows(text: str) -> Iterator[tuple[int, int, frozenset[str]]]:
    """Stretches of the text around triggers, merged when they touch, with the kinds of trigger they hold."""
    start = end = -1
    kinds: set[str] = set()
    for m in _WORD.finditer(text):
        found = _trigger_kinds(text, m)
        if found is None:
            continue
        s, e = max(0, m.start() - _WINDOW_BEFORE), m.end() + _WINDOW_AFTER
        if start >= 0 and s <= end:
            end = max(end, e)
        else:
            if start >= 0:
                yield start, _to_space(text, end), frozenset(kinds)
            start, end, kinds = s, e, set()
        kinds.update(found)
    if start >= 0:
        yield start, _to_space(text, end), frozenset(kinds)


def _to_space(text: str, position: int) -> int:
    """The first white space at or after a position (the end of the text when there is none)."""
    if position >= len(text):
        return len(text)
    found = re.compile(r"\s").search(text, position)
    return found.start() if found else len(text)


@functools.cache
def _rules_for(kinds: frozenset[str]) -> tuple[Rule, ...]:
    """The rules whose matches can hold one of these kinds of trigger word."""
    return tuple(rule for rule in RULES if not rule.needs.isdisjoint(kinds))


def find_candidates(text: str) -> Iterator[Candidate]:
    """Every match of every rule in the text, overlapping, with what it means."""
    for window_start, window_end, kinds in _windows(text):
        rules = _rules_for(kinds)
        for line_start, line_end in _lines(text, window_start, window_end):
            yield from _matches(text, line_start, line_end, rules)


def _lines(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The lines of a stretch of text: no expression runs across a line break (a title, a dateline)."""
    while start < end:
        line_break = text.find("\n", start, end)
        if line_break < 0:
            yield start, end
            return
        if line_break > start:
            yield start, line_break
        start = line_break + 1


def _matches(text: str, start: int, end: int, rules: tuple[Rule, ...]) -> Iterator[Candidate]:
    """The matches of the rules within one line of a window, with what they mean."""
    for rule in rules:
        for m in rule.pattern.finditer(text, start, end):
            if m.end() == m.start():
                continue
            meaning = rule.build(m)
            if meaning is None:
                continue
            # A rule may match more than its expression, to see what it shares with a neighbour ("April
            # 24 and 25": the month of "25"); its group "only" is then the expression.
            only = "only" in rule.pattern.groupindex and m.group("only")
            match_start, match_end = m.span("only") if only else m.span()
            # Trailing white space or a comma never belongs to the expression.
            while match_end > match_start and text[match_end - 1] in " \t\n,":
                match_end -= 1
            yield Candidate(match_start, match_end, meaning, rule.name, rule.priority)


def choose(candidates: list[Candidate]) -> list[Candidate]:
    """The longest non-overlapping candidates, left to right (ties go to the rule of higher priority)."""
    ordered = sorted(candidates, key=lambda c: (-(c.end - c.start), -c.priority, c.start))
    starts: list[int] = []  # the taken spans, sorted by start; they never overlap, so ends sort alike
    ends: list[int] = []
    taken: list[Candidate] = []
    for c in ordered:
        i = bisect.bisect_right(starts, c.start)
        if i > 0 and ends[i - 1] > c.start:
            continue  # the span before it reaches into it
        if i < len(starts) and starts[i] < c.end:
            continue  # it reaches into the span after it
        starts.insert(i, c.start)
        ends.insert(i, c.end)
        taken.append(c)
    return sorted(taken, key=lambda c: c.start)
