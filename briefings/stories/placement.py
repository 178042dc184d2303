"""Which of a collection's stories one more article belongs to, without changing the collection.

The stories were built from their analyses by `build_stories`; the article is clustered with those same
analyses (as it would be if it were added), and the story its fellow members were in is the answer. An
article that is one of the stories' own (the same address, or the same text) is in that story.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from briefings.models import ArticleAnalysis, Story
from briefings.stories.clustering import cluster_articles
from briefings.stories.index import text_fingerprint

_PROBE_ID = "placement-probe"


def _same_address(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    return a.rstrip("/").split("#")[0].lower() == b.rstrip("/").split("#")[0].lower()


def story_of_article(
    stories: Sequence[Story], analyses: Sequence[ArticleAnalysis], article: ArticleAnalysis
) -> Story | None:
    """The story of `stories` (built from `analyses`) the article belongs to, or None when it starts its own."""
    story_by_article = {article_id: story for story in stories for article_id in story.articles}
    if not story_by_article:
        return None
    fingerprint = text_fingerprint(article)
    for analysis in analyses:
        known = story_by_article.get(analysis.article.id)
        if known is not None and (
            _same_address(analysis.article.url, article.article.url)
            or text_fingerprint(analysis) == fingerprint
        ):
            return known
    probe = article.model_copy(update={"article": article.article.model_copy(update={"id": _PROBE_ID})})
    batch = [*analyses, probe]
    for group in cluster_articles(batch):
        members = [batch[i].article.id for i in group.members]
        if _PROBE_ID not in members:
            continue
        votes = Counter(story_by_article[m].id for m in members if m != _PROBE_ID and m in story_by_article)
        if not votes:
            return None
        best = votes.most_common(1)[0][0]
        return next(story for story in stories if story.id == best)
    return None
