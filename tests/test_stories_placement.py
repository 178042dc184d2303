"""Which of a collection's stories one more article belongs to (`briefings.stories.placement`)."""

from __future__ import annotations

from test_commands_support import *  # noqa: F403 - articles and helpers

from briefings.models import ArticleAnalysis
from briefings.stories.merge import build_stories
from briefings.stories.placement import story_of_article


def test_a_follow_up_joins_its_story_and_the_stories_are_unchanged(
    news_analyses: list[ArticleAnalysis],
) -> None:
    kept, follow_up = (
        news_analyses[:1] + news_analyses[2:],
        news_analyses[1],
    )  # the dam, the vote | dam update
    stories = build_stories(kept)
    before = [s.model_dump() for s in stories]
    found = story_of_article(stories, kept, follow_up)
    assert found is not None and kept[0].article.id in found.articles
    assert [s.model_dump() for s in stories] == before


def test_an_article_of_the_collection_is_in_its_own_story(news_analyses: list[ArticleAnalysis]) -> None:
    stories = build_stories(list(news_analyses))
    again = news_analyses[2].model_copy(deep=True)
    again.article.id = "shared-again"
    found = story_of_article(stories, news_analyses, again)
    assert found is not None and news_analyses[2].article.id in found.articles


def test_an_article_of_another_event_belongs_to_none(news_analyses: list[ArticleAnalysis]) -> None:
    dam_only = news_analyses[:2]
    assert story_of_article(build_stories(dam_only), dam_only, news_analyses[2]) is None
    assert story_of_article([], [], news_analyses[2]) is None
