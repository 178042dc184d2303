"""Words of a sentence as the digest compares them: content terms, lightly stemmed, and word counts."""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# Longest suffixes first, so "ing" is tried before "s"; a stem keeps at least three letters.
_SUFFIXES = ("ing", "ed", "es", "s")


def stem(word: str) -> str:
    """A word without its commonest inflection ("missiles" → "missil", "killed" → "kill")."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


# A story's sentences are scored again each time a view of it is merged (one per set of feeds): once each.
@lru_cache(maxsize=16384)
def content_terms(text: str) -> frozenset[str]:
    """The distinct content words of a text: lowercased, stop words and single letters out, stemmed."""
    terms = set()
    for match in _WORD.finditer(text):
        word = match.group().lower().replace("’", "'")
        if len(word) > 1 and word not in STOP_WORDS:
            terms.add(stem(word))
    return frozenset(terms)


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of characters between white space."""
    return len(text.split())
