"""The machine interface: analyses and stories as the `briefbot.analysis/1` JSON of CONTRACT.md."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from briefings.models import ArticleAnalysis, Story
from briefings.stories.remnants import SetAside

SCHEMA = "briefbot.analysis/1"


def _date(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.hour == value.minute == value.second == 0 and value.tzinfo is None:
        return value.date().isoformat()
    return value.isoformat()


def article_json(analysis: ArticleAnalysis) -> dict[str, Any]:
    """One article: its id, source, title, publication time and temporal expressions (source offsets)."""
    article = analysis.article
    times = []
    for t in analysis.times:
        start, end = article.offsets.span_to_source(t.start, t.end)
        times.append({"text": t.text, "start": start, "end": end, "type": t.type, "value": t.value})
    return {
        "id": article.id,
        "source": article.source,
        "title": article.title,
        "published": _date(article.published),
        "times": times,
    }


def story_json(story: Story) -> dict[str, Any]:
    """One story in the contract's shape."""
    return {
        "id": story.id,
        "headline": story.headline,
        "name": story.name,
        "articles": story.articles,
        "digest": story.digest,
        "actors": [
            {
                "name": a.name,
                "kind": a.kind,
                "aliases": a.aliases,
                "roles": a.roles,
                "mentions": len(a.mentions),
            }
            for a in story.actors
        ],
        "places": [{"name": p.name, "aliases": p.aliases, "kind": p.kind} for p in story.places],
        "timeline": [{"when": e.when, "what": e.what, "articles": e.articles} for e in story.timeline],
        "quotes": [
            # Direct quotes only: reported speech stays in the model, but is no one's words verbatim.
            {"speaker": q.quote.speaker, "text": q.quote.text, "article": q.article}
            for q in story.quotes
            if q.quote.direct
        ],
        "claims": [
            {
                "text": c.claim.text,
                "quantity": c.claim.quantity,
                "what": c.claim.what,
                "attributed_to": c.claim.attributed_to,
                "article": c.article,
            }
            for c in story.claims
        ],
        "disagreements": [
            {
                "about": d.about,
                "claims": [
                    {
                        "text": c.claim.text,
                        "quantity": c.claim.quantity,
                        "attributed_to": c.claim.attributed_to,
                        "article": c.article,
                    }
                    for c in d.claims
                ],
            }
            for d in story.disagreements
        ],
        "w": story.w.model_dump(),
    }


def analysis_json(
    analyses: list[ArticleAnalysis], stories: list[Story], set_aside: list[SetAside] | None = None
) -> dict[str, Any]:
    """The whole `briefbot analyze --json` document (`set_aside`: the articles in no story, and why)."""
    return {
        "schema": SCHEMA,
        "articles": [article_json(a) for a in analyses],
        "stories": [story_json(s) for s in stories],
        "set_aside": [{"article": s.article, "reason": s.reason} for s in set_aside or []],
    }
