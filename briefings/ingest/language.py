"""Which language an article is written in: briefbot's pipeline reads English only.

Two checks, cheapest first. Most English news passes the first: a share of common English function words
that other languages do not reach. Only a text that fails it goes to py3langid (a small offline model
shipped in its wheel), which names the language for the message. A text is refused only when both agree
it is not English, and short texts are never refused: a headline or a two-line item is too little to judge.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from typing import Any

_log = logging.getLogger(__name__)

# The commonest English function words: they make up about 40% of the words of English news and rarely
# more than a few percent of other languages written in Latin script.
_FUNCTION_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "a",
        "in",
        "that",
        "is",
        "was",
        "he",
        "for",
        "it",
        "with",
        "as",
        "his",
        "on",
        "be",
        "at",
        "by",
        "i",
        "this",
        "had",
        "not",
        "are",
        "but",
        "from",
        "or",
        "have",
        "an",
        "they",
        "which",
        "one",
        "you",
        "were",
        "her",
        "all",
        "she",
        "there",
        "would",
        "their",
        "we",
        "him",
        "been",
        "has",
        "when",
        "who",
        "will",
        "more",
        "no",
        "if",
        "out",
        "so",
        "said",
        "what",
        "up",
        "its",
        "about",
        "into",
        "than",
        "them",
        "can",
        "only",
        "other",
        "new",
        "some",
        "could",
        "time",
        "these",
        "two",
        "may",
        "then",
        "do",
        "first",
        "any",
        "my",
        "now",
        "such",
        "like",
        "our",
        "over",
        "man",
        "me",
        "even",
        "most",
        "made",
        "after",
        "also",
        "did",
        "many",
        "before",
        "must",
        "through",
        "back",
        "years",
        "where",
        "much",
        "your",
        "way",
        "well",
        "down",
        "should",
        "because",
        "each",
        "just",
        "those",
        "people",
        "how",
        "too",
        "little",
        "state",
        "good",
        "very",
        "make",
        "world",
        "still",
        "own",
        "see",
        "men",
        "work",
        "long",
        "get",
        "here",
        "between",
        "both",
        "life",
        "being",
        "under",
        "never",
        "day",
        "same",
        "another",
        "know",
        "while",
        "last",
        "might",
        "us",
        "great",
        "old",
        "year",
        "off",
        "come",
        "since",
        "against",
        "go",
        "came",
        "right",
        "used",
        "take",
        "three",
    ]
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_SAMPLE_CHARS = 20_000
_SAMPLE_WORDS = 400
MIN_ENGLISH_SHARE = 0.12
# Fewer words than this (in a Latin script) is a headline or a snippet: too little to refuse.
MIN_WORDS_TO_JUDGE = 12
# How sure the model must be before a text that failed the function-word check is refused.
MIN_MODEL_CONFIDENCE = 0.9


@dataclass(frozen=True)
class LanguageGuess:
    """The language of a text as far as it can be told: an ISO 639-1 code, its English name, how sure."""

    code: str
    name: str
    confidence: float
    # False only when the text was judged to be in another language; undecided texts count as English.
    is_english: bool


_ENGLISH = LanguageGuess("en", "English", 1.0, is_english=True)
_UNDECIDED = LanguageGuess("und", "undetermined", 0.0, is_english=True)


def english_share(text: str, sample_words: int = _SAMPLE_WORDS) -> float:
    """The share of the first words of a text that are common English function words."""
    words = _WORD.findall(text[:_SAMPLE_CHARS])[:sample_words]
    if not words:
        return 0.0
    return sum(1 for w in words if w.lower() in _FUNCTION_WORDS) / len(words)


def _latin_share(text: str) -> float:
    letters = _LETTER.findall(text)
    if not letters:
        return 1.0
    return sum(1 for ch in letters if ch < "\u0250") / len(letters)


@functools.cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    _log.debug("loading the py3langid model")
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@functools.cache
def language_name(code: str) -> str:
    """The English name of a language code ("de" -> "German"); the code itself when unknown."""
    try:
        from babel import Locale

        name = Locale("en").languages.get(code)
    except (ImportError, ValueError):  # pragma: no cover - babel comes with trafilatura
        name = None
    return str(name) if name else code


def detect_language(text: str) -> LanguageGuess:
    """Guess the language of a text; English (or undetermined) unless there is good reason to think not."""
    sample = text[:_SAMPLE_CHARS]
    words = _WORD.findall(sample)[:_SAMPLE_WORDS]
    latin = _latin_share(sample)
    if latin >= 0.5 and len(words) < MIN_WORDS_TO_JUDGE:
        return _UNDECIDED
    if latin >= 0.5 and english_share(sample) >= MIN_ENGLISH_SHARE:
        return _ENGLISH
    if len(_LETTER.findall(sample)) < 20:
        return _UNDECIDED
    code, confidence = _identifier().classify(sample[:5000])
    if latin < 0.5:
        # Mostly another script: not English whatever the model's doubts (which are often between dialects).
        if code == "en":
            return LanguageGuess(
                "und", "a language in a non-Latin script", float(confidence), is_english=False
            )
        return LanguageGuess(str(code), language_name(str(code)), float(confidence), is_english=False)
    if code == "en":
        return LanguageGuess("en", "English", float(confidence), is_english=True)
    if confidence < MIN_MODEL_CONFIDENCE:
        return _UNDECIDED
    return LanguageGuess(str(code), language_name(str(code)), float(confidence), is_english=False)


def looks_english(text: str) -> bool:
    """True when the text reads as English (short texts get the benefit of the doubt)."""
    return detect_language(text).is_english
