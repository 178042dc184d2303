"""Group a batch of articles about the same events into stories, with the incremental story index."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from briefings.models import ArticleAnalysis
from briefings.stories.index import IndexSettings, StoryIndex
from briefings.stories.remnants import set_aside_reason


@dataclass
class StoryGroup:
    """One story of a batch: its id, its articles (indexes into the batch) and which of them are reprints."""

    id: str
    members: list[int] = field(default_factory=list)
    duplicates: dict[str, str] = field(default_factory=dict)


def _publication_order(analyses: list[ArticleAnalysis]) -> list[int]:
    """Indexes in the order the articles appeared; undated ones first, each group in the batch's order."""
    floor = datetime.min.replace(tzinfo=UTC)

    def key(i: int) -> datetime:
        published = analyses[i].article.published
        if published is None:
            return floor
        return published if published.tzinfo else published.replace(tzinfo=UTC)

    return sorted(range(len(analyses)), key=key)


def cluster_articles(
    analyses: list[ArticleAnalysis], settings: IndexSettings | None = None, consolidate: bool = True
) -> list[StoryGroup]:
    """The stories of a batch of articles, in order of their first article.

    An article that carries no news (`briefings.stories.remnants`) is in none of them.
    """
    index = StoryIndex(settings)
    # The batch is known in full: its document frequencies are counted before any article is placed.
    observed = [index.observe(analysis) for analysis in analyses]
    duplicates: dict[str, str] = {}
    order = [i for i in _publication_order(analyses) if set_aside_reason(analyses[i]) is None]
    for i in order:
        analysis = analyses[i]
        placement = index.add(analysis, observed[i])
        article_id = analysis.article.id
        if placement.duplicate_of is not None and placement.duplicate_of != article_id:
            duplicates[article_id] = placement.duplicate_of
    if consolidate:
        index.consolidate()
        # Every article placed, each may turn out to fit another story better than the one it started in.
        index.refine({analyses[i].article.id: observed[i] for i in order})
    groups: dict[str, StoryGroup] = {}
    for i in order:
        article_id = analyses[i].article.id
        story = index.story_of(article_id) or article_id
        group = groups.setdefault(story, StoryGroup(id=story))
        group.members.append(i)
        if article_id in duplicates:
            group.duplicates[article_id] = duplicates[article_id]
    return list(groups.values())


def cluster_analyses(analyses: list[ArticleAnalysis]) -> list[list[int]]:
    """Groups of indexes into `analyses`, one group per story."""
    return [group.members for group in cluster_articles(analyses)]
