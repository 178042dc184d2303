"""The headline and the short digest of a story, extractive and deterministic."""

from __future__ import annotations

from briefings.models import ArticleAnalysis, Story

MAX_DIGEST_WORDS = 120


def summarize(story: Story, analyses: list[ArticleAnalysis]) -> tuple[str, list[str]]:
    """A headline and digest sentences (at most ~120 words) for a merged story and its articles."""
    lead = analyses[0]
    sentences = [s.text for s in lead.sentences]
    headline = lead.article.title or (sentences[0] if sentences else lead.article.source)
    digest: list[str] = []
    words = 0
    for sentence in sentences:
        if sentence == headline:
            continue
        n = len(sentence.split())
        if words + n > MAX_DIGEST_WORDS:
            break
        digest.append(sentence)
        words += n
        if len(digest) == 3:
            break
    return headline, digest
