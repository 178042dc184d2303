"""Quantities as written in the news: their qualifiers ("at least", "some") and their numeric value."""

from __future__ import annotations

import re

from briefings.extract.number_words import CARDINALS

# Words before a number that say how exact it is; kept in the claim's quantity ("at least 80").
QUALIFIERS = (
    "at least",
    "at most",
    "more than",
    "less than",
    "fewer than",
    "as many as",
    "as few as",
    "as much as",
    "up to",
    "close to",
    "a total of",
    "an estimated",
    "nearly",
    "almost",
    "about",
    "around",
    "roughly",
    "approximately",
    "some",
    "over",
    "under",
    "only",
    "just",
    "exactly",
    "estimated",
)
_QUALIFIER_WORDS = [tuple(q.split()) for q in sorted(QUALIFIERS, key=lambda q: -len(q.split()))]

_UNITS = {"zero": 0, "no": 0, "none": 0, "a": 1, "an": 1, **CARDINALS}
_SCALES = {
    "dozen": 12,
    "dozens": 12,
    "hundred": 100,
    "hundreds": 100,
    "thousand": 1_000,
    "thousands": 1_000,
    "million": 1_000_000,
    "millions": 1_000_000,
    "billion": 1_000_000_000,
    "billions": 1_000_000_000,
    "trillion": 1_000_000_000_000,
    "k": 1_000,
    "m": 1_000_000,
    "bn": 1_000_000_000,
    "mn": 1_000_000,
}
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[a-z]+")


def leading_qualifier(words: list[str]) -> int:
    """How many of the given lower-cased words (read backwards from a number) form a qualifier."""
    for qualifier in _QUALIFIER_WORDS:
        size = len(qualifier)
        if len(words) >= size and tuple(words[-size:]) == qualifier:
            return size
    return 0


def _digits(text: str) -> float | None:
    cleaned = text.replace(",", "")
    if cleaned.count(".") > 1:
        return None
    try:
        return float(cleaned)
    except ValueError:
        return None


def quantity_value(text: str) -> float | None:
    """The number a quantity phrase stands for ("at least 80" → 80, "$2.5 billion" → 2.5e9, "a dozen" → 12)."""
    lowered = text.lower().replace("-", " ")
    value: float | None = None
    match = _NUMBER.search(lowered)
    if match is not None:
        value = _digits(match.group())
        rest = lowered[match.end() :]
    else:
        rest = lowered
    for word in _WORD.findall(rest):
        if word in _SCALES:
            value = (value if value is not None else 1) * _SCALES[word]
        elif word in _UNITS and match is None:
            if word in ("a", "an") and value is not None:
                continue
            # "twenty five" adds; "two hundred" was multiplied above.
            value = (value or 0) + _UNITS[word]
    return value
