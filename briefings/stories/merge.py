"""Merge the analyses of a story's articles into one story."""

from __future__ import annotations

from briefings.digest.summary import summarize
from briefings.models import (
    Actor,
    ArticleAnalysis,
    ArticleRef,
    Place,
    SourcedClaim,
    Story,
    StoryQuote,
    TimelineEntry,
)
from briefings.stories.clustering import cluster_analyses


def _merge_actors(analyses: list[ArticleAnalysis]) -> list[Actor]:
    merged: dict[tuple[str, str], Actor] = {}
    for analysis in analyses:
        for actor in analysis.actors:
            key = (actor.kind, actor.name)
            into = merged.get(key)
            if into is None:
                merged[key] = actor.model_copy(deep=True)
                continue
            into.aliases.extend(a for a in actor.aliases if a not in into.aliases)
            into.roles.extend(r for r in actor.roles if r not in into.roles)
            into.mentions.extend(actor.mentions)
    return sorted(merged.values(), key=lambda a: -len(a.mentions))


def _merge_places(analyses: list[ArticleAnalysis]) -> list[Place]:
    merged: dict[str, Place] = {}
    for analysis in analyses:
        for place in analysis.places:
            into = merged.get(place.name)
            if into is None:
                merged[place.name] = place.model_copy(deep=True)
                continue
            into.aliases.extend(a for a in place.aliases if a not in into.aliases)
            into.mentions.extend(place.mentions)
    return sorted(merged.values(), key=lambda p: -len(p.mentions))


def _timeline(analyses: list[ArticleAnalysis]) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for analysis in analyses:
        for event in analysis.events:
            if event.when:
                entries.append(
                    TimelineEntry(
                        when=event.when,
                        what=event.evidence,
                        articles=[analysis.article.id],
                        event_type=event.type,
                    )
                )
    return sorted(entries, key=lambda e: e.when)


def merge_story(story_id: str, analyses: list[ArticleAnalysis]) -> Story:
    """One story from the analyses of its articles (most recent last)."""
    published = [a.article.published for a in analyses if a.article.published]
    story = Story(
        id=story_id,
        name="",
        headline="",
        articles=[a.article.id for a in analyses],
        sources=[
            ArticleRef(
                id=a.article.id,
                source=a.article.source,
                title=a.article.title,
                outlet=a.article.outlet,
                url=a.article.url,
                published=a.article.published,
            )
            for a in analyses
        ],
        actors=_merge_actors(analyses),
        places=_merge_places(analyses),
        timeline=_timeline(analyses),
        quotes=[StoryQuote(quote=q, article=a.article.id) for a in analyses for q in a.quotes],
        claims=[SourcedClaim(claim=c, article=a.article.id) for a in analyses for c in a.claims],
        w=analyses[0].w,
        first_published=min(published) if published else None,
        last_published=max(published) if published else None,
    )
    headline, digest = summarize(story, analyses)
    return story.model_copy(update={"name": headline, "headline": headline, "digest": digest})


def build_stories(analyses: list[ArticleAnalysis], separate: bool = False) -> list[Story]:
    """Stories of the analysed articles, largest first; with `separate`, one story per article."""
    groups = [[i] for i in range(len(analyses))] if separate else cluster_analyses(analyses)
    groups = sorted(groups, key=lambda g: (-len(g), g[0]))
    return [merge_story(f"s{n}", [analyses[i] for i in group]) for n, group in enumerate(groups, start=1)]
