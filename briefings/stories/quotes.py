"""A story's quotes: each quote once, however many articles carry it, with its speaker's story name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from briefings.models import ArticleAnalysis, StoryQuote
from briefings.stories.identity import NameResolver

_WORD = re.compile(r"[^\W_]+")
# One quote trimmed differently by two outlets still shares nearly all the words of the shorter version.
SAME_QUOTE = 0.8


@dataclass
class _Kept:
    quote: StoryQuote
    words: frozenset[str]


# A story's quotes are compared again each time a view of it is merged (one per set of feeds): once each.
@lru_cache(maxsize=16384)
def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.lower()))


def _same(a: _Kept, words: frozenset[str], speaker: str | None) -> bool:
    other = a.quote.quote.speaker
    if speaker and other and speaker != other:
        return False
    shorter = min(len(a.words), len(words))
    return shorter > 0 and len(a.words & words) / shorter >= SAME_QUOTE


class _KeptQuotes:
    """The story's quotes so far, found by their words: a quote is only compared with those sharing one."""

    def __init__(self) -> None:
        self.kept: list[_Kept] = []
        self._by_word: dict[str, set[int]] = {}

    def first_same(self, words: frozenset[str], speaker: str | None) -> int | None:
        """The place of the earliest kept quote that is this one (see `_same`), or None."""
        candidates: set[int] = set()
        for word in words:
            candidates.update(self._by_word.get(word, ()))
        for n in sorted(candidates):
            if _same(self.kept[n], words, speaker):
                return n
        return None

    def add(self, kept: _Kept) -> None:
        """Keep a new quote."""
        self.kept.append(kept)
        self._post(len(self.kept) - 1, kept.words)

    def reword(self, n: int, words: frozenset[str]) -> None:
        """The kept quote at `n` now stands in its fuller wording."""
        kept = self.kept[n]
        for word in kept.words - words:
            self._by_word[word].discard(n)
        self._post(n, words - kept.words)
        kept.words = words

    def _post(self, n: int, words: frozenset[str]) -> None:
        for word in words:
            self._by_word.setdefault(word, set()).add(n)


def merge_quotes(analyses: list[ArticleAnalysis], actors: NameResolver) -> list[StoryQuote]:
    """Every quote of the story once (the fullest wording kept), with all the articles that carry it."""
    quotes = _KeptQuotes()
    for analysis in analyses:
        article = analysis.article.id
        for quote in analysis.quotes:
            words = _words(quote.text)
            if not words:
                continue
            speaker = actors.resolve(quote.speaker)
            n = quotes.first_same(words, speaker)
            if n is None:
                resolved = quote.model_copy(update={"speaker": speaker})
                quotes.add(_Kept(StoryQuote(quote=resolved, article=article, articles=[article]), words))
                continue
            found = quotes.kept[n]
            if article not in found.quote.articles:
                found.quote.articles.append(article)
            if found.quote.quote.speaker is None and speaker is not None:
                found.quote.quote = found.quote.quote.model_copy(update={"speaker": speaker})
            if len(words) > len(found.words):
                # The fuller wording, with the article it comes from: a quote cites where it was read.
                found.quote.quote = quote.model_copy(update={"speaker": found.quote.quote.speaker or speaker})
                found.quote.article = article
                quotes.reword(n, words)
    return [k.quote for k in quotes.kept]
