"""Choose a digest's sentences from scored candidates: best first, no repeats, within a word budget."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from briefings.digest.scoring import Candidate

# Three sentences, fewer when the article has fewer worth taking or the words run out. Lengths set by the
# article (a share of its words, its sentence count, a gap in the scores) were measured on news summaries
# of two kinds (multi-sentence highlights, one-sentence summaries) and did worse on both than three.
MAX_SENTENCES = 3
# A candidate whose content words are already more than half said adds too little to be worth its words.
MAX_OVERLAP = 0.5
# Two sentences of which the shorter shares more than this share of its content words with the longer
# tell one thing twice (a caption that retells the lead, a second report's lead): only one is taken.
MAX_CONTAINMENT = 0.6


def _said_share(candidate: Candidate, said: set[str]) -> float:
    return len(candidate.terms & said) / len(candidate.terms) if candidate.terms else 0.0


def repeats(candidate: Candidate, other: Candidate) -> bool:
    """Whether one of the two sentences says mostly what the other says."""
    smaller = min(len(candidate.terms), len(other.terms))
    return smaller > 0 and len(candidate.terms & other.terms) > MAX_CONTAINMENT * smaller


def _adds_enough(candidate: Candidate, chosen: list[Candidate], said: set[str]) -> bool:
    return _said_share(candidate, said) <= MAX_OVERLAP and not any(repeats(candidate, c) for c in chosen)


def select_sentences(
    candidates: list[Candidate],
    max_words: int,
    max_sentences: int = MAX_SENTENCES,
    lead_from: Collection[str] = (),
) -> list[Candidate]:
    """The best candidates that fit `max_words` and do not repeat each other, in reading order.

    With `lead_from` (the newest reports of a story told over time), the best sentence of those is taken
    first, so the digest leads with the latest development even when older reports tell more.
    """
    article_order = {c.article: i for i, c in reversed(list(enumerate(candidates)))}
    # Best first; of equal scores the earlier, as `max` over the candidates in order would take.
    ranked = sorted(candidates, key=lambda c: -c.score)
    taken = [False] * len(ranked)
    chosen: list[Candidate] = []
    said: set[str] = set()
    words = 0
    while len(chosen) < max_sentences:
        found, other = None, None
        for n, c in enumerate(ranked):
            if taken[n] or words + c.words > max_words or not _adds_enough(c, chosen, said):
                continue
            if chosen or not lead_from or c.article in lead_from:
                found = n
                break
            if other is None:
                other = n
        found = other if found is None else found
        if found is None:
            break
        best = ranked[found]
        taken[found] = True
        chosen.append(best)
        said |= best.terms
        words += best.words
    if not chosen and candidates:
        # Nothing fits whole (one run-on sentence): its opening words, marked as cut, stand in.
        best = max(candidates, key=lambda c: c.score)
        return [replace(best, text=shorten(best.text, max_words), words=max_words)]
    return sorted(chosen, key=lambda c: (article_order[c.article], c.position))


def shorten(text: str, max_words: int) -> str:
    """The text's first `max_words` words, with "…" when words were left out."""
    words = text.split()
    if len(words) <= max_words:
        return text
    return " ".join(words[:max_words]).rstrip(",;:-–—") + "…"
