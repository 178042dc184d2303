"""Merge the analyses of a story's articles into one story."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from briefings.digest.summary import summarize
from briefings.models import ArticleAnalysis, ArticleRef, FiveW, Story
from briefings.stories.clustering import StoryGroup, cluster_articles
from briefings.stories.disagreements import find_disagreements, sourced_claims
from briefings.stories.identity import NameResolver, merge_actors, merge_places
from briefings.stories.index import story_id_for
from briefings.stories.naming import distinct_names, story_headline, story_name
from briefings.stories.quotes import merge_quotes
from briefings.stories.timeline import merge_timeline


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _oldest_first(analyses: list[ArticleAnalysis]) -> list[ArticleAnalysis]:
    """The articles once each (by id), oldest first; undated ones keep their place before the dated."""
    seen: set[str] = set()
    unique = []
    for analysis in analyses:
        if analysis.article.id not in seen:
            seen.add(analysis.article.id)
            unique.append(analysis)
    floor = datetime.min.replace(tzinfo=UTC)
    return sorted(unique, key=lambda a: _aware(a.article.published) if a.article.published else floor)


def _story_w(analyses: list[ArticleAnalysis], actors: NameResolver, places: NameResolver) -> FiveW:
    """The main event as the earliest, fullest report gives it, its names as the story shows them."""
    filled = max(analyses, key=lambda a: sum(v is not None for v in a.w.model_dump().values()))
    w = filled.w
    return w.model_copy(update={"who": actors.resolve(w.who), "where": places.resolve(w.where)})


def _source_ref(analysis: ArticleAnalysis, duplicate_of: str | None) -> ArticleRef:
    article = analysis.article
    return ArticleRef(
        id=article.id,
        source=article.source,
        title=article.title,
        outlet=article.outlet,
        url=article.url,
        published=article.published,
        duplicate_of=duplicate_of,
    )


def _timeline_story(
    story_id: str,
    ordered: list[ArticleAnalysis],
    reprints: Mapping[str, str],
    actor_names: NameResolver,
    place_names: NameResolver,
    name: str | None = None,
) -> Story:
    """The story's name, headline, sources and timeline (what `/timeline` shows), from its articles oldest
    first."""
    originals = [a for a in ordered if a.article.id not in reprints]
    published = [_aware(a.article.published) for a in ordered if a.article.published]
    return Story(
        id=story_id,
        name=name or story_name(originals or ordered),
        headline=story_headline(originals or ordered),
        articles=[a.article.id for a in ordered],
        sources=[_source_ref(a, reprints.get(a.article.id)) for a in ordered],
        timeline=merge_timeline(ordered, actor_names, place_names),
        first_published=min(published) if published else None,
        last_published=max(published) if published else None,
        source_count=len(originals),
    )


def merge_timeline_story(
    story_id: str, analyses: list[ArticleAnalysis], duplicates: Mapping[str, str] | None = None
) -> Story:
    """What `/timeline` shows of the story `merge_story` makes of these analyses (name, headline, sources,
    timeline: the same), without its actors, quotes, claims and digest (the costly part, left empty)."""
    ordered = _oldest_first(analyses)
    _, actor_names = merge_actors([actor for a in ordered for actor in a.actors], len(ordered))
    _, place_names = merge_places([place for a in ordered for place in a.places], len(ordered))
    return _timeline_story(story_id, ordered, duplicates or {}, actor_names, place_names)


def _people_story(
    story_id: str, ordered: list[ArticleAnalysis], reprints: Mapping[str, str], name: str | None = None
) -> tuple[Story, list[ArticleAnalysis], NameResolver, NameResolver]:
    """The timeline's story with its actors, places, quotes and claims, from its articles oldest first;
    with the original articles (not reprints) and the names' resolvers."""
    actors, actor_names = merge_actors([actor for a in ordered for actor in a.actors], len(ordered))
    places, place_names = merge_places([place for a in ordered for place in a.places], len(ordered))
    originals = [a for a in ordered if a.article.id not in reprints]
    story = _timeline_story(story_id, ordered, reprints, actor_names, place_names, name)
    story = story.model_copy(
        update={
            "actors": actors,
            "places": places,
            "quotes": merge_quotes(ordered, actor_names),
            "claims": sourced_claims(originals, actor_names),
        }
    )
    return story, originals, actor_names, place_names


def merge_people_story(
    story_id: str, analyses: list[ArticleAnalysis], duplicates: Mapping[str, str] | None = None
) -> Story:
    """What `/who` shows of the story `merge_story` makes of these analyses (name, headline, sources,
    timeline, actors, places, quotes and claims: the same), without its disagreements, main event and
    digest (the digest is the costly part, left empty). A story with neither name nor headline is merged
    whole: its title is the one the digest writer gives it."""
    story, _, _, _ = _people_story(story_id, _oldest_first(analyses), duplicates or {})
    if not story.name and not story.headline:
        return merge_story(story_id, analyses, duplicates)
    return story


def merge_story(
    story_id: str,
    analyses: list[ArticleAnalysis],
    duplicates: Mapping[str, str] | None = None,
    previous: Story | None = None,
) -> Story:
    """One story from the analyses of its articles: actors, places, timeline, quotes, claims and disagreements.

    `duplicates` maps an article to the article it reprints (reprints count as one source and add no
    claims of their own); with `previous`, the story keeps the name it was already known by.
    """
    reprints = dict(duplicates or {})
    ordered = _oldest_first(analyses)
    kept_name = previous.name if previous is not None and previous.name else None
    story, originals, actor_names, place_names = _people_story(story_id, ordered, reprints, kept_name)
    story = story.model_copy(
        update={
            "disagreements": find_disagreements(
                story.claims, {a.article.id: a.article.published for a in ordered}
            ),
            "w": _story_w(originals or ordered, actor_names, place_names),
        }
    )
    headline, digest = summarize(story, ordered)
    # The headline follows the latest report; the digest writer's headline stands in when there is none.
    return story.model_copy(update={"headline": story.headline or headline, "digest": digest})


def _qualifier(story: Story) -> str:
    if story.places:
        return story.places[0].name
    if story.first_published is not None:
        return story.first_published.strftime("%d %b %Y")
    return ""


def build_stories(analyses: list[ArticleAnalysis], separate: bool = False) -> list[Story]:
    """Stories of the analysed articles, largest first; with `separate`, one story per article."""
    if separate:
        groups = [StoryGroup(id=story_id_for(a), members=[i]) for i, a in enumerate(analyses)]
        seen: set[str] = set()
        for group in groups:
            # The same text given twice makes two stories here: each needs an id of its own.
            base, n = group.id, 2
            while group.id in seen:
                group.id, n = f"{base}-{n}", n + 1
            seen.add(group.id)
    else:
        groups = cluster_articles(analyses)
    groups.sort(key=lambda g: (-len(g.members), min(g.members)))
    stories = [merge_story(g.id, [analyses[i] for i in g.members], g.duplicates) for g in groups]
    names = distinct_names([s.name for s in stories], [_qualifier(s) for s in stories])
    return [s.model_copy(update={"name": n}) for s, n in zip(stories, names, strict=True)]
